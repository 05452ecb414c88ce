"""Staff pages (staff.py, /gazette/) and public pages (public.py, /portal/gb/)."""
