"""Files on disk that are no Django app's own: uploads waiting for a confirmation (pending)."""
