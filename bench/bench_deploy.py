"""Every figure of the district deployment in one command: load, throughput, memory and faults.

    python -m bench.bench_deploy [--users 50] [--seconds 120] [--short 60] [--sessions 1000] [--think 3] [--pace 15]

It starts a private PostgreSQL server (bench/pgcluster.py: its own folder and port, so that restarting it disturbs
no other database on the machine) with the sample year, and deploy/run-local.sh in front of it, then measures:
0. what each page costs: one user alone on one process, each page --repeat times, the median CPU time of the app
   process with its upload readers, and of the wall time; 总览, 指标详情 and 预算执行 just after an upload changed
   the data (their cached results and figures built again) and once more;
1. load: --users over 3 processes for --seconds (bench/bench_load.py) at --think (a stress pace) and again at --pace
   (a person's), memory per process after each;
2. throughput: the same users with 1 process and with 3, for --short seconds each, the CPU used by the app
   processes, PostgreSQL, nginx, this load generator and the rest of the machine, and a py-spy profile of one app
   process (when py-spy is installed);
3. memory across --sessions sessions (a tab opened on 总览 by its cookie, then closed) on one process, after
   Streamlit drops the disconnected sessions (server.disconnectedSessionTTL, 120 s);
4. kill -9 of the busiest app process during a run: sessions with an error, reconnects signed in again, and every
   upload in the database whole (the three expenses and two cases of each workbook, or none);
5. PostgreSQL restarted during a run: the pages that said 数据库暂时不可用，请稍后重试, any traceback, and how long
   after the server was back the pages worked again.
Needs root (PostgreSQL runs as the postgres account), Debian's nginx and PostgreSQL binaries.
"""

import argparse
import asyncio
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from sqlmodel import select

from bench.bench_load import DEMO, LEADER_PAGES, load, monthly_workbook, report, uploader
from bench.pgcluster import PrivateCluster, can_run
from bench.resources import LaterProfile, children, cpu_report, cpu_seconds, machine, machine_busy, rss_mb
from bench.stclient import StreamlitClient, click
from data_model.db import ROOT, make_engine, session
from data_model.models import CaseSubsidy, Expense
from data_model.problems import DATABASE_UNAVAILABLE


class Deployment:
    """deploy/run-local.sh N on the private cluster."""

    def __init__(self, database: str, processes: int, port: int = 8080):
        self.folder = Path(tempfile.mkdtemp(prefix="kpi-bench-run-"))
        self.url = f"http://127.0.0.1:{port}"
        env = os.environ | {
            "DATABASE_URL": database,
            "PYTHON": sys.executable,
            "KPI_PORT": str(port),
            "KPI_RUN_DIR": str(self.folder),
        }
        self.script = subprocess.Popen(
            ["bash", str(ROOT / "deploy" / "run-local.sh"), str(processes)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for line in self.script.stdout:
            if line.startswith("ready:"):
                break
        else:
            raise RuntimeError(f"run-local.sh ended with {self.script.wait()}")
        lines = (self.folder / "apps").read_text().split("\n")
        self.apps = {int(port): int(pid) for port, pid in (line.split() for line in lines if line)}
        self.nginx = int((self.folder / "nginx.pid").read_text())
        try:
            asyncio.run(self.warm())
        except BaseException:
            self.stop()
            raise

    async def warm(self) -> None:
        """Open every page of the mix once on each process, directly: a new process imports pandas and Plotly
        at its first page, which is not what its users wait for afterwards."""

        async def pages(port: int, role: str, titles: tuple[str, ...]) -> None:
            tab = StreamlitClient(f"http://127.0.0.1:{port}")
            await tab.connect()
            await tab.sign_in(*DEMO[role])
            for title in titles:
                await tab.run(title)
            await tab.close()

        await asyncio.gather(
            *(pages(port, "leader", ("总览", "指标详情", "预算执行")) for port in self.apps),
            *(pages(port, "evaluator", ("绩效自评",)) for port in self.apps),
        )

    def __enter__(self) -> "Deployment":
        return self

    def __exit__(self, *_) -> None:
        self.stop()

    def stop(self) -> None:
        self.script.terminate()  # run-local.sh stops everything it started
        self.script.wait(timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)

    def memory(self) -> str:
        alive = {port: pid for port, pid in self.apps.items() if Path(f"/proc/{pid}").exists()}
        return ", ".join(f"{port}: {rss_mb(pid):.0f} MB" for port, pid in alive.items())


def cpu_groups(deployment: Deployment, cluster: PrivateCluster) -> dict[str, float]:
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    groups = {
        "app processes": list(deployment.apps.values()),
        "PostgreSQL": [postmaster, *children(postmaster)],
        "nginx": [deployment.nginx, *children(deployment.nginx)],
        "load generator": [os.getpid()],
    }
    used = {name: sum(map(cpu_seconds, pids)) for name, pids in groups.items()}
    return used | {"machine busy": machine_busy()}


def run_load(url: str, users: int, seconds: float, think: float, fault=None):
    """bench_load's users, with `fault` (a coroutine function) started beside them."""
    return asyncio.run(load(url, users, seconds, think, fault))


def whole_uploads(database: str) -> str:
    """Each bench upload brought three expenses and two cases with keys L<run><user>-<turn>-…: are they all whole?"""
    engine = make_engine(database)
    with session(engine) as s:
        vouchers = s.exec(select(Expense.voucher_no).where(Expense.voucher_no.like("L%-ZC%")))
        expenses = Counter(voucher.split("-ZC")[0] for voucher in vouchers)
        numbers = s.exec(select(CaseSubsidy.case_no).where(CaseSubsidy.case_no.like("L%-AJ%")))
        cases = Counter(number.split("-AJ")[0] for number in numbers)
    engine.dispose()
    uploads = expenses.keys() | cases.keys()
    broken = [upload for upload in uploads if expenses[upload] != 3 or cases[upload] != 2]
    return f"uploads in the database {len(uploads)}, half-written {len(broken)}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_deploy", description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--short", type=float, default=60, help="seconds of each throughput and fault run")
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--think", type=float, default=3.0, help="mean think time between clicks: a stress pace")
    parser.add_argument("--pace", type=float, default=15.0, help="section 1 again at this think time: a person's pace")
    parser.add_argument("--expire", type=float, default=125, help="wait for closed sessions to expire (TTL 120 s)")
    parser.add_argument("--repeat", type=int, default=7, help="runs of each page in section 0")
    parser.add_argument(
        "--sections", default="0,1,2,4,5", help="which to run: 0 page costs, 1 load, 2 throughput and 3 memory, 4, 5"
    )
    parser.add_argument("--pg-port", type=int, default=55432)
    args = parser.parse_args(argv)
    if reason := can_run():
        sys.exit(f"bench_deploy {reason}")
    print(machine(), flush=True)
    cluster = PrivateCluster(args.pg_port).start()
    try:
        subprocess.run(
            [sys.executable, "-m", "data_model", "init", "--db", cluster.url, "--sample"],
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        measure(args, cluster)
    finally:
        cluster.remove()


def section(title: str) -> None:
    print(f"\n== {title} ({time.strftime('%H:%M:%S')}, load average {os.getloadavg()[0]:.1f})", flush=True)


def measure(args, cluster: PrivateCluster) -> None:
    chosen = args.sections.split(",")
    if "0" in chosen:
        cost_section(args, cluster)
    if "1" in chosen:
        load_section(args, cluster)
    if "2" in chosen:
        throughput_section(args, cluster)
    if "4" in chosen:
        kill_section(args, cluster)
    if "5" in chosen:
        restart_section(args, cluster)


def cost_section(args, cluster: PrivateCluster) -> None:
    section(f"0. what each page costs: one user alone on one process, median of {args.repeat} runs")
    with Deployment(cluster.url, 1) as deployment:
        [(port, pid)] = deployment.apps.items()
        costs = asyncio.run(page_costs(f"http://127.0.0.1:{port}", pid, args.repeat))
    print(f"{'page':<16} {'CPU s':>7} {'wall s':>7}")
    for name, runs in costs.items():
        cpu, wall = zip(*runs)
        print(f"{name:<16} {statistics.median(cpu):>7.3f} {statistics.median(wall):>7.3f}", flush=True)


async def page_costs(url: str, pid: int, repeat: int) -> dict[str, list[tuple[float, float]]]:
    """(CPU, wall) seconds of each page run, by page; a login is the form and its submission."""

    def used() -> float:  # the app process, and its fork server with the upload readers it has reaped
        return cpu_seconds(pid) + sum(map(cpu_seconds, children(pid)))

    costs = defaultdict(list)

    async def timed(name: str, step):
        before, start = used(), time.perf_counter()
        run = await step
        wall = time.perf_counter() - start
        await asyncio.sleep(0.1)  # the fork server reaps the reader of an upload
        costs[name].append((used() - before, wall))
        return run

    run_key = secrets.token_hex(2)
    for turn in range(repeat):
        clients = {role: StreamlitClient(url) for role in ("leader", "evaluator", "staff")}
        for role, client in clients.items():
            await client.connect()
            await timed("登录", client.sign_in(*DEMO[role]))
        staff = clients["staff"]
        page = await timed("上传数据", staff.run("上传数据"))
        prefix = f"C{run_key}-{turn:04d}"
        preview = await timed("上传预览", staff.upload(uploader(page), f"{prefix}.xlsx", monthly_workbook(prefix)))
        await timed("确认导入", staff.run(widgets=[click(preview.widgets["confirm_import"])]))
        for title in LEADER_PAGES:  # the upload changed the data: cached results and figures are built again
            await timed(f"{title}, after upload", clients["leader"].run(title))
            await timed(title, clients["leader"].run(title))
        await timed("绩效自评", clients["evaluator"].run("绩效自评"))
        for client in clients.values():
            await client.close()
    return costs


def load_section(args, cluster: PrivateCluster) -> None:
    for think in (args.think, args.pace):
        section(f"1. load: {args.users} users over 3 processes, {args.seconds:.0f} s, think time {think:g} s")
        with Deployment(cluster.url, 3) as deployment:
            tally, alone, wall = run_load(deployment.url, args.users, args.seconds, think)
            print(report(tally, args.users, alone, wall))
            print(f"memory after the run: {deployment.memory()}", flush=True)


def throughput_section(args, cluster: PrivateCluster) -> None:
    section(f"2. throughput: {args.users} users, think {args.think / 3:.1f} s, {args.short:.0f} s, 3 processes then 1")
    rates = {}
    for processes in (3, 1):
        with Deployment(cluster.url, processes) as deployment:
            before = cpu_groups(deployment, cluster)
            spy = LaterProfile(next(iter(deployment.apps.values())), args.short)
            tally, alone, wall = run_load(deployment.url, args.users, args.short, args.think / 3, spy)
            rates[processes] = len(tally.all_times()) / wall
            lines = report(tally, args.users, alone, wall).splitlines()
            print("\n".join([line for line in lines if line.startswith("error x")] + lines[-1:]))
            used = cpu_report(before, cpu_groups(deployment, cluster), wall)
            print(f"{processes} process(es): {rates[processes]:.2f} pages/s; {used}\n{spy.result}", flush=True)
            if processes == 1:
                memory(args, deployment)
    print(f"throughput 3 processes ÷ 1 process: {rates[3] / rates[1]:.2f}x (goal ≥ 1.8x)", flush=True)


def kill_section(args, cluster: PrivateCluster) -> None:
    section(f"4. kill -9 of one of 3 processes during a run ({args.users} users, {args.short:.0f} s)")
    killed = {}

    async def kill(deployment: Deployment):
        await asyncio.sleep(args.short / 3)
        port, pid = max(deployment.apps.items(), key=lambda item: cpu_seconds(item[1]))
        os.kill(pid, signal.SIGKILL)
        killed["port"] = port

    tally, alone, wall = faulty_run(args, cluster, kill)
    print(f"killed the process on port {killed['port']}")
    print(report(tally, args.users, alone, wall))
    print(f"uploads confirmed to users {len(tally.uploads)}; {whole_uploads(cluster.url)}", flush=True)


def restart_section(args, cluster: PrivateCluster) -> None:
    section(f"5. PostgreSQL restarted during a run ({args.users} users, {args.short:.0f} s)")
    restarted = {}

    async def restart(_: Deployment):
        await asyncio.sleep(args.short / 3)
        await asyncio.to_thread(cluster.stop)
        restarted["down"] = time.monotonic()
        await asyncio.sleep(10)
        await asyncio.to_thread(cluster.start)
        restarted["up"] = time.monotonic()

    tally, alone, wall = faulty_run(args, cluster, restart)
    print(f"PostgreSQL down for {restarted['up'] - restarted['down']:.1f} s")
    print(report(tally, args.users, alone, wall))
    unavailable = sum(DATABASE_UNAVAILABLE in what for _, what in tally.errors)
    tracebacks = sum("traceback" in what for _, what in tally.errors)
    late = [at - restarted["up"] for at, _ in tally.errors if at > restarted["up"]]
    first_good = min((at for at in tally.finished if at > restarted["up"]), default=float("nan")) - restarted["up"]
    print(
        f"pages that said {DATABASE_UNAVAILABLE}: {unavailable}; tracebacks: {tracebacks}; first page that worked "
        f"{first_good:.1f} s after the server was back; errors after it was back: {len(late)}"
        + (f" (the last {max(late):.1f} s after)" if late else ""),
        flush=True,
    )


def faulty_run(args, cluster: PrivateCluster, fault):
    """bench_load's users on a fresh deployment of 3 processes, with `fault(deployment)` run beside them."""
    with Deployment(cluster.url, 3) as deployment:
        return run_load(deployment.url, args.users, args.short, args.think, lambda: fault(deployment))


def memory(args, deployment: Deployment) -> None:
    section(f"3. memory across {args.sessions} sessions on one process")
    [(port, pid)] = deployment.apps.items()
    print(f"before: {rss_mb(pid):.0f} MB", flush=True)
    asyncio.run(sessions(f"http://127.0.0.1:{port}", args.sessions, pid))
    time.sleep(args.expire)  # server.disconnectedSessionTTL: Streamlit keeps a closed tab's session 120 s
    print(f"after, once the closed sessions expired: {rss_mb(pid):.0f} MB", flush=True)


async def sessions(url: str, count: int, pid: int, at_once: int = 10) -> None:
    """`count` tabs opened by a signed-in browser's cookie on 总览, then closed, `at_once` at a time."""
    first = StreamlitClient(url)
    await first.connect()
    await first.sign_in(*DEMO["leader"])
    await first.close()
    left = iter(range(count))

    async def worker():
        for number in left:
            tab = StreamlitClient(url)
            tab.http.cookies.update(first.http.cookies)
            await tab.connect()
            await tab.run()  # the leader's home: 总览
            await tab.close()
            if (number + 1) % (count // 4) == 0:
                print(f"after {number + 1} sessions: {rss_mb(pid):.0f} MB", flush=True)

    await asyncio.gather(*(worker() for _ in range(at_once)))


if __name__ == "__main__":
    main()
