"""deploy/: nginx in front of two app processes (deploy/run-local.sh on the test PostgreSQL database), driven through
Streamlit's protocol: sticky sessions, the security headers, gzip, a killed process, and stopping everything."""

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib

import pytest
import requests

from bench.stclient import StreamlitClient
from data_model.db import ROOT, make_engine
from kpi.setup import init_database
from tests.data_model.accounts import PASSWORDS, USERNAMES
from tests.e2e.browser import free_port
from tests.helpers import empty

DEPLOY = ROOT / "deploy"


def test_nginx_takes_the_largest_upload_streamlit_takes():
    limit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    # The file plus the multipart envelope, which Streamlit allows on top of maxUploadSize.
    assert f"client_max_body_size {limit + 1}m;" in (DEPLOY / "kpi-server.conf").read_text()


def free_pair() -> int:
    """A port whose next one is free too (run-local.sh numbers its app processes from the first)."""
    while True:
        port = free_port()
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """deploy/run-local.sh 2 on the sample year; yields nginx's address and {port: pid} of the app processes."""
    if not os.environ.get("TEST_DATABASE_URL") or not shutil.which("nginx"):
        pytest.skip("needs TEST_DATABASE_URL and nginx (apt-get install nginx)")
    url = os.environ["TEST_DATABASE_URL"]
    engine = make_engine(url)
    empty(engine)
    list(init_database(engine, sample=True))
    run = tmp_path_factory.mktemp("run-local")
    front = free_port()
    env = os.environ | {
        "DATABASE_URL": url,
        "PYTHON": sys.executable,
        "KPI_PORT": str(front),
        "KPI_FIRST_PORT": str(free_pair()),
        "KPI_RUN_DIR": str(run),
    }
    script = subprocess.Popen(
        ["bash", str(DEPLOY / "run-local.sh"), "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    for line in script.stdout:
        if line.startswith("ready:"):
            break
    else:
        pytest.fail(f"run-local.sh ended with {script.wait()}")
    apps = {int(port): int(pid) for port, pid in (line.split() for line in (run / "apps").read_text().splitlines())}
    yield f"http://127.0.0.1:{front}", apps, script
    if script.poll() is None:
        script.send_signal(signal.SIGINT)
        script.wait(timeout=30)
    empty(engine)
    engine.dispose()


def test_every_answer_carries_the_security_headers(deployment):
    url, _, _ = deployment
    page = requests.get(url, timeout=30)
    assert page.status_code == 200
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    policy = page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    assert requests.get(f"{url}/no-such-page/_stcore/nothing", timeout=30).headers["X-Frame-Options"] == "DENY"


def test_scripts_are_sent_compressed(deployment):
    url, _, _ = deployment
    [script] = [part.split('"')[0] for part in requests.get(url, timeout=30).text.split('src="')[1:2]]
    answer = requests.get(f"{url}/{script.lstrip('./')}", headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "gzip"


def test_a_browser_stays_on_one_process_and_browsers_are_spread(deployment):
    url, apps, _ = deployment

    async def upstreams() -> list[list[str]]:
        seen = []
        for _ in range(8):
            tab = StreamlitClient(url)
            await tab.connect()
            visits = [tab.upstream]
            for _ in range(3):
                await tab.reconnect()
                visits.append(tab.upstream)
            await tab.close()
            seen.append(visits)
        return seen

    seen = asyncio.run(upstreams())
    assert all(len(set(visits)) == 1 for visits in seen), seen
    assert {visits[0] for visits in seen} == {f"127.0.0.1:{port}" for port in apps}


def test_after_its_process_is_killed_a_user_reconnects_to_another_still_signed_in(deployment):
    url, apps, _ = deployment

    async def scenario():
        tab = StreamlitClient(url)
        await tab.connect()
        await tab.sign_in(USERNAMES["leader"], PASSWORDS["leader"])
        before = await tab.run("总览")
        serving = tab.upstream
        os.kill(apps[int(serving.rsplit(":", 1)[1])], signal.SIGKILL)
        await tab.reconnect()
        after = await tab.run("总览")
        await tab.close()
        return serving, before, tab.upstream, after

    serving, before, moved_to, after = asyncio.run(scenario())
    assert moved_to != serving
    assert after.page == "总览" and "logout" in after.widgets
    assert [t for t in after.texts if t.startswith("总分")] == [t for t in before.texts if t.startswith("总分")]


def test_interrupting_run_local_stops_everything_it_started(deployment):
    url, apps, script = deployment
    script.send_signal(signal.SIGINT)
    assert script.wait(timeout=30) != 0
    deadline = time.monotonic() + 10
    while any(map(alive, apps.values())) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(map(alive, apps.values()))
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=5)
