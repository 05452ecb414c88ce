"""人大代表建议、政协委员提案 and their published replies."""
