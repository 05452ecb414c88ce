"""重大行政决策事项目录, linked to consultations, decisions and 后评估."""
