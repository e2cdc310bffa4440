"""Persistence: SQLAlchemy models, sessions, the event log and migrations, in one place."""
