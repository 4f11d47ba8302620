"""Two app processes on one PostgreSQL database, as a district runs them, driven through Streamlit's own protocol
(bench/stclient.py): what one process changes, the other shows at its next rerun, and a session ended on one is
ended on the other."""

import asyncio
import os
from datetime import date

import pytest

from bench.stclient import StreamlitClient, choose, click, number
from data_model.db import make_engine
from data_model.sessions import COOKIE
from kpi.setup import init_database
from tests.data_model.accounts import PASSWORDS, USERNAMES
from tests.e2e.browser import serving
from tests.helpers import empty, workbook_bytes

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs TEST_DATABASE_URL")

ENDED = "登录已失效（已超时、已退出或账号已变更），请重新登录。"


@pytest.fixture(scope="module")
def processes(tmp_path_factory):
    """The sample year on the test PostgreSQL database, served by two processes sharing one signing key."""
    url = os.environ["TEST_DATABASE_URL"]
    engine = make_engine(url)
    empty(engine)
    list(init_database(engine, sample=True))
    logs = tmp_path_factory.mktemp("two-processes")
    with serving(url, logs / "a.log", "shared-test-key") as a, serving(url, logs / "b.log", "shared-test-key") as b:
        yield a, b
    empty(engine)
    engine.dispose()


async def signed_in(url: str, role: str) -> StreamlitClient:
    tab = StreamlitClient(url)
    await tab.connect()
    home = await tab.sign_in(USERNAMES[role], PASSWORDS[role])
    assert home.page != "登录" and not home.errors, home.texts
    return tab


async def same_browser(tab: StreamlitClient, url: str) -> StreamlitClient:
    """A second tab of the browser holding `tab`'s session cookie, opened on another process."""
    other = StreamlitClient(url)
    other.http.cookies.set(COOKIE, tab.cookie)
    await other.connect()
    return other


def total(run) -> str:
    [shown] = [text for text in run.texts if text.startswith("总分")]
    return shown


def test_an_upload_through_one_process_is_shown_by_the_other_at_its_next_rerun(processes):
    a, b = processes
    issued = workbook_bytes(
        {"装备发放": [["领用人", "发放日期", "套数", "验收结果"], ["新调解员", date(2024, 12, 20), 1, "合格"]]}
    )

    async def scenario():
        viewer = await signed_in(b, "admin")
        before = await viewer.run("总览")
        staff = await signed_in(a, "staff")
        page = await staff.run("上传数据")
        preview = await staff.upload(page.widgets["upload_0"], "补报.xlsx", issued)
        assert preview.shows("导入预览"), preview.texts
        done = await staff.run(widgets=[click(preview.widgets["confirm_import"])])
        after = await viewer.run()
        for tab in (viewer, staff):
            await tab.close()
        return before, done, after

    before, done, after = asyncio.run(scenario())
    assert total(before) == "总分（暂定） 87.98"
    assert any(text.startswith("「补报.xlsx」已导入为第 14 批") for text in done.texts), done.texts
    assert total(after) == "总分（暂定） 88.19"


def test_a_judgment_made_through_one_process_is_shown_by_the_other_at_its_next_rerun(processes):
    a, b = processes

    async def scenario():
        viewer = await signed_in(b, "admin")
        before = await viewer.run("总览")
        evaluator = await signed_in(a, "evaluator")
        page = await evaluator.run("绩效自评")
        picker = page.widgets["assess_indicator"]
        [mechanisms] = [option for option in picker.options if option.startswith("18. ")]  # 制度, judged by hand
        form = await evaluator.run(widgets=[choose(picker, mechanisms)])
        saved = await evaluator.run(widgets=[number(form.widgets["得分"], 9.0), click(form.widgets["保存评定"])])
        after = await viewer.run()
        for tab in (viewer, evaluator):
            await tab.close()
        return before, saved, after

    before, saved, after = asyncio.run(scenario())
    assert ("success", "已保存第 18 项的评定") in saved.alerts, saved.texts
    pending, was = total(before).split()
    assert pending == "总分（暂定）"  # 18 awaited its judgment
    assert total(after) == f"总分 {float(was) + 9:.2f}"  # 9 of its 10 points, no longer 暂定


def test_signing_out_on_one_process_ends_the_session_on_the_other(processes):
    a, b = processes

    async def scenario():
        first = await signed_in(a, "evaluator")
        second = await same_browser(first, b)
        shown = await second.run()
        home = await first.run()
        out = await first.run(widgets=[click(home.widgets["logout"])])
        ended = await second.run()
        for tab in (first, second):
            await tab.close()
        return shown, out, ended

    shown, out, ended = asyncio.run(scenario())
    assert shown.page == "总览" and "logout" in shown.widgets  # signed in by the cookie alone
    assert out.page == "登录"
    assert ended.page == "登录" and ("info", ENDED) in ended.alerts


def test_disabling_an_account_on_one_process_ends_its_session_on_the_other(processes):
    a, b = processes

    async def scenario():
        leader = await signed_in(b, "leader")
        admin = await signed_in(a, "admin")
        users = await admin.run("用户管理")
        await admin.run(widgets=[choose(users.widgets["status_user"], USERNAMES["leader"])])
        done = await admin.run(widgets=[click(users.widgets["disable"])])
        ended = await leader.run("总览")
        again = await leader.sign_in(USERNAMES["leader"], PASSWORDS["leader"])
        for tab in (leader, admin):
            await tab.close()
        return done, ended, again

    done, ended, again = asyncio.run(scenario())
    assert ("success", f"「{USERNAMES['leader']}」已停用") in done.alerts
    assert ended.page == "登录" and ("info", ENDED) in ended.alerts
    assert again.page == "登录" and ("error", "账号已停用，请联系管理员") in again.alerts
