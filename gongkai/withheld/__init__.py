"""负面清单 and the yearly 不予公开 self-check."""
