"""deploy/: nginx in front of two app processes (deploy/run-local.sh on the test PostgreSQL database), driven through
Streamlit's protocol: sticky sessions, the security headers, gzip, a killed process, and stopping everything."""

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
import tomllib

import pytest
import requests

from bench.stclient import StreamlitClient
from data_model.db import ROOT
from tests.data_model.accounts import PASSWORDS, USERNAMES
from tests.deploy.local import run_local

DEPLOY = ROOT / "deploy"


def test_nginx_takes_the_largest_upload_streamlit_takes():
    limit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    # The file plus the multipart envelope, which Streamlit allows on top of maxUploadSize.
    assert f"client_max_body_size {limit + 1}m;" in (DEPLOY / "kpi-server.conf").read_text()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    with run_local(2, tmp_path_factory.mktemp("run-local")) as running:
        yield running


def test_every_answer_carries_the_security_headers(deployment):
    url = deployment.url
    page = requests.get(url, timeout=30)
    assert page.status_code == 200
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    policy = page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    assert requests.get(f"{url}/no-such-page/_stcore/nothing", timeout=30).headers["X-Frame-Options"] == "DENY"


def test_scripts_are_sent_compressed(deployment):
    url = deployment.url
    [script] = [part.split('"')[0] for part in requests.get(url, timeout=30).text.split('src="')[1:2]]
    answer = requests.get(f"{url}/{script.lstrip('./')}", headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "gzip"


def test_a_browser_stays_on_one_process_and_browsers_are_spread(deployment):
    url, apps = deployment.url, deployment.apps

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


def test_the_load_generator_reports_its_users_through_nginx(deployment):
    """bench_load at a tiny size: its figures are measured by hand (bench/README.md), its last line is checked."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_load", "--users", "3", "--seconds", "10", "--think", "0.5"]
        + ["--url", deployment.url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    last = done.stdout.splitlines()[-1]
    assert re.fullmatch(r"load: users=3 processes=[12] requests=\d+ errors=\d+ p50=\d+\.\d{3}s p95=\d+\.\d{3}s", last)
    assert re.search(r"^总览 alone p50 \d+\.\d{3} s", done.stdout, re.M)


def test_after_its_process_is_killed_a_user_reconnects_to_another_still_signed_in(deployment):
    url, apps = deployment.url, deployment.apps

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
