"""Views of 建议提案办理."""
