"""Diaspora professionals' profiles: wizard, sections, skills, availability, CV import, consent."""
