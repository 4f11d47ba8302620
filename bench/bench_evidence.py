"""佐证材料 at scale: attaching 2,000 files (each checked by content, hashed, stored in the database, audited) and
listing them, with the listing timed against a database of as many tiny files, so that it is shown not to depend
on the size of the content (lists select the metadata columns only).

    python -m bench.bench_evidence [--files 2000] [--size-kb 1024] [--db URL] [--repeat 5]

Each file is a real one-page PDF made unique and --size-kb large by a comment before its end. The databases are
built afresh on every run (the --db one is emptied first: do not point it at a database you want to keep).
"""

import io
import os
import tempfile
import time
from collections.abc import Callable

import pypdfium2
from sqlmodel import Session, SQLModel

from bench.common import figure, options, race
from data_model import evidence
from data_model.db import make_engine, session
from data_model.projects import find_project
from kpi.projects import create_project
from kpi.setup import SEED_TABLE

INDICATORS = 20


def one_page() -> bytes:
    document = pypdfium2.PdfDocument.new()
    document.new_page(595, 842)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def padded(number: int, size: int, page: bytes) -> bytes:
    """A valid PDF of `size` bytes, different for every number: the page, then a comment line, then %%EOF."""
    head = page + f"\n%file {number}\n%".encode()
    tail = b"\n%%EOF\n"
    return head + os.urandom(max(0, size - len(head) - len(tail)) // 2).hex().encode() + tail


def build(url: str, files: int, size: int) -> tuple[float, int]:
    """A fresh database with the seed project and `files` files spread over its indicators; returns the time the
    attaching took and the bytes stored."""
    engine = make_engine(url)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    page = one_page()
    took, stored = 0.0, 0
    with session(engine) as s:
        project = create_project(s, SEED_TABLE.read_bytes())
        for number in range(files):
            data = padded(number, size, page)
            upload = evidence.Upload(number % INDICATORS + 1, f"佐证材料-{number:04d}.pdf", data, "bench")
            start = time.perf_counter()
            evidence.attach(s, project, upload, role="staff")
            took += time.perf_counter() - start
            stored += len(data)
    engine.dispose()
    return took, stored


def listings(s: Session) -> dict[str, Callable[[], object]]:
    """What the pages and the commands ask of the files: the whole project's list, one indicator's, the counts."""
    project = find_project(s)
    return {
        "list the project": lambda: evidence.listing(s, project.id),
        "list one indicator": lambda: evidence.listing(s, project.id, 8),
        "count by indicator": lambda: evidence.counts(s, project.id),
    }


def main() -> None:
    parser = options("佐证材料: attaching and listing many files")
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--size-kb", type=int, default=1024, help="each file's size")
    parser.add_argument("--small", help="the database of tiny files (default: a file in the temp folder)")
    args = parser.parse_args()
    folder = tempfile.gettempdir()
    large = args.db or f"sqlite:///{folder}/kpi-bench-evidence-{args.files}-{args.size_kb}.db"
    small = args.small or f"sqlite:///{folder}/kpi-bench-evidence-{args.files}-tiny.db"
    took, stored = build(large, args.files, args.size_kb * 1024)
    build(small, args.files, 1)
    print(f"{args.files:,} files of {args.size_kb:,} KB attached: {stored / 1024 / 1024:,.0f} MB in the database")
    figure("attach: one file (checked, hashed, stored)", took / args.files, f"mean of {args.files:,}")
    big_engine, tiny_engine = make_engine(large), make_engine(small)
    with session(big_engine) as big, session(tiny_engine) as tiny:
        runs = {(name, "large"): run for name, run in listings(big).items()}
        runs |= {(name, "tiny"): run for name, run in listings(tiny).items()}
        best = race(runs, args.repeat)
    for name in (name for name, which in runs if which == "large"):
        ratio = best[name, "large"] / best[name, "tiny"]
        note = f"tiny files {best[name, 'tiny']:.4f} s: {ratio:.2f}x"
        figure(f"{name}: {args.files:,} files", best[name, "large"], note)
    big_engine.dispose()
    tiny_engine.dispose()


if __name__ == "__main__":
    main()
