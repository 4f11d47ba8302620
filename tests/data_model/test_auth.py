"""Accounts: argon2 hashes, lockout after five failures, disabled accounts, and the create-user command."""

import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from data_model import auth
from data_model.auth import AuthError, authenticate, create_user
from data_model.db import ROOT
from data_model.models import AuditLog, LoginThrottle, User
from kpi.setup import init_database
from tests.data_model.accounts import PASSWORD

T0 = datetime(2024, 6, 3, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def clerk(db):
    return create_user(db, "clerk", PASSWORD, "staff", "李文员", by="admin")


def audit_trail(db, username: str) -> list[tuple[str, str]]:
    return [
        (a.action, a.detail)
        for a in db.exec(select(AuditLog).where(AuditLog.username == username).order_by(AuditLog.id))
    ]


def test_the_shipped_hasher_is_argon2id_with_the_rfc_9106_low_memory_parameters(monkeypatch):
    monkeypatch.undo()  # the real hasher, not the tests' cheap one
    assert auth.hash_password(PASSWORD).startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_password_is_stored_as_an_argon2_hash_and_never_in_clear(db, clerk):
    stored = db.exec(select(User.password_hash).where(User.username == "clerk")).one()
    assert stored.startswith("$argon2id$")
    authenticate(db, "clerk", PASSWORD)
    with pytest.raises(AuthError):
        authenticate(db, "clerk", "wrong-" + PASSWORD)
    everything = [str(v) for row in db.exec(select(AuditLog)) for v in row.model_dump().values()]
    everything += [str(v) for v in db.get(User, clerk.id).model_dump().values()]
    assert not any(PASSWORD in text for text in everything)


@pytest.mark.parametrize(
    ("username", "password", "role", "message"),
    [
        ("", PASSWORD, "staff", "用户名不能为空"),
        ("newbie", "short", "staff", "密码至少需要 8 位"),
        (
            "newbie",
            PASSWORD,
            "boss",
            "角色「boss」不存在，应为：leader（领导）、staff（工作人员）、evaluator（评价人员）、admin（管理员）",
        ),
        ("clerk", PASSWORD, "staff", "用户名「clerk」已被使用"),
    ],
)
def test_create_user_refuses_bad_input_in_chinese(db, clerk, username, password, role, message):
    with pytest.raises(AuthError, match=f"^{message}$"):
        create_user(db, username, password, role)
    assert db.exec(select(User.username)).all() == ["clerk"]


def test_login_is_audited_and_a_wrong_password_is_refused(db, clerk):
    assert authenticate(db, " clerk ", PASSWORD).role == "staff"
    with pytest.raises(AuthError, match="^用户名或密码不正确$"):
        authenticate(db, "clerk", "nope-nope-nope")
    with pytest.raises(AuthError, match="^用户名或密码不正确$"):
        authenticate(db, "ghost", PASSWORD)
    assert audit_trail(db, "clerk") == [("login", "登录成功"), ("login_failed", "密码错误（第 1 次）")]
    assert audit_trail(db, "ghost") == []  # a name that is no account is logged as a keyed hash (it may be a password)
    assert [
        (a.username[:7], len(a.username), a.detail)
        for a in db.exec(select(AuditLog).where(AuditLog.username.startswith("（未知")))
    ] == [("（未知用户名）", 15, "用户名不存在（第 1 次）")]


def test_five_failures_lock_the_account_for_fifteen_minutes(db, clerk):
    for minute in range(4):
        with pytest.raises(AuthError, match="^用户名或密码不正确$"):
            authenticate(db, "clerk", "guess", now=T0 + timedelta(minutes=minute))
    with pytest.raises(AuthError, match="^密码连续错误 5 次，账号已锁定，请 15 分钟后再试$"):
        authenticate(db, "clerk", "guess", now=T0 + timedelta(minutes=4))
    # Locked: even the right password is refused, with the time left.
    with pytest.raises(AuthError, match="^密码连续错误 5 次，账号已锁定，请 6 分钟后再试$"):
        authenticate(db, "clerk", PASSWORD, now=T0 + timedelta(minutes=13, seconds=30))
    assert authenticate(db, "clerk", PASSWORD, now=T0 + timedelta(minutes=19)).username == "clerk"
    assert [action for action, _ in audit_trail(db, "clerk")] == ["login_failed"] * 4 + ["lockout", "login"]
    assert audit_trail(db, "clerk")[4] == ("lockout", "密码连续错误 5 次，锁定 15 分钟")


def test_after_the_lockout_the_count_starts_again(db, clerk):
    for minute in range(5):
        with pytest.raises(AuthError):
            authenticate(db, "clerk", "guess", now=T0 + timedelta(minutes=minute))
    later = T0 + timedelta(minutes=20)
    for _ in range(4):
        with pytest.raises(AuthError, match="^用户名或密码不正确$"):
            authenticate(db, "clerk", "guess", now=later)
    with pytest.raises(AuthError, match="账号已锁定"):
        authenticate(db, "clerk", "guess", now=later)


def test_a_password_typed_as_the_user_name_is_stored_nowhere(db, clerk):
    for _ in range(6):
        with pytest.raises(AuthError):
            authenticate(db, PASSWORD + "!", "clerk", address="203.0.113.9")
    stored = [
        str(v)
        for table in (AuditLog, LoginThrottle, User)
        for row in db.exec(select(table))
        for v in row.model_dump().values()
    ]
    assert not any(PASSWORD in text for text in stored)
    labels = set(db.exec(select(AuditLog.username).where(AuditLog.action.in_(["login_failed", "lockout"]))))
    assert len(labels) == 1 and labels.pop().startswith(
        "（未知用户名）"
    )  # the same label each time: repeats can be followed


def test_an_unknown_name_is_answered_and_locked_like_an_account(db, clerk):
    for name in ("clerk", "ghost"):
        for minute in range(4):
            with pytest.raises(AuthError, match="^用户名或密码不正确$"):
                authenticate(db, name, "guess", now=T0 + timedelta(minutes=minute))
        with pytest.raises(AuthError, match="^密码连续错误 5 次，账号已锁定，请 15 分钟后再试$"):
            authenticate(db, name, "guess", now=T0 + timedelta(minutes=4))
        with pytest.raises(AuthError, match="^密码连续错误 5 次，账号已锁定，请 6 分钟后再试$"):
            authenticate(db, name, PASSWORD, now=T0 + timedelta(minutes=13, seconds=30))
    assert db.exec(select(User.username)).all() == ["clerk"]  # no account was made for the unknown name


class CountingHasher:
    """The tests' hasher, counting the password hashes computed (a hash or a verification costs the same)."""

    def __init__(self, hasher):
        self.hasher, self.calls = hasher, 0

    def hash(self, password):
        self.calls += 1
        return self.hasher.hash(password)

    def verify(self, stored, password):
        self.calls += 1
        return self.hasher.verify(stored, password)


@pytest.mark.parametrize("username", ["clerk", "ghost"])
def test_every_refusal_costs_one_password_hash_locked_or_not_known_name_or_not(db, clerk, monkeypatch, username):
    counting = CountingHasher(auth._hasher)
    monkeypatch.setattr(auth, "_hasher", counting)
    for attempt in range(7):  # five failures, then two answers from the locked account
        with pytest.raises(AuthError):
            authenticate(db, username, "guess", now=T0)
        assert counting.calls == attempt + 1


def test_a_lockout_holds_for_the_address_it_came_from_only(db, clerk):
    for _ in range(5):
        with pytest.raises(AuthError):
            authenticate(db, "clerk", "guess", now=T0, address="203.0.113.9")
    with pytest.raises(AuthError, match="账号已锁定"):
        authenticate(db, "clerk", PASSWORD, now=T0, address="203.0.113.9")
    assert auth.locked_until(db, "clerk", now=T0) == T0 + timedelta(minutes=15)  # 用户管理 shows it
    assert authenticate(db, "clerk", PASSWORD, now=T0, address="198.51.100.7").username == "clerk"
    assert audit_trail(db, "clerk")[4] == ("lockout", "密码连续错误 5 次，锁定 15 分钟，来自 203.0.113.9")


def test_an_address_failing_twenty_times_in_a_row_is_locked_whatever_the_names(db, clerk):
    for n in range(19):
        with pytest.raises(AuthError, match="^用户名或密码不正确$"):
            authenticate(db, f"user{n}", "guess", now=T0, address="203.0.113.9")
    with pytest.raises(AuthError, match="^登录失败次数过多，请 15 分钟后再试$"):
        authenticate(db, "user19", "guess", now=T0, address="203.0.113.9")
    with pytest.raises(AuthError, match="^登录失败次数过多，请 14 分钟后再试$"):
        authenticate(db, "clerk", PASSWORD, now=T0 + timedelta(minutes=1), address="203.0.113.9")
    assert auth.locked_until(db, "clerk", now=T0) is None  # no account was locked …
    assert (
        authenticate(db, "clerk", PASSWORD, now=T0, address="198.51.100.7").username == "clerk"
    )  # … nor other addresses
    assert (
        authenticate(db, "clerk", PASSWORD, now=T0 + timedelta(minutes=15), address="203.0.113.9").username == "clerk"
    )


def test_a_success_starts_the_counts_again(db, clerk):
    for _ in range(2):
        for _ in range(4):
            with pytest.raises(AuthError, match="^用户名或密码不正确$"):
                authenticate(db, "clerk", "guess", now=T0)
        authenticate(db, "clerk", PASSWORD, now=T0)
    assert [detail for action, detail in audit_trail(db, "clerk") if action == "login_failed"] == [
        f"密码错误（第 {n} 次）" for n in (1, 2, 3, 4) * 2
    ]


def test_a_disabled_account_cannot_sign_in(db, clerk):
    clerk.disabled = True
    db.add(clerk)
    db.commit()
    with pytest.raises(AuthError, match="^账号已停用，请联系管理员$"):
        authenticate(db, "clerk", PASSWORD)
    with pytest.raises(AuthError, match="^用户名或密码不正确$"):  # without the password, nothing is revealed
        authenticate(db, "clerk", "guess-guess")


def test_init_without_sample_creates_no_accounts(engine, db):
    list(init_database(engine))
    assert db.exec(select(User)).all() == []


def create_user_cli(url: str, *args: str, password: str | None = None, typed: str = "") -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin"} | ({"KPI_NEW_PASSWORD": password} if password is not None else {})
    return subprocess.run(
        [sys.executable, "-m", "data_model", "create-user", "--db", url, *args],
        cwd=ROOT,
        env=env,
        input=typed,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_create_user_command_reads_the_password_from_the_environment(tmp_path):
    url = f"sqlite:///{tmp_path / 'first-run.db'}"
    done = create_user_cli(url, "--role", "admin", "--name", "王管理", "chief", password=PASSWORD)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "已创建账号「chief」（管理员）", "")
    again = create_user_cli(url, "--role", "root", "chief", password=PASSWORD)
    assert (again.returncode, again.stderr.splitlines()[0]) == (
        1,
        "未创建账号：角色「root」不存在，应为：leader（领导）、staff（工作人员）、evaluator（评价人员）、admin（管理员）",
    )


def test_create_user_command_asks_twice_and_refuses_a_mismatch(tmp_path):
    url = f"sqlite:///{tmp_path / 'first-run.db'}"
    mismatch = create_user_cli(url, "--role", "staff", "clerk", typed=f"{PASSWORD}\nsomething-else\n")
    assert (mismatch.returncode, mismatch.stderr.splitlines()[-1]) == (1, "两次输入的密码不一致，未创建账号")
    typed = create_user_cli(url, "--role", "staff", "clerk", typed=f"{PASSWORD}\n{PASSWORD}\n")
    assert (typed.returncode, typed.stdout.splitlines()[-1]) == (0, "已创建账号「clerk」（工作人员）")
