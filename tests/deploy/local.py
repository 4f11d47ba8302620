"""deploy/run-local.sh started from a test: the sample year on the test PostgreSQL database behind nginx."""

import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pytest

from data_model.db import ROOT, make_engine
from kpi.setup import init_database
from tests.e2e.browser import free_port
from tests.helpers import empty


class Deployment(NamedTuple):
    url: str  # nginx
    apps: dict[int, int]  # port -> pid of each app process
    script: subprocess.Popen


def missing() -> str | None:
    if not os.environ.get("TEST_DATABASE_URL"):
        return "needs TEST_DATABASE_URL"
    if not shutil.which("nginx"):
        return "needs nginx (apt-get install nginx)"
    return None


def _free_pair() -> int:
    """A port whose next one is free too (run-local.sh numbers its app processes from the first)."""
    while True:
        port = free_port()
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port


@contextmanager
def run_local(processes: int, folder: Path) -> Iterator[Deployment]:
    """`deploy/run-local.sh N` on the sample year, loaded afresh into TEST_DATABASE_URL (emptied afterwards)."""
    if reason := missing():
        pytest.skip(reason)
    url = os.environ["TEST_DATABASE_URL"]
    engine = make_engine(url)
    empty(engine)
    list(init_database(engine, sample=True))
    front = free_port()
    env = os.environ | {
        "DATABASE_URL": url,
        "PYTHON": sys.executable,
        "KPI_PORT": str(front),
        "KPI_FIRST_PORT": str(_free_pair()),
        "KPI_RUN_DIR": str(folder),
    }
    script = subprocess.Popen(
        ["bash", str(ROOT / "deploy" / "run-local.sh"), str(processes)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # Ctrl-C reaches the script even when these tests run in the background, where SIGINT starts ignored
        # (and a shell cannot trap a signal ignored on entry).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    for line in script.stdout:
        if line.startswith("ready:"):
            break
    else:
        pytest.fail(f"run-local.sh ended with {script.wait()}")
    apps = {int(port): int(pid) for port, pid in (line.split() for line in (folder / "apps").read_text().splitlines())}
    try:
        yield Deployment(f"http://127.0.0.1:{front}", apps, script)
    finally:
        if script.poll() is None:
            script.terminate()
            script.wait(timeout=30)
        empty(engine)
        engine.dispose()
