"""Background jobs: a durable jobs table in the app's database and the worker that runs it."""
