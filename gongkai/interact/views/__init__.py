"""Staff (staff.py) and public (public.py) pages of 互动交流."""
