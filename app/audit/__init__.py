"""The append-only audit log of staff access to personal data."""
