"""Accounts: argon2 password hashes, the four roles, and lockout after repeated failures
(per name and client address)."""

import hashlib
import hmac
import math
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from data_model import audit
from data_model.models import LoginThrottle, User
from data_model.problems import UserError
from data_model.sessions import secret_key

ROLES = {"leader": "领导", "staff": "工作人员", "evaluator": "评价人员", "admin": "管理员"}
MAX_FAILURES = 5  # wrong passwords in a row for one name from one address lock that pair …
ADDRESS_FAILURES = 20  # … and failed logins in a row from one address, whatever the names, lock the address
LOCKOUT = timedelta(minutes=15)
LOCKED = f"密码连续错误 {MAX_FAILURES} 次，账号已锁定，请 {{minutes}} 分钟后再试"
ADDRESS_LOCKED = "登录失败次数过多，请 {minutes} 分钟后再试"
MIN_PASSWORD = 8
# The sample mode's demo accounts; their passwords are stated in the README and nowhere else used.
DEMO_USERS = (
    ("leader", "演示领导", "leader", "leader-demo-2024"),
    ("staff", "演示工作人员", "staff", "staff-demo-2024"),
    ("evaluator", "演示评价人员", "evaluator", "evaluator-demo-2024"),
    ("admin", "演示管理员", "admin", "admin-demo-2024"),
)

_hasher = PasswordHasher()


class AuthError(UserError):
    """A refused login or account change; the message is Chinese and safe to show."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


def display_names(session: Session) -> dict[str, str]:
    """Each account's 姓名 by its user name, for the forms and screens that name a person."""
    return {u.username: u.display_name for u in session.exec(select(User)) if u.display_name}


def named(names: dict[str, str], username: str | None) -> str:
    """The person behind a user name, by their 姓名 (the user name when no account has one: 示例数据, a deleted one)."""
    return names.get(username or "", username or "")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"密码至少需要 {MIN_PASSWORD} 位")
    return _hasher.hash(password)


def create_user(
    session: Session, username: str, password: str, role: str, display_name: str = "", *, by: str = "系统"
) -> User:
    username = username.strip()
    if not username:
        raise AuthError("用户名不能为空")
    if role not in ROLES:
        raise AuthError(f"角色「{role}」不存在，应为：{'、'.join(f'{k}（{v}）' for k, v in ROLES.items())}")
    if session.exec(select(User).where(User.username == username)).first():
        raise AuthError(f"用户名「{username}」已被使用")
    user = User(
        username=username, display_name=display_name or username, role=role, password_hash=hash_password(password)
    )
    session.add(user)
    audit.record(session, by, "user_create", f"创建用户「{username}」，角色：{ROLES[role]}")
    session.commit()
    return user


def _check(user: User | None, password: str) -> bool:
    """Whether the password is the account's. An unknown name costs one hash as well, so timing reveals nothing."""
    if user is None:
        _hasher.hash(password or "-")
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _digest(name: str) -> str:
    """A keyed hash of a typed user name: what is counted and logged instead of a name that may be a password."""
    return hmac.new(secret_key(), name.encode(), hashlib.sha256).hexdigest()


def _lock_message(session: Session, digest: str, address: str, now: datetime) -> str | None:
    """Why the name may not sign in from this address now, if a lock is in force: its own lock, else the address's."""
    rows = session.exec(
        select(LoginThrottle).where(
            LoginThrottle.address == address,
            LoginThrottle.name_digest.in_([digest, ""]),
            LoginThrottle.locked_until > now,
        )
    ).all()
    for row in sorted(rows, key=lambda r: r.name_digest == ""):
        # At most LOCKOUT: another process may have set the lock after this attempt took its `now`.
        minutes = min(math.ceil((audit.aware(row.locked_until) - now).total_seconds() / 60), LOCKOUT.seconds // 60)
        return (LOCKED if row.name_digest else ADDRESS_LOCKED).format(minutes=minutes)
    return None


def _count_failure(session: Session, digest: str, address: str) -> int:
    """Add one failure to the key and return the new count, in one statement: failures sent at once all count."""
    table = LoginThrottle.__table__
    upsert = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}[session.get_bind().dialect.name]
    statement = (
        upsert(table)
        .values(name_digest=digest, address=address, failures=1)
        .on_conflict_do_update(index_elements=["name_digest", "address"], set_={"failures": table.c.failures + 1})
        .returning(table.c.failures)
    )
    return session.execute(statement).scalar_one()


def _lock(session: Session, digest: str, address: str, until: datetime) -> None:
    session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.name_digest == digest, LoginThrottle.address == address)
        .values(failures=0, locked_until=until)
    )


def _refuse(session: Session, name: str, digest: str, address: str, user: User | None, now: datetime) -> AuthError:
    """Count a failed login for the name and for the address, lock either at its limit, and log it;
    the caller raises."""
    label = user.username if user else (f"（未知用户名）{digest[:8]}" if name else "（空）")
    source = f"，来自 {address}" if address else ""
    failures = _count_failure(session, digest, address)
    from_address = _count_failure(session, "", address)
    refused = AuthError("用户名或密码不正确")
    if failures >= MAX_FAILURES:
        _lock(session, digest, address, now + LOCKOUT)
        audit.record(
            session, label, "lockout", f"密码连续错误 {MAX_FAILURES} 次，锁定 {LOCKOUT.seconds // 60} 分钟{source}"
        )
        refused = AuthError(LOCKED.format(minutes=LOCKOUT.seconds // 60))
    else:
        audit.record(
            session, label, "login_failed", f"{'密码错误' if user else '用户名不存在'}（第 {failures} 次{source}）"
        )
    if from_address >= ADDRESS_FAILURES:
        _lock(session, "", address, now + LOCKOUT)
        audit.record(
            session,
            label,
            "lockout",
            f"同一地址连续登录失败 {ADDRESS_FAILURES} 次，该地址锁定 {LOCKOUT.seconds // 60} 分钟{source}",
        )
        if failures < MAX_FAILURES:
            refused = AuthError(ADDRESS_LOCKED.format(minutes=LOCKOUT.seconds // 60))
    session.commit()
    return refused


def authenticate(
    session: Session, username: str, password: str, now: datetime | None = None, address: str = ""
) -> User:
    """The user, if the password is right; otherwise AuthError, counting the failure toward a lockout.

    A name and a client address (`address`, "" when unknown) are locked for LOCKOUT after MAX_FAILURES failures
    in a row, and the address as a whole after ADDRESS_FAILURES, whatever the names. Unknown names are counted,
    answered and timed like accounts: the same messages, one password hash each, and the same lockout."""
    now = now or _now()
    name = username.strip()
    user = session.exec(select(User).where(User.username == name)).first()
    right = _check(user, password)
    digest = _digest(name)
    if locked := _lock_message(session, digest, address, now):  # read after the hash: a lock set meanwhile holds
        raise AuthError(locked)
    if not right:
        raise _refuse(session, name, digest, address, user, now)
    if user.disabled:  # said only to whoever knows the password
        raise AuthError("账号已停用，请联系管理员")
    session.execute(
        delete(LoginThrottle).where(LoginThrottle.address == address, LoginThrottle.name_digest.in_([digest, ""]))
    )
    audit.record(session, user.username, "login", "登录成功")
    session.commit()
    return user


def unlock(session: Session, username: str) -> None:
    """Lift the name's locks and failure counts from every address; the caller commits."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.name_digest == _digest(username)))


def locked_until(session: Session, username: str, now: datetime | None = None) -> datetime | None:
    """Until when the name is locked from some address, if it is."""
    until = session.exec(
        select(func.max(LoginThrottle.locked_until)).where(
            LoginThrottle.name_digest == _digest(username),
            LoginThrottle.locked_until > (now or _now()),
        )
    ).one()
    return audit.aware(until)


def ensure_demo_users(session: Session) -> list[str]:
    """Create the missing demo accounts; returns the usernames created."""
    created = []
    for username, name, role, password in DEMO_USERS:
        if session.exec(select(User).where(User.username == username)).first() is None:
            create_user(session, username, password, role, name)
            created.append(username)
    return created
