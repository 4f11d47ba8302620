"""The upload sheet 指标填报: manually reported indicators' monthly values in one file, validated, imported as a batch
and undone like every sheet, and offered in 下载模板 only to a project with such indicators."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from data_model.batches import undo_batch
from data_model.importer import import_workbook
from data_model.locks import set_locks
from data_model.models import Indicator, ManualValue
from data_model.problems import WorkbookRejected
from data_model.template import build_template
from kpi.manual import enter_value, manual_indicators
from tests.helpers import workbook_bytes

TRAINING, CONTRACTS = 3, 4  # the meilong table's summed (人次) and latest-month (%) indicators
HEADERS = ["三级指标", "月份", "实际完成值", "说明"]


def report(*rows: list, header: str = "三级指标") -> bytes:
    return workbook_bytes({"指标填报": [[header, *HEADERS[1:]], *rows]})


def stored(db) -> list[tuple]:
    """Every monthly value stored: (序号, 月份, value as the engine reads it, 说明)."""
    rows = db.exec(
        select(Indicator.seq, ManualValue.month, ManualValue.value, ManualValue.note)
        .join(Indicator, Indicator.id == ManualValue.indicator_id)
        .order_by(Indicator.seq, ManualValue.month)
    ).all()
    return [(seq, f"{month:%Y-%m}", round(value, 4), note) for seq, month, value, note in rows]


def signed(db) -> list[str]:
    return list(db.exec(select(ManualValue.entered_by).order_by(ManualValue.indicator_id, ManualValue.month)))


def test_values_are_imported_by_name_or_by_seq_with_percentages_as_fractions(db, meilong):
    result = import_workbook(
        db,
        meilong,
        report(["劳动关系指导员培训人次", "2025-02", 30, "培训签到表"], ["企业劳动合同签订率", "2025-02", "92%", None]),
        file_name="2月.xlsx",
        uploaded_by="staff",
    )
    assert (result.counts["指标填报"].new, result.batch.id) == (2, 1)
    import_workbook(
        db,
        meilong,
        report(["3", "2025-03", 50, ""], ["4", "2025-03", 96.5, ""], header="序号"),
        file_name="3月.xlsx",
        uploaded_by="staff",
    )
    assert stored(db) == [
        (TRAINING, "2025-02", 30.0, "培训签到表"),
        (TRAINING, "2025-03", 50.0, None),
        (CONTRACTS, "2025-02", 0.92, None),
        (CONTRACTS, "2025-03", 0.965, None),
    ]


# A bad row of 指标填报 (Excel row 2): the cells, and the whole message refusing it
BAD_ROWS = [
    pytest.param(
        ["企业劳动合同签订率", "2025-05", 101, ""],
        "工作表「指标填报」第 2 行「实际完成值」列：应为 0 到 100 之间的百分比，实际为「101」",
        id="percentage-over-100",
    ),
    pytest.param(
        ["劳动者满意度", "2025-05", 90, ""],
        "工作表「指标填报」第 2 行「三级指标」列：应为本项目人工填报指标的三级指标名称或序号："
        "3. 劳动关系指导员培训人次、4. 企业劳动合同签订率，实际为「劳动者满意度」",
        id="indicator-computed-from-records",
    ),
    pytest.param(
        ["劳动关系指导员培训人次", "2025-05", -3, ""],
        "工作表「指标填报」第 2 行「实际完成值」列：应不小于 0，实际为 -3",
        id="negative-value",
    ),
    pytest.param(
        ["劳动关系指导员培训人次", "2024-12", 3, ""],
        "工作表「指标填报」第 2 行「月份」列：月份 2024-12 不在项目年度 2025 年内",
        id="month-outside-the-year",
    ),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_a_bad_row_is_refused_in_chinese_and_nothing_is_written(db, meilong, row, message):
    with pytest.raises(WorkbookRejected) as rejected:
        import_workbook(db, meilong, report(row), file_name="bad.xlsx", uploaded_by="staff")
    assert [p.text() for p in rejected.value.problems] == [message]
    assert stored(db) == []


def test_undoing_the_batch_takes_its_values_back_and_puts_back_those_it_replaced(db, meilong):
    training = next(i for i in manual_indicators(db, meilong) if i.seq == TRAINING)
    enter_value(db, training, date(2025, 2, 1), 25, by="staff")  # entered in the app first
    batch = import_workbook(
        db,
        meilong,
        report(["3", "2025-02", 30, ""], ["3", "2025-04", 40, ""], header="序号"),
        file_name="f.xlsx",
        uploaded_by="uploader",
    ).batch
    assert stored(db) == [(TRAINING, "2025-02", 30.0, None), (TRAINING, "2025-04", 40.0, None)]
    assert signed(db) == ["uploader", "uploader"]  # each value signed by who uploaded it
    assert undo_batch(db, meilong, batch.id, username="uploader", role="staff") == {"指标填报": (1, 1)}
    assert stored(db) == [(TRAINING, "2025-02", 25.0, None)]
    assert signed(db) == ["staff"]  # and the value put back by who entered it


def test_a_locked_month_cannot_be_reported(db, meilong):
    set_locks(db, meilong, [date(2025, 2, 1)], username="admin")
    with pytest.raises(WorkbookRejected) as rejected:
        import_workbook(
            db, meilong, report(["3", "2025-02", 30, ""], header="序号"), file_name="f.xlsx", uploaded_by="staff"
        )
    assert [p.code for p in rejected.value.problems] == ["E401"]


def test_the_template_offers_the_sheet_naming_the_project_manual_indicators(db, meilong, project):
    template = load_workbook(io.BytesIO(build_template(db, meilong)))
    assert [c.value for c in template["指标填报"][1]] == HEADERS
    assert (
        "三级指标名称或序号：3. 劳动关系指导员培训人次、4. 企业劳动合同签订率"
        in template["指标填报"]["A1"].comment.text
    )
    assert "指标填报" not in load_workbook(io.BytesIO(build_template(db, project))).sheetnames  # the seed has none
