"""Metric kinds: how the metrics of each kind check a target, score, are monitored and read, in one entry each.

A metric (kpi.metrics) computes its actual value; its kind decides everything done with that value. Adding a
kind is adding a class and its entry in KINDS here: every module asks the kind, none compares kind names.
"""

from abc import ABC, abstractmethod
from enum import StrEnum

from data_model.targets import Target, fits
from kpi import monitoring
from kpi.formatting import Shown, percent, quantity, target
from kpi.queries import Measure
from kpi.scoring import EPSILON, STATUS_LABELS, Status


class Kind(StrEnum):
    COUNT = "count"
    MILESTONE = "milestone"  # a count of milestones with planned dates
    RATE = "rate"
    UNIT_COST = "unit_cost"
    TIMELY = "timely"  # the share done on time
    YOY = "yoy"  # the change against the same months of the year before
    JUDGED = "judged"  # qualitative
    MANUAL = "manual"


class MetricKind(ABC):
    """One kind's behaviour; the defaults are a quantity's, shared by most kinds."""

    name: Kind
    cumulative = False  # grows through the year, so it is monitored against an in-year path (pro rata unless planned)
    needs_budget_line = False
    manual = False  # staff enter the actual month by month (ManualValue) instead of uploading records
    recorded = True  # upload records stand behind the number (or the judgment); False: entered or judged alone
    judged = False  # scored by the evaluator's tier and score, never computed from the data
    forecast_words = "按当前进度年末预测"  # how a page names the monitoring's year-end forecast
    whole = False  # counts whole things (家, 套, 场): an expected or forecast value reads as an integer

    @property
    def expected_words(self) -> str:
        """How a page and a chart name the monitoring's expected value: on the pro-rata path, or the target."""
        return "序时应达" if self.cumulative else "应达到"

    def target_problem(self, target: Target, unit: str | None) -> str | None:
        """The problem catalogue's entry (data_model.problems) refusing `target` for a metric of this kind counting
        in `unit` (None: in the table's own unit), filled with the metric's name and unit, the target's text and
        what a target in that unit is written like; None when the target can be its target."""
        return None

    @abstractmethod
    def score(self, target: Target, actual: float, weight: float, cost_rule: str) -> tuple[bool, float]:
        """Whether `actual` meets the target, and its share of `weight`."""

    def over_achieved(self, target: Target, actual: float) -> bool:
        """Beyond the target by so much (PRODUCT.md: ≥ 120 % of a floor, ≤ 80 % of a ceiling) that the deviation
        needs analysing as much as a shortfall does."""
        return False

    @abstractmethod
    def monitor(self, measure: Measure, target: Target, share: float, met: bool) -> monitoring.Monitoring | None:
        """The in-year monitoring of a scored indicator (kpi.monitoring); None when it is not monitored."""

    def monitored(self, measure: Measure) -> float | None:
        """The value the monitoring watches."""
        return measure.actual

    @abstractmethod
    def shown(self, unit: str) -> Shown | None:
        """How an actual value of an indicator in `unit` reads; None when the kind shows no number."""

    def actual_text(self, actual: float | None, unit: str) -> str:
        """实际完成值 as a person reads it: 225.00 元/人/案, 15 套, 97.50%, 同比减少 12.45%."""
        return STATUS_LABELS[Status.NO_DATA] if actual is None else self.shown(unit).text(actual)

    def value_text(self, value: float | None, unit: str) -> str:
        """An expected or forecast value: a rate in percent, money in two decimals, whole things as an integer (the
        pro-rata path of 3 sites reads 1 家 in April), any other amount to two decimals at most."""
        return quantity(value, unit, whole=self.whole)

    def in_percent(self, unit: str) -> bool:
        """Drawn in percent."""
        return unit == "%"

    @abstractmethod
    def series_target(self, goal: Target) -> tuple[float, str] | None:
        """The target line of the monthly series, on the actual's scale, and its label; None: no series."""


OVER_ACHIEVED_FLOOR, OVER_ACHIEVED_CEILING = 1.2, 0.8  # × the target of a floor (≥ > =), of a ceiling (≤ <)


def _zero_tolerance(target: Target) -> bool:
    """`= 0` (安全事故 = 0 起): any occurrence misses the target entirely, like a ceiling of 0."""
    return target.operator == "=" and target.threshold == 0


class _Quantity(MetricKind):
    """Compared with a numeric target: at least it (≥ > =), at most it (≤ <, a cost), or none at all (= 0)."""

    def target_problem(self, target: Target, unit: str | None) -> str | None:
        if target.operator is None:
            return "P003.numeric_target"
        return None if unit is None or fits(target.unit, unit) else "P003.unit"

    def score(self, target: Target, actual: float, weight: float, cost_rule: str) -> tuple[bool, float]:
        threshold = target.threshold
        if target.is_reverse or _zero_tolerance(target):
            met = actual < threshold if target.operator == "<" else actual <= threshold + EPSILON
            if met:
                return True, weight
            if threshold <= 0:  # any value above a zero cap is infinitely far off: no share of the weight
                return False, 0.0
            if cost_rule == "deviation":
                return False, weight * max(0.0, 2 - actual / threshold)
            return False, weight * threshold / actual
        met = actual > threshold if target.operator == ">" else actual >= threshold - EPSILON
        ratio = actual / threshold if threshold else 1.0
        return met, weight * max(0.0, min(ratio, 1.0))

    def over_achieved(self, target: Target, actual: float) -> bool:
        threshold = target.threshold
        if threshold <= 0:
            return False
        if target.is_reverse:
            return actual <= threshold * OVER_ACHIEVED_CEILING + EPSILON
        return actual >= threshold * OVER_ACHIEVED_FLOOR - EPSILON

    def monitor(self, measure: Measure, target: Target, share: float, met: bool) -> monitoring.Monitoring:
        if _zero_tolerance(target) and measure.actual is not None:  # nothing to pace: one occurrence misses it
            level = monitoring.Level.NORMAL if met else monitoring.Level.WARNING
            likelihood = monitoring.Likelihood.CERTAIN if met else monitoring.Likelihood.UNLIKELY
            return monitoring.Monitoring(0.0, measure.actual, None, level, likelihood)
        return monitoring.monitor(
            measure.actual,
            target.threshold,
            reverse=target.is_reverse,
            cumulative=self.cumulative,
            share=share,
            met=met,
        )

    def shown(self, unit: str) -> Shown:
        if unit == "%":
            return Shown(percent=True)
        return Shown(decimals=0 if self.cumulative else 2, unit=unit)

    def series_target(self, goal: Target) -> tuple[float, str]:
        return goal.threshold, f"年度目标：{target(goal)}"


class Count(_Quantity):
    name = Kind.COUNT
    cumulative = True
    whole = True


class Milestone(Count):
    """A count of milestones whose records carry planned dates (调解阵地 计划完成日期), all registered ahead:
    each is expected by its own due date, so the in-year path is the plan, not the share of the year."""

    name = Kind.MILESTONE
    expected_words = "按计划应达"
    forecast_words = "按计划年末预计"

    def monitor(self, measure: Measure, target: Target, share: float, met: bool) -> monitoring.Monitoring:
        return monitoring.monitor_milestones(
            measure.actual, target.threshold, due=measure.plan.due, foreseen=measure.plan.foreseen, share=share, met=met
        )


class Rate(_Quantity):
    """A share, or a level such as a progress percentage: the latest value stands."""

    name = Kind.RATE


class UnitCost(_Quantity):
    """A budget line's spend divided by what it bought."""

    name = Kind.UNIT_COST
    needs_budget_line = True


class Manual(_Quantity):
    """Entered by hand. The table's author says how the months combine: a count or an amount adds up (and is
    watched against the pro-rata path), a rate or a level is the latest month's."""

    name = Kind.MANUAL
    manual = True
    recorded = False

    def __init__(self, *, cumulative: bool):
        self.cumulative = cumulative


class _Worded(MetricKind):
    """Scored against a word (及时, 同比提高), never a number: a numeric target would be ignored."""

    def target_problem(self, target: Target, unit: str | None) -> str | None:
        return None if target.operator is None else "P003.word_target"


class Timely(_Worded):
    """The on-time share, against the qualitative target 及时: a rate whose target is 100 %."""

    name = Kind.TIMELY

    def score(self, target: Target, actual: float, weight: float, cost_rule: str) -> tuple[bool, float]:
        return actual >= 1 - EPSILON, weight * max(0.0, min(actual, 1.0))

    def monitor(self, measure: Measure, target: Target, share: float, met: bool) -> monitoring.Monitoring:
        return monitoring.monitor(measure.actual, 1.0, reverse=False, cumulative=False, share=share, met=met)

    def shown(self, unit: str) -> Shown:
        return Shown(percent=True, prefix="按期比例 ")

    def value_text(self, value: float | None, unit: str) -> str:
        return percent(value)

    def in_percent(self, unit: str) -> bool:
        return True

    def series_target(self, goal: Target) -> tuple[float, str]:
        return 1.0, f"年度目标：{target(goal)}（100%）"


class YearOnYear(_Worded):
    """This year ÷ the same months of the year before − 1, against the qualitative target 同比提高: lower is better."""

    name = Kind.YOY

    def score(self, target: Target, actual: float, weight: float, cost_rule: str) -> tuple[bool, float]:
        return actual < -EPSILON, weight if actual <= -1 + EPSILON else weight * min(1.0, 1 / (1 + actual))

    def monitored(self, measure: Measure) -> float | None:
        """This year's total, watched against the year before's."""
        return measure.numerator if measure.actual is not None else None

    def monitor(self, measure: Measure, target: Target, share: float, met: bool) -> monitoring.Monitoring:
        return monitoring.monitor(
            self.monitored(measure),
            measure.denominator or 0.0,
            reverse=True,
            cumulative=False,
            share=share,
            met=met,
        )

    def shown(self, unit: str) -> Shown:
        return Shown(percent=True, prefix="同比", changes=("增加", "减少", "持平"))

    def value_text(self, value: float | None, unit: str) -> str:
        return quantity(value, "件", whole=True)  # the dispute totals, this year and the baseline

    def in_percent(self, unit: str) -> bool:
        return True

    def series_target(self, goal: Target) -> tuple[float, str]:
        return 0.0, "上年同期水平"


class Judged(MetricKind):
    """Qualitative: the evaluator judges the evidence the metric counts, so there is nothing to compute or watch."""

    name = Kind.JUDGED
    judged = True

    def __init__(self, *, recorded: bool):
        self.recorded = recorded

    def score(self, target: Target, actual: float, weight: float, cost_rule: str) -> tuple[bool, float]:
        raise TypeError("a judged metric is scored by the evaluator (kpi.scoring.needs_judgment)")

    def monitor(self, measure: Measure, target: Target, share: float, met: bool) -> None:
        return None

    def shown(self, unit: str) -> None:
        return None

    def actual_text(self, actual: float | None, unit: str) -> str:
        return "定性评定"

    def series_target(self, goal: Target) -> None:
        return None


COUNT, MILESTONE, RATE, UNIT_COST = Count(), Milestone(), Rate(), UnitCost()
TIMELY, YOY = Timely(), YearOnYear()
JUDGED, JUDGED_ALONE = Judged(recorded=True), Judged(recorded=False)  # on records as evidence (长效机制), or none
MANUAL_TOTAL, MANUAL_LATEST = Manual(cumulative=True), Manual(cumulative=False)  # the two ways months combine
KINDS: tuple[MetricKind, ...] = (
    COUNT,
    MILESTONE,
    RATE,
    UNIT_COST,
    TIMELY,
    YOY,
    JUDGED,
    JUDGED_ALONE,
    MANUAL_TOTAL,
    MANUAL_LATEST,
)
