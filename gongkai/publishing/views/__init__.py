"""Staff pages of the document register (/publishing/): the list and review queue
(listing.py), one document with the acts on it (documents.py, acts.py), the yearly cleanup
(cleanup.py), the catalogue tree (catalogue.py) and the review policy (policy.py)."""
