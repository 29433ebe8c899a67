"""Shared test helpers: databases, the local SMTP server, logging in."""
