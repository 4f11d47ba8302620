"""Importing good upload workbooks: stored values, replacement by key, re-uploads, and all-or-nothing writes."""

import json
from datetime import date, datetime

import pytest

from data_model import importer
from data_model.importer import import_workbook
from data_model.sheets import SHEETS_BY_NAME
from tests.data_model.workbooks import contents, good, headers, upload
from tests.helpers import workbook_bytes

D = date


def stored_values(db, sheet: str) -> list[tuple]:
    """The sheet's stored rows, its columns in header order."""
    fields = [c.field for c in SHEETS_BY_NAME[sheet].columns]
    return [tuple(r[f] for f in fields) for r in contents(db)[sheet]]


# sheet, the rows as typed (first row: headers), the stored rows in header order
STORED_AS = [
    pytest.param(
        "支出明细",
        [
            headers("支出明细"),
            [12345, "2024-03-05", "工作装备经费", "1,200.50", None],
            ["PZ-002", datetime(2024, 3, 6, 14, 30), " 开展劳动法普法宣讲 ", 800, "宣传物料"],
        ],
        [
            ("12345", D(2024, 3, 5), "工作装备经费", 1200.5, None),
            ("PZ-002", D(2024, 3, 6), "开展劳动法普法宣讲", 800.0, "宣传物料"),
        ],
        id="expense-numeric-voucher-text-date-thousands-separator",
    ),
    pytest.param(
        "支出明细",
        [  # PostgreSQL takes new rows through COPY, whose text format escapes these
            headers("支出明细"),
            ["PZ-\\N", "2024-03-05", "工作装备经费", 0.1, '第一批\t"物料"\n第二批 \\ 备注'],
        ],
        [("PZ-\\N", D(2024, 3, 5), "工作装备经费", 0.1, '第一批\t"物料"\n第二批 \\ 备注')],
        id="expense-text-with-tab-newline-quotes-and-backslashes",
    ),
    pytest.param(
        "以案定补",
        [
            headers("以案定补"),
            ["AJ-001", D(2024, 1, 5), 3.0, "劳动报酬", "调解成功", None],
            [None] * 6,
            ["  ", "", None, None, None, None],
            ["AJ-002", "2024-01-09", "2", "工伤待遇", "调解不成功", "南片"],
        ],
        [
            ("AJ-001", D(2024, 1, 5), 3, "劳动报酬", "调解成功", None),
            ("AJ-002", D(2024, 1, 9), 2, "工伤待遇", "调解不成功", "南片"),
        ],
        id="cases-integer-stored-as-float-and-blank-rows-skipped",
    ),
    pytest.param(
        "装备发放",
        [
            ["  验收结果 ", "套数", " 发放日期", "领用人  "],
            ["合格", 2, D(2024, 3, 15), "张建华"],
            ["不合格", 1, D(2024, 3, 20), "张建华"],
        ],
        [("张建华", D(2024, 3, 15), 2, "合格"), ("张建华", D(2024, 3, 20), 1, "不合格")],
        id="equipment-columns-in-any-order-headers-with-spaces",
    ),
    pytest.param(
        "调解阵地",
        [
            headers("调解阵地"),
            ["北片调解工作室", "党群服务站", "北片", D(2024, 6, 30), D(2024, 6, 25), "达标"],
            ["商圈调解站", "商圈", "中片", D(2024, 9, 30), None, None],
        ],
        [
            ("北片调解工作室", "党群服务站", "北片", D(2024, 6, 30), D(2024, 6, 25), "达标"),
            ("商圈调解站", "商圈", "中片", D(2024, 9, 30), None, None),
        ],
        id="sites-done-and-not-yet-done",
    ),
    pytest.param(
        "普法活动",
        [
            headers("普法活动"),
            ["劳动法进商圈", D(2024, 4, 12), D(2024, 4, 15), "中片", "零售", "商户", 60, "是"],
            ["劳动法进商圈", D(2024, 5, 10), D(2024, 5, 1), "中片", "餐饮", "员工", 0, "否"],
        ],
        [
            ("劳动法进商圈", D(2024, 4, 12), D(2024, 4, 15), "中片", "零售", "商户", 60, True),
            ("劳动法进商圈", D(2024, 5, 10), D(2024, 5, 1), "中片", "餐饮", "员工", 0, False),
        ],
        id="events-same-name-other-day-and-yes-no-flags",
    ),
    pytest.param(
        "平台运维",
        [
            headers("平台运维"),
            ["2024-03", "是", "85%"],
            [D(2024, 4, 1), "否", 85],
            ["2024-5", "是", " 100 % "],
        ],
        [(D(2024, 3, 1), True, 85.0), (D(2024, 4, 1), False, 85.0), (D(2024, 5, 1), True, 100.0)],
        id="platform-month-as-text-or-excel-date-percent-with-or-without-sign",
    ),
    pytest.param(
        "投诉处置",
        [
            headers("投诉处置"),
            ["TS-001", D(2024, 3, 1), "国家欠薪平台", "是", D(2024, 3, 1)],
            ["TS-002", D(2024, 3, 2), "来电", "否", None],
        ],
        [
            ("TS-001", D(2024, 3, 1), "国家欠薪平台", True, D(2024, 3, 1)),
            ("TS-002", D(2024, 3, 2), "来电", False, None),
        ],
        id="complaints-closed-the-same-day-and-still-open",
    ),
    pytest.param(
        "满意度调查",
        [
            headers("满意度调查"),
            [1001, D(2024, 6, 1), "用工单位", "非常满意"],
        ],
        [("1001", D(2024, 6, 1), "用工单位", "非常满意")],
        id="survey-numeric-questionnaire-number",
    ),
    pytest.param(
        "劳动关系统计",
        [
            headers("劳动关系统计"),
            ["2023-12", 20, 4],
            [D(2024, 1, 1), 0, 0.0],
        ],
        [(D(2023, 12, 1), 20, 4), (D(2024, 1, 1), 0, 0)],
        id="labour-stats-baseline-month-and-zero-counts",
    ),
    pytest.param(
        "长效机制",
        [
            headers("长效机制"),
            ["调解工作制度", "2024-05-06", None],
        ],
        [("调解工作制度", D(2024, 5, 6), None)],
        id="mechanism-without-document-number",
    ),
]


@pytest.mark.parametrize(("sheet", "sheet_rows", "expected"), STORED_AS)
def test_import_stores_values_as_meant(db, project, sheet, sheet_rows, expected):
    result = import_workbook(
        db, project, workbook_bytes({sheet: sheet_rows}), file_name="2024-03.xlsx", uploaded_by="staff"
    )
    assert stored_values(db, sheet) == expected
    assert vars(result.counts[sheet]) == {"new": len(expected), "replaced": 0, "unchanged": 0}
    assert result.warnings == []


def test_sheets_whose_names_differ_only_by_spaces_are_both_imported(db, project):
    data = workbook_bytes(
        {
            "支出明细": [headers("支出明细"), good("支出明细")],
            "支出明细 ": [headers("支出明细"), good("支出明细", 凭证号="PZ-002")],
        }
    )
    result = import_workbook(db, project, data, file_name="2024-03.xlsx", uploaded_by="staff")
    assert [r["voucher_no"] for r in contents(db)["支出明细"]] == ["PZ-001", "PZ-002"]
    assert vars(result.counts["支出明细"]) == {"new": 2, "replaced": 0, "unchanged": 0}


def test_import_records_the_batch_with_its_counts(db, project):
    result = import_workbook(
        db,
        project,
        upload(支出明细=[good("支出明细")], 以案定补=[good("以案定补")]),
        file_name="2024-03.xlsx",
        uploaded_by="staff",
    )
    [batch] = contents(db)["UploadBatch"]
    assert (batch["id"], batch["file_name"], batch["uploaded_by"]) == (result.batch.id, "2024-03.xlsx", "staff")
    assert json.loads(batch["row_counts"]) == {
        "支出明细": {"new": 1, "replaced": 0, "unchanged": 0},
        "以案定补": {"new": 1, "replaced": 0, "unchanged": 0},
    }
    assert {r["batch_id"] for r in contents(db)["支出明细"] + contents(db)["以案定补"]} == {result.batch.id}


def test_reimport_replaces_rows_by_key_and_keeps_the_previous_values(db, stored):
    first = contents(db)
    result = import_workbook(
        db,
        stored,
        upload(
            支出明细=[good("支出明细", 金额=1300), good("支出明细", 凭证号="PZ-002")],
            装备发放=[good("装备发放", 套数=2), good("装备发放", 发放日期=D(2024, 3, 16))],
            以案定补=[good("以案定补")],
        ),
        file_name="2024-03-corrected.xlsx",
        uploaded_by="staff",
    )
    counts = {sheet: vars(c) for sheet, c in result.counts.items()}
    assert counts == {
        "支出明细": {"new": 1, "replaced": 1, "unchanged": 0},
        "装备发放": {"new": 1, "replaced": 1, "unchanged": 0},
        "以案定补": {"new": 0, "replaced": 0, "unchanged": 1},
    }
    assert stored_values(db, "支出明细") == [
        ("PZ-001", D(2024, 3, 5), "工作装备经费", 1300.0, "调解队伍服装"),
        ("PZ-002", D(2024, 3, 5), "工作装备经费", 1200.5, "调解队伍服装"),
    ]
    assert stored_values(db, "装备发放") == [
        ("张建华", D(2024, 3, 15), 2, "合格"),
        ("张建华", D(2024, 3, 16), 1, "合格"),
    ]
    after = contents(db)
    assert [r["batch_id"] for r in after["支出明细"]] == [result.batch.id] * 2
    assert after["以案定补"] == first["以案定补"]  # unchanged rows keep their batch
    previous = {r["sheet"]: (r["record_id"], r["batch_id"], json.loads(r["previous"])) for r in after["ReplacedRecord"]}
    old_batch = first["UploadBatch"][0]["id"]
    assert previous == {
        "支出明细": (
            first["支出明细"][0]["id"],
            result.batch.id,
            {
                "voucher_no": "PZ-001",
                "paid_on": "2024-03-05",
                "budget_line": "工作装备经费",
                "amount": 1200.5,
                "summary": "调解队伍服装",
                "batch_id": old_batch,
            },
        ),
        "装备发放": (
            first["装备发放"][0]["id"],
            result.batch.id,
            {"recipient": "张建华", "issued_on": "2024-03-15", "sets": 1, "acceptance": "合格", "batch_id": old_batch},
        ),
    }


def test_identical_file_uploaded_again_is_recognised_and_writes_nothing(db, project):
    data = upload(支出明细=[good("支出明细")])
    first = import_workbook(db, project, data, file_name="2024-03.xlsx", uploaded_by="staff")
    before = contents(db)
    again = import_workbook(db, project, data, file_name="2024-03 (1).xlsx", uploaded_by="another")
    assert (again.batch, again.same_as.id, again.same_as.file_name) == (None, first.batch.id, "2024-03.xlsx")
    assert contents(db) == before


def test_same_rows_in_a_new_file_count_as_unchanged(db, stored):
    before = contents(db)["支出明细"]
    result = import_workbook(
        db, stored, upload(支出明细=[good("支出明细")]), file_name="again.xlsx", uploaded_by="staff"
    )
    assert vars(result.counts["支出明细"]) == {"new": 0, "replaced": 0, "unchanged": 1}
    assert contents(db)["支出明细"] == before


def test_failure_while_writing_the_second_sheet_leaves_nothing_behind(db, project, monkeypatch):
    real_write, calls = importer._write, []

    def failing_write(session, plan, *args):
        calls.append(plan.schema.name)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real_write(session, plan, *args)

    monkeypatch.setattr(importer, "_write", failing_write)
    data = upload(支出明细=[good("支出明细")], 以案定补=[good("以案定补")])
    with pytest.raises(RuntimeError):
        import_workbook(db, project, data, file_name="2024-03.xlsx", uploaded_by="staff")
    assert calls == ["支出明细", "以案定补"]
    assert all(rows == [] for rows in contents(db).values())

    monkeypatch.setattr(importer, "_write", real_write)  # the session is usable again and the file can be retried
    result = import_workbook(db, project, data, file_name="2024-03.xlsx", uploaded_by="staff")
    assert [len(contents(db)[s]) for s in ("支出明细", "以案定补", "UploadBatch")] == [1, 1, 1]
    assert result.batch is not None
