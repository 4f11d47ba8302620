"""上传记录 and undo: a batch undone leaves the database as it was before it; refusals say why."""

from datetime import date

import pytest
from sqlmodel import select

from data_model.batches import UndoRefused, already_imported, batch_counts, batch_rows, list_batches, undo_batch
from data_model.importer import import_workbook, plan_import
from data_model.locks import set_locks
from data_model.models import AuditLog, Expense, UploadBatch
from tests.data_model.workbooks import contents, good, upload

CORRECTION = upload(
    支出明细=[good("支出明细", 金额=1300), good("支出明细", 凭证号="PZ-002")],
    投诉处置=[good("投诉处置", 办结日期=date(2024, 3, 12)), good("投诉处置", 投诉编号="TS-002")],
    满意度调查=[good("满意度调查")],
)


def records(snapshot: dict) -> dict:
    """The record tables and the kept previous values: what an undo must put back."""
    return {name: rows for name, rows in snapshot.items() if name != "UploadBatch"}


def test_undo_restores_what_the_batch_replaced_and_deletes_what_it_inserted(db, stored):
    before = contents(db)
    batch = import_workbook(db, stored, CORRECTION, file_name="更正.xlsx", uploaded_by="staff").batch
    assert db.exec(select(Expense.amount).where(Expense.voucher_no == "PZ-001")).one() == 1300

    done = undo_batch(db, stored, batch.id, username="staff", role="staff")

    assert done == {"支出明细": (1, 1), "投诉处置": (1, 1)}
    assert records(contents(db)) == records(before)
    undone = db.get(UploadBatch, batch.id)
    assert (undone.undone_by, undone.undone_at is not None) == ("staff", True)


def values(snapshot: dict) -> dict:
    """The record tables' values, whichever ids and batches hold them."""
    return {
        name: [{k: v for k, v in row.items() if k not in ("id", "batch_id")} for row in rows]
        for name, rows in snapshot.items()
        if name not in ("UploadBatch", "ReplacedRecord")
    }


def test_an_undone_batch_can_be_imported_again_and_writes_the_same_values(db, stored):
    batch = import_workbook(db, stored, CORRECTION, file_name="更正.xlsx", uploaded_by="staff").batch
    imported = values(contents(db))
    undo_batch(db, stored, batch.id, username="staff", role="staff")
    again = import_workbook(db, stored, CORRECTION, file_name="更正.xlsx", uploaded_by="staff")
    assert again.batch.id == batch.id + 1
    assert values(contents(db)) == imported


def test_the_same_file_twice_is_detected_and_named(db, project):
    data = upload(支出明细=[good("支出明细")])
    first = import_workbook(db, project, data, file_name="3月.xlsx", uploaded_by="staff").batch
    plan = plan_import(db, project, data)
    assert plan.same_as.id == first.id
    assert already_imported(plan.same_as).startswith("该文件已于 ")
    assert already_imported(plan.same_as).endswith(f" 由 staff 导入（第 {first.id} 批），未重复导入")
    assert import_workbook(db, project, data, file_name="3月（副本）.xlsx", uploaded_by="staff").batch is None
    assert [b.file_name for b in list_batches(db, project.id)] == ["3月.xlsx"]


def test_undo_is_refused_while_a_later_batch_changed_the_same_rows(db, stored):
    first = import_workbook(db, stored, CORRECTION, file_name="更正.xlsx", uploaded_by="staff").batch
    later = import_workbook(
        db,
        stored,
        upload(支出明细=[good("支出明细", 凭证号="PZ-002", 金额=99)]),
        file_name="再更正.xlsx",
        uploaded_by="staff",
    ).batch
    with pytest.raises(
        UndoRefused,
        match=rf"不能撤销第 {first.id} 批：之后的第 {later.id} 批（「再更正.xlsx」，staff 于 .+ 导入）"
        r"更新了该批写入的记录，请先撤销该批次",
    ):
        undo_batch(db, stored, first.id, username="staff", role="staff")
    undo_batch(db, stored, later.id, username="staff", role="staff")
    undo_batch(db, stored, first.id, username="staff", role="staff")
    assert db.exec(select(Expense.voucher_no, Expense.amount)).all() == [("PZ-001", 1200.5)]


@pytest.mark.parametrize(
    ("username", "role", "refusal"),
    [
        ("other", "staff", "只能撤销本人上传的批次；第 1 批由「staff」上传，如需撤销请联系管理员"),
        ("admin", "admin", None),
    ],
)
def test_staff_undo_only_their_own_batches_and_admins_any(db, stored, username, role, refusal):
    if refusal:
        with pytest.raises(UndoRefused, match=refusal):
            undo_batch(db, stored, 1, username=username, role=role)
    else:
        undo_batch(db, stored, 1, username=username, role=role)
        assert all(not rows for name, rows in records(contents(db)).items())


def test_undo_twice_says_when_it_was_undone(db, stored):
    undo_batch(db, stored, 1, username="staff", role="staff")
    with pytest.raises(UndoRefused, match=r"第 1 批已于 .+ 由 staff 撤销"):
        undo_batch(db, stored, 1, username="staff", role="staff")


def test_undo_that_would_change_a_locked_month_is_refused_and_changes_nothing(db, stored):
    batch = import_workbook(db, stored, CORRECTION, file_name="更正.xlsx", uploaded_by="staff").batch
    set_locks(db, stored, [date(2024, 3, 1)], username="admin")
    before = contents(db)
    with pytest.raises(UndoRefused) as refused:
        undo_batch(db, stored, batch.id, username="staff", role="staff")
    assert str(refused.value) == (
        f"不能撤销第 {batch.id} 批："
        "工作表「支出明细」凭证号「PZ-001」的记录涉及已锁定的2024年3月（「支付日期」为 2024-03-05）；"
        "如需撤销，请联系管理员先解锁该月"
    )
    assert contents(db) == before


def test_a_batch_shows_the_rows_it_wrote_as_the_sheet_shows_them_and_which_were_updated_since(db, stored):
    batch = import_workbook(db, stored, CORRECTION, file_name="更正.xlsx", uploaded_by="staff").batch
    later = import_workbook(
        db,
        stored,
        upload(投诉处置=[good("投诉处置", 投诉编号="TS-002", 是否有效="否")]),
        file_name="再更正.xlsx",
        uploaded_by="staff",
    ).batch
    rows = batch_rows(db, batch)
    assert list(rows) == ["支出明细", "投诉处置"]  # the survey row was unchanged: the first batch keeps it
    assert rows["投诉处置"] == [
        {
            "变更": "更新",
            "投诉编号": "TS-001",
            "受理日期": date(2024, 3, 1),
            "来源": "12345热线",
            "是否有效": "是",
            "办结日期": date(2024, 3, 12),
            "现状": "当前有效",
        },
        {
            "变更": "新增",
            "投诉编号": "TS-002",
            "受理日期": date(2024, 3, 1),
            "来源": "12345热线",
            "是否有效": "是",
            "办结日期": date(2024, 3, 10),
            "现状": f"已被第 {later.id} 批更新",
        },
    ]
    assert [row["是否有效"] for row in batch_rows(db, later)["投诉处置"]] == ["否"]
    assert {name: vars(c) for name, c in batch_counts(batch).items()} == {
        "支出明细": {"new": 1, "replaced": 1, "unchanged": 0},
        "投诉处置": {"new": 1, "replaced": 1, "unchanged": 0},
        "满意度调查": {"new": 0, "replaced": 0, "unchanged": 1},
    }


def test_every_upload_and_undo_is_in_the_audit_log(db, stored):
    batch = import_workbook(db, stored, CORRECTION, file_name="更正.xlsx", uploaded_by="staff").batch
    undo_batch(db, stored, batch.id, username="staff", role="staff")
    log = db.exec(select(AuditLog.username, AuditLog.action, AuditLog.detail).order_by(AuditLog.id)).all()
    assert log[1:] == [
        (
            "staff",
            "upload",
            f"导入「更正.xlsx」为第 {batch.id} 批：支出明细 新增 1 条、更新 1 条、未变 0 条；"
            "投诉处置 新增 1 条、更新 1 条、未变 0 条；满意度调查 新增 0 条、更新 0 条、未变 1 条",
        ),
        (
            "staff",
            "undo",
            f"撤销第 {batch.id} 批（「更正.xlsx」）：支出明细 删除新增 1 条、恢复原值 1 条；"
            "投诉处置 删除新增 1 条、恢复原值 1 条",
        ),
    ]
