"""Per-environment settings for Umuhuza (see settings.py)."""
