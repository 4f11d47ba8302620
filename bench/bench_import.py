"""Importing a large upload workbook into a fresh database (data_model.importer), side by side with
(a) pandas.read_excel(engine="openpyxl") + DataFrame.to_sql, and
(b) the floor: python-calamine read + one executemany INSERT per sheet, without validation.

    python -m bench.bench_import [--rows 100000] [--workbook PATH] [--db URL] [--repeat 3]

Every run is a subprocess of its own on an emptied database, so its peak memory (ru_maxrss, the
whole process) is its own. --db names the database to import into; its tables are dropped and
recreated for every run. The default is a SQLite file in the temp folder.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from python_calamine import CalamineWorkbook
from sqlalchemy import MetaData

from bench.common import figure, goal, record_count
from bench.generate import write_workbook
from data_model.db import make_engine, session
from data_model.importer import import_workbook
from data_model.models import Project, UploadBatch
from data_model.projects import list_projects
from data_model.sheets import SHEETS_BY_NAME, Kind
from kpi.setup import init_database


def _batch(engine, project: Project) -> int:
    with session(engine) as s:
        batch = UploadBatch(
            project_id=project.id, uploaded_by="基准测试", file_name="bench.xlsx", content_hash="bench", row_counts="{}"
        )
        s.add(batch)
        s.commit()
        return batch.id


def _converter(column):
    """The least a database needs, or None: empty cells as NULL, 是/否 as booleans, YYYY-MM as a date."""
    if column.kind is Kind.FLAG:
        return lambda value: value == "是"
    if column.kind is Kind.MONTH:
        return lambda value: date(int(value[:4]), int(value[5:7]), 1)
    return None if column.required else (lambda value: value if value != "" else None)


def run_importer(engine, project: Project, path: Path, isolated: bool = False) -> None:
    with session(engine) as s:
        import_workbook(s, project, path.read_bytes(), file_name=path.name, uploaded_by="基准测试", isolated=isolated)


def run_isolated(engine, project: Project, path: Path) -> None:
    """As the upload page and the command line import: the file read in a capped child process."""
    run_importer(engine, project, path, isolated=True)


def run_pandas(engine, project: Project, path: Path) -> None:
    import pandas as pd  # imported before the clock starts (see child), so that only this variant's memory counts it

    batch_id = _batch(engine, project)
    frames = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    with engine.begin() as conn:
        for name, frame in frames.items():
            schema = SHEETS_BY_NAME[name]
            for c in schema.columns:
                if c.kind is Kind.FLAG:
                    frame[c.header] = frame[c.header].eq("是")
                elif c.kind is Kind.MONTH:
                    frame[c.header] = pd.to_datetime(frame[c.header], format="%Y-%m")
            frame = frame.rename(columns={c.header: c.field for c in schema.columns}).assign(
                project_id=project.id, batch_id=batch_id
            )
            frame.to_sql(schema.model.__tablename__, conn, if_exists="append", index=False)


def run_floor(engine, project: Project, path: Path) -> None:
    batch_id = _batch(engine, project)
    marker = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    book = CalamineWorkbook.from_path(str(path))
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for name in book.sheet_names:
            schema = SHEETS_BY_NAME[name]
            header, *rows = book.get_sheet_by_name(name).to_python()
            where = [(header.index(c.header), _converter(c)) for c in schema.columns]
            fields = [c.field for c in schema.columns] + ["project_id", "batch_id"]
            cursor.executemany(
                f"INSERT INTO {schema.model.__tablename__} ({', '.join(fields)}) "
                f"VALUES ({', '.join([marker] * len(fields))})",
                [
                    (*(row[i] if convert is None else convert(row[i]) for i, convert in where), project.id, batch_id)
                    for row in rows
                ],
            )
        raw.commit()
    finally:
        raw.close()


VARIANTS = {"importer": run_importer, "isolated": run_isolated, "pandas": run_pandas, "floor": run_floor}


def child(variant: str, path: Path, url: str) -> None:
    """One timed run on an emptied database; prints its figures as one JSON line."""
    engine = make_engine(url)
    found = MetaData()
    found.reflect(engine)
    found.drop_all(engine)  # every table, the schema's version included: init builds it all anew
    list(init_database(engine))
    with session(engine) as s:
        project = list_projects(s)[0]
    if variant == "pandas":
        import pandas  # noqa: F401
    start = time.perf_counter()
    VARIANTS[variant](engine, project, path)
    seconds = time.perf_counter() - start
    # The importer reads the workbook in a child process (data_model.worker): its peak counts too.
    peak_mb = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "records": record_count(engine)}))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--workbook", type=Path, help="default: a file in the temp folder per size, written when missing"
    )
    parser.add_argument(
        "--db", help="the database to import into, emptied for every run; default: a SQLite file in the temp folder"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each variant; the best time counts")
    parser.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    path = args.workbook or Path(tempfile.gettempdir()) / f"kpi-bench-{args.rows}.xlsx"
    url = args.db or f"sqlite:///{Path(tempfile.gettempdir()) / 'kpi-bench-import.db'}"
    if args.variant:
        return child(args.variant, path, url)
    if not path.exists():
        write_workbook(path, args.rows)

    runs: dict[str, list[dict]] = {name: [] for name in VARIANTS}
    for _ in range(args.repeat):
        for name in VARIANTS:  # taking turns, so that load on the machine hits all alike
            done = subprocess.run(
                [sys.executable, "-m", "bench.bench_import", "--variant", name, "--workbook", str(path), "--db", url],
                capture_output=True,
                text=True,
            )
            if done.returncode:
                raise SystemExit(f"the {name} run failed:\n{done.stderr}")
            runs[name].append(json.loads(done.stdout.splitlines()[-1]))
    best = {name: min(r["seconds"] for r in found) for name, found in runs.items()}
    peak = {name: max(r["peak_mb"] for r in found) for name, found in runs.items()}
    records = {name: found[-1]["records"] for name, found in runs.items()}
    if len(set(records.values())) != 1:
        raise SystemExit(f"the variants stored different numbers of records: {records}")
    print(
        f"workbook: {path} ({args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB); "
        f"database: {make_engine(url).dialect.name}; "
        f"each variant stored {records['importer']:,} records; best of {args.repeat}"
    )
    memory = f"peak {peak['importer']:.0f} MB (goal < 500 MB: {'met' if peak['importer'] < 500 else 'NOT MET'})"
    figure("importer: validate, compare, insert", best["importer"], memory)
    figure(
        "  the same, read in a capped child process",
        best["isolated"],
        f"{best['isolated'] / best['floor']:.2f}x the floor (as the upload page and the command line import)  "
        f"peak {peak['isolated']:.0f} MB",
    )
    ratio = best["pandas"] / best["importer"]
    figure(
        "(a) pandas read_excel(openpyxl) + to_sql",
        best["pandas"],
        f"{goal(ratio, ratio >= 3, 'importer >= 3x faster')}  peak {peak['pandas']:.0f} MB",
    )
    ratio = best["importer"] / best["floor"]
    figure(
        "(b) floor: calamine + executemany",
        best["floor"],
        f"{goal(ratio, ratio <= 2, 'importer <= 2x this')}  peak {peak['floor']:.0f} MB",
    )


if __name__ == "__main__":
    main()
