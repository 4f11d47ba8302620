"""Accounts: argon2 password hashes, the four roles, and lockout after repeated failures."""

import math
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from data_model import audit
from data_model.models import User

ROLES = {"leader": "领导", "staff": "工作人员", "evaluator": "评价人员", "admin": "管理员"}
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 8
# The sample mode's demo accounts; their passwords are stated in the README and nowhere else used.
DEMO_USERS = (
    ("leader", "演示领导", "leader", "leader-demo-2024"),
    ("staff", "演示工作人员", "staff", "staff-demo-2024"),
    ("evaluator", "演示评价人员", "evaluator", "evaluator-demo-2024"),
    ("admin", "演示管理员", "admin", "admin-demo-2024"),
)

_hasher = PasswordHasher()


class AuthError(Exception):
    """A refused login or account change; the message is Chinese and safe to show."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"密码至少需要 {MIN_PASSWORD} 位")
    return _hasher.hash(password)


def create_user(session: Session, username: str, password: str, role: str, display_name: str = "", *, by: str = "系统") -> User:
    username = username.strip()
    if not username:
        raise AuthError("用户名不能为空")
    if role not in ROLES:
        raise AuthError(f"角色「{role}」不存在，应为：{'、'.join(f'{k}（{v}）' for k, v in ROLES.items())}")
    if session.exec(select(User).where(User.username == username)).first():
        raise AuthError(f"用户名「{username}」已被使用")
    user = User(username=username, display_name=display_name or username, role=role, password_hash=hash_password(password))
    session.add(user)
    audit.record(session, by, "user_create", f"创建用户「{username}」，角色：{ROLES[role]}")
    session.commit()
    return user


def _locked(locked_until: datetime, now: datetime) -> AuthError:
    minutes = math.ceil((locked_until - now).total_seconds() / 60)
    return AuthError(f"密码连续错误 {MAX_FAILURES} 次，账号已锁定，请 {minutes} 分钟后再试")


def authenticate(session: Session, username: str, password: str, now: datetime | None = None) -> User:
    """The user, if the password is right; otherwise AuthError, counting the failure toward a lockout."""
    now = now or _now()
    user = session.exec(select(User).where(User.username == username.strip())).first()
    refused = AuthError("用户名或密码不正确")
    if user is None:
        _hasher.hash(password or "-")  # the same work as a real check, so timing reveals nothing
        audit.record(session, username.strip() or "（空）", "login_failed", "用户名不存在")
        session.commit()
        raise refused
    locked_until = audit.aware(user.locked_until)
    if locked_until and locked_until > now:
        raise _locked(locked_until, now)
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_attempts += 1
        if user.failed_attempts >= MAX_FAILURES:
            user.locked_until, user.failed_attempts = now + LOCKOUT, 0
            audit.record(session, user.username, "lockout", f"密码连续错误 {MAX_FAILURES} 次，锁定 {LOCKOUT.seconds // 60} 分钟")
            session.commit()
            raise _locked(now + LOCKOUT, now) from None
        audit.record(session, user.username, "login_failed", f"密码错误（第 {user.failed_attempts} 次）")
        session.commit()
        raise refused from None
    if user.disabled:  # said only to whoever knows the password
        raise AuthError("账号已停用，请联系管理员")
    user.failed_attempts, user.locked_until = 0, None
    audit.record(session, user.username, "login", "登录成功")
    session.commit()
    return user


def ensure_demo_users(session: Session) -> list[str]:
    """Create the missing demo accounts; returns the usernames created."""
    created = []
    for username, name, role, password in DEMO_USERS:
        if session.exec(select(User).where(User.username == username)).first() is None:
            create_user(session, username, password, role, name)
            created.append(username)
    return created
