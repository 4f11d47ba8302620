"""The leader in the browser: the total and the red indicator, a click into its detail,
a bar click narrowing the rows."""

from playwright.sync_api import expect

from tests.e2e.browser import expect_heading, metric, shot, table_rows

ROW = 35  # px: st.dataframe's row height, header included


def test_leader_follows_the_red_indicator_to_its_detail_and_narrows_its_rows_by_a_bar(login):
    page = login("leader")
    expect(metric(page, "总分")).to_have_text("87.98")
    expect(page.get_by_test_id("stMetricLabel").filter(has_text="总分")).to_have_text("总分（暂定）")
    expect(metric(page, "评价等级")).to_have_text("良")
    warnings = page.get_by_test_id("stDataFrame").first
    expect(warnings.locator("td", has_text="调解阵地建设完成及时性")).to_have_count(1)
    assert table_rows(warnings)[1][:2] == ["🔴 预警", "调解阵地建设完成及时性"]
    shot(page, "leader-1-overview")

    warnings.scroll_into_view_if_needed()  # below the overview's charts
    box = warnings.bounding_box()
    page.mouse.click(box["x"] + ROW / 2, box["y"] + ROW * 1.5)  # the first warning's row selector
    expect_heading(page, "14. 调解阵地建设完成及时性")
    expect(metric(page, "状态")).to_have_text("🔴 预警")
    records = page.get_by_test_id("stMarkdownContainer").filter(has_text="计划完成日期已到的调解阵地")
    expect(records).to_have_text("计划完成日期已到的调解阵地　3 条")
    shot(page, "leader-2-indicator")

    by_type = page.locator(".js-plotly-plot").filter(has_text="按阵地类型")
    expect(by_type.locator(".bars path")).to_have_count(2)
    by_type.locator(".bars path").nth(1).scroll_into_view_if_needed()
    bar = by_type.locator(".bars path").nth(1).bounding_box()  # 商圈, the second bar from the top
    page.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
    expect(records).to_have_text("计划完成日期已到的调解阵地　1 条")
    expect(page.get_by_role("combobox", name="类别")).to_have_value("阵地类型：商圈")  # the box shows the click
    rows = page.get_by_test_id("stDataFrame").last
    expect(rows.locator("tr")).to_have_count(2)  # the grid redraws after the page: wait for the header and one row
    assert [row[0] for row in table_rows(rows)] == ["阵地名称", "浦锦商圈劳动关系调解站"]
    shot(page, "leader-3-narrowed")


def click_centre(locator) -> None:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    locator.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_the_overviews_charts_drill_down_as_the_widgets_beside_them_do(login):
    page = login("leader")
    composition = page.locator(".js-plotly-plot").filter(has_text="得分构成")
    achieved = composition.locator(".trace.bars").nth(1).locator(".point path")  # over the points available
    expect(achieved).to_have_count(5)
    click_centre(achieved.nth(3))  # 效益指标
    expect(page.get_by_role("heading", name="全部指标：效益指标")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame")).to_have_count(2)  # the warnings and the 效益指标's three indicators

    totals = page.locator(".js-plotly-plot").filter(has_text="总分逐月变化")
    months = totals.locator(".scatterlayer .trace").nth(1).locator(".point")  # all 暂定: 长效机制 is not judged
    expect(months).to_have_count(12)
    click_centre(months.nth(5))  # June
    expect(page.get_by_role("combobox", name="统计截至")).to_have_value("2024年6月")
    expect(metric(page, "总分")).to_have_text("77.02")
    shot(page, "leader-4-overview-june")

    budget = page.locator(".js-plotly-plot").filter(has_text="各预算明细执行率")
    lines = budget.locator(".bars path")
    expect(lines).to_have_count(6)  # 合计 and the five lines
    click_centre(lines.nth(2))  # 工作装备经费
    expect_heading(page, "预算执行")
    expect(page.get_by_role("combobox", name="预算明细")).to_have_value("工作装备经费")
