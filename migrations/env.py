"""Alembic environment: the URL handed over by Database.migrate(), else DATABASE_URL, else the default SQLite file.

So plain `alembic -c migrations/alembic.ini upgrade head` (or `revision`) works on the same database
the server uses, never on a file the server does not read.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from server.config import database_url_from_environment
from server.persistence.models import Base

config = context.config
url = config.attributes.get("connection_url") or database_url_from_environment()
target_metadata = Base.metadata


def run() -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=url.startswith("sqlite"))
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
