"""政务新媒体 accounts and their last posts."""
