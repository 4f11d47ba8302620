from types import SimpleNamespace

import pandas as pd
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from data_model.db import make_engine, session
from data_model.models import AuditLog
from tests.pages.app import login, login_form, sign_in


def wrong_password_for_the_leader() -> AppTest:
    """The login page after signing in as the leader with a wrong password."""
    return sign_in(login_form(), "leader", "wrong-password")


def test_login_with_a_wrong_password_is_refused_in_chinese(app_url):
    at = wrong_password_for_the_leader()
    assert [e.value for e in at.error] == ["用户名或密码不正确"]
    assert "user" not in at.session_state


def test_leader_sees_all_twenty_indicators_after_login(app_url):
    at = login("leader")
    table = pd.concat([df.value for df in at.dataframe if "序号" in df.value.columns])  # one table per 一级指标
    assert len(table) == 20
    assert table.loc[table["序号"] == 7, "实际完成值"].item() == "15 套"
    assert at.metric[0].value == "87.98"
    assert at.metric[1].value == "良"


def test_a_failed_login_is_counted_for_the_client_address_it_came_from(fresh_url, monkeypatch):
    client = SimpleNamespace(remote_ip="203.0.113.9", cookies={}, headers=[])  # as uvicorn saw the connection
    monkeypatch.setattr("streamlit.runtime.context._get_client_context", lambda: client)
    wrong_password_for_the_leader()
    engine = make_engine(fresh_url)
    with session(engine) as s:
        failed = s.exec(select(AuditLog.username, AuditLog.detail).where(AuditLog.action == "login_failed")).all()
    engine.dispose()
    assert failed[-1] == ("leader", "密码错误（第 1 次，来自 203.0.113.9）")  # counted apart from other addresses


def failed_logins(url: str) -> int:
    engine = make_engine(url)
    with session(engine) as s:
        failed = len(s.exec(select(AuditLog).where(AuditLog.action == "login_failed")).all())
    engine.dispose()
    return failed


def test_an_empty_login_form_asks_for_both_fields_and_counts_no_failure(fresh_url):
    before = failed_logins(fresh_url)
    at = sign_in(login_form(), "leader", "")
    assert [e.value for e in at.error] == ["请输入用户名和密码。"]
    assert failed_logins(fresh_url) == before
