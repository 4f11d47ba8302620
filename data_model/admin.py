"""Administration: accounts, a project's weights and cost rule, new projects. Each change is audited.

Every function takes the acting admin's username as `by`, refuses bad input with a Chinese message
before writing anything, and commits the change together with its audit entry.
"""

from dataclasses import dataclass

from sqlalchemy import case, func
from sqlmodel import Session, select

from data_model import audit
from data_model.assessment import reopen
from data_model.auth import ROLES, AuthError, hash_password, unlock
from data_model.models import BudgetLine, Indicator, Project, User
from data_model.projects import create_project
from data_model.sessions import end_sessions
from kpi.metrics import METRICS
from kpi.scoring import WeightError, check_weights

# How a reverse (≤, <) indicator that misses its target scores (Project.cost_rule).
COST_RULES = {
    "ratio": ("比例法", "得分 = 分值 × 目标值 ÷ 实际值"),
    "deviation": ("偏离度法", "得分 = 分值 × max(0, 2 − 实际值 ÷ 目标值)"),
}
MANUAL_KEYS = tuple(m.key for m in METRICS if m.kind.manual)


class SettingError(ValueError):
    """A project setting that cannot be used; the message is Chinese."""


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


def _save(session: Session, by: str, action: str, detail: str, *rows, project_id: int | None = None) -> None:
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
    _save(session, by, "role_change", f"用户「{username}」的角色由{ROLES[before]}改为{ROLES[role]}", user)


def reset_password(session: Session, username: str, password: str, *, by: str) -> None:
    user = _user(session, username)
    user.password_hash = hash_password(password)
    unlock(session, username)
    end_sessions(user)
    _save(session, by, "password_reset", f"重置用户「{username}」的密码（并解除锁定）", user)


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
    _save(session, by, "user_disable" if disabled else "user_enable", f"{'停用' if disabled else '启用'}用户「{username}」", user)


def indicators(session: Session, project: Project) -> list[Indicator]:
    return list(session.exec(select(Indicator).where(Indicator.project_id == project.id).order_by(Indicator.seq)).all())


def set_weights(session: Session, project: Project, weights: dict[int, float], *, by: str) -> None:
    """Set the 分值 of the project's indicators, by 序号; refused unless they and the budget's 10 make 100."""
    project = session.get(Project, project.id)
    table = indicators(session, project)
    missing = [str(i.seq) for i in table if weights.get(i.seq) is None]
    if missing:
        raise WeightError(f"第 {'、'.join(missing)} 项指标没有填写分值")
    check_weights([weights[i.seq] for i in table])
    changed = [i for i in table if abs(i.weight - weights[i.seq]) > 0.005]
    if not changed:
        return
    detail = "修改分值：" + "；".join(f"{i.seq}. {i.level3} {i.weight:.2f} → {weights[i.seq]:.2f}" for i in changed)
    for indicator in changed:
        indicator.weight = weights[indicator.seq]
    detail += reopen(project)
    _save(session, by, "weights", detail, project, *changed, project_id=project.id)


def set_cost_rule(session: Session, project: Project, rule: str, *, by: str) -> None:
    if rule not in COST_RULES:
        raise SettingError(f"计分规则「{rule}」不存在，应为：{'、'.join(COST_RULES)}")
    project = session.get(Project, project.id)
    if rule == project.cost_rule:
        return
    project.cost_rule = rule
    detail = "成本指标未达成时的计分规则改为{}（{}）".format(*COST_RULES[rule]) + reopen(project)
    _save(session, by, "cost_rule", detail, project, project_id=project.id)


def import_project(session: Session, data: bytes, file_name: str, *, by: str) -> Project:
    """A new project from its performance-table workbook (ProjectRejected lists every problem)."""
    project = create_project(session, data)
    _save(session, by, "project_import", f"从「{file_name}」导入项目「{project.name}」（{project.year} 年度）", project_id=project.id)
    return project


@dataclass(frozen=True)
class ProjectSummary:
    project: Project
    indicators: int
    manual: int  # indicators whose actual staff enter by hand
    budget: float


def project_summaries(session: Session) -> list[ProjectSummary]:
    counts = (
        select(Indicator.project_id, func.count().label("n"), func.sum(case((Indicator.metric_key.in_(MANUAL_KEYS), 1), else_=0)).label("manual"))
        .group_by(Indicator.project_id).subquery()
    )
    budgets = select(BudgetLine.project_id, func.sum(BudgetLine.amount).label("total")).group_by(BudgetLine.project_id).subquery()
    rows = session.exec(
        select(Project, counts.c.n, counts.c.manual, budgets.c.total)
        .outerjoin(counts, counts.c.project_id == Project.id)
        .outerjoin(budgets, budgets.c.project_id == Project.id)
        .order_by(Project.year.desc(), Project.id.desc())
    ).all()
    return [ProjectSummary(p, n or 0, int(manual or 0), float(total or 0)) for p, n, manual, total in rows]
