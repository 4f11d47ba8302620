"""总览 as the leader sees it on the sample year: score, grade, budget, lights, warnings,
every indicator, the way into details."""

from datetime import date

import pytest

from data_model.db import make_engine, session
from data_model.projects import find_project
from kpi import assessment
from tests.pages.app import login


@pytest.fixture
def overview(app_url):
    return login("leader")


def group_tables(at) -> list:
    return [df.value for df in at.dataframe if "序号" in df.value.columns]


def test_overview_shows_the_provisional_total_grade_budget_and_light_counts(overview):
    assert [(m.label, m.value, m.delta) for m in overview.metric] == [
        ("总分（暂定）", "87.98", ""),
        ("评价等级（暂定）", "良", ""),
        ("预算执行率", "96.53%", "-3.47 个百分点（对比序时进度）"),
        ("🟢 达成", "15 项", ""),
        ("🟡 关注", "3 项", ""),
        ("🔴 预警", "1 项", ""),
        ("⚪ 无数据", "1 项", ""),
    ]
    assert overview.caption[0].value.startswith("统计截至 2024年12月31日 · 序时进度 100.00%")


def test_overview_lists_all_twenty_indicators_by_level1_with_target_actual_progress_light_and_score(overview):
    tables = group_tables(overview)
    assert [len(t) for t in tables] == [5, 10, 3, 2]
    assert [m.value for m in overview.markdown][:4] == [
        "**成本指标**　得分 16.70 / 16.70",
        "**产出指标**　得分 31.98 / 33.30",
        "**效益指标**　得分 19.75 / 30.00",
        "**满意度指标**　得分 9.90 / 10.00",
    ]
    sites = tables[1].set_index("序号").loc[14]
    assert (sites["二级指标"], sites["年度指标值"], sites["实际完成值"], sites["状态"], sites["得分"]) == (
        "时效指标",
        "及时",
        "按期比例 66.67%",
        "🔴 预警",
        2.22,
    )
    assert round(sites["完成度"], 4) == 0.6667
    mechanism = tables[2].set_index("序号").loc[18]
    assert (mechanism["实际完成值"], mechanism["状态"], mechanism["得分"]) == ("定性评定", "⚪ 待评定", 0.0)


def test_early_warnings_list_what_is_behind_with_expected_and_year_end_forecast(overview):
    warnings = overview.dataframe[0].value
    assert warnings.values.tolist() == [
        ["🔴 预警", "调解阵地建设完成及时性", "66.67%", "100.00%", "66.67%", "33.33%"],
        ["🟡 关注", "预算执行率", "96.53%", "100.00%", "96.53%", "3.47%"],
        ["🟡 关注", "调解队伍装备保障数", "15 套", "16 套", "15 套", "6.25%"],
        ["🟡 关注", "有效投诉处置率", "97.50%", "100.00%", "97.50%", "2.50%"],
        ["🟡 关注", "用工单位满意度", "83.33%", "85.00%", "83.33%", "1.96%"],
    ]


def test_the_as_of_month_drives_the_overview(overview):
    overview.selectbox(key="as_of_month").set_value(6).run()
    assert [m.value for m in overview.metric][:3] == ["77.02", "中", "53.04%"]
    warnings = overview.dataframe[0].value.values.tolist()
    assert warnings[0] == ["🔴 预警", "劳资矛盾智慧预警平台区级对接完成率", "70.00%", "100.00%", "70.00%", "30.00%"]
    # The one site due by 30 June was built: the sites are not behind (they are watched by their due dates).
    assert [row[1] for row in warnings] == ["劳资矛盾智慧预警平台区级对接完成率", "有效投诉处置率", "用工单位满意度"]


def test_choosing_an_indicator_opens_its_detail(overview):
    overview.selectbox(key="overview_pick").set_value(14).run()
    assert not overview.exception
    assert overview.title[0].value == "14. 调解阵地建设完成及时性"


def test_meeting_mode_hides_the_sidebar_and_stays_on_across_pages(overview):
    overview.toggle(key="meeting_mode").set_value(True).run()
    assert any('[data-testid="stSidebar"]' in html.proto.body for html in overview.get("html"))
    overview.switch_page("pages/views/budget.py").run()
    assert overview.toggle(key="meeting_mode").value is True
    assert any('[data-testid="stSidebar"]' in html.proto.body for html in overview.get("html"))


def test_open_corrective_actions_show_on_the_overview_until_closed(fresh_url):
    engine = make_engine(fresh_url)
    with session(engine) as s:
        project = find_project(s)
        seven = next(i for i in assessment.load(s, project, date(2024, 12, 31)).evaluation.indicators if i.seq == 7)
        action = assessment.add_action(
            s,
            project,
            seven.indicator_id,
            action="为新进调解员补发装备",
            owner="李秀英",
            due_on=date(2025, 1, 15),
            by="evaluator",
        )
    at = login("leader")
    rows = next(df.value for df in at.dataframe if "整改措施" in df.value.columns)
    assert rows.to_dict("records") == [
        {
            "指标": "7. 调解队伍装备保障数",
            "整改措施": "为新进调解员补发装备",
            "责任人": "李秀英",
            "完成时限": "2025-01-15",
            "状态": "🔴 已逾期",
        }
    ]
    with session(engine) as s:
        assessment.close_action(s, find_project(s), action.id, closed_on=date(2025, 1, 10), by="evaluator")
    engine.dispose()
    assert not any("整改措施" in df.value.columns for df in login("leader").dataframe)


def test_the_score_composition_filters_the_indicators_to_a_level1_as_a_click_on_its_bar_does(overview):
    parts = overview.button_group(key="overview_part")
    assert list(parts.options) == ["预算执行率", "成本指标", "产出指标", "效益指标", "满意度指标"]
    parts.set_value("效益指标").run()
    assert [len(t) for t in group_tables(overview)] == [3]
    assert "全部指标：效益指标" in [h.value for h in overview.subheader]
    assert [m.value for m in overview.markdown if "得分" in m.value] == ["**效益指标**　得分 19.75 / 30.00"]
    overview.button_group(key="overview_part").set_value(None).run()
    assert [len(t) for t in group_tables(overview)] == [5, 10, 3, 2]


def test_the_budgets_part_of_the_score_opens_budget_execution(overview):
    overview.button_group(key="overview_part").set_value("预算执行率").run()
    assert not overview.exception
    assert overview.title[0].value == "预算执行"


def test_a_budget_line_opens_budget_execution_on_that_line(overview):
    overview.selectbox(key="overview_line").set_value("工作装备经费").run()
    assert not overview.exception
    assert overview.title[0].value == "预算执行"
    assert overview.selectbox(key="budget_line").value == "工作装备经费"
