"""政府公报 issues, browsable and searchable."""
