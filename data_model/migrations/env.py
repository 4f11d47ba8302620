"""Alembic environment: the tables of data_model.models, on the connection data_model.db.create_schema
hands over, or (from the `alembic` command line) on DATABASE_URL / the embedded SQLite file."""

from logging.config import fileConfig

from alembic import context
from sqlmodel import SQLModel

from data_model.db import database_url, make_engine

config = context.config
if config.config_file_name is not None and config.attributes.get("connection") is None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

# render_as_batch: SQLite cannot ALTER most things, so a later migration rebuilds the table instead.
OPTIONS = {"target_metadata": SQLModel.metadata, "render_as_batch": True, "compare_type": True}


def run(connection) -> None:
    context.configure(connection=connection, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():  # `alembic upgrade head --sql`: the SQL script, for a DBA to run
    context.configure(url=database_url(), literal_binds=True, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()
elif (shared := config.attributes.get("connection")) is not None:
    run(shared)
else:
    engine = make_engine()
    with engine.connect() as connection:
        run(connection)
    engine.dispose()
