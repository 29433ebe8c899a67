"""Rwandan institutions: registration, verification by staff, members."""
