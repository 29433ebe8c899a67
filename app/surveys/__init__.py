"""Surveys of members: builder, distribution, answering, results."""
