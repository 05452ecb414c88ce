"""The portal's pages: public ones (pages, documents, search) and the office's editors (staff)."""
