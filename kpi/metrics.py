"""The metric registry: one entry per metric key, each computing an actual value with aggregate SQL.

Only records dated on or before the as-of date count. A zero denominator gives no actual value.
Several metrics read the same table: inside `sharing(session)` (evaluate() uses it) each table's
aggregates are computed by one query per project and date, whatever the number of metrics reading them;
inside `sharing(session, series=days)` (a monthly chart) the additive ones by one query for all the days.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from functools import partial, wraps

from sqlalchemy import ColumnElement, Select, and_, bindparam, case, func, select
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


@dataclass(frozen=True)
class Measure:
    actual: float | None
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class Metric:
    key: str
    name: str  # 计算口径: how a performance table names the metric it binds an indicator to
    kind: str  # quantity | timely | yoy | judged (see kpi.scoring.score_indicator)
    formula: str  # how the actual value is computed, in Chinese
    parts: tuple[str, str]  # what the numerator and the denominator count, in Chinese
    compute: Callable[[Session, Scope], Measure]
    cumulative: bool = False  # grows through the year, so it is monitored against a pro-rata path
    needs_budget_line: bool = False
    manual: bool = False  # staff enter the actual month by month (ManualValue) instead of uploading records


# Every query is built once, here, with the scope's values as bound parameters: executing a prepared
# statement skips building it and hits SQLAlchemy's compiled cache, which keeps the Python cost of
# evaluating 20 indicators small beside the SQL itself.
_PROJECT, _AS_OF = bindparam("project_id"), bindparam("as_of")


def _execute(session: Session, statement, s: Scope, **values):
    """Run a prepared statement for the scope's project and date (and any further parameters) on the
    session's connection: these queries read columns, never entities, so the ORM's execution layer is
    skipped, all but its autoflush, which lets unsaved changes count as they would otherwise."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, {"project_id": s.project_id, "as_of": s.as_of, **values})


def _one(session: Session, statement, s: Scope, **values) -> tuple[float, ...]:
    return tuple(float(v or 0) for v in _execute(session, statement, s, **values).one())


def _ratio(numerator: float, denominator: float) -> Measure:
    return Measure(numerator / denominator if denominator else None, numerator, denominator)


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


def _key(name: str, s: Scope) -> tuple:
    return name, s.project_id, s.year, s.as_of


def _memoised(session: Session, name: str, s: Scope, compute: Callable[[], object]):
    """`compute()`, once per name, project and as-of date inside `sharing`; every time outside it."""
    memo = session.info.get(_SHARED)
    if memo is None:
        return compute()
    key = _key(name, s)
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _shared(query):
    """A table's aggregates for a scope's project and date, the same whatever its budget line or indicator."""
    @wraps(query)
    def run(session: Session, s: Scope):
        return _memoised(session, query.__name__, s, lambda: query(session, s))
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


def daily(session: Session, spec: Totals, s: Scope) -> list:
    """The spec's sums by key and day, over the rows dated up to the scope's date: rows (*keys, *sums, day)."""
    return _execute(session, spec.statement.add_columns(spec.dated).group_by(spec.dated), s).all()


def totals(session: Session, spec: Totals, s: Scope) -> dict[tuple, tuple[float, ...]]:
    """key -> sums for the scope's project and date (key () when the statement has no GROUP BY)."""
    series = session.info.get(_SERIES, frozenset())
    if s.as_of in series and _key(spec.name, s) not in session.info[_SHARED]:
        _add_up_series(session, spec, s, sorted(series))
    return _memoised(session, spec.name, s, lambda: {
        tuple(row[:spec.keys]): tuple(float(v or 0) for v in row[spec.keys:]) for row in _execute(session, spec.statement, s)
    })


def _add_up_series(session: Session, spec: Totals, s: Scope, days: list[date]) -> None:
    """Store the sums at each of `days` from one query by day up to the last of them."""
    running: dict[tuple, list[float]] = {}
    rows = iter(sorted(daily(session, spec, replace(s, as_of=days[-1])), key=lambda row: row[-1]))
    row = next(rows, None)
    for day in days:
        while row is not None and row[-1] <= day:
            sums = running.setdefault(tuple(row[:spec.keys]), [0.0] * len(spec.zeros))
            for i, v in enumerate(row[spec.keys:-1]):
                sums[i] += float(v or 0)
            row = next(rows, None)
        session.info[_SHARED][_key(spec.name, replace(s, as_of=day))] = {k: tuple(v) for k, v in running.items()}


def _sums(session: Session, spec: Totals, s: Scope) -> tuple[float, ...]:
    return totals(session, spec, s).get((), spec.zeros)


def spent(session: Session, scope: Scope, budget_line: str | None = None) -> float:
    by_line = spent_by_line(session, scope)
    return sum(by_line.values()) if budget_line is None else by_line.get(budget_line, 0.0)


SPENT_BY_LINE = Totals(
    "spent", select(Expense.budget_line, func.sum(Expense.amount)).where(Expense.project_id == _PROJECT, Expense.paid_on <= _AS_OF)
    .group_by(Expense.budget_line), Expense.paid_on, keys=1,
)


def spent_by_line(session: Session, scope: Scope) -> dict[str, float]:
    return {line: total for (line,), (total,) in totals(session, SPENT_BY_LINE, scope).items()}


# Each table's aggregates, one query each: counts, sums and the numerators of the rates.

_SUBSIDIES = Totals(
    "subsidies", select(func.sum(CaseSubsidy.persons), func.count()).where(CaseSubsidy.project_id == _PROJECT, CaseSubsidy.closed_on <= _AS_OF),
    CaseSubsidy.closed_on,
)


def _subsidies(session: Session, s: Scope) -> tuple[float, float]:
    """补贴人数合计, 案件数."""
    return _sums(session, _SUBSIDIES, s)


_EQUIPMENT = Totals(
    "equipment", select(
        func.sum(EquipmentIssue.sets), func.sum(case((EquipmentIssue.acceptance == "合格", EquipmentIssue.sets), else_=0)),
    ).where(EquipmentIssue.project_id == _PROJECT, EquipmentIssue.issued_on <= _AS_OF),
    EquipmentIssue.issued_on,
)


def _equipment(session: Session, s: Scope) -> tuple[float, float]:
    """发放套数, 其中验收合格的套数."""
    return _sums(session, _EQUIPMENT, s)


_DONE, _DUE = MediationSite.completed_on <= _AS_OF, MediationSite.planned_on <= _AS_OF
_SITES = select(
    _count_if(_DONE),
    _count_if(and_(_DONE, MediationSite.acceptance == "达标")),
    _count_if(_DUE),
    _count_if(and_(_DUE, MediationSite.completed_on.is_not(None), MediationSite.completed_on <= MediationSite.planned_on)),
).where(MediationSite.project_id == _PROJECT)


@_shared
def _sites(session: Session, s: Scope) -> tuple[float, float, float, float]:
    """已建成, 其中达标; 计划完成日期已到, 其中在计划日期当天或之前建成."""
    return _one(session, _SITES, s)


_EVENTS = Totals(
    "events", select(
        func.count(), _count_if(LegalEvent.on_theme.is_(True)), _count_if(LegalEvent.held_on <= LegalEvent.planned_on),
    ).where(LegalEvent.project_id == _PROJECT, LegalEvent.held_on <= _AS_OF),
    LegalEvent.held_on,
)


def _events(session: Session, s: Scope) -> tuple[float, float, float]:
    """已开展场数, 其中主题契合, 其中不晚于计划日期."""
    return _sums(session, _EVENTS, s)


_SURVEY_ANSWERS = Totals(
    "survey", select(SurveyResponse.respondent, _count_if(SurveyResponse.rating.in_(("非常满意", "满意"))), func.count())
    .where(SurveyResponse.project_id == _PROJECT, SurveyResponse.surveyed_on <= _AS_OF)
    .group_by(SurveyResponse.respondent), SurveyResponse.surveyed_on, keys=1,
)


def _survey_answers(session: Session, s: Scope) -> dict[str, tuple[float, float]]:
    """调查对象 -> (满意份数, 问卷份数)."""
    return {respondent: sums for (respondent,), sums in totals(session, _SURVEY_ANSWERS, s).items()}


def _subsidy_persons(session: Session, s: Scope) -> float:
    return _subsidies(session, s)[0]


def _subsidy_cases(session: Session, s: Scope) -> float:
    return _subsidies(session, s)[1]


def _equipment_sets(session: Session, s: Scope) -> float:
    return _equipment(session, s)[0]


def _sites_completed(session: Session, s: Scope) -> float:
    return _sites(session, s)[0]


def _events_held(session: Session, s: Scope) -> float:
    return _events(session, s)[0]


_MAINTAINED_MONTHS = select(func.count()).where(
    PlatformMaintenance.project_id == _PROJECT, PlatformMaintenance.maintained.is_(True), PlatformMaintenance.month <= _AS_OF,
)


def _maintained_months(session: Session, s: Scope) -> float:
    return _one(session, _MAINTAINED_MONTHS, s)[0]


def _unit_cost(denominator: Callable[[Session, Scope], float], session: Session, s: Scope) -> Measure:
    return _ratio(spent(session, s, s.budget_line), denominator(session, s))


def _counted(counter: Callable[[Session, Scope], float], session: Session, s: Scope) -> Measure:
    return _count(counter(session, s))


def _latest(value, month, owner) -> Select:
    """`value` of the latest month up to the as-of date among the rows where `owner` (a column) equals the
    parameter of the same name; no row when there is none."""
    return select(value).where(owner == bindparam(owner.key), month <= _AS_OF).order_by(month.desc()).limit(1)


_INTEGRATION = _latest(PlatformMaintenance.integration_pct, PlatformMaintenance.month, PlatformMaintenance.project_id)


def _platform_integration(session: Session, s: Scope) -> Measure:
    latest = _execute(session, _INTEGRATION, s).scalar()
    return Measure(None) if latest is None else Measure(latest / 100, latest, 100.0)


def _site_pass_rate(session: Session, s: Scope) -> Measure:
    done, passed, _, _ = _sites(session, s)
    return _ratio(passed, done)


def _equipment_pass_rate(session: Session, s: Scope) -> Measure:
    sets, passed = _equipment(session, s)
    return _ratio(passed, sets)


def _event_theme_rate(session: Session, s: Scope) -> Measure:
    held, on_theme, _ = _events(session, s)
    return _ratio(on_theme, held)


def _site_timeliness(session: Session, s: Scope) -> Measure:
    _, _, due, on_time = _sites(session, s)
    return _ratio(on_time, due)


def _event_timeliness(session: Session, s: Scope) -> Measure:
    held, _, on_time = _events(session, s)
    return _ratio(on_time, held)


_COMPLAINTS = select(_count_if(Complaint.closed_on <= _AS_OF), func.count()).where(
    Complaint.project_id == _PROJECT, Complaint.valid.is_(True), Complaint.received_on <= _AS_OF,
)


def _complaint_resolution(session: Session, s: Scope) -> Measure:
    """已办结 ÷ 有效投诉, over the valid complaints received by the as-of date."""
    return _ratio(*_one(session, _COMPLAINTS, s))


_DISPUTES = select(LaborStat.month, LaborStat.disputes + LaborStat.wage_arrears).where(
    LaborStat.project_id == _PROJECT, LaborStat.month >= bindparam("since"), LaborStat.month <= bindparam("until"),
)


def _dispute_yoy(session: Session, s: Scope) -> Measure:
    """This year's disputes up to the as-of date against the same months of the year before."""
    totals = dict(_execute(session, _DISPUTES, s, since=date(s.year - 1, 1, 1), until=min(s.as_of, date(s.year, 12, 31))).all())
    months = [m for m in totals if m.year == s.year]
    current = sum(totals[m] for m in months)
    baseline_months = [m.replace(year=s.year - 1) for m in months]
    if not months or any(m not in totals for m in baseline_months):
        return Measure(None, current, None)
    baseline = sum(totals[m] for m in baseline_months)
    return Measure(current / baseline - 1 if baseline else None, float(current), float(baseline))


_MECHANISMS = select(func.count()).where(Mechanism.project_id == _PROJECT, Mechanism.issued_on <= _AS_OF)


def _mechanisms(session: Session, s: Scope) -> Measure:
    return Measure(None, _one(session, _MECHANISMS, s)[0], None)


_MANUAL_TOTAL = select(func.sum(ManualValue.value), func.count()).where(
    ManualValue.indicator_id == bindparam("indicator_id"), ManualValue.month <= _AS_OF,
)
_MANUAL_LATEST = _latest(ManualValue.value, ManualValue.month, ManualValue.indicator_id)


def _manual_total(session: Session, s: Scope) -> Measure:
    total, months = _one(session, _MANUAL_TOTAL, s, indicator_id=s.indicator_id)
    return _count(total) if months else Measure(None)


def _manual_latest(session: Session, s: Scope) -> Measure:
    return Measure(_execute(session, _MANUAL_LATEST, s, indicator_id=s.indicator_id).scalar())


def _satisfaction(respondent: str, session: Session, s: Scope) -> Measure:
    return _ratio(*_survey_answers(session, s).get(respondent, (0.0, 0.0)))


_SPEND = "关联预算明细截至统计日的支出"
METRICS: tuple[Metric, ...] = (
    Metric("cost_per_subsidy_person", "以案定补个案补贴成本", "quantity", f"{_SPEND} ÷ 以案定补补贴人数合计",
           ("支出（元）", "补贴人数"), partial(_unit_cost, _subsidy_persons), needs_budget_line=True),
    Metric("cost_per_equipment_set", "工作装备单套成本", "quantity", f"{_SPEND} ÷ 装备发放套数合计",
           ("支出（元）", "发放套数"), partial(_unit_cost, _equipment_sets), needs_budget_line=True),
    Metric("cost_per_site", "调解阵地单家成本", "quantity", f"{_SPEND} ÷ 已建成调解阵地数",
           ("支出（元）", "已建成阵地数"), partial(_unit_cost, _sites_completed), needs_budget_line=True),
    Metric("cost_per_event", "普法宣讲单场成本", "quantity", f"{_SPEND} ÷ 已开展普法活动场数",
           ("支出（元）", "已开展场数"), partial(_unit_cost, _events_held), needs_budget_line=True),
    Metric("cost_per_maintained_month", "平台月度维护成本", "quantity", f"{_SPEND} ÷ 维护完成为“是”的月数",
           ("支出（元）", "维护完成月数"), partial(_unit_cost, _maintained_months), needs_budget_line=True),
    Metric("sites_completed", "调解阵地建成数", "quantity", "实际完成日期不晚于统计日的调解阵地数",
           ("已建成阵地数", ""), partial(_counted, _sites_completed), cumulative=True),
    Metric("equipment_sets", "装备发放套数", "quantity", "装备发放套数合计",
           ("发放套数", ""), partial(_counted, _equipment_sets), cumulative=True),
    Metric("events_held", "普法活动场数", "quantity", "活动日期不晚于统计日的普法活动场数",
           ("已开展场数", ""), partial(_counted, _events_held), cumulative=True),
    Metric("platform_integration", "区级对接进度", "quantity", "截至统计日最近一个月平台运维记录的区级对接进度",
           ("对接进度（%）", ""), _platform_integration),
    Metric("subsidy_cases", "以案定补案件数", "quantity", "结案日期不晚于统计日的以案定补案件数",
           ("案件数", ""), partial(_counted, _subsidy_cases), cumulative=True),
    Metric("site_pass_rate", "调解阵地达标率", "quantity", "验收结果为“达标”的已建成阵地数 ÷ 已建成阵地数",
           ("达标阵地数", "已建成阵地数"), _site_pass_rate),
    Metric("equipment_pass_rate", "装备验收合格率", "quantity", "验收合格的套数 ÷ 发放套数合计",
           ("合格套数", "发放套数"), _equipment_pass_rate),
    Metric("event_theme_rate", "普法活动主题契合率", "quantity", "主题契合为“是”的活动场数 ÷ 已开展场数",
           ("主题契合场数", "已开展场数"), _event_theme_rate),
    Metric("site_timeliness", "调解阵地按期建成率", "timely", "计划完成日期已到的阵地中，在计划日期当天或之前建成的比例（1 = 及时）",
           ("按期建成数", "应建成数"), _site_timeliness),
    Metric("event_timeliness", "普法活动按期开展率", "timely", "已开展的活动中，活动日期不晚于计划日期的比例（1 = 及时）",
           ("按期开展场数", "已开展场数"), _event_timeliness),
    Metric("complaint_resolution", "有效投诉办结率", "quantity", "受理日期不晚于统计日的有效投诉中，统计日当天或之前已办结的比例",
           ("已办结数", "有效投诉数"), _complaint_resolution),
    Metric("dispute_yoy", "劳动纠纷总量同比变化", "yoy", "本年度截至统计日各月（劳动争议案件数 + 欠薪案件数）之和 ÷ 上年同期之和 − 1，负数表示减少",
           ("本年纠纷总量", "上年同期纠纷总量"), _dispute_yoy),
    Metric("mechanism_judged", "长效机制评定", "judged", "定性指标：由评价人员依据长效机制台账评定档次和得分",
           ("已印发制度数", ""), _mechanisms),
    Metric("worker_satisfaction", "劳动者满意度", "quantity", "调查对象为劳动者的问卷中，评价为“非常满意”或“满意”的比例",
           ("满意份数", "问卷份数"), partial(_satisfaction, "劳动者")),
    Metric("employer_satisfaction", "用工单位满意度", "quantity", "调查对象为用工单位的问卷中，评价为“非常满意”或“满意”的比例",
           ("满意份数", "问卷份数"), partial(_satisfaction, "用工单位")),
    # Indicators no upload sheet covers. The table's author says how the months combine: a count or an
    # amount adds up (and is watched against the pro-rata path), a rate or a level is the latest month's.
    Metric("manual_total", "人工填报（各月累计）", "quantity", "工作人员按月填报的数值，截至统计日各月相加",
           ("各月合计", ""), _manual_total, cumulative=True, manual=True),
    Metric("manual_latest", "人工填报（取最近一月）", "quantity", "工作人员按月填报的数值，取截至统计日最近一个月的值（适用于比率、进度等）",
           ("最近一月填报值", ""), _manual_latest, manual=True),
)

REGISTRY: dict[str, Metric] = {m.key: m for m in METRICS}
BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}
