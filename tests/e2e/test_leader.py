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
