"""Browser tests: the app as `streamlit run server.py` serves it, on a fresh copy of the sample year, driven by Chromium.

Debian's Chromium is used (browsers cannot be downloaded here, so never `playwright install`). Without it the
tests skip, unless E2E_REQUIRE_BROWSER=1 (set by .ci/run), which makes a missing browser a failure.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from data_model.db import ROOT
from tests.pages.app import PASSWORDS, USERNAMES

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SHOTS = ROOT / "screenshots"
WAIT = 60_000  # ms: this machine is slow and shared; a cold page imports pandas and plotly


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"no browser at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    return None


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The sample year, loaded once through the command line a user runs."""
    path = tmp_path_factory.mktemp("e2e") / "sample.db"
    subprocess.run([sys.executable, "-m", "data_model", "init", "--db", f"sqlite:///{path}", "--sample"],
                   cwd=ROOT, check=True, capture_output=True)
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer on {url}:\n{log.read_text()}")


@pytest.fixture
def app_url(sample_db, tmp_path):
    """The app served on a free local port over a private copy of the sample database."""
    db = tmp_path / "app.db"
    shutil.copy(sample_db, db)
    port = _free_port()
    env = os.environ | {"DATABASE_URL": f"sqlite:///{db}", "KPI_SECRET_KEY": "e2e-secret-key-not-for-production"}
    log = tmp_path / "streamlit.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="session")
def browser():
    if reason := _missing():
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
    context = browser.new_context(base_url=app_url, viewport={"width": 1440, "height": 900}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai", accept_downloads=True)
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


def shot(page, name: str) -> None:
    """A full-page screenshot, screenshots/<name>.png. Streamlit scrolls inside its main area, not the page,
    so the window is made as tall as that area's content for the picture."""
    page.wait_for_timeout(500)  # let charts and tables finish drawing
    height = page.get_by_test_id("stMain").evaluate("main => main.scrollHeight")
    viewport = page.viewport_size
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    page.set_viewport_size(viewport)


def table_rows(table) -> list[list[str]]:
    """The cells of an st.dataframe, header first, as its grid lists them for screen readers (drawn rows only)."""
    return table.locator("tr").evaluate_all("rows => rows.map(r => Array.from(r.querySelectorAll('th, td'), c => c.innerText))")


def open_page(page, title: str, heading: str | None = None) -> None:
    """Open a page from the sidebar menu and wait for its heading (the title unless told otherwise)."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    expect_heading(page, heading or title)


def expect_heading(page, text: str) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name=text, exact=True)).to_be_visible()


def metric(page, label: str):
    """The value of the st.metric whose label starts with `label`."""
    return page.get_by_test_id("stMetric").filter(has=page.get_by_test_id("stMetricLabel").get_by_text(label)).get_by_test_id("stMetricValue")


def idle(page) -> None:
    """Wait until the app's run is over (Streamlit's running indicator gone), so a click is not lost to a rerun."""
    from playwright.sync_api import expect

    page.wait_for_timeout(200)
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=60_000)


def download(page, button: str) -> tuple[str, bytes]:
    """Click the download button named `button`; the file's suggested name and its content."""
    idle(page)
    with page.expect_download() as started:
        page.get_by_role("button", name=button).click()
    return started.value.suggested_filename, Path(started.value.path()).read_bytes()
