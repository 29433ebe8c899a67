"""Plain-Python reference data (sectors, districts, languages, countries, skills)."""
