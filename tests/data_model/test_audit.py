"""The audit trail: filtered by Beijing day, user and action, exported to .xlsx, and never rewritten."""

import io
from datetime import date, datetime, timezone

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from data_model import audit
from data_model.models import AuditLog
from tests.formulas import RISKY, formulas

# Moments in UTC: 2024-03-01 23:30 UTC is already 2 March in Beijing.
TRAIL = [
    (datetime(2024, 3, 1, 1, 0), "staff", "upload", "导入「2024-02.xlsx」为第 1 批"),
    (datetime(2024, 3, 1, 23, 30), "admin", "weights", "修改分值"),
    (datetime(2024, 3, 2, 2, 0), "staff", "login", "登录成功"),
    (datetime(2024, 3, 5, 8, 0), "evaluator", "something_new", "一个尚未命名的操作"),
]


@pytest.fixture
def trail(db, project):
    for at, username, action, detail in TRAIL:
        db.add(
            AuditLog(
                at=at.replace(tzinfo=timezone.utc),
                username=username,
                action=action,
                detail=detail,
                project_id=project.id if action != "login" else None,
            )
        )
    db.commit()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            {},
            [
                ("2024-03-05 16:00", "evaluator", "something_new"),
                ("2024-03-02 10:00", "staff", "登录"),
                ("2024-03-02 07:30", "admin", "修改分值"),
                ("2024-03-01 09:00", "staff", "上传数据"),
            ],
        ),
        (
            {"start": date(2024, 3, 2), "end": date(2024, 3, 2)},
            [("2024-03-02 10:00", "staff", "登录"), ("2024-03-02 07:30", "admin", "修改分值")],
        ),
        ({"end": date(2024, 3, 1)}, [("2024-03-01 09:00", "staff", "上传数据")]),
        ({"username": "staff"}, [("2024-03-02 10:00", "staff", "登录"), ("2024-03-01 09:00", "staff", "上传数据")]),
        ({"action": "weights"}, [("2024-03-02 07:30", "admin", "修改分值")]),
        ({"username": "staff", "action": "weights"}, []),
    ],
)
def test_entries_filter_by_beijing_day_user_and_action_newest_first(db, trail, filters, expected):
    total, rows = audit.entries(db, **filters)
    assert total == len(expected)
    assert [(f"{r.at:%Y-%m-%d %H:%M}", r.username, r.action) for r in rows] == expected


def test_the_count_covers_every_match_while_the_list_is_limited(db, trail):
    total, rows = audit.entries(db, limit=2)
    assert (total, [r.username for r in rows]) == (4, ["evaluator", "staff"])


def test_the_filters_offer_the_users_and_actions_that_occur(db, trail):
    assert audit.choices(db) == (["admin", "evaluator", "staff"], ["login", "something_new", "upload", "weights"])


def test_the_export_is_a_workbook_with_real_times_and_the_project(db, trail):
    ws = load_workbook(io.BytesIO(audit.to_xlsx(audit.entries(db)[1]))).active
    rows = [[cell.value for cell in row] for row in ws.iter_rows()]
    assert rows[0] == ["时间（北京时间）", "用户", "操作", "详情", "项目"]
    assert rows[-1] == [
        datetime(2024, 3, 1, 9, 0),
        "staff",
        "上传数据",
        "导入「2024-02.xlsx」为第 1 批",
        "2024年浦锦街道劳动关系项目",
    ]
    assert rows[2][1:] == ["staff", "登录", "登录成功", None]
    assert (ws.title, ws.freeze_panes, ws["A2"].number_format) == ("操作日志", "A2", "yyyy-mm-dd hh:mm:ss")


def test_a_login_name_or_detail_that_reads_like_a_formula_is_exported_as_text(db):
    db.add_all(
        AuditLog(at=datetime(2024, 3, 1, 1, n, tzinfo=timezone.utc), username=text, action="login_failed", detail=text)
        for n, text in enumerate(RISKY)
    )
    db.commit()
    data = audit.to_xlsx(audit.entries(db)[1])
    ws = load_workbook(io.BytesIO(data)).active
    rows = [
        (user.value, user.data_type, detail.value, detail.data_type)
        for _, user, _, detail, _ in ws.iter_rows(min_row=2)
    ]
    assert rows == [(text, "s", text, "s") for text in reversed(RISKY)]  # newest first
    assert formulas(data) == []


@pytest.mark.parametrize(
    "rewrite",
    [
        pytest.param(lambda db, row: setattr(row, "detail", "改过的详情"), id="edit"),
        pytest.param(lambda db, row: db.delete(row), id="delete"),
    ],
)
def test_an_entry_can_be_neither_changed_nor_deleted(db, trail, rewrite):
    row = db.exec(select(AuditLog).where(AuditLog.action == "weights")).one()
    rewrite(db, row)
    with pytest.raises(PermissionError, match="^操作日志只能追加，不能修改或删除$"):
        db.commit()
    db.rollback()
    assert db.exec(select(AuditLog.detail).where(AuditLog.action == "weights")).all() == ["修改分值"]
