"""Pages of the plans app: imported plans (plans.py) and the import flow (drafts.py)."""
