"""What the benchmark's processes use: memory, CPU time (their own and the whole machine's), and where one of them
spends it (a py-spy profile). Linux /proc only."""

import asyncio
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def machine() -> str:
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    memory = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1)) / 2**20
    return (
        f"machine: {os.cpu_count()} cores, {cpu.group(1) if cpu else '?'}, {memory:.1f} GiB, "
        f"Linux {platform.release()}, Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s*(\d+)", status).group(1)) / 1024


def cpu_seconds(pid: int) -> float:
    """The CPU time of a process and of its children it has waited for (the upload readers)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return sum(int(f) for f in fields[11:15]) / TICK


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return found


def machine_busy() -> float:
    """CPU seconds all cores have been busy since boot."""
    fields = [int(f) for f in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / TICK


def cpu_report(before: dict[str, float], after: dict[str, float], wall: float) -> str:
    used = {name: after[name] - before[name] for name in before}
    ours = sum(v for name, v in used.items() if name != "machine busy")
    used["everything else on the machine"] = max(used.pop("machine busy") - ours, 0.0)
    cores = os.cpu_count()
    parts = [f"{name} {seconds / wall:.2f}" for name, seconds in used.items()]
    return f"CPU (cores busy on average, of {cores}): " + ", ".join(parts) + f"; total {sum(used.values()) / wall:.2f}"


def profile(pid: int, seconds: int) -> str:
    """Where one app process spends its time: py-spy samples by module, idle threads left out."""
    beside = Path(sys.executable).with_name("py-spy")  # pip installs it beside the interpreter
    spy = shutil.which("py-spy") or (str(beside) if beside.exists() else None)
    if spy is None:
        return "profile: py-spy not installed (pip install py-spy)"
    out = Path(tempfile.mkstemp(suffix=".txt")[1])
    subprocess.run(
        [spy, "record", "--pid", str(pid), "--duration", str(seconds), "--rate", "50", "--format", "raw"]
        + ["--output", str(out), "--nonblocking"],
        capture_output=True,
        check=False,
    )
    by_area, total = Counter(), 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        total += int(count)
        by_area[_area(stack)] += int(count)
    out.unlink()
    shares = ", ".join(f"{area} {count / max(total, 1):.0%}" for area, count in by_area.most_common(8))
    return f"profile of one app process ({total} samples of its busy threads, by innermost known frame): {shares}"


AREAS = (
    ("psycopg", "PostgreSQL driver"),
    ("sqlalchemy", "SQLAlchemy"),
    ("plotly", "Plotly figures"),
    ("pandas", "pandas"),
    ("pyarrow", "Arrow serialisation"),
    ("argon2", "argon2 login hash"),
    ("openpyxl", "openpyxl"),
    ("/kpi/", "kpi"),
    ("/data_model/", "data_model"),
    ("/pages/", "pages"),
    ("google/protobuf", "protobuf"),
    ("streamlit", "Streamlit"),
    ("asyncio", "asyncio / uvicorn"),
    ("uvicorn", "asyncio / uvicorn"),
)


def _area(stack: str) -> str:
    for frame in reversed(stack.split(";")):
        for marker, area in AREAS:
            if marker in frame:
                return area
    return "other"


class LaterProfile:
    """A py-spy profile of one process, taken over the middle of a run."""

    def __init__(self, pid: int, seconds: float):
        self.pid, self.seconds, self.result = pid, seconds, ""

    async def __call__(self):
        await asyncio.sleep(self.seconds / 4)
        self.result = await asyncio.to_thread(profile, self.pid, int(self.seconds / 2))
