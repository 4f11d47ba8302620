"""What the overview and 指标详情 show beyond the evaluation: warnings, groups, monthly series, sites, breakdowns.

Pure data, no Streamlit. A monthly series is the indicator evaluated at each month end, so every point
is computed exactly as the year-end number is.
"""

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from sqlalchemy import select
from sqlmodel import Session

from data_model.models import Indicator, Judgment, MediationSite, Project
from kpi import monitoring, scoring
from kpi.evaluate import Evaluation, IndicatorResult, evaluate_indicator, target_of
from kpi.formatting import percent
from kpi.metrics import REGISTRY
from kpi.monitoring import Level, Light, light_label
from kpi.queries import Measure, Scope, sharing
from kpi.scoring import Status
from kpi.sources import Breakdown, Rows, breakdowns, manual_rows, rows
from kpi.spending import LineSeries, budget_series, month_ends


def value_text(metric_key: str, value: float | None, unit: str) -> str:
    """An expected or forecast value of an indicator: a rate in percent, anything else not rounded to a whole count."""
    return REGISTRY[metric_key].kind.value_text(value, unit)


# The overview.


def light_counts(ev: Evaluation) -> dict[str, int]:
    return {light: sum(1 for r in ev.indicators if r.light == light) for light in Light}


def light_text(r: IndicatorResult) -> str:
    """The status as the tables show it: 🟢 达成, 🔴 预警, ⚪ 待评定 for a qualitative indicator not yet judged,
    ⚪ 不适用 for one left out."""
    named = r.status in (Status.PENDING, Status.NOT_APPLICABLE)
    return light_label(r.light, scoring.STATUS_LABELS[r.status] if named else None)


def progress(r: IndicatorResult) -> float | None:
    """完成度: the share of the indicator's points earned so far; None while there is nothing to score."""
    if r.status in (Status.NO_DATA, Status.PENDING, Status.NOT_APPLICABLE) or not r.weight:
        return None
    return r.score / r.weight


@dataclass(frozen=True)
class Group:
    level1: str  # 一级指标
    score: float
    weight: float
    indicators: list[IndicatorResult]  # in table order, so their 二级指标 run together


def groups(ev: Evaluation) -> list[Group]:
    """The indicators by 一级指标, in table order, with the points each group has earned."""
    out = []
    for level1, found in groupby(ev.indicators, key=lambda r: r.level1):
        rows = list(found)
        out.append(Group(level1, sum(r.score for r in rows), sum(r.weight for r in rows), rows))
    return out


@dataclass(frozen=True)
class EarlyWarning:
    """One line of the early-warning list: behind its in-year path (pro rata or planned), or off its target."""

    seq: int | None  # None for 预算执行率
    name: str
    light: Light
    actual: str
    expected: str  # 应达到: the in-year path (pro rata or planned), or the target itself
    forecast: str  # 年末预测 at the current pace
    gap: float  # relative shortfall (or overrun, for unit costs) against `expected`


def behind_pace(ev: Evaluation) -> list[EarlyWarning]:
    """关注 and 预警 items of the in-year monitoring, 预警 first."""
    out = []
    budget = ev.budget.monitoring
    if budget.level in (Level.WATCH, Level.WARNING):
        out.append(
            EarlyWarning(
                None,
                "预算执行率",
                monitoring.LEVEL_LIGHTS[budget.level],
                percent(ev.budget.execution_rate),
                percent(budget.expected),
                percent(budget.forecast),
                budget.gap or 0.0,
            )
        )
    for r in ev.indicators:
        watch = r.monitoring
        if watch is None or watch.level not in (Level.WATCH, Level.WARNING):
            continue
        actual = REGISTRY[r.metric_key].kind.monitored(Measure(r.actual, r.numerator, r.denominator))
        out.append(
            EarlyWarning(
                r.seq,
                r.level3,
                r.light,
                value_text(r.metric_key, actual, r.unit),
                value_text(r.metric_key, watch.expected, r.unit),
                value_text(r.metric_key, watch.forecast, r.unit),
                watch.gap or 0.0,
            )
        )
    return sorted(out, key=lambda w: (w.light != Light.RED, w.seq or 0))


# 指标详情.


@dataclass(frozen=True)
class Point:
    month: int
    as_of: date
    actual: float | None
    expected: float | None  # the in-year path (pro rata, or by plan for milestones), for cumulative indicators
    light: Light


@dataclass(frozen=True)
class Series:
    metric_key: str
    unit: str
    target: float  # the target line, on the actual's scale (1.0 for 100 %)
    target_label: str
    cumulative: bool
    rate: bool  # shown in percent
    points: list[Point]
    path: str  # what the expected values are called: 序时应达, or 按计划应达 for milestones


def _indicator(session: Session, project: Project, seq: int) -> Indicator:
    found = session.execute(select(Indicator).where(Indicator.project_id == project.id, Indicator.seq == seq)).scalar()
    if found is None:
        raise LookupError(f"项目中没有序号为 {seq} 的指标")
    return found


def indicator_series(session: Session, project: Project, ind: Indicator, as_of: date) -> Series | None:
    """The indicator at each month end up to `as_of`; None for a judged indicator, which has no series."""
    kind = REGISTRY[ind.metric_key].kind
    target = kind.series_target(target_of(ind))
    if target is None:
        return None
    judgment = session.execute(select(Judgment).where(Judgment.indicator_id == ind.id)).scalar()
    points, days = [], month_ends(project.year, as_of)
    with sharing(session, series=days):  # a table's sums for all the month ends come from one query
        for day in days:
            r = evaluate_indicator(session, project, ind, day, monitoring.elapsed_share(day, project.year), judgment)
            expected = r.monitoring.expected if kind.cumulative and r.monitoring else None
            points.append(Point(day.month, day, r.actual, expected, r.light))
    return Series(
        ind.metric_key, ind.unit, *target, kind.cumulative, kind.in_percent(ind.unit), points, kind.expected_words
    )


@dataclass(frozen=True)
class SitePlan:
    name: str
    site_type: str
    area: str
    planned_on: date
    completed_on: date | None  # None until completed, as of the date asked
    status: str
    light: Light


def site_schedule(session: Session, project: Project, as_of: date) -> list[SitePlan]:
    """Every mediation site with its planned and actual completion dates, as seen on `as_of`."""
    sites = session.execute(
        select(MediationSite)
        .where(MediationSite.project_id == project.id)
        .order_by(MediationSite.planned_on, MediationSite.name)
    ).scalars()
    out = []
    for site in sites:
        done = site.completed_on if site.completed_on and site.completed_on <= as_of else None
        if done:
            status, light = ("按期建成", Light.GREEN) if done <= site.planned_on else ("逾期建成", Light.RED)
        else:
            status, light = ("逾期未建成", Light.RED) if site.planned_on <= as_of else ("未到计划日期", Light.GREY)
        out.append(SitePlan(site.name, site.site_type, site.area, site.planned_on, done, status, light))
    return out


def category_label(header: str, value: str) -> str:
    """How a category reads in a chart and a filter: 片区：北片."""
    return f"{header}：{value}"


@dataclass(frozen=True)
class Detail:
    series: Series | None
    breakdowns: list[Breakdown]
    sites: list[SitePlan]  # only for indicators counting mediation sites
    budget_line: LineSeries | None  # a unit cost's budget line, spent by month

    @property
    def categories(self) -> dict[str, tuple[str, str, str]]:
        """Every category a click or the filter can narrow the source rows to: label -> (sheet, header, value)."""
        found = {
            category_label(b.header, name): (b.sheet, b.header, name) for b in self.breakdowns for name, _ in b.items
        }
        return found | {category_label("阵地名称", s.name): ("调解阵地", "阵地名称", s.name) for s in self.sites}


def detail(session: Session, project: Project, as_of: date, seq: int) -> Detail:
    ind = _indicator(session, project, seq)
    scope = Scope(project.id, project.year, as_of, ind.budget_line)
    sources = REGISTRY[ind.metric_key].sources
    counts_sites = any(source.sheet == "调解阵地" for source in sources)
    line = (
        next((s for s in budget_series(session, project, as_of) if s.name == ind.budget_line), None)
        if ind.budget_line
        else None
    )
    return Detail(
        series=indicator_series(session, project, ind, as_of),
        breakdowns=breakdowns(session, sources, scope),
        sites=site_schedule(session, project, as_of) if counts_sites else [],
        budget_line=line,
    )


def rows_behind(
    session: Session,
    project: Project,
    as_of: date,
    seq: int,
    month: int | None = None,
    category: tuple[str, str, str] | None = None,
) -> list[Rows]:
    """The records the indicator's number was computed from, each with its upload batch
    (or, entered by hand, who and when)."""
    ind = _indicator(session, project, seq)
    scope = Scope(project.id, project.year, as_of, ind.budget_line, ind.id)
    metric = REGISTRY[ind.metric_key]
    if metric.kind.manual:
        return [manual_rows(session, scope, ind.unit, month)]
    return [rows(session, source, scope, month, category) for source in metric.sources]
