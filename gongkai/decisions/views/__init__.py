"""Staff pages (staff.py) and public pages (public.py) of 重大行政决策."""
