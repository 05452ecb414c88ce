"""Staff pages (staff.py, /withheld/) and the public negative list (public.py, /portal/fmqd/)."""
