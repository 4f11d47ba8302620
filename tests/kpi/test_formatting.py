"""How actual values, percentages and money read in Chinese on every screen, printout and export."""

import pytest

from data_model.targets import parse_target
from kpi.drilldown import value_text
from kpi.formatting import Shown, count, money, percent, quantity, target
from kpi.metrics import actual_text


@pytest.mark.parametrize(
    ("shown", "text"),
    [
        # Rates: a fraction in percent, always two decimals, so 93.75 % reads alike in a table and a chart.
        (percent(None), "—"),
        (percent(0.975), "97.50%"),
        (percent(0.9375), "93.75%"),
        (percent(2 / 3), "66.67%"),
        (percent(0.0), "0.00%"),
        # Money: thousands separators and two decimals, in 元 or converted to 万元.
        (money(144800), "144,800.00"),
        (money(2600), "2,600.00"),
        (money(0.5), "0.50"),
        (money(1234567.891), "1,234,567.89"),
        (money(0), "0.00"),
        (money(150000, "元"), "150,000.00 元"),
        (money(150000, "万元"), "15.00 万元"),
        (money(19500, "万元"), "1.95 万元"),
        # Counts of whole things: integers, rounded half up (a path at 0.25 家 reads 0, at 0.75 reads 1).
        (count(0.25), "0"),
        (count(0.75), "1"),
        (count(1.36), "1"),
        (count(59.5), "60"),
        (count(1080.4), "1,080"),
        # A value in a unit: a rate in percent, money in two decimals, whole things whole, any other amount as is.
        (quantity(None, "家", whole=True), "—"),
        (quantity(0.75, "家", whole=True), "1 家"),
        (quantity(59.03, "个案件", whole=True), "59 个案件"),
        (quantity(1.36, "套", whole=True), "1 套"),
        (quantity(0.3, "吨"), "0.3 吨"),
        (quantity(12.25, "人次"), "12.25 人次"),
        (quantity(16.0, ""), "16"),
        (quantity(0.95, "%"), "95.00%"),
        (quantity(260, "元/人/案"), "260.00 元/人/案"),
        (quantity(17600 / 7, "元/场"), "2,514.29 元/场"),
        (quantity(1.5, "万元/家", whole=True), "1.50 万元/家"),
        # Targets, from the parsed 年度指标值: the operator, the number without trailing zeros, the unit.
        (target(parse_target("≥76 个案件")), "≥ 76 个案件"),
        (target(parse_target("=16.00(套)")), "= 16 套"),
        (target(parse_target("=3.00(家)")), "= 3 家"),
        (target(parse_target("=100.00(%)")), "= 100%"),
        (target(parse_target("≥85.00(%)")), "≥ 85%"),
        (target(parse_target("≤260 元/人/案")), "≤ 260 元/人/案"),
        (target(parse_target("<=2.6 万元/家")), "≤ 2.6 万元/家"),
        (target(parse_target("≥1,200 人次")), "≥ 1,200 人次"),
        (target(parse_target("＜5（天）")), "< 5 天"),
        (target(parse_target("=0 起")), "= 0 起"),
        (target(parse_target("及时")), "及时"),
        (target(parse_target("同比提高")), "同比提高"),
    ],
)
def test_numbers_read_alike_everywhere(shown, text):
    assert shown == text


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


@pytest.mark.parametrize(
    ("key", "value", "unit", "text"),
    [
        # Whole things: the pro-rata path of 3 sites in March (0.75), 16 sets in January (1.36), 76 cases in October.
        ("sites_completed", 0.75, "家", "1 家"),
        ("sites_completed", 0.25, "家", "0 家"),
        ("equipment_sets", 16 * 31 / 366, "套", "1 套"),
        ("subsidy_cases", 59.03, "个案件", "59 个案件"),
        ("events_held", 4.5, "场", "5 场"),
        ("dispute_yoy", 412.0, "", "412 件"),  # the dispute totals it is watched on
        # Rates and on-time shares in percent, unit costs as money.
        ("worker_satisfaction", 0.85, "%", "85.00%"),
        ("site_timeliness", 2 / 3, "", "66.67%"),
        ("cost_per_subsidy_person", 260.0, "元/人/案", "260.00 元/人/案"),
        ("cost_per_event", None, "元/场", "—"),
    ],
)
def test_expected_and_forecast_values_read_by_the_metrics_kind(key, value, unit, text):
    assert value_text(key, value, unit) == text
