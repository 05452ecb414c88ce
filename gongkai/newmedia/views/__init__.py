"""Staff pages (staff.py) and the public page (public.py) of 政务新媒体."""
