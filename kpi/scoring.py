"""Scoring rules of 单位自评 (财预〔2020〕10号 practice): weights, scores, tiers and grades. Pure functions."""

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from data_model.problems import UserError
from data_model.targets import Target

if TYPE_CHECKING:  # kpi.kinds scores with the rules below
    from kpi.kinds import MetricKind

BUDGET_WEIGHT = 10.0
# 一级指标 groups and the points each shares among its 三级 indicators (default_weights).
WEIGHT_GROUPS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("成本指标", "产出指标"), 50.0),
    (("效益指标",), 30.0),
    (("满意度指标",), 10.0),
)
EPSILON = 1e-9
CENT = Decimal("0.01")
_NOISE = Decimal("1e-9")  # below any real difference of points, above a float product's error


def points(value: float) -> float:
    """Half-up to two decimals, as a person rounds the number the float stands for (3.125 → 3.13): the one rounding
    of every score, once where it is computed. The float's binary error is shed first, so that a product such as
    3.33 × 0.375 (1.24874999…) rounds as the 1.24875 it is."""
    exact = Decimal(repr(value)).quantize(_NOISE, ROUND_HALF_EVEN)
    return float(exact.quantize(CENT, ROUND_HALF_UP))


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

    @property
    def top(self) -> bool:
        return self.high >= 1.0

    def band(self, weight: float) -> tuple[float, float]:
        """The tier's bounds for an indicator of `weight`, in points, as a person reads them: 80 % of 3.33 (2.664)
        is 2.66, so that a score shown at a bound belongs where the bound says."""
        return points(self.low * weight), points(self.high * weight)

    def contains(self, score: float, weight: float) -> bool:
        low, high = self.band(weight)
        return low - EPSILON <= score and (score <= high + EPSILON if self.top else score < high - EPSILON)


ACHIEVED = Tier("达成年度指标", 0.8, 1.0)
PARTLY_ACHIEVED = Tier("部分达成年度指标并具有一定效果", 0.6, 0.8)
NOT_ACHIEVED = Tier("未达成年度指标且效果较差", 0.0, 0.6)
TIERS = (ACHIEVED, PARTLY_ACHIEVED, NOT_ACHIEVED)
TIERS_BY_NAME = {t.name: t for t in TIERS}


def check_in_band(tier_name: str, score: float, weight: float) -> Tier:
    tier = TIERS_BY_NAME.get(tier_name)
    if tier is None:
        raise JudgmentError(f"档次「{tier_name}」不存在，应为：{'、'.join(TIERS_BY_NAME)}")
    if not tier.contains(score, weight):
        low, high = tier.band(weight)
        bracket = "]" if tier.top else ")"
        raise JudgmentError(
            f"「{tier.name}」的得分应在 [{low:.2f}, {high:.2f}{bracket} 分之间，{score:.2f} 分超出了范围"
        )
    return tier


def _groups(level1s: list[str]) -> list[int | None]:
    """Each indicator's index in WEIGHT_GROUPS, None for a 一级指标 outside them."""
    group_of = {name: i for i, (names, _) in enumerate(WEIGHT_GROUPS) for name in names}
    return [group_of.get(l1) for l1 in level1s]


def default_weights(level1s: list[str]) -> list[float]:
    """Split each group's points over its indicators in cents by the largest-remainder method: as the shares are
    equal, the cents left over go one each to the group's first indicators in table order (50 over 15: five of
    3.34, then ten of 3.33), so that every group adds up exactly."""
    groups = _groups(level1s)
    unknown = sorted({l1 for l1, group in zip(level1s, groups) if group is None})
    if unknown:
        raise WeightError(f"一级指标「{'、'.join(unknown)}」不属于成本、产出、效益或满意度指标，无法自动分配分值")
    weights = []
    for position, group in enumerate(groups):
        base, left_over = divmod(round(WEIGHT_GROUPS[group][1] * 100), groups.count(group))
        weights.append((base + (groups[:position].count(group) < left_over)) / 100)
    return weights


def renewed_weights(level1s: list[str], weights: list[float]) -> list[float]:
    """Weights as stored under the old default, each group's points ÷ its size to the full float (a backup's
    50 ÷ 15 = 3.3333…), become the default split, group by group; any other weight is left as it is. (Migration
    0004 did the same to the databases of the time.)"""
    groups = _groups(level1s)
    renewed = list(weights)
    for group, (_, group_points) in enumerate(WEIGHT_GROUPS):
        members = [i for i, g in enumerate(groups) if g == group]
        if members and all(abs(weights[i] - group_points / len(members)) < EPSILON for i in members):
            split = default_weights([level1s[i] for i in members])
            for i, weight in zip(members, split):
                renewed[i] = weight
    return renewed


def check_weights(weights: list[float], budget_weight: float = BUDGET_WEIGHT) -> None:
    """Weights of two decimals at most, none negative, making 100 with the budget's."""
    total = budget_weight + sum(weights)
    off = total - 100.0
    if abs(off) > 0.005:
        raise WeightError(
            f"分值合计为 {total:.2f} 分（含预算执行率 {budget_weight:g} 分），"
            f"比 100 分{'多' if off > 0 else '少'} {abs(off):.2f} 分"
        )
    if any(w < 0 for w in weights):
        raise WeightError("分值不能为负数")
    finer = [w for w in weights if w != points(w)]
    if finer:
        raise WeightError(f"分值最多保留两位小数：{'、'.join(f'{w:g}' for w in finer)}")


def check_lowered(score: float, computed: float) -> None:
    """An override corrects a computed score (already in points) downwards only (a data-quality correction), never
    above what the numbers give, nor below 0."""
    if score < -EPSILON:
        raise JudgmentError(f"调整后的得分不能为负数，{score:.2f} 分超出了范围")
    if score > computed + EPSILON:
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
    or as its metric's kind computes it; every score in points (two decimals, half-up)."""
    if not_applicable and without_data(kind, actual):
        return Scored(Status.NOT_APPLICABLE, 0.0)
    if needs_judgment(kind, target, actual):
        if judgment is None:
            return Scored(Status.PENDING, 0.0)
        judged = points(judgment.score)
        tier = check_in_band(judgment.tier or "", judged, weight)
        return Scored(Status.MET if tier is ACHIEVED else Status.NOT_MET, judged, tier.name)
    if actual is None:
        return Scored(Status.NO_DATA, 0.0)
    met, share = kind.score(target, actual, weight, cost_rule)
    score = points(share)
    status = Status.MET if met else Status.NOT_MET
    if judgment is not None:
        lowered = points(judgment.score)
        check_lowered(lowered, score)
        return Scored(status, lowered, computed=score)
    return Scored(status, score)


def budget_score(execution_rate: float, weight: float = BUDGET_WEIGHT) -> float:
    return points(weight * min(execution_rate, 1.0))


GRADES = ((90, "优"), (80, "良"), (60, "中"))  # the lowest total of each grade above 差


def grade(total: float) -> str:
    """The grade of the total (in points): 89.99 is 良, 90.00 优."""
    for floor, name in GRADES:
        if total >= floor:
            return name
    return "差"
