"""The RCA staff area: dashboard and account administration."""
