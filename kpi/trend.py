"""总览's pictures as data: where the points come from (by 一级指标, and the budget), and the total score month by
month through the year. Pure, no Streamlit; kpi.charts draws them."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from data_model.models import Project
from kpi.assessment import Standing, standing
from kpi.drilldown import groups
from kpi.evaluate import Evaluation, evaluated
from kpi.queries import sharing
from kpi.spending import month_ends

BUDGET = "预算执行率"  # the budget's part of the total, beside the 一级指标


@dataclass(frozen=True)
class Part:
    """One part of the total: an 一级指标's indicators, or the budget's execution rate."""

    name: str
    score: float  # achieved
    weight: float  # available

    @property
    def budget(self) -> bool:
        return self.name == BUDGET


def composition(ev: Evaluation) -> list[Part]:
    """The points achieved against the points available: the budget's, then each 一级指标's in table order."""
    budget = Part(BUDGET, ev.budget.score, ev.budget.weight)
    return [budget] + [Part(group.level1, group.score, group.weight) for group in groups(ev)]


@dataclass(frozen=True)
class MonthTotal:
    month: int
    as_of: date  # the month's end, or the as-of date itself in its month
    total: float
    grade: str
    provisional: bool  # 暂定: an indicator awaited judgment at that date (kpi.assessment.standing)


def monthly_totals(session: Session, project: Project, as_of: date) -> list[MonthTotal]:
    """The total score and grade as of each month end up to `as_of`, each computed exactly as the overview's
    own total is at that date; the sums of every month end come from one query per table (kpi.queries.sharing)."""
    days = month_ends(project.year, as_of)
    out = []
    with sharing(session, series=days):
        for day in days:
            ev = evaluated(session, project, day)
            pending = standing(project, ev) is Standing.PENDING
            out.append(MonthTotal(day.month, day, ev.total_score, ev.grade, pending))
    return out
