"""Messaging members: segments, messages, inbox, email outbox, preferences, unsubscribe."""
