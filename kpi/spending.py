"""预算执行 month by month: each budget line's spend against its budget and its pro-rata path, and its vouchers.

Pure data, no Streamlit; spend by month comes from one GROUP BY query.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from data_model.models import BudgetLine, Project
from kpi import monitoring
from kpi.monitoring import Light
from kpi.queries import SPENT_BY_LINE, Scope, daily
from kpi.sources import EXPENSES, Rows, rows


def against_elapsed(rate: float | None, elapsed: float) -> str:
    """预算执行率 against 序时进度, as a metric's delta: -3.47 个百分点（对比序时进度）."""
    return f"{((rate or 0.0) - elapsed) * 100:+.2f} 个百分点（对比序时进度）"


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_ends(year: int, as_of: date) -> list[date]:
    """The last day of each month of the project year up to `as_of`; the last one is `as_of` itself."""
    if as_of < date(year, 1, 1):
        return []
    last = min(as_of, date(year, 12, 31))
    return [month_end(year, m) for m in range(1, last.month)] + [last]


@dataclass(frozen=True)
class MonthSpend:
    month: int
    spent: float  # paid in the month (up to the as-of date)
    cumulative: float
    expected: float  # the budget × the share of the year elapsed at the month's end


@dataclass(frozen=True)
class LineSeries:
    name: str  # a budget line, or 合计
    planned: float
    spent: float
    expected: float  # the pro-rata spend at the as-of date (序时应支出)
    execution_rate: float | None
    light: Light
    status: str  # 正常 / 关注 / 预警 against the pro-rata path, or 超支
    overrun: float  # spent beyond the budget, 0 when within it
    months: list[MonthSpend]


TOTAL = "合计"


def _line_series(
    name: str, planned: float, paid: dict[int, float], days: list[date], year: int, share: float
) -> LineSeries:
    months, cumulative = [], 0.0
    for day in days:
        cumulative += paid.get(day.month, 0.0)
        months.append(
            MonthSpend(day.month, paid.get(day.month, 0.0), cumulative, planned * monitoring.elapsed_share(day, year))
        )
    rate = cumulative / planned if planned else None
    overrun = max(0.0, cumulative - planned)
    watch = monitoring.monitor(rate, 1.0, reverse=False, cumulative=True, share=share, met=(rate or 0) >= 1)
    if overrun > 0.005:
        return LineSeries(name, planned, cumulative, planned * share, rate, Light.RED, "超支", overrun, months)
    return LineSeries(
        name,
        planned,
        cumulative,
        planned * share,
        rate,
        monitoring.LEVEL_LIGHTS[watch.level],
        monitoring.LEVEL_LABELS[watch.level],
        0.0,
        months,
    )


def budget_series(session: Session, project: Project, as_of: date) -> list[LineSeries]:
    """The whole budget (合计) first, then each line: spend by month against the budget and its pro-rata path."""
    lines = session.execute(
        select(BudgetLine.name, BudgetLine.amount).where(BudgetLine.project_id == project.id).order_by(BudgetLine.seq)
    ).all()
    paid: dict[str, dict[int, float]] = {}
    for line, total, day in daily(
        session, SPENT_BY_LINE, Scope(project.id, project.year, as_of)
    ):  # by day, then by month here
        by_month = paid.setdefault(line, {})
        by_month[day.month] = by_month.get(day.month, 0.0) + float(total)
    days, share = month_ends(project.year, as_of), monitoring.elapsed_share(as_of, project.year)
    everything: dict[int, float] = {}
    for by_month in paid.values():
        for m, total in by_month.items():
            everything[m] = everything.get(m, 0.0) + total
    total = _line_series(TOTAL, sum(amount for _, amount in lines), everything, days, project.year, share)
    return [total] + [
        _line_series(name, amount, paid.get(name, {}), days, project.year, share) for name, amount in lines
    ]


def expenses(session: Session, project: Project, as_of: date, line: str, month: int | None = None) -> Rows:
    """The payments booked against a budget line (every line for 合计), each with its upload batch."""
    return rows(session, EXPENSES, Scope(project.id, project.year, as_of, None if line == TOTAL else line), month)
