"""Scoring rules of PRODUCT.md "Scoring" (version 2): one table per rule, exact scores, statuses and tiers."""

from dataclasses import astuple

import pytest

from data_model.targets import parse_target
from kpi.kinds import COUNT, JUDGED, MANUAL_TOTAL, RATE, TIMELY, UNIT_COST, YOY, MetricKind
from kpi.projects import build_project
from kpi.queries import Measure
from kpi.scoring import (
    TIERS,
    Judgment,
    JudgmentError,
    Scored,
    WeightError,
    budget_score,
    check_weights,
    default_weights,
    grade,
    points,
    renewed_weights,
    score_indicator,
)
from kpi.setup import SEED_TABLE

TOP, MIDDLE, BOTTOM = "达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差"
W = 10.0


def score(kind: MetricKind, target: str, actual: float | None, *, weight: float = W, **options) -> Scored:
    return score_indicator(kind, parse_target(target), actual, weight, **options)


def approx(expected: Scored) -> tuple:
    """The whole result, to compare against astuple(result): scores are in points, so they compare exactly."""
    return astuple(expected)


# A quantitative indicator has no tier (PRODUCT.md, Scoring version 2): every expectation below has tier None.
# Every score is rounded half-up to two decimals where it is scored (PRODUCT.md, Scoring version 2).


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3.125, 3.13),  # half-up, not to even (round() gives 3.12)
        (3.135, 3.14),
        (2.675, 2.68),  # the float is 2.67499999999999982236431605997495353221893310546875
        (3.33 * 0.375, 1.25),  # 1.2487499999999999: the exact product 1.24875 rounds up
        (50 / 15 * 15 / 16, 3.13),
        (3.33 * 15 / 16, 3.12),  # 3.121875
        (10 * 0.9653333333333334, 9.65),
        (20 / 3, 6.67),
        (0.005, 0.01),
        (0.0049, 0.0),
        (89.995, 90.0),
        (89.994, 89.99),
        (10.0, 10.0),
        (0.0, 0.0),
    ],
)
def test_points_round_half_up_to_two_decimals_on_the_number_the_float_stands_for(value, expected):
    assert points(value) == expected


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("≥76 个案件", 38, Scored("not_met", 5.0)),
        ("≥76 个案件", 60.8, Scored("not_met", 8.0)),  # 80 % of the target: no 达成 tier while not met
        ("≥76 个案件", 76, Scored("met", 10.0)),
        ("≥76 个案件", 100, Scored("met", 10.0)),
        ("=3.00(家)", 0, Scored("not_met", 0.0)),
        ("=3.00(家)", 2, Scored("not_met", 6.67)),  # 6.666…
        ("=3.00(家)", 3, Scored("met", 10.0)),
        ("=3.00(家)", 4, Scored("met", 10.0)),  # "=" on a count means reach it
        ("=16.00(套)", 15, Scored("not_met", 9.38)),  # 15 of 16 sets: 9.375 half-up, not 达成
        ("=100.00(%)", 0.975, Scored("not_met", 9.75)),
        ("=100.00(%)", 1.0, Scored("met", 10.0)),
        (">5", 4, Scored("not_met", 8.0)),
        (">5", 5, Scored("not_met", 10.0)),  # at a strict target: not met, yet weight × min(1, 1)
        (">5", 6, Scored("met", 10.0)),
        ("≥0", 0, Scored("met", 10.0)),
        (">0", 0, Scored("not_met", 10.0)),  # a zero target cannot be divided by: full ratio
    ],
)
def test_at_least_targets_score_weight_times_capped_ratio(target, actual, expected):
    assert astuple(score(COUNT, target, actual)) == approx(expected)


@pytest.mark.parametrize(
    ("kind", "target", "actual", "expected"),
    [
        (COUNT, "=0 起", 0, Scored("met", 10.0)),
        (COUNT, "=0 起", 1, Scored("not_met", 0.0)),
        (COUNT, "=0 起", 2, Scored("not_met", 0.0)),  # 2 accidents against 安全事故 = 0 起: no points at all
        (COUNT, "＝0起", 2, Scored("not_met", 0.0)),
        (MANUAL_TOTAL, "=0 起", 2, Scored("not_met", 0.0)),
        (RATE, "=0.00(%)", 0.01, Scored("not_met", 0.0)),
        (MANUAL_TOTAL, "=0 起", 0, Scored("met", 10.0)),
    ],
)
def test_equals_zero_is_zero_tolerance(kind, target, actual, expected):
    assert astuple(score(kind, target, actual)) == approx(expected)


@pytest.mark.parametrize(
    ("actual", "share", "level"),
    [
        (0, 0.5, "normal"),
        (1, 0.5, "warning"),  # one accident in June: the year is already lost, whatever the pro-rata path
        (2, 1.0, "warning"),
        (0, 1.0, "normal"),
    ],
)
def test_zero_tolerance_is_watched_as_lost_at_the_first_occurrence(actual, share, level):
    target = parse_target("=0 起")
    met, _ = COUNT.score(target, actual, W, "ratio")
    assert COUNT.monitor(Measure(actual, actual), target, share, met).level == level


@pytest.mark.parametrize(
    ("target", "actual", "ratio_rule", "deviation_rule"),
    [
        ("≤260 元/人/案", 0, Scored("met", 10.0), Scored("met", 10.0)),
        ("≤260 元/人/案", 200, Scored("met", 10.0), Scored("met", 10.0)),
        ("≤260 元/人/案", 260, Scored("met", 10.0), Scored("met", 10.0)),
        ("≤260 元/人/案", 325, Scored("not_met", 8.0), Scored("not_met", 7.5)),
        ("≤260 元/人/案", 390, Scored("not_met", 6.67), Scored("not_met", 5.0)),
        ("≤260 元/人/案", 520, Scored("not_met", 5.0), Scored("not_met", 0.0)),
        ("≤260 元/人/案", 2600, Scored("not_met", 1.0), Scored("not_met", 0.0)),
        ("<5 天", 4, Scored("met", 10.0), Scored("met", 10.0)),
        ("<5 天", 5, Scored("not_met", 10.0), Scored("not_met", 10.0)),  # at a strict cap
        ("≤0 元", 0, Scored("met", 10.0), Scored("met", 10.0)),
        ("≤0 元", 5, Scored("not_met", 0.0), Scored("not_met", 0.0)),
    ],
)
def test_at_most_targets_score_by_ratio_or_deviation_rule(target, actual, ratio_rule, deviation_rule):
    assert astuple(score(UNIT_COST, target, actual)) == approx(ratio_rule)
    assert astuple(score(UNIT_COST, target, actual, cost_rule="deviation")) == approx(deviation_rule)


@pytest.mark.parametrize(
    ("on_time_share", "expected"),
    [
        (0.0, Scored("not_met", 0.0)),
        (0.5, Scored("not_met", 5.0)),
        (2 / 3, Scored("not_met", 6.67)),
        (0.9, Scored("not_met", 9.0)),
        (1.0, Scored("met", 10.0)),
    ],
)
def test_timely_scores_the_on_time_share_as_a_rate_against_100_percent(on_time_share, expected):
    assert astuple(score(TIMELY, "及时", on_time_share)) == approx(expected)


@pytest.mark.parametrize(
    ("this_year", "baseline", "expected"),
    [
        (232, 265, Scored("met", 10.0)),
        (0, 265, Scored("met", 10.0)),
        (250, 250, Scored("not_met", 10.0)),  # no fewer disputes: not 提高, but min(1, 250 ÷ 250)
        (300, 250, Scored("not_met", 8.33)),
        (312.5, 250, Scored("not_met", 8.0)),  # up 25 %: not met, and no 达成 tier
        (500, 250, Scored("not_met", 5.0)),
    ],
)
def test_year_on_year_is_met_below_the_baseline_and_scores_baseline_over_this_year(this_year, baseline, expected):
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


# The bands of a 3.33-point indicator in points: 80 % is 2.664, read 2.66; 60 % is 1.998, read 2.00.
@pytest.mark.parametrize(
    ("tier", "given", "message"),
    [
        (TOP, 2.66, None),
        (TOP, 2.65, "「达成年度指标」的得分应在 [2.66, 3.33] 分之间，2.65 分超出了范围"),
        (MIDDLE, 2.65, None),
        (MIDDLE, 2.66, "「部分达成年度指标并具有一定效果」的得分应在 [2.00, 2.66) 分之间，2.66 分超出了范围"),
        (MIDDLE, 2.0, None),
        (BOTTOM, 1.99, None),
        (BOTTOM, 2.0, "「未达成年度指标且效果较差」的得分应在 [0.00, 2.00) 分之间，2.00 分超出了范围"),
    ],
)
def test_tier_bands_are_in_points_as_their_message_reads_them(tier, given, message):
    if message is None:
        assert score(JUDGED, "健全", None, weight=3.33, judgment=Judgment(tier, given)).tier == tier
    else:
        with pytest.raises(JudgmentError) as err:
            score(JUDGED, "健全", None, weight=3.33, judgment=Judgment(tier, given))
        assert str(err.value) == message


@pytest.mark.parametrize("weight", [3.33, 3.34, 5.0, 10.0, 16.67, 4.29])
def test_every_score_in_points_up_to_the_weight_falls_in_exactly_one_tier(weight):
    for cents in range(round(weight * 100) + 1):
        assert sum(t.contains(cents / 100, weight) for t in TIERS) == 1, cents


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
    ("kind", "target", "actual", "override", "expected"),
    [
        (COUNT, "≥76 个案件", 38, 4.0, Scored("not_met", 4.0, computed=5.0)),
        (COUNT, "≥76 个案件", 38, 5.0, Scored("not_met", 5.0, computed=5.0)),  # as computed: allowed
        (COUNT, "≥76 个案件", 38, 0.0, Scored("not_met", 0.0, computed=5.0)),
        (COUNT, "≥76 个案件", 76, 3.0, Scored("met", 3.0, computed=10.0)),  # far below the old band [8, 10]
        (COUNT, "=16.00(套)", 15, 9.37, Scored("not_met", 9.37, computed=9.38)),
        (COUNT, "=16.00(套)", 15, 9.38, Scored("not_met", 9.38, computed=9.38)),  # 9.375 is 9.38 points: as computed
        (COUNT, "=16.00(套)", 15, 9.371, Scored("not_met", 9.37, computed=9.38)),  # an override is in points too
        (UNIT_COST, "≤260 元/人/案", 390, 6.5, Scored("not_met", 6.5, computed=6.67)),
        (YOY, "同比提高", 0.25, 7.0, Scored("not_met", 7.0, computed=8.0)),
    ],
)
def test_override_lowers_the_computed_score_and_keeps_it(kind, target, actual, override, expected):
    assert astuple(score(kind, target, actual, judgment=Judgment(None, override, "数据口径调整"))) == approx(expected)


@pytest.mark.parametrize(
    ("kind", "target", "actual", "override", "message"),
    [
        (COUNT, "=16.00(套)", 15, 10.0, "得分只能调低：按数据计算为 9.38 分，10.00 分高于它"),  # 15 of 16 to full marks
        (COUNT, "≥76 个案件", 38, 5.01, "得分只能调低：按数据计算为 5.00 分，5.01 分高于它"),
        (UNIT_COST, "≤260 元/人/案", 390, 6.68, "得分只能调低：按数据计算为 6.67 分，6.68 分高于它"),
        (COUNT, "≥76 个案件", 76, -0.01, "调整后的得分不能为负数，-0.01 分超出了范围"),
    ],
)
def test_override_above_the_computed_score_or_below_zero_is_refused(kind, target, actual, override, message):
    with pytest.raises(JudgmentError) as err:
        score(kind, target, actual, judgment=Judgment(None, override, "数据口径调整"))
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("kind", "target", "actual", "over"),
    [
        (COUNT, "=6.00(场)", 7, False),  # 116.7 %: within 120 %
        (COUNT, "=6.00(场)", 7.2, True),  # exactly 120 %
        (COUNT, "=6.00(场)", 8, True),
        (COUNT, "≥76 个案件", 91, False),
        (COUNT, "≥76 个案件", 91.2, True),
        (COUNT, ">5", 6, True),
        (COUNT, "=3.00(家)", 2, False),  # short of the target: a shortfall, not an over-achievement
        (RATE, "≥85.00(%)", 1.0, False),  # 117.6 % of 85 %
        (RATE, "≥50.00(%)", 0.6, True),
        (UNIT_COST, "≤2500 元/人/套", 2000, True),  # exactly 80 % of the ceiling
        (UNIT_COST, "≤2500 元/人/套", 2001, False),
        (UNIT_COST, "≤260 元/人/案", 225, False),
        (UNIT_COST, "<1000 元/月", 700, True),
        (UNIT_COST, "≤260 元/人/案", 300, False),  # over the ceiling: a shortfall
        (COUNT, "=0 起", 0, False),  # nothing to exceed
        (COUNT, "≥0", 5, False),
        (TIMELY, "及时", 1.0, False),
        (YOY, "同比提高", -0.5, False),
    ],
)
def test_over_achievement_is_120_percent_of_a_floor_or_80_percent_of_a_ceiling(kind, target, actual, over):
    assert kind.over_achieved(parse_target(target), actual) is over


@pytest.mark.parametrize(
    ("kind", "target"), [(COUNT, "≥76 个案件"), (UNIT_COST, "≤260 元/人/案"), (RATE, "=100.00(%)")]
)
def test_quantitative_indicator_without_data_is_no_data_scoring_zero(kind, target):
    assert score(kind, target, None) == Scored("no_data", 0.0)


def test_default_weights_split_the_seed_table_15_3_2_by_largest_remainder():
    _, _, indicators = build_project(SEED_TABLE.read_bytes())
    weights = default_weights([i.level1 for i in indicators])
    assert weights == [3.34] * 5 + [3.33] * 10 + [10.0] * 3 + [5.0] * 2  # 5 × 3.34 + 10 × 3.33 = 50.00
    check_weights(weights)  # with the budget's 10 they make exactly 100


@pytest.mark.parametrize(
    ("level1s", "weights"),
    [
        (["成本指标", "产出指标", "效益指标", "满意度指标"], [25.0, 25.0, 30.0, 10.0]),
        (["满意度指标", "成本指标", "效益指标", "效益指标", "满意度指标"], [5.0, 50.0, 15.0, 15.0, 5.0]),
        (["成本指标"] * 3 + ["效益指标"] * 7, [16.67, 16.67, 16.66] + [4.29] * 4 + [4.28] * 3),
        # the cents left over go to each group's first indicators in table order, wherever they stand
        (
            ["产出指标", "满意度指标", "成本指标", "满意度指标", "满意度指标", "产出指标", "效益指标"],
            [16.67, 3.34, 16.67, 3.33, 3.33, 16.66, 30.0],
        ),
    ],
)
def test_default_weights_split_each_group_by_largest_remainder_in_table_order(level1s, weights):
    assert default_weights(level1s) == weights


OLD = 50 / 15  # the old default of a 成本/产出 indicator among 15, to the full float


@pytest.mark.parametrize(
    ("level1s", "weights", "renewed"),
    [
        (["成本指标"] * 5 + ["产出指标"] * 10, [OLD] * 15, [3.34] * 5 + [3.33] * 10),
        (["效益指标"] * 3, [10.0] * 3, [10.0] * 3),  # an exact even split is already the default
        (["效益指标"] * 7, [30 / 7] * 7, [4.29] * 4 + [4.28] * 3),
        # an admin's 成本/产出 weights stay; the 满意度 group still at the old default is renewed
        (
            ["成本指标", "产出指标", "产出指标", "满意度指标"] * 3,
            [16.0, 17.0, 17.0, 10 / 3] * 3,
            [16.0, 17.0, 17.0, 3.34, 16.0, 17.0, 17.0, 3.33, 16.0, 17.0, 17.0, 3.33],
        ),
        (["成本指标"] * 3, [16.67, 16.67, 16.66], [16.67, 16.67, 16.66]),  # already split so
        (["成本指标"] * 3, [16.66, 16.67, 16.67], [16.66, 16.67, 16.67]),  # another order, set by an admin
        (["成本指标"] * 2 + ["管理指标"], [OLD, OLD, 10.0], [OLD, OLD, 10.0]),  # not the even split of 2
        (["管理指标"] * 2, [5.0, 5.0], [5.0, 5.0]),  # outside the groups: as written
    ],
)
def test_weights_at_the_old_unrounded_default_get_the_largest_remainder_split(level1s, weights, renewed):
    assert renewed_weights(level1s, weights) == renewed


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
        ([49.995, 30.005, 10.0], "分值最多保留两位小数：49.995、30.005"),
        ([OLD] * 15 + [10.0] * 3 + [5.0] * 2, "分值最多保留两位小数：" + "、".join(["3.33333"] * 15)),
    ],
)
def test_check_weights_says_by_how_much_the_set_is_off(weights, message):
    with pytest.raises(WeightError) as err:
        check_weights(weights)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (0.0, 0.0),
        (0.5, 5.0),
        (0.9653, 9.65),
        (0.96533, 9.65),
        (0.9655, 9.66),
        (0.99995, 10.0),
        (1.0, 10.0),
        (1.2, 10.0),
    ],
)
def test_budget_score_is_ten_times_the_capped_execution_rate_in_points(rate, expected):
    assert budget_score(rate) == expected


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (100.0, "优"),
        (90.0, "优"),
        (89.99, "良"),
        (80.0, "良"),
        (79.99, "中"),
        (60.0, "中"),
        (59.99, "差"),
        (0.0, "差"),
    ],
)
def test_grade_follows_the_total_in_points(total, expected):
    assert grade(total) == expected
