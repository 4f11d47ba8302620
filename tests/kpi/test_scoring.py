"""Scoring rules of PRODUCT.md "Scoring": one table per rule, exact scores, statuses and tiers."""

from dataclasses import astuple

import pytest

from data_model.targets import parse_target
from kpi.kinds import COUNT, JUDGED, RATE, TIMELY, UNIT_COST, YOY, MetricKind
from kpi.projects import build_project
from kpi.scoring import (
    Judgment,
    JudgmentError,
    Scored,
    WeightError,
    budget_score,
    check_weights,
    default_weights,
    grade,
    score_indicator,
)
from kpi.setup import SEED_TABLE

TOP, MIDDLE, BOTTOM = "达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差"
W = 10.0


def score(kind: MetricKind, target: str, actual: float | None, *, weight: float = W, **options) -> Scored:
    return score_indicator(kind, parse_target(target), actual, weight, **options)


def approx(expected: Scored) -> tuple:
    """The whole result, with the score compared to float precision (compare against astuple(result))."""
    return (expected.status, pytest.approx(expected.score), expected.tier, expected.overridden)


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("≥76 个案件", 38, Scored("not_met", 5.0, BOTTOM)),
        ("≥76 个案件", 60.8, Scored("not_met", 8.0, TOP)),  # 80 % of the target is the top tier's floor
        ("≥76 个案件", 76, Scored("met", 10.0, TOP)),
        ("≥76 个案件", 100, Scored("met", 10.0, TOP)),
        ("=3.00(家)", 0, Scored("not_met", 0.0, BOTTOM)),
        ("=3.00(家)", 2, Scored("not_met", 20 / 3, MIDDLE)),
        ("=3.00(家)", 3, Scored("met", 10.0, TOP)),
        ("=3.00(家)", 4, Scored("met", 10.0, TOP)),  # "=" on a count means reach it
        ("=100.00(%)", 0.975, Scored("not_met", 9.75, TOP)),
        ("=100.00(%)", 1.0, Scored("met", 10.0, TOP)),
        (">5", 4, Scored("not_met", 8.0, TOP)),
        (">5", 5, Scored("not_met", 10.0, TOP)),  # at a strict target: not met, yet weight × min(1, 1)
        (">5", 6, Scored("met", 10.0, TOP)),
        ("≥0", 0, Scored("met", 10.0, TOP)),
        (">0", 0, Scored("not_met", 10.0, TOP)),  # a zero target cannot be divided by: full ratio
    ],
)
def test_at_least_targets_score_weight_times_capped_ratio(target, actual, expected):
    assert astuple(score(COUNT, target, actual)) == approx(expected)


@pytest.mark.parametrize(
    ("target", "actual", "ratio_rule", "deviation_rule"),
    [
        ("≤260 元/人/案", 0, Scored("met", 10.0, TOP), Scored("met", 10.0, TOP)),
        ("≤260 元/人/案", 200, Scored("met", 10.0, TOP), Scored("met", 10.0, TOP)),
        ("≤260 元/人/案", 260, Scored("met", 10.0, TOP), Scored("met", 10.0, TOP)),
        ("≤260 元/人/案", 325, Scored("not_met", 8.0, TOP), Scored("not_met", 7.5, MIDDLE)),
        ("≤260 元/人/案", 390, Scored("not_met", 20 / 3, MIDDLE), Scored("not_met", 5.0, BOTTOM)),
        ("≤260 元/人/案", 520, Scored("not_met", 5.0, BOTTOM), Scored("not_met", 0.0, BOTTOM)),
        ("≤260 元/人/案", 2600, Scored("not_met", 1.0, BOTTOM), Scored("not_met", 0.0, BOTTOM)),
        ("<5 天", 4, Scored("met", 10.0, TOP), Scored("met", 10.0, TOP)),
        ("<5 天", 5, Scored("not_met", 10.0, TOP), Scored("not_met", 10.0, TOP)),  # at a strict cap
        ("≤0 元", 0, Scored("met", 10.0, TOP), Scored("met", 10.0, TOP)),
        ("≤0 元", 5, Scored("not_met", 0.0, BOTTOM), Scored("not_met", 0.0, BOTTOM)),
    ],
)
def test_at_most_targets_score_by_ratio_or_deviation_rule(target, actual, ratio_rule, deviation_rule):
    assert astuple(score(UNIT_COST, target, actual)) == approx(ratio_rule)
    assert astuple(score(UNIT_COST, target, actual, cost_rule="deviation")) == approx(deviation_rule)


@pytest.mark.parametrize(
    ("on_time_share", "expected"),
    [
        (0.0, Scored("not_met", 0.0, BOTTOM)),
        (0.5, Scored("not_met", 5.0, BOTTOM)),
        (2 / 3, Scored("not_met", 20 / 3, MIDDLE)),
        (1.0, Scored("met", 10.0, TOP)),
    ],
)
def test_timely_scores_the_on_time_share_as_a_rate_against_100_percent(on_time_share, expected):
    assert astuple(score(TIMELY, "及时", on_time_share)) == approx(expected)


@pytest.mark.parametrize(
    ("this_year", "baseline", "expected"),
    [
        (232, 265, Scored("met", 10.0, TOP)),
        (0, 265, Scored("met", 10.0, TOP)),
        (250, 250, Scored("not_met", 10.0, TOP)),  # no fewer disputes: not 提高, but min(1, 250 ÷ 250)
        (300, 250, Scored("not_met", 250 / 300 * 10, TOP)),
        (500, 250, Scored("not_met", 5.0, BOTTOM)),
    ],
)
def test_year_on_year_scores_baseline_over_this_year(this_year, baseline, expected):
    assert astuple(score(YOY, "同比提高", this_year / baseline - 1)) == approx(expected)


@pytest.mark.parametrize(
    ("tier", "given", "status"),
    [
        (TOP, 8.0, "met"),
        (TOP, 10.0, "met"),
        (MIDDLE, 6.0, "not_met"),
        (MIDDLE, 7.99, "not_met"),
        (BOTTOM, 0.0, "not_met"),
        (BOTTOM, 5.99, "not_met"),
    ],
)
def test_judged_indicator_takes_the_evaluators_tier_and_score(tier, given, status):
    assert score(JUDGED, "健全", None, judgment=Judgment(tier, given, "制度已印发")) == Scored(status, given, tier)


@pytest.mark.parametrize(
    ("tier", "given", "message"),
    [
        (TOP, 7.99, "「达成年度指标」的得分应在 [8.00, 10.00] 分之间，7.99 分超出了范围"),
        (TOP, 10.01, "「达成年度指标」的得分应在 [8.00, 10.00] 分之间，10.01 分超出了范围"),
        (MIDDLE, 8.0, "「部分达成年度指标并具有一定效果」的得分应在 [6.00, 8.00) 分之间，8.00 分超出了范围"),
        (MIDDLE, 5.99, "「部分达成年度指标并具有一定效果」的得分应在 [6.00, 8.00) 分之间，5.99 分超出了范围"),
        (BOTTOM, 6.0, "「未达成年度指标且效果较差」的得分应在 [0.00, 6.00) 分之间，6.00 分超出了范围"),
        (BOTTOM, -0.5, "「未达成年度指标且效果较差」的得分应在 [0.00, 6.00) 分之间，-0.50 分超出了范围"),
        (
            "基本达成",
            9.0,
            "档次「基本达成」不存在，应为：达成年度指标、部分达成年度指标并具有一定效果、未达成年度指标且效果较差",
        ),
    ],
)
def test_judged_score_outside_its_tier_band_is_refused_in_chinese(tier, given, message):
    with pytest.raises(JudgmentError) as err:
        score(JUDGED, "健全", None, judgment=Judgment(tier, given))
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("kind", "target"),
    [(JUDGED, "健全"), (TIMELY, "及时"), (YOY, "同比提高")],
)
def test_qualitative_indicator_without_data_is_pending_until_judged(kind, target):
    assert score(kind, target, None) == Scored("pending", 0.0)
    assert score(kind, target, None, judgment=Judgment(MIDDLE, 7.0)) == Scored("not_met", 7.0, MIDDLE)


def test_judged_indicator_stays_pending_whatever_its_evidence_counts():
    assert score(JUDGED, "健全", 3) == Scored("pending", 0.0)


@pytest.mark.parametrize(
    ("target", "actual", "override", "expected"),
    [
        ("≥76 个案件", 38, 5.9, Scored("not_met", 5.9, BOTTOM, overridden=True)),  # computed 5.00, band [0, 6)
        ("≥76 个案件", 38, 0.0, Scored("not_met", 0.0, BOTTOM, overridden=True)),
        ("≥76 个案件", 76, 8.0, Scored("met", 8.0, TOP, overridden=True)),  # computed 10.00, band [8, 10]
        ("≤260 元/人/案", 390, 6.0, Scored("not_met", 6.0, MIDDLE, overridden=True)),  # computed 6.67, band [6, 8)
    ],
)
def test_override_inside_the_computed_tier_replaces_the_score(target, actual, override, expected):
    assert score(COUNT, target, actual, judgment=Judgment("", override, "数据口径调整")) == expected


@pytest.mark.parametrize(
    ("target", "actual", "override", "message"),
    [
        ("≥76 个案件", 38, 6.0, "「未达成年度指标且效果较差」的得分应在 [0.00, 6.00) 分之间，6.00 分超出了范围"),
        ("≥76 个案件", 76, 7.9, "「达成年度指标」的得分应在 [8.00, 10.00] 分之间，7.90 分超出了范围"),
        (
            "≤260 元/人/案",
            390,
            8.0,
            "「部分达成年度指标并具有一定效果」的得分应在 [6.00, 8.00) 分之间，8.00 分超出了范围",
        ),
    ],
)
def test_override_outside_the_computed_tier_is_refused(target, actual, override, message):
    with pytest.raises(JudgmentError) as err:
        score(COUNT, target, actual, judgment=Judgment("", override, "数据口径调整"))
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("kind", "target"), [(COUNT, "≥76 个案件"), (UNIT_COST, "≤260 元/人/案"), (RATE, "=100.00(%)")]
)
def test_quantitative_indicator_without_data_is_no_data_scoring_zero(kind, target):
    assert score(kind, target, None) == Scored("no_data", 0.0)


def test_default_weights_split_the_seed_table_15_3_2():
    _, _, indicators = build_project(SEED_TABLE.read_bytes())
    weights = default_weights([i.level1 for i in indicators])
    assert weights == pytest.approx([50 / 15] * 15 + [10.0] * 3 + [5.0] * 2)
    check_weights(weights)  # with the budget's 10 they make exactly 100


@pytest.mark.parametrize(
    ("level1s", "weights"),
    [
        (["成本指标", "产出指标", "效益指标", "满意度指标"], [25.0, 25.0, 30.0, 10.0]),
        (["满意度指标", "成本指标", "效益指标", "效益指标", "满意度指标"], [5.0, 50.0, 15.0, 15.0, 5.0]),
    ],
)
def test_default_weights_split_each_group_evenly(level1s, weights):
    assert default_weights(level1s) == weights


def test_default_weights_refuse_an_unknown_level1():
    with pytest.raises(WeightError) as err:
        default_weights(["成本指标", "管理指标", "其他指标"])
    assert str(err.value) == "一级指标「其他指标、管理指标」不属于成本、产出、效益或满意度指标，无法自动分配分值"


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([50.0, 30.0, 11.0], "分值合计为 101.00 分（含预算执行率 10 分），比 100 分多 1.00 分"),
        ([50.0, 30.0, 9.5], "分值合计为 99.50 分（含预算执行率 10 分），比 100 分少 0.50 分"),
        ([3.33] * 15 + [10.0] * 3 + [5.0] * 2, "分值合计为 99.95 分（含预算执行率 10 分），比 100 分少 0.05 分"),
        ([], "分值合计为 10.00 分（含预算执行率 10 分），比 100 分少 90.00 分"),
        ([100.0, -10.0], "分值不能为负数"),
    ],
)
def test_check_weights_says_by_how_much_the_set_is_off(weights, message):
    with pytest.raises(WeightError) as err:
        check_weights(weights)
    assert str(err.value) == message


@pytest.mark.parametrize(("rate", "expected"), [(0.0, 0.0), (0.5, 5.0), (0.9653, 9.653), (1.0, 10.0), (1.2, 10.0)])
def test_budget_score_is_ten_times_the_capped_execution_rate(rate, expected):
    assert budget_score(rate) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (100.0, "优"),
        (90.0, "优"),
        (89.995, "优"),  # shown as 90.00 (the float lies just above 89.995)
        (89.994, "良"),  # shown as 89.99
        (89.99, "良"),
        (80.0, "良"),
        (79.99, "中"),
        (60.0, "中"),
        (59.99, "差"),
        (0.0, "差"),
    ],
)
def test_grade_follows_the_total_as_shown_to_two_decimals(total, expected):
    assert grade(total) == expected == grade(float(f"{total:.2f}"))
