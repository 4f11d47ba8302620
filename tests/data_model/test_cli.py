"""`python -m data_model import`: a summary and exit 0, or every error on stderr,
a non-zero exit and nothing written."""

import shutil
import subprocess
import sys

import pytest

from data_model.__main__ import main
from data_model.db import ROOT, make_engine, session
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
