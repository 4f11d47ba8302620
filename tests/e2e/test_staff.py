"""Staff in the browser: template, a month's upload previewed, confirmed, listed and undone;
a bad file; no admin pages."""

import io
from datetime import date

from openpyxl import load_workbook
from playwright.sync_api import expect

from data_model.sheets import SHEETS
from tests.e2e.browser import download, expect_heading, metric, open_page, shot, table_rows
from tests.helpers import workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# December's late reports: a payment of case subsidies and one more mediated case.
MONTH = workbook_bytes(
    {
        "支出明细": [
            ["凭证号", "支付日期", "预算明细", "金额", "摘要"],
            ["PJ2024-101", date(2024, 12, 27), "社会调解人员“以案定补”工作经费", 1500, "12月补报以案定补补贴"],
        ],
        "以案定补": [
            ["案件编号", "结案日期", "补贴人数", "案件类型", "调解结果", "片区"],
            ["PJTJ-2024-101", date(2024, 12, 27), 2, "劳动报酬", "调解成功", "北片"],
        ],
    }
)
BAD = workbook_bytes(
    {
        "支出明细": [
            ["凭证号", "支付日期", "预算明细", "金额", "摘要"],
            ["PJ2024-102", date(2024, 12, 27), "开展劳动法普法宣讲", -5, ""],
            ["PJ2024-103", date(2024, 12, 28), "办公用品", 300, ""],
        ],
    }
)


def choose_file(page, name: str, data: bytes) -> None:
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": name, "mimeType": XLSX, "buffer": data}]
    )


def expect_overview(page, total: str, execution: str) -> None:
    open_page(page, "总览", "2024年浦锦街道劳动关系项目")
    expect(metric(page, "总分")).to_have_text(total)
    expect(metric(page, "预算执行率")).to_have_text(execution)


def test_staff_uploads_a_month_sees_it_counted_in_history_and_undoes_it(login):
    page = login("staff")
    expect_heading(page, "上传数据")  # staff's home page
    name, content = download(page, "下载模板（2024年月度数据报送表）")
    assert name == "2024年月度数据报送表.xlsx"
    template = load_workbook(io.BytesIO(content))
    assert {s.name for s in SHEETS if not s.manual} <= set(template.sheetnames)  # the seed has no manual indicator
    assert [c.value for c in template["支出明细"][1]] == [c.header for c in SHEETS[0].columns]
    shot(page, "staff-1-upload-page")

    expect_overview(page, "87.98", "96.53%")
    open_page(page, "上传数据")
    choose_file(page, "12月补报.xlsx", MONTH)
    expect(page.get_by_text("校验完成")).to_be_visible()
    expect_heading(page, "导入预览")
    preview = page.get_by_test_id("stDataFrame").first
    expect(preview.locator("td", has_text="以案定补")).to_have_count(1)
    assert table_rows(preview) == [
        ["工作表", "新增", "更新", "未变"],
        ["支出明细", "1", "0", "0"],
        ["以案定补", "1", "0", "0"],
    ]
    shot(page, "staff-2-preview")

    page.get_by_role("button", name="确认导入").click()
    done = (
        "「12月补报.xlsx」已导入为第 14 批：支出明细 新增 1 条、更新 0 条、未变 0 条；"
        "以案定补 新增 1 条、更新 0 条、未变 0 条"
    )
    expect(page.get_by_test_id("stAlertContentSuccess")).to_have_text(done)
    expect_overview(page, "88.08", "97.53%")  # 1,500 元 more spent; the case costs no score

    open_page(page, "上传记录")
    batches = page.get_by_test_id("stDataFrame").first
    expect(batches.locator("td", has_text="12月补报.xlsx")).to_have_count(1)
    latest = table_rows(batches)[1]
    assert (latest[0], latest[2], latest[3], latest[5]) == ("14", "演示工作人员", "12月补报.xlsx", "有效")  # by 姓名
    shot(page, "staff-3-history")

    page.get_by_role("button", name="撤销本批").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("该批新增的 2 条记录将被删除")
    shot(page, "staff-4-undo-dialog")
    dialog.get_by_role("button", name="确认撤销").click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("已撤销第 14 批")
    expect(batches.locator("td", has_text="已撤销")).to_have_count(1)
    shot(page, "staff-5-undone")
    expect_overview(page, "87.98", "96.53%")


def test_staff_uploading_a_bad_file_sees_every_problem_in_a_table(login):
    page = login("staff")
    choose_file(page, "错误示例.xlsx", BAD)
    expect(page.get_by_text("校验未通过")).to_be_visible()
    expect(page.get_by_test_id("stAlertContentError")).to_have_text(
        "发现 2 个问题，未写入任何数据。请按下表改正后重新上传。"
    )
    problems = page.get_by_test_id("stDataFrame").first
    expect(problems.locator("td", has_text="E110")).to_have_count(1)
    rows = table_rows(problems)
    assert rows[0] == ["工作表", "行", "列", "问题", "代码"]
    assert rows[1] == ["支出明细", "2", "金额", "金额应大于 0 元，实际为 -5", "E110"]
    assert rows[2][:3] == ["支出明细", "3", "预算明细"] and rows[2][3].startswith("应为以下之一：")
    expect(page.get_by_role("button", name="下载标注问题的工作簿")).to_be_visible()
    shot(page, "staff-6-bad-file")


def test_staff_typing_an_admin_page_address_is_refused(login, app_url):
    page = login("staff")
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link", name="用户管理")).to_have_count(0)
    page.goto(f"{app_url}/admin_users")
    expect(page.get_by_text("您没有权限访问此页面。如需访问，请联系管理员。")).to_be_visible()
    expect(page.get_by_role("heading", name="用户管理")).to_have_count(0)
    shot(page, "staff-7-admin-refused")
