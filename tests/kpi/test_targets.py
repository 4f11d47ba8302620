"""Reading 年度指标值 texts: every target of the seed table, the spellings staff paste, and the errors."""

import re

import pytest

from data_model.targets import Dimension, Target, TargetError, converted, dimension, fits, parse_target, parse_written
from kpi.projects import build_project
from kpi.setup import SEED_TABLE

# seq: (年度指标值, operator, value, unit, word, threshold), in the seed table's order.
SEED_TARGETS = {
    1: ("≤260 元/人/案", "≤", 260.0, "元/人/案", None, 260.0),
    2: ("≤2500 元/人/套", "≤", 2500.0, "元/人/套", None, 2500.0),
    3: ("≤20000 元/家", "≤", 20000.0, "元/家", None, 20000.0),
    4: ("≤3000 元/场", "≤", 3000.0, "元/场", None, 3000.0),
    5: ("≤1000 元/月", "≤", 1000.0, "元/月", None, 1000.0),
    6: ("=3.00(家)", "=", 3.0, "家", None, 3.0),
    7: ("=16.00(套)", "=", 16.0, "套", None, 16.0),
    8: ("=6.00(场)", "=", 6.0, "场", None, 6.0),
    9: ("=100.00(%)", "=", 100.0, "%", None, 1.0),
    10: ("≥76 个案件", "≥", 76.0, "个案件", None, 76.0),
    11: ("=100.00(%)", "=", 100.0, "%", None, 1.0),
    12: ("=100.00(%)", "=", 100.0, "%", None, 1.0),
    13: ("=100.00(%)", "=", 100.0, "%", None, 1.0),
    14: ("及时", None, None, "", "及时", None),
    15: ("及时", None, None, "", "及时", None),
    16: ("=100.00(%)", "=", 100.0, "%", None, 1.0),
    17: ("同比提高", None, None, "", "同比提高", None),
    18: ("健全", None, None, "", "健全", None),
    19: ("≥85.00(%)", "≥", 85.0, "%", None, 0.85),
    20: ("≥85.00(%)", "≥", 85.0, "%", None, 0.85),
}


def test_seed_table_targets_are_the_ones_tested_here():
    _, _, indicators = build_project(SEED_TABLE.read_bytes())
    assert {i.seq: i.target_text for i in indicators} == {seq: case[0] for seq, case in SEED_TARGETS.items()}


@pytest.mark.parametrize(
    ("text", "operator", "value", "unit", "word", "threshold"),
    SEED_TARGETS.values(),
    ids=[f"seed{n}" for n in SEED_TARGETS],
)
def test_parse_target_reads_every_seed_target(text, operator, value, unit, word, threshold):
    target = parse_target(text)
    assert target == Target(text, operator, value, unit, word)
    assert target.threshold == threshold
    assert target.is_qualitative is (word is not None)
    assert target.is_reverse is (operator == "≤")


@pytest.mark.parametrize(
    ("text", "expected", "threshold"),
    [
        ("<=260 元/人/案", Target("<=260 元/人/案", "≤", 260.0, "元/人/案"), 260.0),
        (">=76个案件", Target(">=76个案件", "≥", 76.0, "个案件"), 76.0),
        ("＝3（家）", Target("＝3（家）", "=", 3.0, "家"), 3.0),
        ("＜5 天", Target("＜5 天", "<", 5.0, "天"), 5.0),
        ("＞0", Target("＞0", ">", 0.0, ""), 0.0),
        ("＞=10", Target("＞=10", "≥", 10.0, ""), 10.0),
        ("≦ 1000", Target("≦ 1000", "≤", 1000.0, ""), 1000.0),
        ("==6", Target("==6", "=", 6.0, ""), 6.0),
        ("  ≥   85.00 ( % ) ", Target("≥ 85.00 ( % )", "≥", 85.0, "%"), 0.85),  # runs of spaces collapse
        ("≥\t85\n(%)", Target("≥ 85 (%)", "≥", 85.0, "%"), 0.85),
        ("≥85.00（%）", Target("≥85.00（%）", "≥", 85.0, "%"), 0.85),
        ("≥85%", Target("≥85%", "≥", 85.0, "%"), 0.85),
        ("≥85％", Target("≥85％", "≥", 85.0, "%"), 0.85),  # full-width percent sign from WPS
        ("=3.00（家)", Target("=3.00（家)", "=", 3.0, "家"), 3.0),  # mixed widths still pair
        ("≤20,000 元/家", Target("≤20,000 元/家", "≤", 20000.0, "元/家"), 20000.0),
        ("≥1,234,567.89元", Target("≥1,234,567.89元", "≥", 1234567.89, "元"), 1234567.89),
        ("≥0.5", Target("≥0.5", "≥", 0.5, ""), 0.5),
        ("≥-5 ℃", Target("≥-5 ℃", "≥", -5.0, "℃"), -5.0),
        ("≤+12.5 分", Target("≤+12.5 分", "≤", 12.5, "分"), 12.5),
        ("≤12.5%", Target("≤12.5%", "≤", 12.5, "%"), 0.125),
        # Full-width operators, digits and brackets as Word or WPS type them.
        ("＞＝85％", Target("＞＝85％", "≥", 85.0, "%"), 0.85),
        ("＜＝２６０元/人/案", Target("＜＝２６０元/人/案", "≤", 260.0, "元/人/案"), 260.0),
        ("＝３．００（家）", Target("＝３．００（家）", "=", 3.0, "家"), 3.0),
        ("≥８５　％", Target("≥８５ ％", "≥", 85.0, "%"), 0.85),  # an ideographic space is a space
        # A trailing （含）: the bound itself counts, so < and > become ≤ and ≥.
        ("≥85%（含）", Target("≥85%（含）", "≥", 85.0, "%"), 0.85),
        ("＞＝85％（含）", Target("＞＝85％（含）", "≥", 85.0, "%"), 0.85),
        ("＞85%（含）", Target("＞85%（含）", "≥", 85.0, "%"), 0.85),
        ("＜5 天 (含)", Target("＜5 天 (含)", "≤", 5.0, "天"), 5.0),
        ("=3.00(家)（含）", Target("=3.00(家)（含）", "=", 3.0, "家"), 3.0),
        ("≤2.6 万元/家", Target("≤2.6 万元/家", "≤", 2.6, "万元/家"), 2.6),  # compared in 万元, the target's unit
        ("及时", Target("及时", word="及时"), None),
        ("  基本健全 ", Target("基本健全", word="基本健全"), None),
        ("有效提升", Target("有效提升", word="有效提升"), None),
    ],
)
def test_parse_target_accepts_ascii_and_full_width_spellings(text, expected, threshold):
    target = parse_target(text)
    assert target == expected
    assert target.threshold == threshold


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "年度指标值为空"),
        ("   ", "年度指标值为空"),
        (None, "年度指标值为空"),
        ("3.00(家)", "年度指标值「3.00(家)」缺少比较符号（≤ ≥ = < >）"),
        ("85%", "年度指标值「85%」缺少比较符号（≤ ≥ = < >）"),
        ("-5", "年度指标值「-5」缺少比较符号（≤ ≥ = < >）"),
        ("≥", "年度指标值「≥」的比较符号后缺少数值"),
        ("≤ 元/人/案", "年度指标值「≤ 元/人/案」的比较符号后缺少数值"),
        (">=", "年度指标值「>=」的比较符号后缺少数值"),
        ("≧", "年度指标值「≧」的比较符号后缺少数值"),
        ("=3.00(家", "年度指标值「=3.00(家」的单位括号不配对"),
        ("=3.00家)", "年度指标值「=3.00家)」的单位括号不配对"),
        ("=3.00（家", "年度指标值「=3.00（家」的单位括号不配对"),
        ("=3.00)家(", "年度指标值「=3.00)家(」的单位括号不配对"),
        ("=3.00((家)", "年度指标值「=3.00((家)」的单位括号不配对"),
        ("≥85%（含", "年度指标值「≥85%（含」的单位括号不配对"),
        (
            "（含）≥85%",
            "年度指标值「（含）≥85%」无法识别：应为“比较符号 + 数值 + 单位”（如 ≥85.00(%)）或定性目标（如 及时）",
        ),
        ("约3家", "年度指标值「约3家」无法识别：应为“比较符号 + 数值 + 单位”（如 ≥85.00(%)）或定性目标（如 及时）"),
        ("=1,2,3", "年度指标值「=1,2,3」无法识别：应为“比较符号 + 数值 + 单位”（如 ≥85.00(%)）或定性目标（如 及时）"),
        (
            "≥85 或 ≥90",
            "年度指标值「≥85 或 ≥90」无法识别：应为“比较符号 + 数值 + 单位”（如 ≥85.00(%)）或定性目标（如 及时）",
        ),
    ],
)
def test_parse_target_refuses_unreadable_text_in_chinese(text, message):
    with pytest.raises(TargetError) as err:
        parse_target(text)
    assert str(err.value) == message


# unit: what it measures (None: money nothing converts), and its value of 1 in 元 when it is money.
UNITS = [
    ("%", Dimension.PERCENT, None),
    ("元", Dimension.MONEY, 1.0),
    ("元/人/案", Dimension.MONEY, 1.0),
    ("万元", Dimension.MONEY, 10_000.0),
    ("万元/家", Dimension.MONEY, 10_000.0),
    ("千元", None, None),
    ("美元/家", None, None),
    ("天", Dimension.DAYS, None),
    ("日", Dimension.DAYS, None),
    ("个工作日", Dimension.DAYS, None),
    ("家", Dimension.COUNT, None),
    ("个案件", Dimension.COUNT, None),
    ("人次", Dimension.COUNT, None),
    ("", Dimension.COUNT, None),
]


@pytest.mark.parametrize(("unit", "measures", "in_yuan"), UNITS)
def test_each_unit_measures_one_dimension_and_money_converts_through_yuan(unit, measures, in_yuan):
    assert dimension(unit) is measures
    if in_yuan is not None:
        assert converted(1.0, unit, "元") == in_yuan
        assert converted(in_yuan, "元", unit) == 1.0


@pytest.mark.parametrize(
    ("value", "unit", "to", "expected"),
    [
        (19_500.0, "元/家", "万元/家", 1.95),
        (1.95, "万元/家", "元/家", 19_500.0),
        (260.0, "元/人/案", "元/人", 260.0),
        (0.85, "%", "%", 0.85),
        (3.0, "家", "个", 3.0),
    ],
)
def test_converted_reads_a_value_in_another_unit(value, unit, to, expected):
    assert converted(value, unit, to) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("unit", "metric_unit", "expected"),
    [
        ("万元/家", "元/家", True),
        ("元/人", "元/人/案", True),
        ("元", "万元", True),
        ("%", "%", True),
        ("家", "家", True),
        ("个", "家", True),
        ("", "家", True),
        ("天", "天", True),
        ("%", "家", False),
        ("", "%", False),
        ("家", "%", False),
        ("天", "%", False),
        ("元/家", "家", False),
        ("千元/家", "元/家", False),
        ("", "元/家", False),
        ("天", "家", False),
        ("%", "元/家", False),
    ],
)
def test_a_target_unit_fits_a_metric_unit_of_the_same_dimension(unit, metric_unit, expected):
    assert fits(unit, metric_unit) is expected


@pytest.mark.parametrize(
    ("text", "level1", "expected"),
    [
        # no operator: ≤ for a 成本指标, = for a 100 % rate, ≥ otherwise; written into the text, marked inferred
        ("100%", "产出指标", Target("=100%", "=", 100.0, "%", inferred=True)),
        ("20万元", "成本指标", Target("≤20万元", "≤", 20.0, "万元", inferred=True)),
        ("43.2", "效益指标", Target("≥43.2", "≥", 43.2, "", inferred=True)),
        ("90%", "满意度指标", Target("≥90%", "≥", 90.0, "%", inferred=True)),
        ("100%", "成本指标", Target("≤100%", "≤", 100.0, "%", inferred=True)),
        ("９５％", "产出指标", Target("≥95%", "≥", 95.0, "%", inferred=True)),
        ("1,200 元/人/月", "成本指标", Target("≤1,200 元/人/月", "≤", 1200.0, "元/人/月", inferred=True)),
        ("100(百分比)", "产出指标", Target("=100(百分比)", "=", 100.0, "%", inferred=True)),
        # 百分比 is %, and an operator written is kept as it is
        ("≥85 百分比", "效益指标", Target("≥85 百分比", "≥", 85.0, "%")),
        ("＞＝９５％", "产出指标", Target("＞＝９５％", "≥", 95.0, "%")),
        ("效果明显", "效益指标", Target("效果明显", word="效果明显")),
    ],
)
def test_parse_written_infers_the_direction_of_a_target_printed_without_an_operator(text, level1, expected):
    assert parse_written(text, level1) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("元/人/案260", "年度指标值「元/人/案260」无法识别"),
        ("=(家)", "年度指标值「=(家)」的比较符号后缺少数值"),
        ("", "年度指标值为空"),
    ],
)
def test_parse_written_still_refuses_what_is_no_target(text, message):
    with pytest.raises(TargetError, match=re.escape(message)):
        parse_written(text, "产出指标")
