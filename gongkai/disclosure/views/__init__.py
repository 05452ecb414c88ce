"""Pages of the request register: staff pages under /disclosure/, the public form under /apply/."""
