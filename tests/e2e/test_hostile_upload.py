"""A hostile upload in the browser: D1's 2 KB workbook (a header and one cell at XFD1048576), which used to abort the
server for every user, is refused in Chinese while another user's session keeps working, during and after."""

from playwright.sync_api import expect

from tests.data_model.accounts import PASSWORDS, USERNAMES
from tests.data_model.test_hostile_files import cell, in_sheet
from tests.e2e.browser import WAIT, expect_heading, metric, open_page, shot
from tests.e2e.test_staff import MONTH, choose_file

D1 = in_sheet(cell("XFD1048576"))


def signed_in(browser, app_url: str, role: str):
    """A second browser session (its own cookies), signed in as the demo user of `role`."""
    context = browser.new_context(
        base_url=app_url, viewport={"width": 1440, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(WAIT)
    page = context.new_page()
    page.goto("/")
    page.get_by_label("用户名").fill(USERNAMES[role])
    page.get_by_label("密码").fill(PASSWORDS[role])
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    return page


def test_d1_upload_is_refused_and_the_server_keeps_serving_everyone(login, browser, app_url):
    assert len(D1) < 10_000
    staff = login("staff")
    expect_heading(staff, "上传数据")
    leader = signed_in(browser, app_url, "leader")
    expect(metric(leader, "总分")).to_have_text("87.98")

    choose_file(staff, "攻击.xlsx", D1)
    open_page(leader, "预算执行")  # while the staff's file is being read
    expect(staff.get_by_text("校验未通过")).to_be_visible()
    expect(staff.get_by_test_id("stAlertContentError")).to_have_text(  # the whole sentence, not a cut table cell
        "文件未通过校验，未写入任何数据。"
        "工作表「支出明细」：数据延伸到第 1048576 行（单元格 XFD1048576），超过上限 100,000 行；"
        "请删除多余的行（包括只有格式的空行），或分成几个文件上传（代码 E015）"
    )
    expect(staff.get_by_role("button", name="下载标注问题的工作簿")).to_have_count(0)
    shot(staff, "hostile-1-d1-refused")

    open_page(leader, "总览", "2024年浦锦街道劳动关系项目")  # the same server answers the other session
    expect(metric(leader, "总分")).to_have_text("87.98")
    leader.reload()
    expect(metric(leader, "总分")).to_have_text("87.98")
    shot(leader, "hostile-2-leader-still-served")

    choose_file(staff, "12月补报.xlsx", MONTH)  # and the staff's next, good file is read as usual
    expect(staff.get_by_text("校验完成")).to_be_visible()
    expect_heading(staff, "导入预览")
    leader.context.close()
