"""Accounts: sign-up, email verification, log-in, password reset, roles."""
