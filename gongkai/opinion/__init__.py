"""政务舆情 events and their wall-clock response clocks."""
