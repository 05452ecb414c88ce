"""Staff pages (staff.py) and the portal's (public.py)."""
