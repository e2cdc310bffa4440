"""Alembic environment: runs migrations against the URL handed over by Database.migrate()."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from server.persistence.models import Base

config = context.config
url = config.attributes.get("connection_url") or config.get_main_option("sqlalchemy.url")
target_metadata = Base.metadata


def run() -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=url.startswith("sqlite"))
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
