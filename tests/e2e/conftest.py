"""Browser tests: the app as `streamlit run server.py` serves it, on a fresh copy of the sample year,
driven by Chromium.

Debian's Chromium is used (browsers cannot be downloaded here, so never `playwright install`). Without it the
tests skip, unless E2E_REQUIRE_BROWSER=1 (set by .ci/run), which makes a missing browser a failure.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from data_model.db import ROOT
from tests.data_model.accounts import PASSWORDS, USERNAMES
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, WAIT, missing_browser, serving


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The sample year, loaded once through the command line a user runs."""
    path = tmp_path_factory.mktemp("e2e") / "sample.db"
    subprocess.run(
        [sys.executable, "-m", "data_model", "init", "--db", f"sqlite:///{path}", "--sample"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return path


@pytest.fixture
def app_url(sample_db, tmp_path):
    """The app served on a free local port over a private copy of the sample database."""
    db = tmp_path / "app.db"
    shutil.copy(sample_db, db)
    with serving(f"sqlite:///{db}", tmp_path / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if reason := missing_browser():
        if os.environ.get("E2E_REQUIRE_BROWSER") == "1":
            pytest.fail(f"E2E_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, app_url):
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT)
    context = browser.new_context(
        base_url=app_url,
        viewport={"width": 1440, "height": 900},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        accept_downloads=True,
    )
    context.set_default_timeout(WAIT)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def login(page):
    """Sign in as the demo user of a role through the login form; returns the page showing the role's home."""
    from playwright.sync_api import expect

    def sign_in(role: str):
        page.goto("/")
        expect(page.get_by_role("heading", name="劳动关系项目绩效评价看板")).to_be_visible()
        page.get_by_label("用户名").fill(USERNAMES[role])
        page.get_by_label("密码").fill(PASSWORDS[role])
        page.get_by_role("button", name="登录", exact=True).click()
        expect(page.get_by_role("button", name="退出登录")).to_be_visible()
        return page

    return sign_in
