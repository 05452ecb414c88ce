"""The public portal: the 政府信息公开 column, document pages, search and the site footer.
No login; readable with JavaScript off."""
