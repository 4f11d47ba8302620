"""Reading 年度指标值 texts: every target of the seed table, the spellings staff paste, and the errors."""

import pytest

from data_model.targets import Target, TargetError, parse_target
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
