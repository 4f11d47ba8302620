"""A project's settings: its weights and cost rule, and new projects from a performance table. Each change is
audited, and a change to what the self-assessment shows reopens a finalized one.

Every function takes the acting admin's username as `by` and refuses bad input with a Chinese message before
writing anything.
"""

from dataclasses import dataclass

from sqlalchemy import case, func
from sqlmodel import Session, select

from data_model.admin import indicators, save
from data_model.models import BudgetLine, Indicator, Project
from data_model.problems import UserError
from kpi.assessment import reopen_and_note
from kpi.manual import MANUAL_KEYS
from kpi.projects import create_project
from kpi.scoring import WeightError, check_weights

# How a reverse (≤, <) indicator that misses its target scores (Project.cost_rule).
COST_RULES = {
    "ratio": ("比例法", "得分 = 分值 × 目标值 ÷ 实际值"),
    "deviation": ("偏离度法", "得分 = 分值 × max(0, 2 − 实际值 ÷ 目标值)"),
}


class SettingError(UserError):
    """A project setting that cannot be used; the message is Chinese."""


def set_weights(session: Session, project: Project, weights: dict[int, float], *, by: str) -> None:
    """Set the 分值 of the project's indicators, by 序号; refused unless they and the budget's weight make 100."""
    project = session.get(Project, project.id)
    table = indicators(session, project)
    missing = [str(i.seq) for i in table if weights.get(i.seq) is None]
    if missing:
        raise WeightError(f"第 {'、'.join(missing)} 项指标没有填写分值")
    check_weights([weights[i.seq] for i in table], project.budget_weight)
    changed = [i for i in table if abs(i.weight - weights[i.seq]) > 0.005]
    if not changed:
        return
    detail = "修改分值：" + "；".join(f"{i.seq}. {i.level3} {i.weight:.2f} → {weights[i.seq]:.2f}" for i in changed)
    for indicator in changed:
        indicator.weight = weights[indicator.seq]
    detail += reopen_and_note(project)
    save(session, by, "weights", detail, project, *changed, project_id=project.id)


def set_cost_rule(session: Session, project: Project, rule: str, *, by: str) -> None:
    if rule not in COST_RULES:
        raise SettingError(f"计分规则「{rule}」不存在，应为：{'、'.join(COST_RULES)}")
    project = session.get(Project, project.id)
    if rule == project.cost_rule:
        return
    project.cost_rule = rule
    detail = "成本指标未达成时的计分规则改为{}（{}）".format(*COST_RULES[rule]) + reopen_and_note(project)
    save(session, by, "cost_rule", detail, project, project_id=project.id)


def import_project(session: Session, data: bytes, file_name: str, *, by: str) -> Project:
    """A new project from its performance-table workbook (WorkbookRejected lists every problem)."""
    project = create_project(session, data)
    save(
        session,
        by,
        "project_import",
        f"从「{file_name}」导入项目「{project.name}」（{project.year} 年度）",
        project_id=project.id,
    )
    return project


@dataclass(frozen=True)
class ProjectSummary:
    project: Project
    indicators: int
    manual: int  # indicators whose actual staff enter by hand
    budget: float
    inferred: int = 0  # indicators whose target had no operator: the one inferred awaits a person's confirmation


def project_summaries(session: Session) -> list[ProjectSummary]:
    counts = (
        select(
            Indicator.project_id,
            func.count().label("n"),
            func.sum(case((Indicator.metric_key.in_(MANUAL_KEYS), 1), else_=0)).label("manual"),
            func.sum(case((Indicator.operator_inferred, 1), else_=0)).label("inferred"),
        )
        .group_by(Indicator.project_id)
        .subquery()
    )
    budgets = (
        select(BudgetLine.project_id, func.sum(BudgetLine.amount).label("total"))
        .group_by(BudgetLine.project_id)
        .subquery()
    )
    rows = session.exec(
        select(Project, counts.c.n, counts.c.manual, budgets.c.total, counts.c.inferred)
        .outerjoin(counts, counts.c.project_id == Project.id)
        .outerjoin(budgets, budgets.c.project_id == Project.id)
        .order_by(Project.year.desc(), Project.id.desc())
    ).all()
    return [
        ProjectSummary(p, n or 0, int(manual or 0), float(total or 0), int(inferred or 0))
        for p, n, manual, total, inferred in rows
    ]
