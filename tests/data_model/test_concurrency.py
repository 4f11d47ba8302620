"""Imports and logins from separate processes at once, and an import killed midway, on SQLite (WAL) and PostgreSQL."""

import os
import signal
import subprocess
import sys
import time
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, text
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from data_model.auth import AuthError, authenticate, create_user
from data_model.db import ROOT, create_schema, session
from data_model.importer import import_workbook
from data_model.models import AuditLog, UploadBatch
from data_model.sheets import SHEETS_BY_NAME
from tests.data_model.accounts import PASSWORD
from tests.data_model.workbooks import contents, good, upload

IMPORTS = 8
ROWS = 25  # per sheet and workbook
SAME_ROWS = 6_000  # the same file from every process: read long enough for the imports to overlap


def monthly_workbook(month: int) -> bytes:
    """One month's report: its own payments, cases and survey answers, and its platform and statistics rows."""
    day = date(2024, month, 10)
    return upload(
        支出明细=[good("支出明细", 凭证号=f"PZ-{month:02}-{n:03}", 支付日期=day, 金额=100 + n) for n in range(ROWS)],
        以案定补=[good("以案定补", 案件编号=f"AJ-{month:02}-{n:03}", 结案日期=day) for n in range(ROWS)],
        满意度调查=[good("满意度调查", 问卷编号=f"WJ-{month:02}-{n:03}", 调查日期=day) for n in range(ROWS)],
        平台运维=[good("平台运维", 月份=f"2024-{month:02}")],
        劳动关系统计=[good("劳动关系统计", 月份=f"2024-{month:02}")],
    )


def cli_import(path, url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "data_model", "import", str(path), "--db", url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def url_of(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_eight_imports_at_once_from_separate_processes_all_land_once(engine, project, tmp_path):
    create_schema(engine)  # as `init` leaves it: the processes find the schema at head
    paths = []
    for month in range(1, IMPORTS + 1):
        paths.append(tmp_path / f"2024-{month:02}.xlsx")
        paths[-1].write_bytes(monthly_workbook(month))
    running = [cli_import(path, url_of(engine)) for path in paths]
    finished = [(p.wait(timeout=300), p.stderr.read()) for p in running]
    assert [code for code, _ in finished] == [0] * IMPORTS, [err for _, err in finished]
    with session(engine) as s:
        stored = contents(s)
        assert sorted(b.file_name for b in s.exec(select(UploadBatch))) == [p.name for p in paths]
        assert s.exec(select(func.count()).select_from(AuditLog).where(AuditLog.action == "upload")).one() == IMPORTS
    assert sorted(r["voucher_no"] for r in stored["支出明细"]) == [
        f"PZ-{m:02}-{n:03}" for m in range(1, IMPORTS + 1) for n in range(ROWS)
    ]
    assert sorted(r["case_no"] for r in stored["以案定补"]) == [
        f"AJ-{m:02}-{n:03}" for m in range(1, IMPORTS + 1) for n in range(ROWS)
    ]
    assert len(stored["满意度调查"]) == IMPORTS * ROWS
    assert sorted(r["month"] for r in stored["平台运维"]) == [date(2024, m, 1) for m in range(1, IMPORTS + 1)]
    assert sorted(r["month"] for r in stored["劳动关系统计"]) == [date(2024, m, 1) for m in range(1, IMPORTS + 1)]
    batches = {r["batch_id"] for sheet in ("支出明细", "以案定补", "满意度调查") for r in stored[sheet]}
    assert len(batches) == IMPORTS  # every row belongs to the batch of its own file


def test_the_same_file_imported_at_once_from_separate_processes_makes_one_batch(engine, project, tmp_path):
    create_schema(engine)
    path = tmp_path / "2024-03.xlsx"
    path.write_bytes(upload(满意度调查=[good("满意度调查", 问卷编号=f"WJ-{n:05}") for n in range(SAME_ROWS)]))
    running = [cli_import(path, url_of(engine)) for _ in range(IMPORTS)]
    finished = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in running]
    assert [(code, err) for code, _, err in finished] == [(0, "")] * IMPORTS  # no traceback
    said = sorted(out.splitlines()[0] for _, out, _ in finished)
    assert said == ["2024-03.xlsx：与第 1 批（2024-03.xlsx）内容相同，未重复导入"] * (IMPORTS - 1) + [
        f"2024-03.xlsx：已导入为第 1 批；满意度调查 新增 {SAME_ROWS} 条、更新 0 条、未变 0 条"
    ]
    with session(engine) as s:
        assert [b.id for b in s.exec(select(UploadBatch))] == [1]
        assert s.exec(select(func.count()).select_from(AuditLog).where(AuditLog.action == "upload")).one() == 1
        assert len(contents(s)["满意度调查"]) == SAME_ROWS


# Each process signs in with wrong passwords as soon as the test says go, and prints every answer.
WRONG_PASSWORDS = """
import sys, time
from pathlib import Path
from data_model.auth import AuthError, authenticate
from data_model.db import make_engine, session

url, go, tries = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
with session(make_engine(url)) as s:
    s.connection()
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.001)
    for _ in range(tries):
        try:
            authenticate(s, "clerk", "wrong-password")
        except AuthError as err:
            print(err)
"""


def test_forty_wrong_passwords_from_sixteen_processes_at_once_lock_the_account(engine, db, tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_SECRET_KEY", "race-secret")  # the processes count under the same keyed name
    create_schema(engine)
    create_user(db, "clerk", PASSWORD, "staff")
    go = tmp_path / "go"
    running = [
        subprocess.Popen(
            [sys.executable, "-c", WRONG_PASSWORDS, url_of(engine), str(go), str(3 if n < 8 else 2)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(16)
    ]
    assert [p.stdout.readline() for p in running] == ["ready\n"] * 16
    go.touch()
    finished = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in running]
    assert [(code, err) for code, _, err in finished] == [(0, "")] * 16
    answers = [line for _, out, _ in finished for line in out.splitlines()]
    assert len(answers) == 40 and set(answers) <= {
        "用户名或密码不正确",
        "密码连续错误 5 次，账号已锁定，请 15 分钟后再试",
    }
    with pytest.raises(AuthError, match="^密码连续错误 5 次，账号已锁定，请 15 分钟后再试$"):
        authenticate(db, "clerk", PASSWORD)  # the right password, while locked
    with session(engine) as s:
        assert s.exec(select(func.count()).select_from(AuditLog).where(AuditLog.action == "lockout")).one() >= 1


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory):
    """A year of survey answers large enough that writing them takes a while."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("满意度调查")
    sheet.append([c.header for c in SHEETS_BY_NAME["满意度调查"].columns])
    for n in range(60_000):
        sheet.append(
            [
                f"DY-{n:06}",
                date(2024, n % 12 + 1, n % 28 + 1),
                ("劳动者", "用工单位")[n % 2],
                ("满意", "一般")[n % 3 == 0],
            ]
        )
    path = tmp_path_factory.mktemp("big") / "2024-全年问卷.xlsx"
    book.save(path)
    return path


def writing(engine) -> bool:
    """Whether another connection holds an open write transaction: PostgreSQL gave it a transaction id, or
    SQLite refuses us its write lock."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            query = (
                "SELECT count(*) FROM pg_stat_activity WHERE backend_xid IS NOT NULL"
                " AND pid <> pg_backend_pid() AND datname = current_database()"
            )
            return connection.execute(text(query)).scalar() > 0
        connection.exec_driver_sql("PRAGMA busy_timeout=0")
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except OperationalError:  # "database is locked": the import holds the write lock
            return True
        connection.exec_driver_sql("ROLLBACK")
        return False


def test_an_import_killed_while_writing_leaves_the_database_as_it_was(engine, project, big_workbook):
    create_schema(engine)
    with session(engine) as s:
        import_workbook(s, project, monthly_workbook(1), file_name="2024-01.xlsx", uploaded_by="staff")
        before = contents(s), s.exec(select(func.count()).select_from(AuditLog)).one()
    process = cli_import(big_workbook, url_of(engine))
    deadline = time.monotonic() + 240
    while not writing(engine):
        assert process.poll() is None, "the import ended before it was seen writing: " + process.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    # New connections: PostgreSQL has ended the killed backend's transaction, SQLite rolls back its WAL.
    engine.dispose()
    with session(engine) as s:
        assert (contents(s), s.exec(select(func.count()).select_from(AuditLog)).one()) == before
        if engine.dialect.name == "sqlite":
            assert s.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
