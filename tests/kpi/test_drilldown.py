"""Drill-down data on hand-made records: monthly series, breakdowns, sites, source rows, budget by month, warnings."""

from datetime import date

import pytest
from sqlalchemy import event as sql_event
from sqlmodel import select

from data_model.db import make_engine, session
from data_model.models import Indicator
from data_model.projects import find_project
from kpi import drilldown, sources, spending
from kpi.evaluate import evaluate
from tests.helpers import approx_or_none
from tests.kpi.records import (
    EVENT_LINE,
    PLATFORM_LINE,
    SUBSIDY_LINE,
    answer,
    complaint,
    d,
    event,
    insert,
    manual,
    mechanism,
    pay,
    sets,
    site,
    subsidy,
)

SITES_BUILT, SITES, EVENTS_HELD, COMPLAINTS, MECHANISM, EMPLOYERS = 6, 14, 8, 16, 18, 20


def with_(spec, **values):
    model, fields = spec
    return model, fields | values


@pytest.mark.parametrize(
    ("as_of", "points"),
    [
        # month, the day it is seen on, actual, pro-rata path (6 × the share of the year elapsed), light
        (
            date(2024, 5, 31),
            [
                (1, d(1, 31), 0, 0.5082, "red"),
                (2, d(2, 29), 1, 0.9836, "green"),
                (3, d(3, 31), 2, 1.4918, "green"),
                (4, d(4, 30), 2, 1.9836, "green"),
                (5, d(5, 31), 3, 2.4918, "green"),
            ],
        ),
        (
            date(2024, 3, 15),
            [(1, d(1, 31), 0, 0.5082, "red"), (2, d(2, 29), 1, 0.9836, "green"), (3, d(3, 15), 2, 1.2295, "green")],
        ),
    ],
)
def test_monthly_series_is_the_indicator_at_each_month_end_against_its_pro_rata_path(db, project, as_of, points):
    insert(db, project.id, [event(d(2, 10)), event(d(3, 5)), event(d(5, 20)), event(d(6, 1))])
    series = drilldown.detail(db, project, as_of, EVENTS_HELD).series
    got = [(p.month, p.as_of, p.actual, round(p.expected, 4), p.light) for p in series.points]
    assert got == points
    assert (series.target, series.target_label, series.cumulative, series.rate) == (
        6.0,
        "年度目标：= 6 场",
        True,
        False,
    )


def test_the_monthly_series_of_a_milestone_count_follows_its_plan_not_a_pro_rata_path(db, project):
    insert(db, project.id, [site(d(3, 31), d(3, 20)), site(d(6, 30), d(7, 10)), site(d(9, 30))])
    series = drilldown.detail(db, project, date(2024, 10, 31), SITES_BUILT).series
    assert [(p.month, p.actual, p.expected, p.light) for p in series.points] == [
        (1, 0, 0, "green"),  # nothing due yet: pro rata would expect 0.25 and show red
        (2, 0, 0, "green"),
        (3, 1, 1, "green"),
        (4, 1, 1, "green"),
        (5, 1, 1, "green"),
        (6, 1, 2, "red"),  # the June site is late
        (7, 2, 2, "green"),
        (8, 2, 2, "green"),
        (9, 2, 3, "red"),  # the September site is overdue
        (10, 2, 3, "red"),
    ]
    assert (series.target, series.cumulative, series.path) == (3.0, True, "按计划应达")
    assert drilldown.detail(db, project, date(2024, 10, 31), EVENTS_HELD).series.path == "序时应达"


def test_an_overdue_milestone_is_warned_of_with_its_plan_and_what_the_plan_still_gives(db, project):
    insert(db, project.id, [site(d(3, 31), d(3, 20)), site(d(6, 30)), site(d(9, 30))])
    warnings = {w.seq: w for w in drilldown.behind_pace(evaluate(db, project, date(2024, 7, 31)))}
    assert (warnings[SITES_BUILT].light, warnings[SITES_BUILT].expected, warnings[SITES_BUILT].gap) == (
        "red",
        "2 家",
        0.5,
    )
    assert (warnings[SITES_BUILT].actual, warnings[SITES_BUILT].forecast) == ("1 家", "2 家")  # the June site is late
    assert SITES_BUILT not in {w.seq for w in drilldown.behind_pace(evaluate(db, project, date(2024, 5, 31)))}


def test_a_rate_is_drawn_in_percent_against_its_target_without_a_pro_rata_path(db, project):
    insert(db, project.id, [complaint(d(1, 5), d(1, 9)), complaint(d(2, 5)), complaint(d(2, 8), d(3, 1))])
    series = drilldown.detail(db, project, date(2024, 3, 31), COMPLAINTS).series
    assert [(p.actual, p.expected, p.light) for p in series.points] == [
        (1.0, None, "green"),
        (1 / 3, None, "red"),
        (2 / 3, None, "red"),
    ]
    assert (series.target, series.rate, series.cumulative) == (1.0, True, False)


def test_a_series_point_is_exactly_the_indicator_evaluated_on_its_own_day(db, project):
    """The month ends share one query grouped by month; each point must still count only what its own
    evaluation counts: a record on the as-of day, not the day after, and one from the year before."""
    insert(
        db,
        project.id,
        [
            pay(d(12, 30, 2023), 500, SUBSIDY_LINE),
            pay(d(1, 31), 1000, SUBSIDY_LINE),
            pay(d(2, 1), 2000, SUBSIDY_LINE),
            pay(d(3, 15), 400, SUBSIDY_LINE),
            pay(d(3, 16), 800, SUBSIDY_LINE),
            pay(d(2, 10), 9000, EVENT_LINE),
            subsidy(d(12, 31, 2023), 2),
            subsidy(d(1, 31), 3),
            subsidy(d(3, 15), 1),
            subsidy(d(3, 16), 4),
            event(d(2, 29)),
            event(d(3, 15), planned=d(3, 1), on_theme=False),
            event(d(3, 16)),
            answer("用工单位", "满意", d(1, 1)),
            answer("用工单位", "不满意", d(3, 15)),
            answer("劳动者", "满意", d(3, 16)),
        ],
    )
    as_of = date(2024, 3, 15)
    indicators = db.exec(select(Indicator).where(Indicator.project_id == project.id).order_by(Indicator.seq)).all()
    for ind in indicators:
        series = drilldown.indicator_series(db, project, ind, as_of)
        if series is None:
            continue
        for point in series.points:
            alone = next(r for r in evaluate(db, project, point.as_of).indicators if r.seq == ind.seq)
            assert (point.actual, point.light) == (alone.actual, alone.light), (ind.seq, point.as_of)
    cost = drilldown.indicator_series(db, project, indicators[0], as_of)  # 以案定补 spend ÷ persons
    assert [p.actual for p in cost.points] == [1500 / 5, 3500 / 5, 3900 / 6]


def test_a_series_reads_each_table_once_however_many_month_ends_it_has(db, project):
    insert(
        db,
        project.id,
        [pay(d(m, 10), 100, SUBSIDY_LINE) for m in range(1, 13)] + [subsidy(d(m, 10)) for m in range(1, 13)],
    )
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731  (conn, cursor, statement, …)
    sql_event.listen(db.get_bind(), "before_cursor_execute", listener)
    try:
        series = drilldown.indicator_series(
            db,
            project,
            db.exec(select(Indicator).where(Indicator.project_id == project.id, Indicator.seq == 1)).one(),
            date(2024, 12, 31),
        )
    finally:
        sql_event.remove(db.get_bind(), "before_cursor_execute", listener)
    assert [p.actual for p in series.points] == [100.0] * 12
    assert [sum(f"FROM {table}" in q for q in statements) for table in ("expense", "casesubsidy")] == [1, 1]


def test_every_sample_series_point_is_the_indicator_evaluated_on_its_own_day(sample_url):
    engine = make_engine(sample_url)
    with session(engine) as s:
        project = find_project(s)
        for as_of in (date(2024, 11, 20), date(2024, 12, 31)):
            for ind in s.exec(select(Indicator).where(Indicator.project_id == project.id).order_by(Indicator.seq)):
                series = drilldown.indicator_series(s, project, ind, as_of)
                for point in series.points if series else ():
                    alone = next(r for r in evaluate(s, project, point.as_of).indicators if r.seq == ind.seq)
                    assert point.actual == approx_or_none(alone.actual, rel=1e-12) and point.light == alone.light, (
                        ind.seq,
                        point.as_of,
                    )
    engine.dispose()


def test_a_judged_indicator_has_no_series_but_lists_its_evidence(db, project):
    insert(db, project.id, [mechanism(d(4, 1))])
    detail = drilldown.detail(db, project, date(2024, 12, 31), MECHANISM)
    assert detail.series is None
    [evidence] = drilldown.rows_behind(db, project, date(2024, 12, 31), MECHANISM)
    assert (evidence.title, len(evidence.rows)) == ("已印发的长效机制", 1)


def test_breakdowns_count_only_the_rows_the_number_counted_in_the_sheets_order(db, project):
    insert(
        db,
        project.id,
        [
            with_(complaint(d(1, 3), d(1, 5)), source="来访"),
            with_(complaint(d(2, 3)), source="12345热线"),
            with_(complaint(d(2, 9), d(2, 10)), source="来访"),
            with_(complaint(d(2, 4)), source="来电", valid=False),
            with_(complaint(d(7, 1)), source="其他"),  # after the as-of date
        ],
    )
    [by_source] = drilldown.detail(db, project, date(2024, 6, 30), COMPLAINTS).breakdowns
    assert (by_source.header, by_source.unit, by_source.items) == ("来源", "件", [("12345热线", 1.0), ("来访", 2.0)])


def test_events_break_down_by_area_industry_and_audience_largest_first(db, project):
    insert(
        db,
        project.id,
        [
            with_(event(d(3, 1)), area="北片", industry="制造业", audience="农民工"),
            with_(event(d(4, 1)), area="南片", industry="制造业", audience="农民工"),
            with_(event(d(5, 1)), area="南片", industry="建筑业", audience="企业管理人员"),
        ],
    )
    got = {b.header: b.items for b in drilldown.detail(db, project, date(2024, 12, 31), EVENTS_HELD).breakdowns}
    assert got == {
        "片区": [("南片", 2.0), ("北片", 1.0)],
        "行业": [("制造业", 2.0), ("建筑业", 1.0)],
        "人群": [("农民工", 2.0), ("企业管理人员", 1.0)],
    }


def test_survey_answers_break_down_in_rating_order_for_the_indicators_respondents_only(db, project):
    insert(
        db,
        project.id,
        [answer("用工单位", r) for r in ("一般", "非常满意", "满意", "非常满意")] + [answer("劳动者", "不满意")],
    )
    [mix] = drilldown.detail(db, project, date(2024, 12, 31), EMPLOYERS).breakdowns
    assert (mix.header, mix.unit, mix.items) == ("评价", "份", [("非常满意", 2.0), ("满意", 1.0), ("一般", 1.0)])


def test_equipment_breaks_down_in_sets_not_rows(db, project):
    insert(db, project.id, [sets(d(3, 1), 4), sets(d(3, 2), 2, "不合格"), sets(d(4, 1), 3)])
    [by_acceptance] = drilldown.detail(db, project, date(2024, 12, 31), 7).breakdowns
    assert (by_acceptance.unit, by_acceptance.items) == ("套", [("合格", 7.0), ("不合格", 2.0)])


def test_sites_are_listed_one_by_one_with_planned_and_actual_dates_as_seen_on_the_as_of_date(db, project):
    insert(
        db,
        project.id,
        [
            with_(site(d(3, 31), d(3, 20)), name="北站"),
            with_(site(d(5, 31), d(6, 10)), name="南站"),
            with_(site(d(6, 15), d(7, 10)), name="商圈站"),  # finished after the as-of date
            with_(site(d(9, 30)), name="村居站"),
        ],
    )
    detail = drilldown.detail(db, project, date(2024, 6, 30), SITES)
    assert [(s.name, s.planned_on, s.completed_on, s.status, s.light) for s in detail.sites] == [
        ("北站", d(3, 31), d(3, 20), "按期建成", "green"),
        ("南站", d(5, 31), d(6, 10), "逾期建成", "red"),
        ("商圈站", d(6, 15), None, "逾期未建成", "red"),
        ("村居站", d(9, 30), None, "未到计划日期", "grey"),
    ]
    assert detail.categories["阵地名称：南站"] == ("调解阵地", "阵地名称", "南站")
    assert drilldown.detail(db, project, date(2024, 6, 30), EVENTS_HELD).sites == []


@pytest.mark.parametrize(
    ("month", "category", "numbers"),
    [
        (None, None, ["TS-A", "TS-B", "TS-C"]),
        (2, None, ["TS-B", "TS-C"]),
        (None, ("投诉处置", "来源", "来访"), ["TS-A", "TS-C"]),
        (2, ("投诉处置", "来源", "来访"), ["TS-C"]),
        (4, None, []),
    ],
)
def test_source_rows_are_the_counted_records_narrowed_to_a_month_or_category(db, project, month, category, numbers):
    insert(
        db,
        project.id,
        [
            with_(complaint(d(1, 3), d(1, 5)), complaint_no="TS-A", source="来访"),
            with_(complaint(d(2, 3)), complaint_no="TS-B", source="12345热线"),
            with_(complaint(d(2, 9), d(2, 10)), complaint_no="TS-C", source="来访"),
            with_(complaint(d(2, 4)), complaint_no="TS-X", source="来访", valid=False),  # not a valid complaint
            with_(complaint(d(7, 1)), complaint_no="TS-Y", source="来访"),  # after the as-of date
        ],
    )
    [table] = drilldown.rows_behind(db, project, date(2024, 6, 30), COMPLAINTS, month, category)
    assert [row[0] for row in table.rows] == numbers


def test_many_source_rows_are_counted_in_full_and_listed_up_to_a_limit(db, project, monkeypatch):
    monkeypatch.setattr(sources, "SHOWN_AT_MOST", 2)
    insert(db, project.id, [complaint(d(1, day)) for day in (5, 3, 7, 4)])  # stored out of date order
    [table] = drilldown.rows_behind(db, project, date(2024, 6, 30), COMPLAINTS)
    assert (table.total, [row[1] for row in table.rows]) == (4, [d(1, 3), d(1, 4)])  # the earliest, in date order


def test_each_source_row_names_its_upload_batch(db, project):
    insert(db, project.id, [with_(complaint(d(1, 3), d(1, 5)), complaint_no="TS-A", source="来访")])
    [table] = drilldown.rows_behind(db, project, date(2024, 6, 30), COMPLAINTS)
    assert table.columns == [
        "投诉编号",
        "受理日期",
        "来源",
        "是否有效",
        "办结日期",
        "上传批次",
        "上传人",
        "上传时间",
        "文件名",
    ]
    [row] = table.rows
    assert row[:5] == ("TS-A", d(1, 3), "来访", "是", d(1, 5))
    assert (row[6], row[8]) == ("测试", "测试.xlsx")
    assert isinstance(row[5], int) and len(row[7]) == len("2024-01-01 08:00")


def test_a_unit_cost_lists_its_own_budget_lines_payments_and_what_they_are_divided_by(db, project):
    insert(db, project.id, [pay(d(3, 1), 500, SUBSIDY_LINE), pay(d(3, 2), 900, EVENT_LINE), subsidy(d(3, 5), 2)])
    payments, cases = drilldown.rows_behind(db, project, date(2024, 12, 31), 1)
    assert [(row[2], row[3]) for row in payments.rows] == [(SUBSIDY_LINE, 500.0)]
    assert [row[2] for row in cases.rows] == [2]
    line = drilldown.detail(db, project, date(2024, 12, 31), 1).budget_line
    assert (line.name, line.planned, line.spent) == (SUBSIDY_LINE, 20000.0, 500.0)


def test_a_manually_reported_indicator_lists_its_monthly_values_with_who_entered_them(db, project):
    indicator = db.exec(select(Indicator).where(Indicator.project_id == project.id, Indicator.seq == EVENTS_HELD)).one()
    indicator.metric_key = "manual_total"
    db.add(indicator)
    db.commit()
    insert(db, project.id, [manual(1, 2), manual(2, 3), manual(7, 1)], indicator_id=indicator.id)
    [entries] = drilldown.rows_behind(db, project, date(2024, 6, 30), EVENTS_HELD)
    assert (entries.columns, [row[:3] for row in entries.rows]) == (
        ["月份", "填报值", "填报人", "填报时间"],
        [("2024-01", "2 场", "staff"), ("2024-02", "3 场", "staff")],
    )
    assert [p.actual for p in drilldown.detail(db, project, date(2024, 3, 31), EVENTS_HELD).series.points] == [2, 5, 5]


def test_budget_by_month_accumulates_spend_against_the_pro_rata_path_and_flags_an_overrun(db, project):
    insert(
        db,
        project.id,
        [pay(d(1, 20), 6000, PLATFORM_LINE), pay(d(3, 5), 7000, PLATFORM_LINE), pay(d(2, 1), 1000, SUBSIDY_LINE)],
    )
    total, *lines = spending.budget_series(db, project, date(2024, 3, 31))
    platform = next(line for line in lines if line.name == PLATFORM_LINE)
    assert [(m.month, m.spent, m.cumulative, round(m.expected, 2)) for m in platform.months] == [
        (1, 6000.0, 6000.0, 1016.39),
        (2, 0.0, 6000.0, 1967.21),
        (3, 7000.0, 13000.0, 2983.61),
    ]
    assert (platform.spent, round(platform.expected, 2), platform.overrun, platform.status, platform.light) == (
        13000.0,
        2983.61,
        1000.0,
        "超支",
        "red",
    )
    subsidy_line = next(line for line in lines if line.name == SUBSIDY_LINE)
    assert (subsidy_line.execution_rate, subsidy_line.status, subsidy_line.light) == (
        0.05,
        "预警",
        "red",
    )  # 5 % against 24.9 %
    assert (total.name, total.planned, total.spent, [m.spent for m in total.months]) == (
        "合计",
        150000.0,
        14000.0,
        [6000.0, 1000.0, 7000.0],
    )
    assert [line.name for line in lines][0] == SUBSIDY_LINE and len(lines) == 5


def test_budget_vouchers_of_a_line_narrow_to_a_month(db, project):
    insert(
        db,
        project.id,
        [pay(d(1, 20), 600, PLATFORM_LINE), pay(d(3, 5), 700, PLATFORM_LINE), pay(d(3, 9), 100, SUBSIDY_LINE)],
    )
    assert [row[3] for row in spending.expenses(db, project, date(2024, 12, 31), PLATFORM_LINE).rows] == [600.0, 700.0]
    assert [row[3] for row in spending.expenses(db, project, date(2024, 12, 31), PLATFORM_LINE, 3).rows] == [700.0]
    assert [row[3] for row in spending.expenses(db, project, date(2024, 12, 31), spending.TOTAL, 3).rows] == [
        700.0,
        100.0,
    ]


@pytest.fixture(scope="module")
def sample_year_end(sample_url):
    engine = make_engine(sample_url)
    with session(engine) as s:
        ev = evaluate(s, find_project(s), date(2024, 12, 31))
    engine.dispose()
    return ev


def test_the_sample_years_warnings_list_red_first_with_expected_and_forecast(sample_year_end):
    got = [
        (w.seq, w.name, w.light, w.actual, w.expected, w.forecast, round(w.gap, 4))
        for w in drilldown.behind_pace(sample_year_end)
    ]
    assert got == [
        (14, "调解阵地建设完成及时性", "red", "66.67%", "100.00%", "66.67%", 0.3333),
        (None, "预算执行率", "amber", "96.53%", "100.00%", "96.53%", 0.0347),
        (7, "调解队伍装备保障数", "amber", "15 套", "16 套", "15 套", 0.0625),
        (16, "有效投诉处置率", "amber", "97.50%", "100.00%", "97.50%", 0.025),
        (20, "用工单位满意度", "amber", "83.33%", "85.00%", "83.33%", 0.0196),
    ]


def test_the_sample_years_overview_counts_lights_and_groups_by_level1(sample_year_end):
    assert drilldown.light_counts(sample_year_end) == {"green": 15, "amber": 3, "red": 1, "grey": 1}
    groups = [
        (g.level1, len(g.indicators), round(g.score, 2), round(g.weight, 2)) for g in drilldown.groups(sample_year_end)
    ]
    assert groups == [
        ("成本指标", 5, 16.7, 16.7),  # 5 × 3.34
        ("产出指标", 10, 31.98, 33.3),  # 10 × 3.33: with 成本 they make 50
        ("效益指标", 3, 19.75, 30.0),
        ("满意度指标", 2, 9.9, 10.0),
    ]
    by_seq = {r.seq: r for r in sample_year_end.indicators}
    assert [drilldown.progress(by_seq[seq]) for seq in (7, 18)] == [3.12 / 3.33, None]  # the points earned, as shown
    assert [drilldown.light_text(by_seq[seq]) for seq in (14, 18)] == ["🔴 预警", "⚪ 待评定"]


def test_the_expected_and_forecast_of_a_count_read_in_whole_things():
    assert [drilldown.value_text("sites_completed", v, "家") for v in (1.4918, 3.0, None)] == ["1 家", "3 家", "—"]
    assert drilldown.value_text("site_timeliness", 0.5, "") == "50.00%"
