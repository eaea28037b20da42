"""The reading list: read and starred marks, the filter language, search across days, BibTeX."""
