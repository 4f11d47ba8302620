"""Scoring rules of 单位自评 (财预〔2020〕10号 practice): weights, scores, tiers and grades. Pure functions."""

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from data_model.problems import UserError
from data_model.targets import Target

if TYPE_CHECKING:  # kpi.kinds scores with the rules below
    from kpi.kinds import MetricKind

BUDGET_WEIGHT = 10.0
# 一级指标 groups and the points each shares evenly among its 三级 indicators.
WEIGHT_GROUPS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("成本指标", "产出指标"), 50.0),
    (("效益指标",), 30.0),
    (("满意度指标",), 10.0),
)
EPSILON = 1e-9


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NO_DATA = "no_data"
    PENDING = "pending"  # awaits the evaluator's judgment
    NOT_APPLICABLE = "not_applicable"  # no data all year, marked 不适用 by the evaluator: left out of the total


STATUS_LABELS = {
    Status.MET: "达成",
    Status.NOT_MET: "未达成",
    Status.NO_DATA: "无数据",
    Status.PENDING: "待评定",
    Status.NOT_APPLICABLE: "不适用",
}


class WeightError(UserError):
    """A weight set that cannot be used; the message is Chinese."""


class JudgmentError(UserError):
    """A judged score outside its tier's band, or an override above the computed score; the message is Chinese."""


@dataclass(frozen=True)
class Tier:
    name: str
    low: float  # share of the weight, inclusive
    high: float  # share of the weight, inclusive only for the top tier

    def contains(self, ratio: float) -> bool:
        top = self.high >= 1.0
        return self.low - EPSILON <= ratio and (ratio <= self.high + EPSILON if top else ratio < self.high)


ACHIEVED = Tier("达成年度指标", 0.8, 1.0)
PARTLY_ACHIEVED = Tier("部分达成年度指标并具有一定效果", 0.6, 0.8)
NOT_ACHIEVED = Tier("未达成年度指标且效果较差", 0.0, 0.6)
TIERS = (ACHIEVED, PARTLY_ACHIEVED, NOT_ACHIEVED)
TIERS_BY_NAME = {t.name: t for t in TIERS}


def check_in_band(tier_name: str, score: float, weight: float) -> Tier:
    tier = TIERS_BY_NAME.get(tier_name)
    if tier is None:
        raise JudgmentError(f"档次「{tier_name}」不存在，应为：{'、'.join(TIERS_BY_NAME)}")
    if not tier.contains(score / weight if weight else 1.0):
        bracket = "]" if tier.high >= 1.0 else ")"
        raise JudgmentError(
            f"「{tier.name}」的得分应在 [{tier.low * weight:.2f}, {tier.high * weight:.2f}{bracket} 分之间，"
            f"{score:.2f} 分超出了范围"
        )
    return tier


def default_weights(level1s: list[str]) -> list[float]:
    """Split each group's points evenly over its indicators."""
    group_of = {name: i for i, (names, _) in enumerate(WEIGHT_GROUPS) for name in names}
    unknown = sorted({l1 for l1 in level1s if l1 not in group_of})
    if unknown:
        raise WeightError(f"一级指标「{'、'.join(unknown)}」不属于成本、产出、效益或满意度指标，无法自动分配分值")
    sizes = [sum(1 for l1 in level1s if group_of[l1] == i) for i in range(len(WEIGHT_GROUPS))]
    return [WEIGHT_GROUPS[group_of[l1]][1] / sizes[group_of[l1]] for l1 in level1s]


def check_weights(weights: list[float]) -> None:
    total = BUDGET_WEIGHT + sum(weights)
    off = total - 100.0
    if abs(off) > 0.005:
        raise WeightError(
            f"分值合计为 {total:.2f} 分（含预算执行率 {BUDGET_WEIGHT:.0f} 分），"
            f"比 100 分{'多' if off > 0 else '少'} {abs(off):.2f} 分"
        )
    if any(w < 0 for w in weights):
        raise WeightError("分值不能为负数")


def check_lowered(score: float, computed: float) -> None:
    """An override corrects a computed score downwards only (a data-quality correction), never above what the
    numbers give as shown (two decimals), nor below 0."""
    if score < -EPSILON:
        raise JudgmentError(f"调整后的得分不能为负数，{score:.2f} 分超出了范围")
    if score > round(computed, 2) + EPSILON:
        raise JudgmentError(f"得分只能调低：按数据计算为 {computed:.2f} 分，{score:.2f} 分高于它")


@dataclass(frozen=True)
class Judgment:
    """The evaluator's tier and score for a judged indicator, or an override (no tier) of a computed one."""

    tier: str | None
    score: float
    reason: str = ""


@dataclass(frozen=True)
class Scored:
    status: Status
    score: float
    tier: str | None = None  # a qualitative indicator's tier; a quantitative one has none
    computed: float | None = None  # the score the numbers give, when an override lowered it

    @property
    def overridden(self) -> bool:
        return self.computed is not None


def needs_judgment(kind: "MetricKind", target: Target, actual: float | None) -> bool:
    """Scored by the evaluator's tier and score: a judged metric, or a qualitative target without data."""
    return kind.judged or (actual is None and target.is_qualitative)


def without_data(kind: "MetricKind", actual: float | None) -> bool:
    """No actual value to score, so the evaluator may mark it 不适用 at year end. A judged metric is never without
    data: it is judged on its evidence."""
    return actual is None and not kind.judged


def score_indicator(
    kind: "MetricKind",
    target: Target,
    actual: float | None,
    weight: float,
    *,
    cost_rule: str = "ratio",
    judgment: Judgment | None = None,
    not_applicable: bool = False,
) -> Scored:
    """Score one indicator: left out when marked 不适用 and still without data, else by the evaluator's judgment,
    or as its metric's kind computes it."""
    if not_applicable and without_data(kind, actual):
        return Scored(Status.NOT_APPLICABLE, 0.0)
    if needs_judgment(kind, target, actual):
        if judgment is None:
            return Scored(Status.PENDING, 0.0)
        tier = check_in_band(judgment.tier or "", judgment.score, weight)
        return Scored(Status.MET if tier is ACHIEVED else Status.NOT_MET, judgment.score, tier.name)
    if actual is None:
        return Scored(Status.NO_DATA, 0.0)
    met, score = kind.score(target, actual, weight, cost_rule)
    status = Status.MET if met else Status.NOT_MET
    if judgment is not None:
        check_lowered(judgment.score, score)
        return Scored(status, judgment.score, computed=score)
    return Scored(status, score)


def budget_score(execution_rate: float) -> float:
    return BUDGET_WEIGHT * min(execution_rate, 1.0)


def grade(total: float) -> str:
    """The grade of the total as shown, to two decimals: 89.996 reads 90.00 and is 优."""
    shown = round(total, 2)
    for floor, name in ((90, "优"), (80, "良"), (60, "中")):
        if shown >= floor:
            return name
    return "差"
