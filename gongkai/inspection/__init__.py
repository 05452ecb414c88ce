"""网站检查: the office's sites, their scheduled inspections, scores and the tickets findings
become (the Django side of issue 7; the crawler and checks are the pure gongkai.inspect)."""
