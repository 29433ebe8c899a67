"""Public pages: landing, privacy notice, language choice, and the dashboard switch."""
