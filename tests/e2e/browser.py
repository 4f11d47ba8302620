"""The browser tests' tools: Chromium and how long to wait for it, the app served on a free port, and what a test
does on a page (open it from the menu, read a metric or a table, download a file, take a screenshot)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from data_model.db import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = ROOT / "screenshots"
WAIT = 60_000  # ms: this machine is slow and shared; a cold page imports pandas and plotly


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"no browser at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen, log: Path) -> None:
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


@contextmanager
def serving(database_url: str, log: Path, secret: str = "e2e-secret-key-not-for-production") -> Iterator[str]:
    """`streamlit run server.py` on a free local port over `database_url`: its address while the block runs.
    Processes given the same `secret` accept each other's sessions."""
    port = free_port()
    env = os.environ | {"DATABASE_URL": database_url, "KPI_SECRET_KEY": secret}
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "server.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def session_cookie(page) -> dict:
    """The kpi_session cookie as the browser keeps it, once the page has fetched it (within ten seconds)."""
    for _ in range(100):
        if found := [c for c in page.context.cookies() if c["name"] == "kpi_session"]:
            return found[0]
        page.wait_for_timeout(100)
    raise AssertionError("the browser never received the kpi_session cookie")


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
    return table.locator("tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.querySelectorAll('th, td'), c => c.innerText))"
    )


def open_page(page, title: str, heading: str | None = None) -> None:
    """Open a page from the sidebar menu and wait for its heading (the title unless told otherwise)."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    expect_heading(page, heading or title)


def expect_heading(page, text: str) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name=text, exact=True)).to_be_visible()


def metric(page, label: str):
    """The value of the st.metric whose label starts with `label`."""
    return (
        page.get_by_test_id("stMetric")
        .filter(has=page.get_by_test_id("stMetricLabel").get_by_text(label))
        .get_by_test_id("stMetricValue")
    )


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
