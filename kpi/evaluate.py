"""Evaluating a project as of a date: every indicator's actual, status, score and monitoring, and the total."""

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import bindparam
from sqlmodel import Session, select

from data_model.models import BudgetLine, Indicator, Judgment, Project
from data_model.problems import UserError
from data_model.targets import Target
from kpi import monitoring, scoring
from kpi.metrics import REGISTRY
from kpi.monitoring import LEVEL_LIGHTS, Light
from kpi.queries import Scope, sharing, spent_by_line, undated
from kpi.scoring import PARTLY_ACHIEVED, Status


@dataclass(frozen=True)
class IndicatorResult:
    indicator_id: int
    seq: int
    level1: str
    level2: str
    level3: str
    target: Target  # as the performance table states it (its text is target.text)
    unit: str
    metric_key: str
    actual: float | None
    numerator: float | None
    denominator: float | None
    status: Status
    weight: float
    score: float
    computed: float  # the score the data give; an override may only lower it (the score itself unless overridden)
    tier: str | None  # a qualitative indicator's tier, once judged; a quantitative one has none
    judged: bool  # scored by the evaluator's tier and score rather than computed from the data
    overridden: bool
    over_achieved: bool  # so far beyond the target that it needs a deviation reason too (kinds.over_achieved)
    light: Light
    monitoring: monitoring.Monitoring | None  # None for a judged indicator
    deviation_reason: str
    not_applicable_reason: str = ""  # why the evaluator marked it 不适用; "" unless its status is NOT_APPLICABLE


@dataclass(frozen=True)
class BudgetLineResult:
    name: str
    planned: float
    spent: float
    execution_rate: float | None


@dataclass(frozen=True)
class BudgetResult:
    planned: float
    spent: float
    execution_rate: float | None
    weight: float
    score: float
    monitoring: monitoring.Monitoring
    lines: list[BudgetLineResult]
    initial: float | None = None  # 年初预算数 (元) when the budget was adjusted during the year; planned is 全年预算数


@dataclass(frozen=True)
class Evaluation:
    project_id: int
    project: str
    year: int
    as_of: date
    elapsed_share: float  # 序时进度
    budget: BudgetResult
    indicators: list[IndicatorResult]
    total_score: float  # rescaled to 100 when indicators are 不适用 (see total_score)
    applicable_weight: float  # the points the total is out of before rescaling: 100 less the 不适用 weights
    grade: str
    provisional: bool  # 暂定: some indicator still awaits the evaluator's judgment


class AsOfError(UserError):
    """An as-of date outside the project year; the message is Chinese."""


def default_as_of(project: Project, today: date | None = None) -> date:
    """Today, kept inside the project year: a past year is seen as of its last day."""
    return min(max(today or date.today(), date(project.year, 1, 1)), date(project.year, 12, 31))


def as_of_in_year(project: Project, as_of: date | None) -> date:
    """The date to evaluate at: a date someone gave must lie in the project year, none is `default_as_of`."""
    if as_of is None:
        return default_as_of(project)
    if as_of.year != project.year:
        raise AsOfError(
            f"统计日期 {as_of:%Y-%m-%d} 不在项目「{project.name}」的年度内，"
            f"请填写 {project.year}-01-01 至 {project.year}-12-31 之间的日期"
        )
    return as_of


def target_of(ind: Indicator) -> Target:
    """The indicator's 年度指标值, as parsed when its performance table was read."""
    return Target(ind.target_text, ind.operator, ind.target_value, ind.unit, ind.word)


def _light(status: Status, level: monitoring.Level | None, tier: str | None) -> Light:
    if status == Status.MET:
        return Light.GREEN
    if status in (Status.NO_DATA, Status.PENDING, Status.NOT_APPLICABLE):
        return Light.GREY
    if level is None:  # judged: the tier decides
        return Light.AMBER if tier == PARTLY_ACHIEVED.name else Light.RED
    return LEVEL_LIGHTS[level]


def evaluate_indicator(
    session: Session, project: Project, ind: Indicator, as_of: date, share: float, judgment: Judgment | None
) -> IndicatorResult:
    metric = REGISTRY[ind.metric_key]
    target = target_of(ind)
    measure = metric.measure(session, Scope(project.id, project.year, as_of, ind.budget_line, ind.id), ind.unit)
    given = (
        scoring.Judgment(judgment.tier, judgment.score, judgment.reason)
        if judgment and judgment.score is not None
        else None
    )
    try:
        scored = scoring.score_indicator(
            metric.kind,
            target,
            measure.actual,
            ind.weight,
            cost_rule=project.cost_rule,
            judgment=given,
            not_applicable=bool(judgment and judgment.not_applicable),
        )
    except scoring.JudgmentError:
        # The data lowered the computed score below the override: the override lapses (it may only lower).
        scored = scoring.score_indicator(metric.kind, target, measure.actual, ind.weight, cost_rule=project.cost_rule)
    met = scored.status == Status.MET
    watch = None if scored.status == Status.PENDING else metric.kind.monitor(measure, target, share, met)
    return IndicatorResult(
        indicator_id=ind.id,
        seq=ind.seq,
        level1=ind.level1,
        level2=ind.level2,
        level3=ind.level3,
        target=target,
        unit=ind.unit,
        metric_key=ind.metric_key,
        actual=measure.actual,
        numerator=measure.numerator,
        denominator=measure.denominator,
        status=scored.status,
        weight=ind.weight,
        score=scored.score,
        computed=scored.score if scored.computed is None else scored.computed,
        tier=scored.tier,
        judged=scoring.needs_judgment(metric.kind, target, measure.actual),
        overridden=scored.overridden,
        over_achieved=measure.actual is not None and metric.kind.over_achieved(target, measure.actual),
        light=_light(scored.status, watch.level if watch else None, scored.tier),
        monitoring=watch,
        deviation_reason=judgment.deviation_reason if judgment else "",
        not_applicable_reason=judgment.reason if scored.status == Status.NOT_APPLICABLE else "",
    )


def _budget(session: Session, project: Project, as_of: date, share: float) -> BudgetResult:
    lines = undated(session, "lines", project.id, lambda: session.exec(_LINES, params={"project_id": project.id}).all())
    by_line = spent_by_line(session, Scope(project.id, project.year, as_of))
    planned = sum(line.amount for line in lines)
    initial = sum(line.initial_amount or line.amount for line in lines)
    spent = sum(by_line.values())
    rate = spent / planned if planned else None
    return BudgetResult(
        planned=planned,
        spent=spent,
        execution_rate=rate,
        weight=project.budget_weight,
        score=scoring.budget_score(rate or 0.0, project.budget_weight),
        monitoring=monitoring.monitor(rate, 1.0, reverse=False, cumulative=True, share=share, met=(rate or 0) >= 1),
        initial=initial if abs(initial - planned) > 0.005 else None,
        lines=[
            BudgetLineResult(
                line.name,
                line.amount,
                by_line.get(line.name, 0.0),
                by_line.get(line.name, 0.0) / line.amount if line.amount else None,
            )
            for line in lines
        ],
    )


# Built once: see kpi.queries.
_INDICATORS = (
    select(Indicator, Judgment)
    .outerjoin(Judgment, Judgment.indicator_id == Indicator.id)
    .where(Indicator.project_id == bindparam("project_id"))
    .order_by(Indicator.seq)
)
_LINES = select(BudgetLine).where(BudgetLine.project_id == bindparam("project_id")).order_by(BudgetLine.seq)


def applicable_weight(budget: BudgetResult, results: list[IndicatorResult]) -> float:
    """The weights of the budget and of every indicator not marked 不适用, in points."""
    return scoring.points(budget.weight + sum(r.weight for r in results if r.status != Status.NOT_APPLICABLE))


def total_score(budget: BudgetResult, results: list[IndicatorResult]) -> float:
    """Σ scores (each already in points); with indicators marked 不适用 left out, rescaled to 100: Σ scores ÷ Σ
    applicable weights × 100. Rounded like a score, so that without rescaling it is the sum of the scores shown."""
    total = budget.score + sum(r.score for r in results)
    if any(r.status == Status.NOT_APPLICABLE for r in results):
        total = total / applicable_weight(budget, results) * 100
    return scoring.points(total)


def evaluate(session: Session, project: Project, as_of: date | None = None) -> Evaluation:
    """Every indicator and the total as of `as_of` (refused outside the project year; default `default_as_of`)."""
    as_of = as_of_in_year(project, as_of)
    with sharing(session):  # the metrics reading one table share its query, and the budget the expenses'
        return evaluated(session, project, as_of)


def evaluated(session: Session, project: Project, as_of: date) -> Evaluation:
    """`evaluate` at a date inside the project year, sharing the queries of the caller's `sharing` block (say one
    over a year's month ends, so that their sums come from one query per table)."""
    share = monitoring.elapsed_share(as_of, project.year)
    indicators = undated(  # each with its judgment
        session, "indicators", project.id, lambda: session.exec(_INDICATORS, params={"project_id": project.id}).all()
    )
    results = [evaluate_indicator(session, project, ind, as_of, share, judgment) for ind, judgment in indicators]
    budget = _budget(session, project, as_of, share)
    total = total_score(budget, results)
    return Evaluation(
        project_id=project.id,
        project=project.name,
        year=project.year,
        as_of=as_of,
        elapsed_share=share,
        budget=budget,
        indicators=results,
        total_score=total,
        applicable_weight=applicable_weight(budget, results),
        grade=scoring.grade(total),
        provisional=any(r.status == Status.PENDING for r in results),
    )


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def to_json(ev: Evaluation) -> dict:
    """The `evaluate --json` object of the spec: rates as fractions, weights and scores in points as scored."""
    budget = ev.budget
    return {
        "project": ev.project,
        "as_of": ev.as_of.isoformat(),
        "elapsed_share": round(ev.elapsed_share, 4),
        "budget": {
            "planned": budget.planned,
            "spent": round(budget.spent, 2),
            "execution_rate": _round(budget.execution_rate, 4),
            "weight": budget.weight,
            "score": budget.score,
            "lines": [
                {
                    "name": line.name,
                    "planned": line.planned,
                    "spent": round(line.spent, 2),
                    "execution_rate": _round(line.execution_rate, 4),
                }
                for line in budget.lines
            ],
        },
        "indicators": [
            {
                "seq": r.seq,
                "level1": r.level1,
                "level2": r.level2,
                "level3": r.level3,
                "target": r.target.text,
                "actual": _round(r.actual, 4),
                "unit": r.unit,
                "status": r.status,
                "weight": r.weight,
                "score": r.score,
                "tier": r.tier,
                "overridden": r.overridden,
                "over_achieved": r.over_achieved,
                "light": r.light,
                "numerator": _round(r.numerator, 2),
                "denominator": _round(r.denominator, 2),
                "monitoring": None
                if r.monitoring is None
                else {k: _round(v, 4) if isinstance(v, float) else v for k, v in asdict(r.monitoring).items()},
            }
            for r in ev.indicators
        ],
        "total_score": ev.total_score,
        "applicable_weight": ev.applicable_weight,
        "grade": ev.grade,
        "provisional": ev.provisional,
    }
