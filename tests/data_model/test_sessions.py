"""Session tokens: a login survives a refresh until it expires, is revoked, or someone tampers with it."""

import os
import time
from datetime import datetime, timedelta, timezone

import pytest

from data_model import admin, sessions
from data_model.sessions import hand_over, issue_token, read_token, sign_out, take_over

T0 = datetime(2024, 6, 3, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("KPI_SECRET_KEY", "test-secret")


def test_a_token_signs_its_user_in_until_it_expires_eight_hours_later(db, users):
    token = issue_token(users["staff"], now=T0)
    assert read_token(db, token, now=T0 + timedelta(hours=7, minutes=59)).username == "staff"
    assert read_token(db, token, now=T0 + timedelta(hours=8)) is None


def tamper(token: str, part: int, value: str) -> str:
    parts = token.split(".")
    parts[part] = value
    return ".".join(parts)


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda t: tamper(t, 0, "YWRtaW4"), id="another username (admin)"),
        pytest.param(lambda t: tamper(t, 2, str(int(t.split(".")[2]) + 86400)), id="a later expiry"),
        pytest.param(lambda t: tamper(t, 3, "0" * 64), id="a made-up signature"),
        pytest.param(lambda t: t[:-1] + ("a" if t[-1] != "a" else "b"), id="one character of the signature"),
        pytest.param(lambda t: t.rsplit(".", 1)[0], id="no signature"),
        pytest.param(lambda t: "", id="empty"),
        pytest.param(lambda t: "garbage", id="garbage"),
    ],
)
def test_a_tampered_token_is_refused(db, users, forge):
    assert read_token(db, forge(issue_token(users["staff"], now=T0)), now=T0) is None


def test_a_token_signed_with_another_key_is_refused(db, users, monkeypatch):
    token = issue_token(users["admin"], now=T0)
    monkeypatch.setenv("KPI_SECRET_KEY", "a-stranger's-key")
    assert read_token(db, token, now=T0) is None


def test_logging_out_revokes_every_token_issued_before(db, users):
    token = issue_token(users["leader"], now=T0)
    sign_out(db, "leader")
    assert read_token(db, token, now=T0) is None
    fresh = issue_token(users["leader"], now=T0)
    assert read_token(db, fresh, now=T0).username == "leader"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda s: admin.change_role(s, "evaluator", "leader", by="admin"), id="role changed"),
        pytest.param(lambda s: admin.reset_password(s, "evaluator", "brand-new-pass", by="admin"), id="password reset"),
        pytest.param(lambda s: admin.set_disabled(s, "evaluator", True, by="admin"), id="disabled"),
    ],
)
def test_an_admin_change_to_the_account_ends_its_sessions(db, users, change):
    token = issue_token(users["evaluator"], now=T0)
    change(db)
    assert read_token(db, token, now=T0) is None


def test_without_a_configured_key_one_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("KPI_SECRET_KEY")
    monkeypatch.setattr(sessions, "SECRET_FILE", tmp_path / "data" / "secret.key")
    first = sessions.secret_key()
    assert len(first) == 64 and sessions.secret_key() == first
    assert oct(os.stat(tmp_path / "data" / "secret.key").st_mode & 0o777) == "0o600"
    assert list((tmp_path / "data").iterdir()) == [tmp_path / "data" / "secret.key"]


def test_a_handed_over_token_is_redeemed_once_and_only_within_a_minute(users, monkeypatch):
    token = issue_token(users["staff"], now=T0)
    code = hand_over(token)
    assert (take_over(code), take_over(code), take_over("made-up")) == (token, None, None)
    late = hand_over(token)
    started = time.monotonic()
    monkeypatch.setattr(sessions.time, "monotonic", lambda: started + sessions.HANDOVER_SECONDS + 1)
    assert take_over(late) is None
