"""Institutions' needs (terms of reference): drafting, review, publishing, browsing."""
