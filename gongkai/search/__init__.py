"""Full-text Chinese search: one table every register pushes its entries into.

Registers call `index_entry` / `remove_entry` (or `index_many`) from their actions; the portal
calls `search`. Text is segmented with jieba (segment.py) and matched by SQLite FTS5 or by
PostgreSQL full-text search (backends/), chosen by the database in use.
"""
