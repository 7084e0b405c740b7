"""Alembic environment: runs on the connection the app hands over, or on a URL."""
from alembic import context
from sqlmodel import SQLModel

from factcheck.store import models  # noqa: F401  (registers the tables)
from factcheck.store.db import include_object

config = context.config
target_metadata = SQLModel.metadata


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:

    from sqlalchemy import create_engine
    from factcheck.config import database_url

    with create_engine(database_url()).begin() as conn:
        run_migrations(conn)
