"""The figures: Chinese text throughout, status colours, units in hover texts, the picked month or category marked."""

import re
from datetime import date

import pytest

from kpi import charts, overview_charts
from kpi.drilldown import Point, Series, SitePlan
from kpi.monitoring import LIGHT_COLOURS
from kpi.sources import Breakdown
from kpi.spending import LineSeries, MonthSpend
from kpi.trend import MonthTotal, Part

EVENTS = Series(
    "events_held",
    "场",
    6.0,
    "年度目标：= 6 场",
    True,
    False,
    [
        Point(1, date(2024, 1, 31), 0, 0.51, "red"),
        Point(2, date(2024, 2, 29), 1, 0.98, "green"),
        Point(3, date(2024, 3, 31), 2, 1.49, "green"),
    ],
    "序时应达",
)
SITES_BUILT = Series(
    "sites_completed",
    "家",
    3.0,
    "年度目标：= 3 家",
    True,
    False,
    [Point(5, date(2024, 5, 31), 0, 0.0, "green"), Point(6, date(2024, 6, 30), 0, 1.0, "red")],
    "按计划应达",
)
RATE = Series(
    "complaint_resolution",
    "%",
    1.0,
    "年度目标：= 100%",
    False,
    True,
    [
        Point(1, date(2024, 1, 31), 1.0, None, "green"),
        Point(2, date(2024, 2, 29), 0.5, None, "red"),
    ],
    "应达到",
)
SOURCES = Breakdown("投诉处置", "来源", "件", [("12345热线", 3.0), ("来访", 2.0)])
SITES = [
    SitePlan("北站", "党群服务站", "北片", date(2024, 3, 31), date(2024, 3, 20), "按期建成", "green"),
    SitePlan("商圈站", "商圈", "中片", date(2024, 6, 15), date(2024, 7, 10), "逾期建成", "red"),
    SitePlan("村居站", "党群服务站", "南片", date(2024, 9, 30), None, "未到计划日期", "grey"),
]


def line(name: str, planned: float, spent: list[float], light: str = "green", overrun: float = 0.0) -> LineSeries:
    months, total = [], 0.0
    for month, paid in enumerate(spent, start=1):
        total += paid
        months.append(MonthSpend(month, paid, total, planned * month / 12))
    return LineSeries(
        name,
        planned,
        total,
        planned * len(spent) / 12,
        total / planned,
        light,
        "超支" if overrun else "正常",
        overrun,
        months,
    )


PLATFORM = line("平台维护费用", 12000, [6000, 0, 7000], "red", 1000)
SUBSIDY = line("以案定补工作经费", 20000, [0, 5000, 0])

PARTS = [Part("预算执行率", 9.65, 10.0), Part("成本指标", 16.7, 16.7), Part("效益指标", 19.75, 30.0)]
TOTALS = [
    MonthTotal(1, date(2024, 1, 31), 58.4, "差", True),
    MonthTotal(2, date(2024, 2, 29), 61.07, "中", True),
    MonthTotal(3, date(2024, 3, 15), 63.5, "中", False),
]

FIGURES = {
    "composition": lambda: overview_charts.composition_figure(PARTS),
    "totals": lambda: overview_charts.totals_figure(TOTALS),
    "series": lambda: charts.series_figure(EVENTS),
    "milestones": lambda: charts.series_figure(SITES_BUILT),
    "rate": lambda: charts.series_figure(RATE),
    "breakdown": lambda: charts.breakdown_figure(SOURCES),
    "sites": lambda: charts.sites_figure(SITES, date(2024, 6, 30)),
    "budget_lines": lambda: charts.budget_lines_figure([SUBSIDY, PLATFORM], 0.25),
    "budget_months": lambda: charts.budget_month_figure(PLATFORM),
}


def visible_texts(fig) -> list[str]:
    """Titles, legend names, bar labels and hover templates, without Plotly's placeholders and markup."""
    texts = [fig.layout.title.text] + [a.text for a in fig.layout.annotations]
    for trace in fig.data:
        texts += [trace.name or "", trace.hovertemplate or ""] + [str(t) for t in (getattr(trace, "text", None) or ())]
    return [re.sub(r"%\{[^}]*\}|<[^>]*>", "", t) for t in texts]


@pytest.mark.parametrize("name", FIGURES)
def test_every_text_a_figure_shows_is_chinese(name):
    fig = FIGURES[name]()
    assert [t for t in visible_texts(fig) if re.search(r"[A-Za-z]", t)] == []
    assert (
        fig.layout.font.family.startswith("Noto Sans CJK SC")
        and fig.layout.xaxis.fixedrange
        and fig.layout.yaxis.fixedrange
    )


def test_series_points_take_their_status_colour_with_hover_texts_in_the_units():
    path, target, actual = charts.series_figure(EVENTS).data
    assert list(actual.marker.color) == [LIGHT_COLOURS["red"], LIGHT_COLOURS["green"], LIGHT_COLOURS["green"]]
    assert [row[:2] for row in actual.customdata] == [[1, "0 场"], [2, "1 场"], [3, "2 场"]]
    assert [row[1] for row in path.customdata] == ["1 场", "1 场", "1 场"]  # 0.51, 0.98, 1.49: whole events
    assert path.line.dash == "dash"
    assert (path.name, path.hovertemplate) == ("序时应达", "%{x}　序时应达：%{customdata[1]}<extra></extra>")
    assert (target.name, list(target.y), target.hoverinfo) == ("年度目标：= 6 场", [6.0] * 3, "skip")


def test_a_milestone_count_is_drawn_against_its_plan_not_a_pro_rata_path():
    path, _, _ = charts.series_figure(SITES_BUILT).data
    assert (path.name, list(path.y), [row[1] for row in path.customdata]) == (
        "按计划应达",
        [0.0, 1.0],
        ["0 家", "1 家"],
    )
    assert path.hovertemplate == "%{x}　按计划应达：%{customdata[1]}<extra></extra>"


def test_a_rate_has_a_percent_axis_and_no_pro_rata_path():
    fig = charts.series_figure(RATE)
    assert [trace.name for trace in fig.data] == ["年度目标：= 100%", "实际完成"]
    assert fig.layout.yaxis.tickformat == ".0%"
    assert [row[1] for row in fig.data[1].customdata] == ["100.00%", "50.00%"]


def test_the_picked_month_stands_out_on_the_series():
    actual = charts.series_figure(EVENTS, picked_month=2).data[-1]
    assert list(actual.marker.size) == [11, 18, 11]


def test_meeting_mode_draws_markers_half_as_large_again_once_per_build():
    large = charts.series_figure(EVENTS, picked_month=2, large=True)
    assert list(large.data[-1].marker.size) == [16.5, 27, 16.5]
    assert list(charts.series_figure(EVENTS, picked_month=2, large=True).data[-1].marker.size) == [16.5, 27, 16.5]


@pytest.mark.parametrize(
    ("picked", "colours"),
    [
        (None, [charts.BAR, charts.BAR]),
        ("来源：来访", ["rgba(91, 143, 199, 0.35)", charts.BAR]),
        ("片区：北片", [charts.BAR, charts.BAR]),  # a category of another breakdown fades nothing here
    ],
)
def test_a_picked_category_keeps_its_colour_and_the_others_fade(picked, colours):
    bars = charts.breakdown_figure(SOURCES, picked).data[0]
    assert list(bars.marker.color) == colours
    assert [row[0] for row in bars.customdata] == ["来源：12345热线", "来源：来访"]
    assert list(bars.text) == ["3 件", "2 件"]


def test_sites_show_planned_dates_and_actual_dates_in_their_status_colour():
    planned, actual = [trace for trace in charts.sites_figure(SITES, date(2024, 6, 30)).data if trace.mode == "markers"]
    assert list(planned.y) == ["北站", "商圈站", "村居站"]
    assert list(actual.y) == ["北站", "商圈站"]  # 村居站 is not built yet
    assert list(actual.marker.color) == [LIGHT_COLOURS["green"], LIGHT_COLOURS["red"]]
    assert [row[2] for row in actual.customdata] == ["按期建成", "逾期建成"]


def test_budget_lines_show_an_overrun_in_red_against_the_elapsed_share():
    fig = charts.budget_lines_figure([SUBSIDY, PLATFORM], 0.25)
    bars = fig.data[0]
    assert list(bars.marker.color) == [LIGHT_COLOURS["green"], LIGHT_COLOURS["red"]]
    assert list(bars.text) == ["25.00%", "108.33%　超支 1,000.00 元"]
    assert fig.layout.shapes[0].x0 == 0.25 and fig.layout.annotations[0].text == "序时进度 25.00%"


def test_budget_months_mark_the_cumulative_spend_beyond_the_budget():
    spent, path, budget, cumulative = charts.budget_month_figure(PLATFORM).data
    assert list(spent.y) == [6000, 0, 7000] and budget.name == "预算 12,000.00 元"
    assert list(cumulative.marker.color) == [charts.INK, charts.INK, LIGHT_COLOURS["red"]]
    assert [row[1:] for row in cumulative.customdata] == [
        ["6,000.00", "50.00%"],
        ["6,000.00", "50.00%"],
        ["13,000.00", "108.33%"],
    ]


LINK, BIG = '<a href="http://x">点我</a>', '<span style="font-size:60px">大字</span>'
HOSTILE = {
    "series": lambda: charts.series_figure(
        Series("events_held", BIG, 6.0, f"年度目标：{LINK}", True, False, EVENTS.points, "序时应达")
    ),
    "breakdown": lambda: charts.breakdown_figure(Breakdown("普法活动", "行业", "场", [(LINK, 3.0), (BIG, 2.0)])),
    "sites": lambda: charts.sites_figure(
        [SitePlan(LINK, "商圈", "北片", date(2024, 3, 31), date(2024, 3, 20), "按期建成", "green")], date(2024, 6, 30)
    ),
    "budget_lines": lambda: charts.budget_lines_figure([line(LINK, 12000, [6000]), line(BIG, 12000, [0])], 0.25),
    "budget_months": lambda: charts.budget_month_figure(line(LINK, 12000, [6000, 100])),
}


def shown_strings(fig) -> list[str]:
    """Every string Plotly renders as text: titles, legend names, axis categories, bar labels, hover texts."""
    texts = [fig.layout.title.text] + [a.text for a in fig.layout.annotations]
    for trace in fig.data:
        texts += [trace.name or "", trace.hovertemplate or ""]
        texts += [str(v) for v in (*(trace.y or ()), *(getattr(trace, "text", None) or ()))]
        texts += [str(v) for row in (trace.customdata or ()) for v in row[1:]]  # customdata[0] is what a click picks
    return texts


@pytest.mark.parametrize("name", HOSTILE)
def test_text_from_the_data_shows_literally_never_as_a_link_or_styled(name):
    fig = HOSTILE[name]()
    tags = {tag for text in shown_strings(fig) for tag in re.findall(r"</?(\w+)", text)}
    assert tags <= {"br", "extra"}  # Plotly's own line breaks and hover boxes, nothing from the data
    assert any('&lt;a href="http://x"&gt;点我' in text or "&lt;span style=" in text for text in shown_strings(fig))


def test_a_click_still_picks_the_category_as_stored():
    bars = HOSTILE["breakdown"]().data[0]
    assert [row[0] for row in bars.customdata] == [f"行业：{LINK}", f"行业：{BIG}"]
    assert list(bars.y) == [
        '&lt;a href="http://x"&gt;点我&lt;/a&gt;',
        '&lt;span style="font-size:60px"&gt;大字&lt;/span&gt;',
    ]


def test_the_score_composition_draws_each_parts_points_over_its_points_available():
    available, achieved = overview_charts.composition_figure(PARTS, "效益指标").data
    assert (available.name, list(available.x), list(available.y)) == (
        "分值",
        [10.0, 16.7, 30.0],
        ["预算执行率", "成本指标", "效益指标"],
    )
    assert (achieved.name, list(achieved.x)) == ("得分", [9.65, 16.7, 19.75])
    assert list(available.text) == ["9.65 / 10.00", "16.70 / 16.70", "19.75 / 30.00"]  # at the end of the bar
    assert [row[0] for row in achieved.customdata] == ["预算执行率", "成本指标", "效益指标"]  # what a click picks
    assert [row[3] for row in achieved.customdata] == ["96.50%", "100.00%", "65.83%"]
    faded = "rgba(91, 143, 199, 0.35)"
    assert list(achieved.marker.color) == [faded, faded, charts.BAR]  # the picked part stands out


def test_the_total_by_month_marks_provisional_points_hollow_with_the_grade_in_the_hover_text():
    fig = overview_charts.totals_figure(TOTALS, picked_month=3)
    line, settled, provisional = fig.data
    assert (list(line.x), list(line.y)) == ([1, 2, 3], [58.4, 61.07, 63.5])
    assert (settled.name, list(settled.x), settled.marker.symbol) == ("总分", [3], "circle")
    assert (provisional.name, list(provisional.x), provisional.marker.symbol) == (
        "总分（暂定：尚有定性指标待评定）",
        [1, 2],
        "circle-open",
    )
    assert [row[:3] for row in provisional.customdata] == [[1, "58.40", "差（暂定）"], [2, "61.07", "中（暂定）"]]
    assert [row[3] for row in settled.customdata] == ["3月15日"]  # the as-of date, not the month's end
    assert (list(fig.layout.xaxis.ticktext), fig.layout.xaxis.title.text) == (["1", "2", "3"], "月份")
    assert (list(settled.marker.size), list(provisional.marker.size)) == ([18], [11, 11])  # the as-of month
    assert [(shape.y0, a.text) for shape, a in zip(fig.layout.shapes, fig.layout.annotations)] == [
        (90, "优 90"),
        (80, "良 80"),
        (60, "中 60"),
    ]
