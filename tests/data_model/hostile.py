"""Running the command-line importer on a hostile workbook in a child process, and what that cost.

The child's peak memory comes from wait4's own accounting of that one process (and any worker it waited
for), so neither this test process nor another test's child counts toward it.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIME_LIMIT = 30.0  # seconds a hostile upload may take
MEMORY_LIMIT_MB = 500.0  # peak resident memory it may use
KILL_AFTER = 90.0  # a child still running then is killed, so a regression fails instead of hanging the suite


@dataclass(frozen=True)
class Outcome:
    exit_code: int  # negative: killed by that signal
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    @property
    def within_limits(self) -> bool:
        return self.seconds < TIME_LIMIT and self.peak_mb < MEMORY_LIMIT_MB


def run_import(url: str, data: bytes, name: str = "上传.xlsx", *extra: str) -> Outcome:
    """`python -m data_model import` of `data` (saved as `name`) into the database at `url`."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        out, err = Path(folder) / "stdout", Path(folder) / "stderr"
        with out.open("wb") as stdout, err.open("wb") as stderr:
            start = time.monotonic()
            child = subprocess.Popen(
                [sys.executable, "-m", "data_model", "import", str(path), "--db", url, *extra],
                cwd=ROOT,
                stdout=stdout,
                stderr=stderr,
                stdin=subprocess.DEVNULL,
            )
            while True:
                pid, status, usage = os.wait4(child.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() - start > KILL_AFTER:
                    child.send_signal(signal.SIGKILL)
                time.sleep(0.02)
            seconds = time.monotonic() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
        return Outcome(
            child.returncode,
            out.read_text(encoding="utf-8", errors="replace"),
            err.read_text(encoding="utf-8", errors="replace"),
            seconds,
            usage.ru_maxrss / 1024,
        )
