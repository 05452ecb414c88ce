"""Task lists (任务清单) in the platform: plans, their versions and tasks, and importing them."""
