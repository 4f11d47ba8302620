"""Fixtures: a fresh database per test (SQLite, and PostgreSQL too when TEST_DATABASE_URL is set)."""

import os
import sqlite3

import pytest
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from data_model.db import make_engine, session
from kpi.projects import create_project
from kpi.setup import SEED_TABLE, init_database
from tests.helpers import empty


@pytest.fixture(params=["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else []))
def engine(request, tmp_path):
    """The schema comes from create_all, the fast path; tests/data_model/test_migrations.py runs the migrations."""
    url = f"sqlite:///{tmp_path / 'test.db'}" if request.param == "sqlite" else os.environ["TEST_DATABASE_URL"]
    eng = make_engine(url)
    if request.param != "sqlite":
        empty(eng)
    SQLModel.metadata.create_all(eng)
    yield eng
    if request.param != "sqlite":
        empty(eng)
    eng.dispose()


@pytest.fixture
def db(engine):
    with session(engine) as s:
        yield s


@pytest.fixture
def project(db):
    """The seed project (2024, five budget lines, twenty indicators) with no records yet."""
    return create_project(db, SEED_TABLE.read_bytes())


@pytest.fixture(scope="session")
def sample_url(tmp_path_factory):
    """The shipped sample year with the demo accounts, built once per test session: read it, never write it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('app') / 'app.db'}"
    engine = make_engine(url)
    list(init_database(engine, sample=True))
    engine.dispose()
    return url


@pytest.fixture
def fresh_url(sample_url, tmp_path, monkeypatch):
    """A private copy of the sample database, for tests that write (SQLite's backup copies it consistently)."""
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    source, copy = sqlite3.connect(make_url(sample_url).database), sqlite3.connect(make_url(url).database)
    source.backup(copy)
    source.close()
    copy.close()
    monkeypatch.setenv("DATABASE_URL", url)
    return url
