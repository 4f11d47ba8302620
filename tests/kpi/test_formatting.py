"""How actual values, percentages and money read in Chinese on every screen, printout and export."""

import pytest

from kpi.formatting import Shown, money, percent
from kpi.metrics import actual_text


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (None, 2, "—"),
        (0.975, 2, "97.50%"),
        (1.0, 2, "100.00%"),
        (2 / 3, 2, "66.67%"),
        (0.0, 2, "0.00%"),
        (0.5, 0, "50%"),
    ],
)
def test_percent_reads_a_fraction_as_a_percentage(value, digits, text):
    assert percent(value, digits) == text


@pytest.mark.parametrize(
    ("value", "text"), [(144800, "144,800.00"), (0.5, "0.50"), (1234567.891, "1,234,567.89"), (0, "0.00")]
)
def test_money_has_thousands_separators_and_two_decimals(value, text):
    assert money(value) == text


@pytest.mark.parametrize(
    ("key", "actual", "unit", "text"),
    [
        ("cost_per_subsidy_person", 225.0, "元/人/案", "225.00 元/人/案"),
        ("cost_per_event", 17600 / 7, "元/场", "2,514.29 元/场"),
        ("cost_per_subsidy_person", None, "元/人/案", "无数据"),
        ("equipment_sets", 15.0, "套", "15 套"),
        ("subsidy_cases", 1080.0, "个案件", "1,080 个案件"),
        ("sites_completed", 0.0, "家", "0 家"),
        ("platform_integration", 0.7, "%", "70.00%"),
        ("worker_satisfaction", 0.88, "%", "88.00%"),
        ("employer_satisfaction", None, "%", "无数据"),
        ("site_timeliness", 2 / 3, "", "按期比例 66.67%"),
        ("event_timeliness", 1.0, "", "按期比例 100.00%"),
        ("site_timeliness", None, "", "无数据"),
        ("dispute_yoy", -0.1245, "", "同比减少 12.45%"),
        ("dispute_yoy", 0.2, "", "同比增加 20.00%"),
        ("dispute_yoy", 0.0, "", "同比持平"),
        ("mechanism_judged", None, "", "定性评定"),
    ],
)
def test_actual_text_reads_each_kind_of_metric(key, actual, unit, text):
    assert actual_text(key, actual, unit) == text


YOY = Shown(percent=True, prefix="同比", changes=("增加", "减少", "持平"))


@pytest.mark.parametrize(
    ("shown", "value", "text", "number_format"),
    [
        (Shown(decimals=0, unit="套"), 1080.0, "1,080 套", '#,##0" 套"'),
        (Shown(decimals=0), 15.0, "15", '#,##0" "'),
        (Shown(unit="元/场"), 17600 / 7, "2,514.29 元/场", '#,##0.00" 元/场"'),
        (Shown(percent=True), 0.975, "97.50%", "0.00%"),
        (Shown(percent=True, prefix="按期比例 "), 2 / 3, "按期比例 66.67%", '"按期比例 "0.00%'),
        (YOY, -0.1245, "同比减少 12.45%", '"同比增加 "0.00%;"同比减少 "0.00%;"同比持平"'),
        (YOY, 0.0, "同比持平", '"同比增加 "0.00%;"同比减少 "0.00%;"同比持平"'),
    ],
)
def test_one_declaration_reads_as_text_and_as_the_workbooks_number_format(shown, value, text, number_format):
    assert (shown.text(value), shown.number_format()) == (text, number_format)
