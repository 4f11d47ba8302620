"""Manually reported indicators (计算口径 人工填报…): staff enter each month's actual by hand."""

from datetime import date

from sqlmodel import Session, select

from data_model import audit
from data_model.locks import locked_months, month_label
from data_model.models import Indicator, ManualValue, Project, utcnow
from data_model.problems import UserError
from data_model.sheets import MANUAL_METRICS
from kpi.metrics import METRICS

MANUAL_KEYS = tuple(m.key for m in METRICS if m.kind.manual)
assert MANUAL_KEYS == MANUAL_METRICS, "data_model.sheets.MANUAL_METRICS names the manual metrics for 指标填报"


class EntryRejected(UserError):
    """A monthly value that cannot be stored; the message is Chinese."""


def manual_indicators(session: Session, project: Project) -> list[Indicator]:
    return list(
        session.exec(
            select(Indicator)
            .where(Indicator.project_id == project.id, Indicator.metric_key.in_(MANUAL_KEYS))
            .order_by(Indicator.seq)
        ).all()
    )


def monthly_values(session: Session, indicator: Indicator) -> list[ManualValue]:
    return list(
        session.exec(
            select(ManualValue).where(ManualValue.indicator_id == indicator.id).order_by(ManualValue.month)
        ).all()
    )


def _scale(indicator: Indicator) -> float:
    # Staff type a percentage as written (95 for 95 %); the engine reads rates as fractions.
    return 100.0 if indicator.unit == "%" else 1.0


def enter_value(session: Session, indicator: Indicator, month: date, value: float, *, by: str) -> ManualValue:
    """Store (or correct) the indicator's actual for the month, given in the indicator's unit as written."""
    project = session.get(Project, indicator.project_id)
    month = date(month.year, month.month, 1)
    if indicator.metric_key not in MANUAL_KEYS:
        raise EntryRejected(f"指标「{indicator.level3}」的实际值由上传数据计算，不能人工填报")
    if month.year != project.year:
        raise EntryRejected(f"{month_label(month)}不在项目年度 {project.year} 年内")
    if month in locked_months(session, project.id):
        raise EntryRejected(f"{month_label(month)}已锁定，不能填报或修改；如需更正请联系管理员解锁")
    if value < 0:
        raise EntryRejected(f"填报值不能为负数，实际为 {value:g}")
    if indicator.unit == "%" and value > 100:
        raise EntryRejected(f"百分比应在 0 到 100 之间，实际为 {value:g}")
    row = session.exec(
        select(ManualValue).where(ManualValue.indicator_id == indicator.id, ManualValue.month == month)
    ).first()
    before = f"（原为 {shown(indicator, row.value)}）" if row else ""
    row = row or ManualValue(project_id=project.id, indicator_id=indicator.id, month=month, value=0.0, entered_by=by)
    row.value, row.entered_by, row.entered_at = value / _scale(indicator), by, utcnow()
    row.batch_id = None  # entered here now: undoing the batch that uploaded it leaves it be
    session.add(row)
    audit.record(
        session,
        by,
        "manual_value",
        f"填报「{indicator.level3}」{month_label(month)}：{shown(indicator, row.value)}{before}",
        project.id,
    )
    session.commit()
    return row


def shown(indicator: Indicator, value: float) -> str:
    """A stored monthly value as staff typed it: 95%, 12.5 人次."""
    number = f"{value * _scale(indicator):,.2f}".rstrip("0").rstrip(".")
    return f"{number}%" if indicator.unit == "%" else f"{number} {indicator.unit}".strip()
