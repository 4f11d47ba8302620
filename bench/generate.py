"""Benchmark data: a district-sized database, and a large upload workbook for the seed project.

    python -m bench.generate --db sqlite:////tmp/bench-1m.db --records 1000000 --projects 14
    python -m bench.generate --workbook /tmp/bench-100k.xlsx --rows 100000

The database holds the seed project (kpi.setup, without the sample year) and, with
--projects N, N − 1 more sub-districts' projects loaded from the same performance table under other
names, so budget lines and indicators are real. Each project gets its share of the records, spread
over the ten sheets like a real district's year: many expenses, cases, complaints and survey answers,
few sites and rules, one platform row a month and the dispute statistics of the year and the
baseline year. Rows go in by executemany, one transaction per chunk. Everything is deterministic.
"""

import argparse
import io
import random
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import islice
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bench.common import record_count
from data_model.db import bulk_insert, make_engine, session
from data_model.models import BudgetLine, UploadBatch
from data_model.projects import list_projects
from data_model.sheets import SHEETS_BY_NAME
from kpi.projects import build_project, create_project
from kpi.setup import SEED_TABLE, init_database

CHUNK = 20_000
MONTHLY = ("平台运维", "劳动关系统计")  # 12 and 24 rows a project, whatever its size
# The other sheets' shares of a project's records.
SHARES = {
    "支出明细": 0.28,
    "以案定补": 0.22,
    "投诉处置": 0.18,
    "满意度调查": 0.27,
    "装备发放": 0.03,
    "普法活动": 0.013,
    "调解阵地": 0.004,
    "长效机制": 0.003,
}
AREAS = ("北片", "中片", "南片", "东片", "西片")
CASE_TYPES = ("劳动报酬", "解除劳动合同", "经济补偿", "工伤待遇", "社会保险", "加班工资")
SOURCES = ("12345热线", "国家欠薪平台", "来访", "来电", "其他")
RATINGS = ("非常满意", "满意", "一般", "不满意", "非常不满意")


def counts_for(records: int) -> dict[str, int]:
    """How many rows of each sheet make up `records` rows of one project."""
    rest = max(records - 36, 0)
    counts = {name: max(1, int(rest * share)) for name, share in SHARES.items()}
    counts["支出明细"] += rest - sum(counts.values())
    return {**counts, "平台运维": 12, "劳动关系统计": 24}


class _Rows:
    """Row makers, one per sheet, returning the sheet's fields as the validator would parse them."""

    def __init__(self, rng: random.Random, year: int, lines: list[str], prefix: str):
        self.rng, self.year, self.lines, self.prefix = rng, year, lines, prefix
        self.first, self.last = date(year, 1, 1), date(year, 12, 31)

    def day(self) -> date:
        return self.first + timedelta(days=self.rng.randrange((self.last - self.first).days + 1))

    def near(self, day: date, before: int, after: int) -> date:
        return min(max(day + timedelta(days=self.rng.randint(-before, after)), self.first), self.last)

    def 支出明细(self, i: int) -> dict:
        r = self.rng
        return {
            "voucher_no": f"{self.prefix}-ZC{i:07d}",
            "paid_on": self.day(),
            "budget_line": r.choice(self.lines),
            "amount": round(r.uniform(50, 5000), 2),
            "summary": "基准测试支出" if i % 3 else None,
        }

    def 以案定补(self, i: int) -> dict:
        r = self.rng
        return {
            "case_no": f"{self.prefix}-AJ{i:07d}",
            "closed_on": self.day(),
            "persons": 2 if i % 10 == 0 else 1,
            "case_type": r.choice(CASE_TYPES),
            "result": "调解不成功" if i % 9 == 0 else "调解成功",
            "area": r.choice(AREAS) if i % 4 else None,
        }

    def 投诉处置(self, i: int) -> dict:
        received = self.day()
        closed = None if i % 20 == 0 else self.near(received, 0, 20)
        return {
            "complaint_no": f"{self.prefix}-TS{i:07d}",
            "received_on": received,
            "source": self.rng.choice(SOURCES),
            "valid": i % 10 != 0,
            "closed_on": closed,
        }

    def 满意度调查(self, i: int) -> dict:
        return {
            "questionnaire_no": f"{self.prefix}-MY{i:07d}",
            "surveyed_on": self.day(),
            "respondent": "用工单位" if i % 10 < 3 else "劳动者",
            "rating": self.rng.choices(RATINGS, (40, 45, 10, 4, 1))[0],
        }

    def 装备发放(self, i: int) -> dict:
        return {
            "recipient": f"调解员{self.prefix}-{i:06d}",
            "issued_on": self.day(),
            "sets": 1 + i % 2,
            "acceptance": "不合格" if i % 25 == 0 else "合格",
        }

    def 普法活动(self, i: int) -> dict:
        r, held = self.rng, self.day()
        return {
            "name": f"劳动法普法宣讲第{i}场",
            "held_on": held,
            "planned_on": self.near(held, 5, 10),
            "area": r.choice(AREAS),
            "industry": r.choice(("制造业", "建筑业", "商贸服务业", "物流快递业")),
            "audience": r.choice(("外来务工人员", "用工单位", "新就业形态劳动者")),
            "participants": r.randint(20, 200),
            "on_theme": i % 20 != 0,
        }

    def 调解阵地(self, i: int) -> dict:
        planned = self.day()
        done = self.near(planned, 30, 30) if i % 5 else None
        return {
            "name": f"调解阵地{i:05d}",
            "site_type": self.rng.choice(("党群服务站", "商圈", "其他")),
            "area": self.rng.choice(AREAS),
            "planned_on": planned,
            "completed_on": done,
            "acceptance": None if done is None else ("不达标" if i % 17 == 0 else "达标"),
        }

    def 长效机制(self, i: int) -> dict:
        return {"name": f"劳动关系长效管理制度第{i}号", "issued_on": self.day(), "doc_no": f"基准〔{self.year}〕{i}号"}

    def 平台运维(self, i: int) -> dict:
        return {"month": date(self.year, i, 1), "maintained": i % 7 != 0, "integration_pct": min(100.0, 10.0 * i)}

    def 劳动关系统计(self, i: int) -> dict:
        year, month = (self.year - 1, i) if i <= 12 else (self.year, i - 12)
        return {
            "month": date(year, month, 1),
            "disputes": self.rng.randint(5, 40),
            "wage_arrears": self.rng.randint(1, 15),
        }

    def sheet(self, name: str, count: int) -> Iterator[dict]:
        make = getattr(self, name)
        return (make(i) for i in range(1, count + 1))


def _chunks(rows: Iterator[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _sub_district_table(number: int) -> bytes:
    """The seed performance table under another sub-district's project name."""
    book = load_workbook(SEED_TABLE)
    for row in book["项目信息"].iter_rows(min_row=2):
        if row[0].value == "项目名称":
            row[1].value = f"2024年基准测试第{number:02d}街道劳动关系项目"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_database(url: str, records: int, projects: int = 1) -> Engine:
    """The database at `url` with about `records` rows over `projects` projects; an existing one is reused as it is."""
    engine = make_engine(url)
    list(init_database(engine))
    with session(engine) as s:
        if record_count(engine):
            return engine
        for number in range(2, projects + 1):
            create_project(s, _sub_district_table(number))
        for project in list_projects(s):
            lines = list(s.exec(select(BudgetLine.name).where(BudgetLine.project_id == project.id)).scalars())
            batch = UploadBatch(
                project_id=project.id,
                uploaded_by="基准测试",
                file_name="bench.xlsx",
                content_hash=f"bench-{project.id}",
                row_counts="{}",
            )
            s.add(batch)
            s.commit()
            rows = _Rows(random.Random(project.id), project.year, lines, f"P{project.id}")
            for name, count in counts_for(records // projects).items():
                table = SHEETS_BY_NAME[name].model.__table__
                for chunk in _chunks(rows.sheet(name, count)):
                    with engine.begin() as conn:
                        bulk_insert(conn, table, [{**r, "project_id": project.id, "batch_id": batch.id} for r in chunk])
    return engine


def upload_workbook(counts: dict[str, int], prefix: str, seed: int = 0) -> Workbook:
    """An upload workbook of the seed project with `counts` rows of each sheet named, their keys starting with
    `prefix` (openpyxl write-only)."""
    project, lines, _ = build_project(SEED_TABLE.read_bytes())
    maker = _Rows(random.Random(seed), project.year, [line.name for line in lines], prefix)
    book = Workbook(write_only=True)
    for name, count in counts.items():
        schema = SHEETS_BY_NAME[name]
        sheet = book.create_sheet(name)
        sheet.append([c.header for c in schema.columns])
        for row in maker.sheet(name, count):
            sheet.append([c.cell(row[c.field]) for c in schema.columns])
    return book


def write_workbook(path: Path, rows: int) -> Path:
    """A `rows`-row upload workbook of the seed project, every sheet present."""
    book = upload_workbook(counts_for(rows), "WB")
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="build this database")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--projects", type=int, default=1)
    parser.add_argument("--workbook", type=Path, help="write this upload workbook")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)
    if args.db:
        engine = build_database(args.db, args.records, args.projects)
        print(f"database {args.db}: {record_count(engine):,} records")
    if args.workbook:
        print(f"workbook {write_workbook(args.workbook, args.rows)}: {args.rows:,} rows")


if __name__ == "__main__":
    main()
