"""`python -m data_model import` and `add-project`: a summary and exit 0, or every error on stderr, a non-zero
exit and nothing written; and every command's default project."""

import shutil
import subprocess
import sys

import pytest
from sqlmodel import SQLModel, select

from data_model.__main__ import main
from data_model.db import ROOT, make_engine, session
from data_model.models import AuditLog, Indicator
from kpi.__main__ import main as kpi_main
from tests.data_model.tables import WRONG_UNITS, edited, seed
from tests.data_model.workbooks import contents, good, headers, upload
from tests.helpers import workbook_bytes

PROJECT = "2024年浦锦街道劳动关系项目"


def data_model(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "data_model", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def initialised(tmp_path_factory):
    """A database file holding the seed project and no records, made once and copied per test."""
    path = tmp_path_factory.mktemp("cli") / "seed.db"
    done = data_model("init", "--db", f"sqlite:///{path}")
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture
def url(initialised, tmp_path):
    path = tmp_path / "kpi.db"
    shutil.copy(initialised, path)
    return f"sqlite:///{path}"


def stored(url: str) -> dict[str, list[dict]]:
    engine = make_engine(url)
    with session(engine) as s:
        rows = contents(s)
    engine.dispose()
    return rows


def written(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_import_of_a_good_file_prints_a_summary_and_warnings_and_once_only(url, tmp_path):
    data = workbook_bytes({"说明": [["请按月报送"]], "支出明细": [headers("支出明细"), good("支出明细")]})
    path = written(tmp_path, "2024-03.xlsx", data)
    done = data_model("import", path, "--db", url, "--project", PROJECT)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [
        "2024-03.xlsx：已导入为第 1 批；支出明细 新增 1 条、更新 0 条、未变 0 条",
        "提示：工作表「说明」：未知工作表「说明」，已忽略",
    ]
    before = stored(url)
    assert [(r["voucher_no"], r["amount"]) for r in before["支出明细"]] == [("PZ-001", 1200.5)]

    again = data_model("import", path, "--db", url)
    assert (again.returncode, again.stdout.strip()) == (
        0,
        "2024-03.xlsx：与第 1 批（2024-03.xlsx）内容相同，未重复导入",
    )
    assert stored(url) == before


def test_import_of_a_bad_file_lists_every_error_and_writes_nothing(url, tmp_path):
    data = upload(
        支出明细=[good("支出明细", 金额=0)],
        以案定补=[good("以案定补"), good("以案定补", 案件编号="AJ-002", 补贴人数=2.5)],
        投诉处置=[good("投诉处置", 受理日期="2024-03-12")],
        长效机制=[good("长效机制")],
    )
    before = stored(url)
    done = data_model("import", written(tmp_path, "2024-04.xlsx", data), "--db", url)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines() == [
        "导入失败，未写入任何数据。共 3 个问题：",
        "  [E110] 工作表「支出明细」第 2 行「金额」列：金额应大于 0 元，实际为 0",
        "  [E107] 工作表「以案定补」第 3 行「补贴人数」列：应为整数，实际为「2.5」",
        "  [E302] 工作表「投诉处置」第 2 行「办结日期」列：办结日期 2024-03-10 早于受理日期 2024-03-12",
    ]
    assert stored(url) == before


# In-process through main(), the code `python -m data_model` runs, to spare a subprocess per case.
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("missing.xlsx",), "找不到文件："),
        (("good.xlsx", "--project", "2030年项目"), "找不到项目「2030年项目」"),
        (("good.xlsx", "--project", "7"), "找不到项目「7」"),
    ],
)
def test_import_refuses_a_missing_file_or_an_unknown_project(url, tmp_path, capsys, args, message):
    written(tmp_path, "good.xlsx", upload(支出明细=[good("支出明细")]))
    before = stored(url)
    code = main(["import", str(tmp_path / args[0]), *args[1:], "--db", url])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.startswith(message)
    assert stored(url) == before


def test_import_into_a_database_never_initialised_says_to_run_init(tmp_path, capsys):
    path = written(tmp_path, "good.xlsx", upload(支出明细=[good("支出明细")]))
    assert main(["import", path, "--db", f"sqlite:///{tmp_path / 'empty.db'}"]) == 2
    assert capsys.readouterr().err.strip() == "数据库中还没有项目，请先运行 python -m data_model init"


def everything(url: str) -> dict[str, list]:
    """Every row of every table, to show that a refused command wrote nothing."""
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = {t.name: sorted(map(repr, connection.execute(t.select()))) for t in SQLModel.metadata.sorted_tables}
    engine.dispose()
    return rows


def another_table(name: str, year: int, **targets: str) -> bytes:
    """The seed table under another name and year, with some 年度指标值 (keyword = Excel row, as r4) changed."""
    sheets = seed()
    for row in sheets["项目信息"][1:]:
        row[1] = {"项目名称": name, "项目年度": year}.get(row[0], row[1])
    column = sheets["绩效目标"][0].index("年度指标值")
    for row, text in targets.items():
        sheets["绩效目标"][int(row[1:]) - 1][column] = text
    return workbook_bytes(sheets)


def test_add_project_adds_a_table_written_in_wan_yuan_and_full_width_and_audits_it(url, tmp_path):
    data = another_table("2025年浦锦街道劳动关系项目", 2025, r4="≤2.6 万元/家", r20="＞＝85％（含）")
    done = data_model("add-project", written(tmp_path, "2025年绩效目标表.xlsx", data), "--db", url, "--user", "admin")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "已新增项目「2025年浦锦街道劳动关系项目」（2025 年度），编号 2\n"
    engine = make_engine(url)
    with session(engine) as s:
        targets = s.exec(
            select(Indicator.seq, Indicator.operator, Indicator.target_value, Indicator.unit)
            .where(Indicator.project_id == 2, Indicator.seq.in_([3, 19]))
            .order_by(Indicator.seq)
        ).all()
        audit = s.exec(select(AuditLog.username, AuditLog.action, AuditLog.detail, AuditLog.project_id)).all()
    engine.dispose()
    assert [tuple(t) for t in targets] == [(3, "≤", 2.6, "万元/家"), (19, "≥", 85.0, "%")]
    assert [tuple(a) for a in audit] == [
        ("admin", "project_import", "从「2025年绩效目标表.xlsx」导入项目「2025年浦锦街道劳动关系项目」（2025 年度）", 2)
    ]


@pytest.mark.parametrize(("row", "text", "message"), WRONG_UNITS)
def test_add_project_refuses_a_target_whose_unit_does_not_fit_and_writes_nothing(
    url, tmp_path, capsys, row, text, message
):
    path = written(tmp_path, "绩效目标表.xlsx", edited("绩效目标", row, "年度指标值", text))
    before = everything(url)
    code = main(["add-project", path, "--db", url])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.splitlines() == ["导入失败，未写入任何数据。共 1 个问题：", f"  [P003] {message}"]
    assert everything(url) == before


def test_add_project_refuses_a_name_already_used_and_a_missing_file(url, tmp_path, capsys):
    before = everything(url)
    assert main(["add-project", written(tmp_path, "seed.xlsx", another_table(PROJECT, 2024)), "--db", url]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "导入失败，未写入任何数据。共 1 个问题：",
        f"  [P004] 项目「{PROJECT}」已存在",
    ]
    assert main(["add-project", str(tmp_path / "missing.xlsx"), "--db", url]) == 2
    assert capsys.readouterr().err.startswith("找不到文件：")
    assert everything(url) == before


# Every command taking --project, with the files it would write (under the test's folder).
COMMANDS = [
    pytest.param(kpi_main, ["evaluate"], id="kpi-evaluate"),
    pytest.param(kpi_main, ["export", "--out", "{dir}/自评表.xlsx"], id="kpi-export"),
    pytest.param(main, ["import", "{dir}/good.xlsx"], id="import"),
    pytest.param(main, ["export-all", "{dir}/备份.xlsx"], id="export-all"),
]


@pytest.mark.parametrize(("command", "args"), COMMANDS)
def test_every_command_without_project_is_refused_when_the_latest_year_has_several(
    url, tmp_path, capsys, command, args
):
    main(["add-project", written(tmp_path, "梅陇.xlsx", another_table("2024年梅陇镇劳动关系项目", 2024)), "--db", url])
    written(tmp_path, "good.xlsx", upload(支出明细=[good("支出明细")]))
    capsys.readouterr()
    before, files = everything(url), sorted(tmp_path.iterdir())
    assert command([a.format(dir=tmp_path) for a in args] + ["--db", url]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == (
        "",
        f"2024 年度有 2 个项目，请用 --project 指定编号或名称：1「{PROJECT}」；2「2024年梅陇镇劳动关系项目」\n",
    )
    assert (everything(url), sorted(tmp_path.iterdir())) == (before, files)
    assert command([a.format(dir=tmp_path) for a in args] + ["--db", url, "--project", "2"]) == 0
