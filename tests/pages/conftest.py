"""Page tests: the app on a temporary SQLite database holding the sample year and the demo accounts."""

import pytest


@pytest.fixture
def app_url(sample_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sample_url)
    return sample_url
