"""While the database cannot be reached, every page says so in Chinese instead of a traceback; the user stays signed
in, and the next click after the database is back shows the page again, without restarting the app."""

import pytest
from sqlalchemy.exc import IntegrityError

from data_model.db import unreachable
from tests.pages.app import login

UNREACHABLE = "postgresql+psycopg://kpi@127.0.0.1:9/kpi"  # nothing listens on port 9 (discard)


@pytest.mark.parametrize("page", ["overview.py", "indicator.py", "budget.py", "assessment.py"])
def test_a_page_says_the_database_is_unavailable_and_recovers(fresh_url, monkeypatch, page):
    at = login("admin").switch_page(f"pages/views/{page}").run()
    shown = [m.value for m in at.markdown]

    monkeypatch.setenv("DATABASE_URL", UNREACHABLE)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["数据库暂时不可用，请稍后重试"]

    monkeypatch.setenv("DATABASE_URL", fresh_url)
    at.run()
    assert not at.exception and not at.error
    assert [m.value for m in at.markdown] == shown


def test_only_a_connection_failure_counts_as_unreachable():
    refused = IntegrityError("INSERT …", {}, Exception("duplicate key"))
    assert not unreachable(refused)
    assert not unreachable(ValueError("not a database error"))
