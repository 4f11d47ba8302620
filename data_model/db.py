"""Engine and session: `--db`, else DATABASE_URL, else the embedded SQLite file under data/."""

import os
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel, create_engine

from data_model import models  # noqa: F401  (registers the tables on SQLModel.metadata)

ROOT = Path(__file__).resolve().parent.parent
EMBEDDED_DB = ROOT / "data" / "kpi.db"


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


def make_engine(db: str | None = None) -> Engine:
    url = make_url(database_url(db))
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def create_schema(engine: Engine) -> None:
    SQLModel.metadata.create_all(engine)


def session(engine: Engine) -> Session:
    # Objects stay readable after commit: the CLI and pages use them once the session is gone.
    return Session(engine, expire_on_commit=False)
