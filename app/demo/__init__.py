"""Demo data: a seeded generator (plain Python) and the loader used by `make run`."""
