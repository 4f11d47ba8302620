"""What the benchmark scripts share: their options, interleaved best-of-N timing, the figure lines."""

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from data_model.sheets import SHEETS


def options(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--db",
        help="the benchmark database (built when it holds no records); default: a file in the temp folder per size",
    )
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument(
        "--projects", type=int, default=1, help="projects (sub-districts) sharing the records; the first is measured"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs of each variant; the best counts")
    return parser


def default_db(records: int, projects: int) -> str:
    return f"sqlite:///{Path(tempfile.gettempdir()) / f'kpi-bench-{records}-{projects}.db'}"


def record_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return sum(conn.execute(select(func.count()).select_from(s.model.__table__)).scalar_one() for s in SHEETS)


def race(variants: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Each variant's best time in seconds; the variants take turns, so that load on the machine hits all alike."""
    best = dict.fromkeys(variants, float("inf"))
    for _ in range(repeat):
        for name, run in variants.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def figure(label: str, seconds: float, note: str = "") -> None:
    print(f"{label:<44} {seconds:9.4f} s  {note}".rstrip())


def goal(ratio: float, meets: bool, text: str) -> str:
    return f"{ratio:6.2f}x  (goal {text}: {'met' if meets else 'NOT MET'})"
