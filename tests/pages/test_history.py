"""上传记录: the batches, a batch's rows, and undo behind a confirmation dialog."""

import json

from data_model.db import make_engine, session
from data_model.importer import import_workbook
from data_model.projects import find_project
from tests.data_model.workbooks import contents, good, upload
from tests.pages.app import click, open_as

CORRECTION = upload(支出明细=[good("支出明细")], 长效机制=[good("长效机制")])


def in_database(url: str, staff_upload: bytes | None = None) -> dict:
    """Every record table, after importing `staff_upload` as the staff user when given."""
    engine = make_engine(url)
    with session(engine) as s:
        if staff_upload:
            import_workbook(s, find_project(s), staff_upload, file_name="更正.xlsx", uploaded_by="staff")
        found = contents(s)
    engine.dispose()
    return found


def choose(at, batch: int):
    at.selectbox(key="batch_choice").set_value(batch).run()
    return at


def test_staff_see_every_batch_latest_first_with_who_when_file_and_counts(app_url):
    at = open_as("staff", "history.py")
    batches = at.dataframe[0].value
    assert list(batches.columns) == ["批次", "上传时间", "上传人", "文件", "导入内容", "状态"]
    assert list(batches["批次"]) == list(range(13, 0, -1))
    first = batches.iloc[-1].to_dict()
    assert (first["上传人"], first["文件"], first["导入内容"], first["状态"]) == (
        "示例数据",
        "baseline-2023.xlsx",
        "劳动关系统计 新增 12 条、更新 0 条、未变 0 条",
        "有效",
    )


def test_opening_a_batch_shows_its_rows_sheet_by_sheet(app_url):
    at = choose(open_as("staff", "history.py"), 2)  # January 2024
    assert [t.label for t in at.tabs] == [
        "支出明细（1）",
        "以案定补（5）",
        "调解阵地（3）",
        "平台运维（1）",
        "投诉处置（3）",
        "劳动关系统计（1）",
    ]
    sites = at.dataframe[3].value  # as registered in January, each completed by a later month's workbook
    assert list(sites["变更"]) == ["新增"] * 3
    assert sites["实际完成日期"].isna().all()
    assert list(sites["现状"]) == ["已被第 7 批更新", "已被第 8 批更新", "已被第 11 批更新"]


def test_staff_cannot_undo_a_batch_they_did_not_upload(app_url):
    at = open_as("staff", "history.py")
    assert at.button(key="undo").disabled
    assert "只能撤销本人上传的批次；第 13 批由「示例数据」上传，如需撤销请联系管理员" in [c.value for c in at.caption]


def test_a_batch_later_batches_changed_cannot_be_undone_before_them(app_url):
    at = choose(open_as("admin", "history.py"), 12)
    assert at.button(key="undo").disabled
    assert any(
        c.value.startswith("不能撤销第 12 批：之后的第 13 批（「2024-12.xlsx」，示例数据 于 ") for c in at.caption
    )


def test_undo_after_confirmation_restores_the_database_as_it_was_before_the_batch(fresh_url):
    before = in_database(fresh_url)
    in_database(fresh_url, CORRECTION)
    at = open_as("staff", "history.py")
    assert at.selectbox(key="batch_choice").value == 14
    click(at, "undo")
    assert "确定撤销第 14 批（「更正.xlsx」，staff 于 " in " ".join(m.value for m in at.markdown)
    assert in_database(fresh_url)["支出明细"] != before["支出明细"]  # the dialog alone changes nothing

    click(at, "undo_confirm")
    assert [s.value for s in at.success] == [
        "已撤销第 14 批：支出明细 删除新增 1 条、恢复原值 0 条；长效机制 删除新增 1 条、恢复原值 0 条"
    ]
    after = in_database(fresh_url)
    assert {k: v for k, v in after.items() if k != "UploadBatch"} == {
        k: v for k, v in before.items() if k != "UploadBatch"
    }
    assert at.dataframe[0].value.iloc[0]["状态"].startswith("已撤销（演示工作人员，")


def test_cancelling_the_dialog_keeps_the_batch(fresh_url):
    imported = in_database(fresh_url, CORRECTION)
    at = click(open_as("staff", "history.py"), "undo")
    click(at, "undo_cancel")
    assert "确认撤销" not in [b.label for b in at.button]
    assert in_database(fresh_url) == imported


def test_undoing_the_last_month_shows_it_missing_in_the_progress_panel(fresh_url):
    at = click(open_as("admin", "history.py"), "undo")  # batch 13, the December workbook
    click(at, "undo_confirm")
    at.switch_page("pages/views/upload.py").run()
    grid = at.dataframe[-1].value
    assert (grid.loc["平台运维", "12月"], grid.loc["平台运维", "11月"]) == ("❌ 缺报", "✅ 1")


def test_a_batchs_amounts_read_with_thousands_separators_and_two_decimals_as_on_other_pages(app_url):
    at = choose(open_as("staff", "history.py"), 2)
    expenses = at.dataframe[1]
    assert list(expenses.value["金额"]) == [950.0]  # a number, so it sorts as one; shown 950.00
    assert json.loads(expenses.proto.columns)["金额"]["type_config"] == {"type": "number", "format": "accounting"}
