"""The aggregate SQL behind the metrics (kpi.metrics): one function per metric computing its actual value.

Only records dated on or before the as-of date count. A unit cost, rate or share whose numerator or denominator is
still 0 has no actual value: nothing spent yet is never "met at 0 元", nothing counted yet is no share.
Several metrics read the same table: inside `sharing(session)` (evaluate() uses it) each table's
aggregates are computed by one query per project and date, whatever the number of metrics reading them;
inside `sharing(session, series=days)` (a monthly chart) the additive ones by one query for all the days, and
every other one by one query too, the statement at each of the days joined with UNION ALL.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, wraps
from typing import NamedTuple

from sqlalchemy import ColumnElement, Select, and_, bindparam, case, func, literal_column, or_, select, union_all
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.visitors import replacement_traverse
from sqlmodel import Session

from data_model.models import (
    CaseSubsidy,
    Complaint,
    EquipmentIssue,
    Expense,
    LaborStat,
    LegalEvent,
    ManualValue,
    Mechanism,
    MediationSite,
    PlatformMaintenance,
    SurveyResponse,
)


@dataclass(frozen=True)
class Scope:
    project_id: int
    year: int
    as_of: date
    budget_line: str | None = None  # for cost metrics: the line whose spend is divided
    indicator_id: int | None = None  # for manually reported metrics: whose monthly values to read


class Plan(NamedTuple):
    """Where a count of milestones with planned dates stands against its plan on the as-of date."""

    due: float  # planned on or before the date
    foreseen: float  # done by then, or planned after it: the year's count should the rest keep to plan


@dataclass(frozen=True)
class Measure:
    actual: float | None
    numerator: float | None = None
    denominator: float | None = None
    plan: Plan | None = None  # for a count of milestones with planned dates (kpi.kinds.Milestone)


# Every query is built once, here, with the scope's values as bound parameters: executing a prepared
# statement skips building it and hits SQLAlchemy's compiled cache, which keeps the Python cost of
# evaluating 20 indicators small beside the SQL itself.
_PROJECT, _AS_OF = bindparam("project_id"), bindparam("as_of")


def _execute(session: Session, statement, scope: Scope, **values):
    """Run a prepared statement for the scope's project and date (and any further parameters) on the
    session's connection: these queries read columns, never entities, so the ORM's execution layer is
    skipped, all but its autoflush, which lets unsaved changes count as they would otherwise."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, {"project_id": scope.project_id, "as_of": scope.as_of, **values})


def _rows(session: Session, statement, scope: Scope, **values) -> list[tuple]:
    """The statement's rows for the scope. Inside `sharing(session, series=days)`, on one of the days, the rows of
    every day come from one query (`_each_day`), so that a monthly chart pays one round trip for each such
    statement, not one per month end."""
    series = session.info.get(_SERIES, frozenset())
    if scope.as_of not in series:
        return [tuple(row) for row in _execute(session, statement, scope, **values)]
    key = (statement, scope.project_id, scope.year, tuple(sorted(values.items())))
    by_day = _memoised(session, key, lambda: _rows_each_day(session, statement, scope, sorted(series), values))
    return by_day[scope.as_of]


def _rows_each_day(session: Session, statement, scope: Scope, days: list[date], values: dict) -> dict[date, list]:
    dates = {f"{_AS_OF.key}_{i}": day for i, day in enumerate(days)}
    by_day: dict[date, list] = {day: [] for day in days}
    for i, *row in _execute(session, _each_day(statement, len(days)), scope, **dates, **values):
        by_day[days[i]].append(tuple(row))
    return by_day


@cache
def _each_day(statement: Select, days: int) -> Select:
    """`statement` at each of `days` dates (bound as as_of_0, as_of_1, …) as one query: rows (i, *its columns).
    Built once per statement and number of days, as the statements themselves are."""

    def at(i: int) -> Select:
        def dated(element):
            if isinstance(element, BindParameter) and element.key == _AS_OF.key:
                return bindparam(f"{_AS_OF.key}_{i}", type_=element.type)
            return None

        one = replacement_traverse(statement, {}, dated).subquery()
        return select(literal_column(str(i)).label("day"), *one.c)

    return union_all(*map(at, range(days)))


def _one(session: Session, statement, scope: Scope, **values) -> tuple[float, ...]:
    [row] = _rows(session, statement, scope, **values)
    return tuple(float(v or 0) for v in row)


def _latest_value(session: Session, statement, scope: Scope, **values):
    """The one value of a `_latest` statement, None when there is no row."""
    rows = _rows(session, statement, scope, **values)
    return rows[0][0] if rows else None


def _ratio(numerator: float, denominator: float) -> Measure:
    return Measure(numerator / denominator if numerator and denominator else None, numerator, denominator)


def _count(value: float) -> Measure:
    return Measure(value, value, None)


def _count_if(condition):
    return func.sum(case((condition, 1), else_=0))


_SHARED = "kpi.metrics.shared"
_SERIES = "kpi.metrics.series"


@contextmanager
def sharing(session: Session, series: Iterable[date] = ()) -> Iterator[None]:
    """Inside the block, each shared aggregate query runs once per project and as-of date. With `series`
    (say the month ends of a chart), the sums for all its dates come from one query grouped by day and
    added up, instead of one query per date."""
    session.info[_SHARED], session.info[_SERIES] = {}, frozenset(series)
    try:
        yield
    finally:
        del session.info[_SHARED], session.info[_SERIES]


def _key(name: str, scope: Scope) -> tuple:
    return name, scope.project_id, scope.year, scope.as_of


def _memoised(session: Session, key: tuple, compute: Callable[[], object]):
    """`compute()`, once per key inside `sharing`; every time outside it."""
    memo = session.info.get(_SHARED)
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def undated(session: Session, name: str, project_id: int, compute: Callable[[], object]):
    """`compute()` for rows that do not depend on the as-of date (the indicators, the budget lines): once per name
    and project inside `sharing`, so that a series of month ends loads them once; every time outside it."""
    return _memoised(session, (name, project_id), compute)


def _shared(query):
    """A table's aggregates for a scope's project and date, the same whatever its budget line or indicator."""

    @wraps(query)
    def run(session: Session, scope: Scope):
        return _memoised(session, _key(query.__name__, scope), lambda: query(session, scope))

    return run


@dataclass(frozen=True)
class Totals:
    """Sums and counts over a table's rows dated on or before the as-of date, by the statement's leading
    `keys` columns (its GROUP BY). They add up day by day, which is what lets a series share a query."""

    name: str
    statement: Select
    dated: ColumnElement  # the date column the as-of date applies to
    keys: int = 0

    @property
    def zeros(self) -> tuple[float, ...]:
        return (0.0,) * (len(self.statement.selected_columns) - self.keys)


def daily(session: Session, spec: Totals, scope: Scope) -> list:
    """The spec's sums by key and day, over the rows dated up to the scope's date: rows (*keys, *sums, day)."""
    return _execute(session, spec.statement.add_columns(spec.dated).group_by(spec.dated), scope).all()


def totals(session: Session, spec: Totals, scope: Scope) -> dict[tuple, tuple[float, ...]]:
    """key -> sums for the scope's project and date (key () when the statement has no GROUP BY)."""
    series = session.info.get(_SERIES, frozenset())
    if scope.as_of in series and _key(spec.name, scope) not in session.info[_SHARED]:
        _add_up_series(session, spec, scope, sorted(series))
    return _memoised(
        session,
        _key(spec.name, scope),
        lambda: {
            tuple(row[: spec.keys]): tuple(float(v or 0) for v in row[spec.keys :])
            for row in _execute(session, spec.statement, scope)
        },
    )


def _add_up_series(session: Session, spec: Totals, scope: Scope, days: list[date]) -> None:
    """Store the sums at each of `days` from one query by day up to the last of them."""
    running: dict[tuple, list[float]] = {}
    rows = iter(sorted(daily(session, spec, replace(scope, as_of=days[-1])), key=lambda row: row[-1]))
    row = next(rows, None)
    for day in days:
        while row is not None and row[-1] <= day:
            sums = running.setdefault(tuple(row[: spec.keys]), [0.0] * len(spec.zeros))
            for i, v in enumerate(row[spec.keys : -1]):
                sums[i] += float(v or 0)
            row = next(rows, None)
        session.info[_SHARED][_key(spec.name, replace(scope, as_of=day))] = {k: tuple(v) for k, v in running.items()}


def _sums(session: Session, spec: Totals, scope: Scope) -> tuple[float, ...]:
    return totals(session, spec, scope).get((), spec.zeros)


def spent(session: Session, scope: Scope, budget_line: str | None = None) -> float:
    by_line = spent_by_line(session, scope)
    return sum(by_line.values()) if budget_line is None else by_line.get(budget_line, 0.0)


SPENT_BY_LINE = Totals(
    "spent",
    select(Expense.budget_line, func.sum(Expense.amount))
    .where(Expense.project_id == _PROJECT, Expense.paid_on <= _AS_OF)
    .group_by(Expense.budget_line),
    Expense.paid_on,
    keys=1,
)


def spent_by_line(session: Session, scope: Scope) -> dict[str, float]:
    return {line: total for (line,), (total,) in totals(session, SPENT_BY_LINE, scope).items()}


# Each table's aggregates, one query each: counts, sums and the numerators of the rates.

_SUBSIDIES = Totals(
    "subsidies",
    select(func.sum(CaseSubsidy.persons), func.count()).where(
        CaseSubsidy.project_id == _PROJECT, CaseSubsidy.closed_on <= _AS_OF
    ),
    CaseSubsidy.closed_on,
)


class Subsidies(NamedTuple):
    persons: float  # 补贴人数合计
    cases: float  # 案件数


def _subsidies(session: Session, scope: Scope) -> Subsidies:
    return Subsidies(*_sums(session, _SUBSIDIES, scope))


_EQUIPMENT = Totals(
    "equipment",
    select(
        func.sum(EquipmentIssue.sets),
        func.sum(case((EquipmentIssue.acceptance == "合格", EquipmentIssue.sets), else_=0)),
    ).where(EquipmentIssue.project_id == _PROJECT, EquipmentIssue.issued_on <= _AS_OF),
    EquipmentIssue.issued_on,
)


class Equipment(NamedTuple):
    sets: float  # 发放套数
    passed: float  # 其中验收合格的套数


def _equipment(session: Session, scope: Scope) -> Equipment:
    return Equipment(*_sums(session, _EQUIPMENT, scope))


_DONE, _DUE = MediationSite.completed_on <= _AS_OF, MediationSite.planned_on <= _AS_OF
_SITES = select(
    _count_if(_DONE),
    _count_if(and_(_DONE, MediationSite.acceptance == "达标")),
    _count_if(_DUE),
    _count_if(
        and_(_DUE, MediationSite.completed_on.is_not(None), MediationSite.completed_on <= MediationSite.planned_on),
    ),
    _count_if(or_(_DONE, MediationSite.planned_on > _AS_OF)),
).where(MediationSite.project_id == _PROJECT)


class Sites(NamedTuple):
    completed: float  # 已建成
    passed: float  # 其中达标
    due: float  # 计划完成日期已到
    on_time: float  # 其中在计划日期当天或之前建成
    foreseen: float  # 已建成, or not yet due


@_shared
def _sites(session: Session, scope: Scope) -> Sites:
    return Sites(*_one(session, _SITES, scope))


_EVENTS = Totals(
    "events",
    select(
        func.count(),
        _count_if(LegalEvent.on_theme.is_(True)),
        _count_if(LegalEvent.held_on <= LegalEvent.planned_on),
    ).where(LegalEvent.project_id == _PROJECT, LegalEvent.held_on <= _AS_OF),
    LegalEvent.held_on,
)


class Events(NamedTuple):
    held: float  # 已开展场数
    on_theme: float  # 其中主题契合
    on_time: float  # 其中不晚于计划日期


def _events(session: Session, scope: Scope) -> Events:
    return Events(*_sums(session, _EVENTS, scope))


_SURVEY_ANSWERS = Totals(
    "survey",
    select(SurveyResponse.respondent, _count_if(SurveyResponse.rating.in_(("非常满意", "满意"))), func.count())
    .where(SurveyResponse.project_id == _PROJECT, SurveyResponse.surveyed_on <= _AS_OF)
    .group_by(SurveyResponse.respondent),
    SurveyResponse.surveyed_on,
    keys=1,
)


def _survey_answers(session: Session, scope: Scope) -> dict[str, tuple[float, float]]:
    """调查对象 -> (满意份数, 问卷份数)."""
    return {respondent: sums for (respondent,), sums in totals(session, _SURVEY_ANSWERS, scope).items()}


# What a count or a unit cost counts.


def subsidy_persons(session: Session, scope: Scope) -> float:
    return _subsidies(session, scope).persons


def subsidy_cases(session: Session, scope: Scope) -> float:
    return _subsidies(session, scope).cases


def equipment_sets(session: Session, scope: Scope) -> float:
    return _equipment(session, scope).sets


def sites_completed(session: Session, scope: Scope) -> float:
    return _sites(session, scope).completed


def sites_planned(session: Session, scope: Scope) -> Plan:
    """The sites due by the as-of date (计划完成日期), and those the plan still gives by year end."""
    sites = _sites(session, scope)
    return Plan(sites.due, sites.foreseen)


def events_held(session: Session, scope: Scope) -> float:
    return _events(session, scope).held


_MAINTAINED_MONTHS = select(func.count()).where(
    PlatformMaintenance.project_id == _PROJECT,
    PlatformMaintenance.maintained.is_(True),
    PlatformMaintenance.month <= _AS_OF,
)


def maintained_months(session: Session, scope: Scope) -> float:
    return _one(session, _MAINTAINED_MONTHS, scope)[0]


# Each metric's actual value.


def unit_cost(denominator: Callable[[Session, Scope], float], session: Session, scope: Scope) -> Measure:
    return _ratio(spent(session, scope, scope.budget_line), denominator(session, scope))


def counted(counter: Callable[[Session, Scope], float], session: Session, scope: Scope) -> Measure:
    return _count(counter(session, scope))


def counted_to_plan(
    counter: Callable[[Session, Scope], float], plan: Callable[[Session, Scope], Plan], session: Session, scope: Scope
) -> Measure:
    """A count of milestones, with the plan its records carry."""
    return replace(_count(counter(session, scope)), plan=plan(session, scope))


def _latest(value, month, owner) -> Select:
    """`value` of the latest month up to the as-of date among the rows where `owner` (a column) equals the
    parameter of the same name; no row when there is none."""
    return select(value).where(owner == bindparam(owner.key), month <= _AS_OF).order_by(month.desc()).limit(1)


_INTEGRATION = _latest(PlatformMaintenance.integration_pct, PlatformMaintenance.month, PlatformMaintenance.project_id)


def platform_integration(session: Session, scope: Scope) -> Measure:
    latest = _latest_value(session, _INTEGRATION, scope)
    return Measure(None) if latest is None else _ratio(latest, 100.0)


def site_pass_rate(session: Session, scope: Scope) -> Measure:
    sites = _sites(session, scope)
    return _ratio(sites.passed, sites.completed)


def equipment_pass_rate(session: Session, scope: Scope) -> Measure:
    equipment = _equipment(session, scope)
    return _ratio(equipment.passed, equipment.sets)


def event_theme_rate(session: Session, scope: Scope) -> Measure:
    events = _events(session, scope)
    return _ratio(events.on_theme, events.held)


def site_timeliness(session: Session, scope: Scope) -> Measure:
    sites = _sites(session, scope)
    return _ratio(sites.on_time, sites.due)


def event_timeliness(session: Session, scope: Scope) -> Measure:
    events = _events(session, scope)
    return _ratio(events.on_time, events.held)


_COMPLAINTS = select(_count_if(Complaint.closed_on <= _AS_OF), func.count()).where(
    Complaint.project_id == _PROJECT,
    Complaint.valid.is_(True),
    Complaint.received_on <= _AS_OF,
)


def complaint_resolution(session: Session, scope: Scope) -> Measure:
    """已办结 ÷ 有效投诉, over the valid complaints received by the as-of date."""
    return _ratio(*_one(session, _COMPLAINTS, scope))


_DISPUTES = select(LaborStat.month, LaborStat.disputes + LaborStat.wage_arrears).where(
    LaborStat.project_id == _PROJECT,
    LaborStat.month >= bindparam("since"),
    LaborStat.month <= _AS_OF,
    LaborStat.month <= bindparam("year_end"),
)


def dispute_yoy(session: Session, scope: Scope) -> Measure:
    """This year's disputes up to the as-of date against the same months of the year before."""
    year = {"since": date(scope.year - 1, 1, 1), "year_end": date(scope.year, 12, 31)}
    totals = dict(_rows(session, _DISPUTES, scope, **year))
    months = [m for m in totals if m.year == scope.year]
    current = sum(totals[m] for m in months)
    baseline_months = [m.replace(year=scope.year - 1) for m in months]
    if not months or any(m not in totals for m in baseline_months):
        return Measure(None, current, None)
    baseline = sum(totals[m] for m in baseline_months)
    return Measure(current / baseline - 1 if baseline else None, float(current), float(baseline))


_MECHANISMS = select(func.count()).where(Mechanism.project_id == _PROJECT, Mechanism.issued_on <= _AS_OF)


def mechanisms(session: Session, scope: Scope) -> Measure:
    return Measure(None, _one(session, _MECHANISMS, scope)[0], None)


_MANUAL_TOTAL = select(func.sum(ManualValue.value), func.count()).where(
    ManualValue.indicator_id == bindparam("indicator_id"),
    ManualValue.month <= _AS_OF,
)
_MANUAL_LATEST = _latest(ManualValue.value, ManualValue.month, ManualValue.indicator_id)


def manual_total(session: Session, scope: Scope) -> Measure:
    total, months = _one(session, _MANUAL_TOTAL, scope, indicator_id=scope.indicator_id)
    return _count(total) if months else Measure(None)


def judged_alone(session: Session, scope: Scope) -> Measure:
    """A qualitative indicator with no records behind it (人工评定): the evaluator's judgment is all there is."""
    return Measure(None)


def manual_latest(session: Session, scope: Scope) -> Measure:
    return Measure(_latest_value(session, _MANUAL_LATEST, scope, indicator_id=scope.indicator_id))


def satisfaction(respondent: str, session: Session, scope: Scope) -> Measure:
    return _ratio(*_survey_answers(session, scope).get(respondent, (0.0, 0.0)))
