"""Load on the running app, in Streamlit's own protocol (bench/stclient.py): many users, no browser.

    python -m bench.bench_load --users 50 --seconds 120 [--url http://127.0.0.1:8080]

Each simulated user signs in with the demo account of its role (init --sample) and works in a loop, with think
time between clicks:
- a leader (40 %): 总览 → 指标详情 → 预算执行;
- an evaluator (30 %): 绩效自评;
- a staff member (30 %): 上传数据, a small monthly workbook (three expenses and two cases, with keys of its own)
  chosen in the uploader (上传预览), then 确认导入.
Before the others start, one leader opens 总览 alone: its median is the single-user time the loaded p95 is
compared with. It prints p50/p95/max per page, the requests and errors, the sessions that saw an error, and a
last line `load: users=N processes=P requests=R errors=E p50=… p95=…`. The processes are those that answered:
behind deploy/run-local.sh, nginx names the one serving each connection (X-Kpi-Upstream).

A user whose connection drops (its app process killed) reconnects through the same address, as the browser does,
and is counted as having seen an error; whether it came back signed in is counted too.
"""

import argparse
import asyncio
import io
import random
import secrets
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import requests

from bench.generate import upload_workbook
from bench.stclient import Disconnected, NotInMenu, Run, StreamlitClient, Widget, click
from data_model.auth import DEMO_USERS
from data_model.problems import DATABASE_UNAVAILABLE

DEMO = {role: (username, password) for username, _, role, password in DEMO_USERS}  # init --sample's accounts
MIX = ("leader", "staff", "evaluator", "leader", "staff", "evaluator", "leader", "staff", "evaluator", "leader")
LEADER_PAGES = ("总览", "指标详情", "预算执行")
FAILURES = (Disconnected, NotInMenu, TimeoutError, OSError, requests.RequestException)


@dataclass
class Tally:
    """What all users saw."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[tuple[float, str]] = field(default_factory=list)  # (time.monotonic(), what the error was)
    troubled: set[int] = field(default_factory=set)  # the users who saw an error
    upstreams: set[str] = field(default_factory=set)
    finished: list[float] = field(default_factory=list)  # when each page run that went well ended
    uploads: list[str] = field(default_factory=list)  # the key prefixes of the confirmed uploads
    reconnects: int = 0
    signed_in_again: int = 0  # reconnects that came back signed in (the kpi_session cookie)
    signed_out: int = 0  # reconnects that came back at the login form
    # Each run's uploads bring keys of their own: a workbook a previous run imported would preview with nothing new,
    # and the upload page then rightly offers no 确认导入.
    run: str = field(default_factory=lambda: secrets.token_hex(2))

    @property
    def requests(self) -> int:
        return sum(map(len, self.times.values())) + len(self.errors)

    def kinds(self) -> Counter:
        return Counter(what for _, what in self.errors)

    def all_times(self) -> list[float]:
        return [t for times in self.times.values() for t in times]


def uploader(page: Run) -> Widget:
    """The monthly workbook's file uploader on 上传数据."""
    [widget] = [w for key, w in page.widgets.items() if key.startswith("upload_") and w.kind == "file_uploader"]
    return widget


def monthly_workbook(prefix: str) -> bytes:
    out = io.BytesIO()
    upload_workbook({"支出明细": 3, "以案定补": 2}, prefix).save(out)
    return out.getvalue()


class User:
    def __init__(self, number: int, role: str, url: str, tally: Tally, think: float, until: float):
        self.number, self.role, self.tally, self.think_time, self.until = number, role, tally, think, until
        self.client = StreamlitClient(url)
        self.rng = random.Random(number)

    async def think(self) -> None:
        await asyncio.sleep(self.think_time * self.rng.uniform(0.5, 1.5))

    def fail(self, what: str) -> None:
        self.tally.errors.append((time.monotonic(), what))
        self.tally.troubled.add(self.number)

    async def connect(self) -> None:
        await self.client.connect()
        if upstream := self.client.upstream:
            self.tally.upstreams.add(upstream)

    async def step(self, name: str, act: Callable[[], Awaitable[Run]]) -> Run | None:
        """One page run, timed; a failure is counted and the user recovers, as a browser would."""
        try:
            run = await act()
        except FAILURES as failure:
            answered = getattr(failure, "response", None)  # an HTTP error: which status
            status = f" {answered.status_code}" if answered is not None else ""
            self.fail(f"{name}: {type(failure).__name__}{status}")
            await self.recover()
            return None
        if run.exceptions:
            self.fail(f"{name}: traceback {run.exceptions[0][:80]}")
            return None
        if run.errors:
            self.fail(run.errors[0] if DATABASE_UNAVAILABLE in run.errors[0] else f"{name}: {run.errors[0][:80]}")
            return None
        self.tally.times[name].append(run.seconds)
        self.tally.finished.append(time.monotonic())
        return run

    async def recover(self) -> None:
        """Reconnect (the browser retries with backoff) and rerun the page it showed; sign in again if needed."""
        signed_out = False
        for attempt in range(60):
            try:
                await self.client.reconnect()
                run = await self.client.run()
                if run.page == "登录":
                    signed_out = True
                    await self.client.sign_in(*DEMO[self.role])
                break
            except FAILURES:
                await asyncio.sleep(min(0.5 * 2**attempt, 5))
        else:
            return
        self.tally.reconnects += 1
        if signed_out:
            self.tally.signed_out += 1
        else:
            self.tally.signed_in_again += 1

    async def live(self) -> None:
        await self.connect()
        await self.step("登录", lambda: self.client.sign_in(*DEMO[self.role]))
        work = {"leader": self.lead, "evaluator": self.evaluate, "staff": self.report}[self.role]
        turn = 0
        while time.monotonic() < self.until:
            await work(turn)
            turn += 1
        await self.client.close()

    async def lead(self, turn: int) -> None:
        page = LEADER_PAGES[turn % len(LEADER_PAGES)]
        await self.step(page, lambda: self.client.run(page))
        await self.think()

    async def evaluate(self, turn: int) -> None:
        await self.step("绩效自评", lambda: self.client.run("绩效自评"))
        await self.think()

    async def report(self, turn: int) -> None:
        page = await self.step("上传数据", lambda: self.client.run("上传数据"))
        if page is None:
            return
        await self.think()
        prefix = f"L{self.tally.run}{self.number:03d}-{turn:04d}"
        data = monthly_workbook(prefix)
        preview = await self.step("上传预览", lambda: self.client.upload(uploader(page), f"{prefix}.xlsx", data))
        if preview is None:
            return
        if "confirm_import" not in preview.widgets:
            self.fail("上传预览: 没有「确认导入」")
            return
        await self.think()
        done = await self.step("确认导入", lambda: self.client.run(widgets=[click(preview.widgets["confirm_import"])]))
        if done is not None and done.shows("已导入为第"):
            self.tally.uploads.append(prefix)
        elif done is not None:
            self.fail("确认导入: 没有导入结果")
        await self.think()


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


async def single_user(url: str, repeat: int = 5) -> float:
    """The median time of 总览 for one leader alone (after a first, cold run)."""
    client = StreamlitClient(url)
    await client.connect()
    await client.sign_in(*DEMO["leader"])
    times = [(await client.run("总览")).seconds for _ in range(repeat + 1)][1:]
    await client.close()
    return statistics.median(times)


async def load(url: str, users: int, seconds: float, think: float, beside=None) -> tuple[Tally, float, float]:
    """Run the users for `seconds`; the tally, the single-user 总览 time and the measured wall time. `beside` (a
    coroutine function: a fault) starts with the users, once the single-user time is measured."""
    alone = await single_user(url)
    tally = Tally()
    start = time.monotonic()
    crowd = [User(n, MIX[n % len(MIX)], url, tally, think, start + seconds) for n in range(users)]

    async def started(user: User, delay: float) -> None:
        await asyncio.sleep(delay)  # a ramp: people do not all sign in within the same second
        await user.live()

    faults = [beside()] if beside else []
    await asyncio.gather(*(started(u, min(seconds / 4, 10) * n / users) for n, u in enumerate(crowd)), *faults)
    return tally, alone, time.monotonic() - start


def report(tally: Tally, users: int, alone: float, wall: float) -> str:
    lines = [f"{'page':<8} {'runs':>6} {'p50 s':>7} {'p95 s':>7} {'max s':>7}"]
    for page, times in sorted(tally.times.items(), key=lambda item: -len(item[1])):
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        lines.append(f"{page:<8} {len(times):>6} {p50:>7.3f} {p95:>7.3f} {max(times):>7.3f}")
    overview = tally.times.get("总览", [])
    under = f"; under load p95 {percentile(overview, 0.95) / alone:.2f}x that (goal ≤ 3x)" if overview else ""
    lines.append(f"总览 alone p50 {alone:.3f} s{under}")
    everything = tally.all_times()
    lines += [
        f"throughput {len(everything) / wall:.2f} pages/s over {wall:.0f} s",
        f"uploads confirmed {len(tally.uploads)}",
        f"sessions with an error {len(tally.troubled)} of {users}; reconnects {tally.reconnects} "
        f"(signed in again {tally.signed_in_again}, at the login form {tally.signed_out})",
    ]
    lines += [f"error x{count}: {what}" for what, count in tally.kinds().most_common(10)]
    p50, p95 = percentile(everything, 0.5), percentile(everything, 0.95)
    lines.append(
        f"load: users={users} processes={max(len(tally.upstreams), 1)} requests={tally.requests} "
        f"errors={len(tally.errors)} p50={p50:.3f}s p95={p95:.3f}s"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_load", description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--url", default="http://127.0.0.1:8080", help="nginx of deploy/run-local.sh, or one app")
    parser.add_argument("--think", type=float, default=3.0, help="mean think time between clicks, seconds")
    args = parser.parse_args(argv)
    tally, alone, wall = asyncio.run(load(args.url, args.users, args.seconds, args.think))
    print(report(tally, args.users, alone, wall))


if __name__ == "__main__":
    main()
