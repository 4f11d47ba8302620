"""Text users typed, in the browser: shown literally, never a link, a remote image or styled text,
on the page and in charts."""

import re
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from data_model.db import make_engine, session
from data_model.importer import import_workbook
from data_model.projects import find_project
from kpi import assessment
from tests.data_model.workbooks import good, upload
from tests.e2e.browser import expect_heading, idle, open_page, shot


@pytest.fixture
def listener():
    """A local web server recording every request it gets: a link followed or an image loaded would show here."""
    asked = []

    class Record(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Record)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", asked
    server.shutdown()


def test_markdown_and_html_typed_by_users_show_literally_and_load_nothing(login, app_url, tmp_path, listener):
    base, asked = listener
    action = f"[点我]({base}/link) ![]({base}/a.png)"
    link, big = f'<a href="{base}/chart">链接</a>', '<span style="font-size:60px">大字</span>'
    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")  # the served copy of the sample year
    with session(engine) as s:
        project = find_project(s)
        assessment.add_action(s, project, 7, action=action, owner="**王芳**", due_on=date(2025, 3, 31), by="evaluator")
        events = [good("普法活动", 活动名称="行业测试一", 行业=link), good("普法活动", 活动名称="行业测试二", 行业=big)]
        import_workbook(s, project, upload(普法活动=events), file_name="行业.xlsx", uploaded_by="staff")
    engine.dispose()

    page = login("evaluator")
    open_page(page, "绩效自评")
    # the two events added above over-achieve #4 and #8, which the page now offers first: choose #7
    page.get_by_role("combobox", name="选择指标").click()
    page.keyboard.type("7. ")
    page.get_by_role("option", name=re.compile(r"^7\. ")).click()
    line = page.get_by_test_id("stMarkdownContainer").filter(has_text="完成时限：")
    expect(line).to_contain_text("责任人：**王芳**")
    assert line.inner_text().replace("\u2060", "").startswith(f"{action}　责任人：**王芳**　完成时限：2025-03-31")
    assert page.locator(f'a[href^="{base}"], img[src^="{base}"]').count() == 0
    shot(page, "user-text-1-action")

    open_page(page, "指标详情", heading="1. “以案定补”个案补贴成本")
    page.get_by_role("combobox", name="指标").click()
    page.keyboard.type("8. ")
    page.get_by_role("option", name=re.compile(r"^8\. ")).click()
    expect_heading(page, "8. 普法宣传活动完成情况")
    industries = page.locator(".js-plotly-plot").filter(has_text="按行业")
    expect(industries).to_contain_text(link)
    expect(industries).to_contain_text(big)
    idle(page)
    shot(page, "user-text-2-chart")

    assert page.locator(f'a[href^="{base}"], img[src^="{base}"]').count() == 0
    assert industries.locator("svg a").count() == 0
    sizes = industries.locator("text").evaluate_all("texts => texts.map(t => getComputedStyle(t).fontSize)")
    assert "60px" not in sizes
    assert asked == []
