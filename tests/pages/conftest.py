"""Page tests: the app on a temporary SQLite database holding the sample year and the demo accounts."""

import pytest
from streamlit.testing.v1 import AppTest

from data_model.auth import DEMO_USERS
from data_model.db import ROOT

PASSWORDS = {role: password for _, _, role, password in DEMO_USERS}
USERNAMES = {role: username for username, _, role, _ in DEMO_USERS}


@pytest.fixture
def app_url(sample_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sample_url)
    return sample_url


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
