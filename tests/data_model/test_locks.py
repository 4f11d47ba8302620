"""Period locks: which months a written row touches, and uploads touching a locked month refused by row."""

from datetime import date

import pytest
from sqlmodel import select

from data_model.importer import import_workbook, plan_import
from data_model.locks import locked_months, set_locks, touched_months
from data_model.models import AuditLog
from data_model.problems import WorkbookRejected
from data_model.sheets import SHEETS_BY_NAME
from tests.data_model.workbooks import contents, good, upload

D = date
EXPENSE = {
    "voucher_no": "PZ-1",
    "paid_on": D(2024, 1, 15),
    "budget_line": "工作装备经费",
    "amount": 100.0,
    "summary": None,
}
COMPLAINT = {"complaint_no": "TS-1", "received_on": D(2024, 1, 5), "source": "来电", "valid": True, "closed_on": None}
SITE = {
    "name": "北片",
    "site_type": "商圈",
    "area": "北片",
    "planned_on": D(2024, 6, 30),
    "completed_on": None,
    "acceptance": None,
}


@pytest.mark.parametrize(
    ("sheet", "before", "after", "months"),
    [
        ("支出明细", None, EXPENSE, [(D(2024, 1, 1), "支付日期")]),
        ("支出明细", EXPENSE, {**EXPENSE, "amount": 200.0}, [(D(2024, 1, 1), "支付日期")]),
        (
            "支出明细",
            EXPENSE,
            {**EXPENSE, "paid_on": D(2024, 2, 3)},
            [(D(2024, 2, 1), "支付日期"), (D(2024, 1, 1), "支付日期")],
        ),
        ("投诉处置", None, COMPLAINT, [(D(2024, 1, 1), "受理日期")]),
        ("投诉处置", COMPLAINT, {**COMPLAINT, "closed_on": D(2024, 2, 9)}, [(D(2024, 2, 1), "办结日期")]),
        (
            "投诉处置",
            {**COMPLAINT, "closed_on": D(2024, 2, 9)},
            {**COMPLAINT, "closed_on": D(2024, 2, 9), "valid": False},
            [(D(2024, 1, 1), "受理日期"), (D(2024, 2, 1), "办结日期")],
        ),
        ("调解阵地", None, SITE, []),
        (
            "调解阵地",
            SITE,
            {**SITE, "completed_on": D(2024, 7, 2), "acceptance": "达标"},
            [(D(2024, 7, 1), "实际完成日期")],
        ),
        (
            "平台运维",
            None,
            {"month": D(2024, 3, 1), "maintained": True, "integration_pct": 40.0},
            [(D(2024, 3, 1), "月份")],
        ),
    ],
    ids=[
        "new expense",
        "amount corrected",
        "expense moved to February",
        "new complaint",
        "complaint closed later",
        "complaint found invalid",
        "site registered",
        "site completed",
        "platform month",
    ],
)
def test_a_written_row_touches_the_months_of_the_dates_it_brings_or_takes_away(sheet, before, after, months):
    touched = touched_months(SHEETS_BY_NAME[sheet], after, before)
    assert [(month, column.header) for month, column, _ in touched] == months


@pytest.fixture
def january_locked(db, stored):
    """The stored rows of GOOD (all dated March or later) with January and March 2024 locked by the admin."""
    set_locks(db, stored, [D(2024, 1, 1), D(2024, 3, 1)], username="admin")
    return stored


def test_an_upload_touching_a_locked_month_is_refused_naming_each_row_and_writes_nothing(db, january_locked):
    before = contents(db)
    data = upload(
        支出明细=[
            good("支出明细", 凭证号="PZ-002", 支付日期=D(2024, 4, 2)),
            good("支出明细", 凭证号="PZ-003", 支付日期=D(2024, 1, 20)),
        ],
        投诉处置=[good("投诉处置", 投诉编号="TS-002", 受理日期=D(2024, 1, 9), 办结日期=None)],
    )
    with pytest.raises(WorkbookRejected) as refused:
        import_workbook(db, january_locked, data, file_name="晚报.xlsx", uploaded_by="staff")
    assert [(p.code, p.sheet, p.row, p.column) for p in refused.value.problems] == [
        ("E401", "支出明细", 3, "支付日期"),
        ("E401", "投诉处置", 2, "受理日期"),
    ]
    assert refused.value.problems[0].text() == (
        "工作表「支出明细」第 3 行「支付日期」列：本行涉及已锁定的2024年1月（「支付日期」为 2024-01-20），"
        "该月数据不能导入或修改；如需更正，请联系管理员解锁"
    )
    assert contents(db) == before


def test_moving_a_row_out_of_a_locked_month_is_refused_by_its_stored_date(db, january_locked):
    plan = plan_import(
        db, january_locked, upload(支出明细=[good("支出明细", 支付日期=D(2024, 4, 1))])
    )  # stored: 2024-03-05
    assert [p.message for p in plan.errors] == [
        "本行涉及已锁定的2024年3月（「支付日期」为 2024-03-05），该月数据不能导入或修改；如需更正，请联系管理员解锁"
    ]


def test_unchanged_rows_of_a_locked_month_and_a_later_closing_are_accepted(db, stored):
    import_workbook(
        db,
        stored,
        upload(投诉处置=[good("投诉处置", 投诉编号="TS-009", 办结日期=None)]),
        file_name="3月.xlsx",
        uploaded_by="staff",
    )
    set_locks(db, stored, [D(2024, 3, 1)], username="admin")
    closing = upload(
        支出明细=[good("支出明细")],  # exactly as stored
        投诉处置=[
            good("投诉处置", 投诉编号="TS-009", 办结日期=D(2024, 4, 2))
        ],  # received in locked March, closed in April
    )
    result = import_workbook(db, stored, closing, file_name="4月.xlsx", uploaded_by="staff")
    assert {name: vars(c) for name, c in result.counts.items()} == {
        "支出明细": {"new": 0, "replaced": 0, "unchanged": 1},
        "投诉处置": {"new": 0, "replaced": 1, "unchanged": 0},
    }


def test_setting_the_locked_months_locks_and_unlocks_the_difference_and_logs_it(db, project):
    assert set_locks(db, project, [D(2024, 1, 1), D(2024, 2, 1)], username="admin") == (
        [D(2024, 1, 1), D(2024, 2, 1)],
        [],
    )
    assert set_locks(db, project, [D(2024, 2, 1), D(2024, 3, 1)], username="admin") == (
        [D(2024, 3, 1)],
        [D(2024, 1, 1)],
    )
    locks = locked_months(db, project.id)
    assert {m: lock.locked_by for m, lock in locks.items()} == {D(2024, 2, 1): "admin", D(2024, 3, 1): "admin"}
    log = db.exec(select(AuditLog.action, AuditLog.detail).order_by(AuditLog.id)).all()
    assert log == [("lock", "锁定 2024年1月、2024年2月"), ("lock", "锁定 2024年3月"), ("unlock", "解锁 2024年1月")]
