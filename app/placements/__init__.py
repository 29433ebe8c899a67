"""Placements: from shortlist or interest to a completed, evaluated mission."""
