"""Page tests: the app on a temporary SQLite database holding the sample year and the demo accounts."""

import sqlite3

import pytest
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from data_model.auth import DEMO_USERS
from data_model.db import ROOT, make_engine
from data_model.setup import init_database

PASSWORDS = {role: password for _, _, role, password in DEMO_USERS}
USERNAMES = {role: username for username, _, role, _ in DEMO_USERS}


@pytest.fixture(scope="session")
def sample_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('app') / 'app.db'}"
    engine = make_engine(url)
    list(init_database(engine, sample=True))
    engine.dispose()
    return url


@pytest.fixture
def app_url(sample_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sample_url)
    return sample_url


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


def login(role: str) -> AppTest:
    """The app, signed in through the login form as the demo user of `role`."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.text_input[0].input(USERNAMES[role])
    at.text_input[1].input(PASSWORDS[role])
    at.button[0].click()
    at.run()
    at.run()  # AppTest shows the run that called st.rerun(); the next run is the signed-in app
    assert not at.exception, at.exception
    return at


def click(at: AppTest, label: str) -> AppTest:
    """Click the button labelled `label` and run the app."""
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, at.exception
    return at
