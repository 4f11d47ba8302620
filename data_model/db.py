"""Engine and session: `--db`, else DATABASE_URL, else the embedded SQLite file under data/."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Table, event, insert, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, SQLModel, create_engine

from data_model import models  # noqa: F401  (registers the tables on SQLModel.metadata)

ROOT = Path(__file__).resolve().parent.parent
EMBEDDED_DB = ROOT / "data" / "kpi.db"
MIGRATIONS = ROOT / "data_model" / "migrations"
SCHEMA_LOCK = 748_201  # PostgreSQL advisory lock key: one process at a time migrates the schema


class SchemaMismatch(RuntimeError):
    """A database without migration history whose tables are not the initial revision's; the message is Chinese."""


def database_url(db: str | None = None) -> str:
    return db or os.environ.get("DATABASE_URL") or f"sqlite:///{EMBEDDED_DB}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers (the dashboard) run while an import writes; the busy timeout makes
    # concurrent writers wait for each other instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only (SQLite gives its -wal and -shm files the same mode),
    in a folder only its owner may enter; an existing file or folder keeps its mode."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def make_engine(db: str | None = None) -> Engine:
    url = make_url(database_url(db))
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        _create_private(Path(url.database))
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def unreachable(error: BaseException) -> bool:
    """The database could not be reached or dropped the connection (a restart, a network cut, SQLite locked for
    too long): nothing was done, and the same request may succeed a moment later. The pool then drops the broken
    connection, and pool_pre_ping tests every other one before use, so recovery needs no restart of the app."""
    return isinstance(error, OperationalError) or (isinstance(error, DBAPIError) and error.connection_invalidated)


@contextmanager
def all_or_nothing(session: Session) -> Iterator[None]:
    """Commit what the block writes; on any error, roll all of it back and raise: nothing is half-written."""
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise


def bulk_insert(connection: Connection, table: Table, rows: list[dict]) -> None:
    """Insert `rows` (dicts with the same keys) in the connection's transaction. PostgreSQL through psycopg (3)
    takes them through COPY, several times faster than INSERTs; other databases and drivers through one
    executemany INSERT."""
    if not rows:
        return
    if (connection.dialect.name, connection.dialect.driver) != ("postgresql", "psycopg"):
        connection.execute(insert(table), rows)
        return
    columns = list(rows[0])
    quote = connection.dialect.identifier_preparer
    statement = f"COPY {quote.format_table(table)} ({', '.join(map(quote.quote, columns))}) FROM STDIN"
    with connection.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def create_schema(engine: Engine) -> None:
    """Bring the schema to the latest migration: a new database gets every table, an older one the
    migrations it lacks. A database with tables but no alembic_version is recorded as the revision it
    matches, then upgraded: see _made_at."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        config = alembic_config(connection)
        if MigrationContext.configure(connection).get_current_revision() is None and _has_tables(connection):
            command.stamp(config, _made_at(connection, config))
        command.upgrade(config, "head")


def upgrade_schema(engine: Engine) -> None:
    """Bring an initialised database to the latest migration, as create_schema does; a database never initialised
    is left empty, so that a command reading it says to run init instead of creating its tables."""
    with engine.connect() as connection:
        initialised = _has_tables(connection)
    if initialised:
        create_schema(engine)


def _made_at(connection: Connection, config: Config) -> str:
    """The revision of a database without migration history: the latest when its tables and columns are the
    models' (made by SQLModel.metadata.create_all, as the tests make theirs), else the initial one when they are
    that revision's (made before migrations existed); anything else is refused."""
    found = _columns(connection)
    if all(found.get(t.name) == {c.name for c in t.columns} for t in SQLModel.metadata.sorted_tables):
        return "head"
    initial = ScriptDirectory.from_config(config).get_base()
    _check_matches(connection, initial)
    return initial


def alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _columns(connection: Connection) -> dict[str, set[str]]:
    found = inspect(connection)
    return {t: {c["name"] for c in found.get_columns(t)} for t in found.get_table_names() if t != "alembic_version"}


def _has_tables(connection: Connection) -> bool:
    return bool(set(inspect(connection).get_table_names()) & set(SQLModel.metadata.tables))


def _check_matches(connection: Connection, revision: str) -> None:
    """Refuse to stamp a database whose tables differ from what `revision` creates (built in memory to compare)."""
    scratch = create_engine("sqlite://")
    with scratch.begin() as fresh:
        command.upgrade(alembic_config(fresh), revision)
        expected = _columns(fresh)
    scratch.dispose()
    found = _columns(connection)
    differ = sorted(t for t in expected if found.get(t) != expected[t])
    if differ:
        raise SchemaMismatch(
            f"数据库没有迁移记录，且数据表与初始版本不一致（{'、'.join(differ)}），无法自动升级；请核对数据库地址或先备份再处理"
        )


def session(engine: Engine) -> Session:
    # Objects stay readable after commit: the CLI and pages use them once the session is gone.
    return Session(engine, expire_on_commit=False)
