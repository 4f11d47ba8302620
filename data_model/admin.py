"""Administration: accounts, and the audited commit every admin change goes through.

Every function takes the acting admin's username as `by`, refuses bad input with a Chinese message
before writing anything, and commits the change together with its audit entry.
"""

from sqlalchemy import func
from sqlmodel import Session, select

from data_model import audit
from data_model.auth import ROLES, AuthError, hash_password, unlock
from data_model.models import Indicator, Project, User
from data_model.sessions import end_sessions


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.role, User.username)).all())


def _user(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise AuthError(f"用户「{username}」不存在")
    return user


def _keep_an_admin(session: Session, user: User) -> None:
    """Refuse to take away the last usable admin account: nobody could manage users any more."""
    others = session.exec(
        select(func.count()).select_from(User).where(User.role == "admin", User.disabled.is_(False), User.id != user.id)
    ).one()
    if user.role == "admin" and not user.disabled and not others:
        raise AuthError("至少需要保留一个可用的管理员账号")


def save(session: Session, by: str, action: str, detail: str, *rows, project_id: int | None = None) -> None:
    """Add the rows and the audit entry for them, and commit both."""
    for row in rows:
        session.add(row)
    audit.record(session, by, action, detail, project_id)
    session.commit()


def change_role(session: Session, username: str, role: str, *, by: str) -> None:
    user = _user(session, username)
    if role not in ROLES:
        raise AuthError(f"角色「{role}」不存在")
    if role == user.role:
        return
    if role != "admin":
        _keep_an_admin(session, user)
    before, user.role = user.role, role
    end_sessions(user)  # the new role applies from the next sign-in
    save(session, by, "role_change", f"用户「{username}」的角色由{ROLES[before]}改为{ROLES[role]}", user)


def reset_password(session: Session, username: str, password: str, *, by: str) -> None:
    user = _user(session, username)
    user.password_hash = hash_password(password)
    unlock(session, username)
    end_sessions(user)
    save(session, by, "password_reset", f"重置用户「{username}」的密码（并解除锁定）", user)


def set_disabled(session: Session, username: str, disabled: bool, *, by: str) -> None:
    user = _user(session, username)
    if disabled == user.disabled:
        return
    if disabled:
        if username == by:
            raise AuthError("不能停用自己的账号")
        _keep_an_admin(session, user)
        end_sessions(user)
    user.disabled = disabled
    save(
        session,
        by,
        "user_disable" if disabled else "user_enable",
        f"{'停用' if disabled else '启用'}用户「{username}」",
        user,
    )


def indicators(session: Session, project: Project) -> list[Indicator]:
    return list(session.exec(select(Indicator).where(Indicator.project_id == project.id).order_by(Indicator.seq)).all())
