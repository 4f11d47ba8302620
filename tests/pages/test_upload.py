"""上传数据: preview before writing, the error table, the same file twice, locked months, size limit, 报送进度."""

from datetime import date

import pytest
from sqlmodel import func, select

from data_model.db import make_engine, session
from data_model.models import Complaint, Expense, UploadBatch
from tests.data_model.workbooks import good, upload
from tests.pages.app import click, labelled, login, open_as

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A new expense, and the sample year's one open complaint (received 27 December) now closed.
VALID = upload(
    支出明细=[good("支出明细")],
    投诉处置=[
        good(
            "投诉处置",
            投诉编号="TS20240046",
            受理日期=date(2024, 12, 27),
            来源="国家欠薪平台",
            办结日期=date(2024, 12, 31),
        )
    ],
)
BAD = upload(支出明细=[good("支出明细", 金额=-5), good("支出明细", 凭证号="PZ-002", 预算明细="办公用品")])


def choose_file(at, data: bytes, name: str = "12月补报.xlsx"):
    # The page draws a new, empty picker after each import.
    picker = f"upload_{at.session_state['upload_round'] if 'upload_round' in at.session_state else 0}"
    at.file_uploader(key=picker).set_value((name, data, XLSX))
    at.run()
    assert not at.exception, at.exception
    return at


def stored(url: str):
    """(batches, the expense PZ-001's amount or None, the open complaint's 办结日期) as the database holds them."""
    engine = make_engine(url)
    with session(engine) as s:
        found = (
            s.exec(select(func.count()).select_from(UploadBatch)).one(),
            s.exec(select(Expense.amount).where(Expense.voucher_no == "PZ-001")).first(),
            s.exec(select(Complaint.closed_on).where(Complaint.complaint_no == "TS20240046")).one(),
        )
    engine.dispose()
    return found


def table(at, index: int) -> list[dict]:
    return at.dataframe[index].value.to_dict("records")


def total_score(at) -> str:
    return next(m.value for m in at.metric if m.label.startswith("总分"))


def test_staff_upload_is_previewed_written_only_on_confirmation_and_dashboards_refresh(fresh_url):
    at = login("staff")
    assert at.title[0].value == "上传数据"  # staff's home page
    at.switch_page("pages/views/overview.py").run()
    before_score = total_score(at)
    at.switch_page("pages/views/upload.py").run()

    choose_file(at, VALID)
    assert at.status[0].label == "校验完成"
    assert table(at, 0) == [
        {"工作表": "支出明细", "新增": 1, "更新": 0, "未变": 0},
        {"工作表": "投诉处置", "新增": 0, "更新": 1, "未变": 0},
    ]
    assert stored(fresh_url) == (13, None, None)

    click(at, "confirm_import")
    assert [s.value for s in at.success] == [
        "「12月补报.xlsx」已导入为第 14 批：支出明细 新增 1 条、更新 0 条、未变 0 条；"
        "投诉处置 新增 0 条、更新 1 条、未变 0 条"
    ]
    assert stored(fresh_url) == (14, 1200.5, date(2024, 12, 31))
    at.switch_page("pages/views/overview.py").run()
    # 87.98 + 0.25 (indicator 16: 40 of 40 complaints closed) + 0.08 (budget executed 146,000.50 of 150,000: 9.73)
    # − 0.10 (indicator 2: 38,700.50 元 over 15 sets is above 2,500 元 a set: 3.24 of 3.34)
    assert (before_score, total_score(at)) == ("87.98", "88.21")


def test_a_bad_file_shows_every_error_in_a_table_offers_the_marked_workbook_and_writes_nothing(fresh_url):
    at = choose_file(login("staff"), BAD)
    assert at.status[0].label == "校验未通过"
    assert [e.value for e in at.error] == ["发现 2 个问题，未写入任何数据。请按下表改正后重新上传。"]
    assert table(at, 0) == [
        {"工作表": "支出明细", "行": 2, "列": "金额", "问题": "金额应大于 0 元，实际为 -5", "代码": "E110"},
        {
            "工作表": "支出明细",
            "行": 3,
            "列": "预算明细",
            "问题": "应为以下之一：社会调解人员“以案定补”工作经费、工作装备经费、打造社会化调解阵地、"
            "开展劳动法普法宣讲、浦锦街道劳资矛盾智慧预警平台项目维护费用，实际为「办公用品」",
            "代码": "E113",
        },
    ]
    assert "下载标注问题的工作簿" in [b.label for b in at.get("download_button")]
    assert "确认导入" not in [b.label for b in at.button]
    assert stored(fresh_url) == (13, None, None)


def test_a_file_refused_as_a_whole_is_said_in_one_sentence_with_no_table_nor_marked_workbook(fresh_url):
    at = choose_file(login("staff"), b"PK\x03\x04 not really a workbook", "假的.xlsx")
    assert at.status[0].label == "校验未通过"
    assert [e.value for e in at.error] == [
        "文件未通过校验，未写入任何数据。文件无法读取：不是有效的 Excel（.xlsx）工作簿（代码 E001）"
    ]
    assert "下载标注问题的工作簿" not in [b.label for b in at.get("download_button")]
    assert "确认导入" not in [b.label for b in at.button]
    assert stored(fresh_url) == (13, None, None)


def test_the_same_file_again_is_recognised_and_not_imported_twice(fresh_url):
    at = click(choose_file(login("staff"), VALID, "第一次.xlsx"), "confirm_import")
    choose_file(at, VALID, "第二次.xlsx")
    assert [i.value for i in at.info][-1].endswith(" 由 staff 导入（第 14 批），未重复导入")
    assert "确认导入" not in [b.label for b in at.button]
    assert stored(fresh_url)[0] == 14


def test_an_upload_touching_a_month_the_admin_locked_is_refused_naming_the_row(fresh_url):
    admin = open_as("admin", "locks.py")
    labelled(admin.multiselect, "锁定的月份").set_value([date(2024, 12, 1)])
    click(admin, "save_locks")
    assert [s.value for s in admin.success] == ["已锁定 2024年12月"]
    assert table(admin, 0)[11] == {
        **table(admin, 0)[11],
        "月份": "2024年12月",
        "状态": "🔒 已锁定",
        "锁定人": "演示管理员",
    }

    at = choose_file(login("staff"), VALID)
    assert table(at, 0) == [
        {
            "工作表": "投诉处置",
            "行": 2,
            "列": "办结日期",
            "代码": "E401",
            "问题": (
                "本行涉及已锁定的2024年12月（「办结日期」为 2024-12-31），该月数据不能导入或修改；"
                "如需更正，请联系管理员解锁"
            ),
        }
    ]
    assert stored(fresh_url) == (13, None, None)


def test_a_file_over_the_size_limit_is_refused_in_chinese(app_url):
    at = choose_file(login("staff"), b"\0" * (21 * 1024 * 1024))
    assert [e.value for e in at.error] == ["文件大小为 21.0 MB，超过 20 MB 的上限，请删去多余内容或分成几个文件上传。"]


def test_progress_shows_each_months_rows_per_sheet(app_url):
    at = login("staff")
    grid = at.dataframe[0].value
    assert list(grid.loc["平台运维"]) == ["✅ 1"] * 12
    assert grid.loc["装备发放", "3月"] == "✅ 9"
    assert grid.loc["满意度调查", "1月"] == ""


@pytest.mark.parametrize("role", ["leader", "evaluator"])
def test_only_staff_and_admins_may_upload(app_url, role):
    at = open_as(role, "upload.py")
    assert [e.value for e in at.error] == ["您没有权限访问此页面。如需访问，请联系管理员。"]
    assert not at.file_uploader


def test_a_file_with_nothing_new_nor_changed_offers_no_confirmation(fresh_url):
    at = click(choose_file(login("staff"), VALID, "第一次.xlsx"), "confirm_import")
    choose_file(at, upload(支出明细=[good("支出明细")]), "只有已导入的凭证.xlsx")  # another file, the same row
    assert table(at, 0) == [{"工作表": "支出明细", "新增": 0, "更新": 0, "未变": 1}]
    assert [i.value for i in at.info] == ["文件中没有新增或需要更新的记录（都与已导入的相同），无需导入。"]
    assert "确认导入" not in [b.label for b in at.button]
    assert stored(fresh_url)[0] == 14


def test_progress_shows_the_locked_months(fresh_url):
    admin = open_as("admin", "locks.py")
    labelled(admin.multiselect, "锁定的月份").set_value([date(2024, 1, 1), date(2024, 2, 1)])
    click(admin, "save_locks")
    grid = login("staff").dataframe[0].value
    assert list(grid.loc["期间锁定"]) == ["🔒 已锁定"] * 2 + [""] * 10


def test_app_script_run_again_in_an_upload_readers_child_only_imports(monkeypatch):
    """The reader's child process (data_model/worker.py) runs the parent's main script again, as multiprocessing does,
    under the name __mp_main__: there app.py must not draw the app, sign anyone in or touch the database."""
    import runpy

    import streamlit as st

    drawn = []
    monkeypatch.setattr(st, "set_page_config", lambda *args, **kwargs: drawn.append("set_page_config"))
    monkeypatch.setattr(st, "navigation", lambda *args, **kwargs: drawn.append("navigation"))
    script = runpy.run_path("app.py", run_name="__mp_main__")
    assert drawn == []
    assert callable(script["main"])
