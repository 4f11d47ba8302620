"""Hostile cell values: refused in Chinese, never a traceback, nothing written, on both backends.

The command-line cases import each workbook in a child process (tests/data_model/hostile.py) into a private
copy of the sample database: exit 1, the message naming sheet, row and column, the database unchanged, and
the time and peak memory within the limits. Values openpyxl cannot write (NaN, 1e309, NUL) are put into the
sheet's XML afterwards, as a hostile file would carry them.
"""

import io
import zipfile
from datetime import date

import pytest

from data_model.db import make_engine, session
from data_model.importer import import_workbook
from data_model.problems import WorkbookRejected
from tests.data_model.hostile import run_import
from tests.data_model.workbooks import contents, good, upload

MONEY = "数值超出范围：金额应在 0.01 到 9,999,999,999.99 元之间"
COUNT = "数值超出范围：整数应在 0 到 2,147,483,647 之间"
DATES = "数值超出范围：日期应在 1900-01-01 到 2100-12-31 之间"
MARK = 987654.25  # a number no good row holds: replaced in the XML by the hostile value


def in_xml(data: bytes, old: str, new: str) -> bytes:
    """`data` with the one occurrence of `old` in its sheets' XML replaced by `new`."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    found = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                found += part.count(old.encode())
                part = part.replace(old.encode(), new.encode())
            target.writestr(item, part)
    assert found == 1, old
    return out.getvalue()


def with_xml_value(data: bytes, value: str, marker: float | date = MARK) -> bytes:
    """`data` with the cell holding `marker` (a number, or a date cell's serial) holding `value` instead."""
    serial = (marker - date(1899, 12, 30)).days if isinstance(marker, date) else marker
    return in_xml(data, f"<v>{serial}</v>", f"<v>{value}</v>")


def expense(**cells) -> bytes:
    return upload(支出明细=[good("支出明细", **cells)])


def at(sheet: str, column: str, message: str, row: int = 2) -> str:
    return f"工作表「{sheet}」第 {row} 行「{column}」列：{message}"


CASES = [
    pytest.param(expense(金额="NaN"), at("支出明细", "金额", f"{MONEY}，实际为「NaN」"), id="amount-typed-nan"),
    pytest.param(
        expense(金额="Infinity"), at("支出明细", "金额", f"{MONEY}，实际为「Infinity」"), id="amount-typed-infinity"
    ),
    pytest.param(expense(金额="1e309"), at("支出明细", "金额", f"{MONEY}，实际为「1e309」"), id="amount-typed-1e309"),
    pytest.param(
        with_xml_value(expense(金额=MARK), "NaN"),
        at("支出明细", "金额", f"{MONEY}，实际为「nan」"),
        id="amount-nan-number",
    ),
    pytest.param(
        with_xml_value(expense(金额=MARK), "1e309"),
        at("支出明细", "金额", f"{MONEY}，实际为「inf」"),
        id="amount-1e309-number",
    ),
    pytest.param(
        with_xml_value(expense(金额=MARK), "-inf"),
        at("支出明细", "金额", f"{MONEY}，实际为「-inf」"),
        id="amount-minus-inf-number",
    ),
    pytest.param(expense(金额=1e300), at("支出明细", "金额", f"{MONEY}，实际为「1e+300」"), id="amount-1e300"),
    pytest.param(
        expense(金额=10_000_000_000), at("支出明细", "金额", f"{MONEY}，实际为「10000000000」"), id="amount-ten-billion"
    ),
    pytest.param(
        expense(金额="1,2,3"), at("支出明细", "金额", "应为数字，实际为「1,2,3」"), id="amount-separators-misplaced"
    ),
    pytest.param(expense(金额="1_000"), at("支出明细", "金额", "应为数字，实际为「1_000」"), id="amount-underscore"),
    pytest.param(
        expense(金额="١٢٣"), at("支出明细", "金额", "应为数字，实际为「١٢٣」"), id="amount-arabic-indic-digits"
    ),
    pytest.param(
        expense(金额=True),
        at("支出明细", "金额", "实际为逻辑值 TRUE（Excel 的 TRUE/FALSE），应填写金额"),
        id="amount-excel-true",
    ),
    pytest.param(
        expense(凭证号=True),
        at("支出明细", "凭证号", "实际为逻辑值 TRUE（Excel 的 TRUE/FALSE），应填写文本"),
        id="voucher-excel-true",
    ),
    pytest.param(
        upload(普法活动=[good("普法活动", 主题契合=False)]),
        at("普法活动", "主题契合", "实际为逻辑值 FALSE（Excel 的 TRUE/FALSE），应填写以下之一：是、否"),
        id="flag-excel-false",
    ),
    pytest.param(
        upload(劳动关系统计=[good("劳动关系统计", 劳动争议案件数=3_000_000_000)]),
        at("劳动关系统计", "劳动争议案件数", f"{COUNT}，实际为「3000000000」"),
        id="disputes-three-billion",
    ),
    pytest.param(
        upload(劳动关系统计=[good("劳动关系统计", 欠薪案件数=1e20)]),
        at("劳动关系统计", "欠薪案件数", f"{COUNT}，实际为「1e+20」"),
        id="wage-arrears-1e20",
    ),
    pytest.param(
        with_xml_value(upload(以案定补=[good("以案定补", 补贴人数=MARK)]), "NaN"),
        at("以案定补", "补贴人数", "数值超出范围：整数应在 1 到 2,147,483,647 之间，实际为「nan」"),
        id="persons-nan-number",
    ),
    pytest.param(
        upload(平台运维=[good("平台运维", 区级对接进度="-Infinity")]),
        at("平台运维", "区级对接进度", "数值超出范围：百分比应在 0 到 100 之间，实际为「-Infinity」"),
        id="percent-typed-minus-infinity",
    ),
    pytest.param(
        with_xml_value(expense(), "2958465", date(2024, 3, 5)),
        at("支出明细", "支付日期", f"{DATES}，实际为「9999-12-31」"),
        id="date-cell-year-9999",
    ),
    pytest.param(
        with_xml_value(expense(), "NaN", date(2024, 3, 5)),
        at("支出明细", "支付日期", f"{DATES}，实际为「1899-12-30 00:00」"),
        id="date-cell-nan",
    ),
    pytest.param(
        expense(支付日期="0024-03-05"),
        at("支出明细", "支付日期", f"{DATES}，实际为「0024-03-05」"),
        id="date-text-year-0024",
    ),
    pytest.param(
        upload(劳动关系统计=[good("劳动关系统计", 月份="1899-12")]),
        at("劳动关系统计", "月份", "数值超出范围：月份应在 1900-01 到 2100-12 之间，实际为「1899-12」"),
        id="month-text-1899",
    ),
    pytest.param(
        upload(支出明细=[good("支出明细", 凭证号="PJ2024-003"), good("支出明细", 凭证号="PJ2024-003\u200b")]),
        at("支出明细", "凭证号", "凭证号「PJ2024-003」与第 2 行重复", row=3),
        id="voucher-with-zero-width-space-is-the-same",
    ),
    pytest.param(
        upload(
            支出明细=[
                good("支出明细", 凭证号="\ufeffＰＪ２０２４－００３\u200e"),
                good("支出明细", 凭证号="PJ2024-003"),
            ]
        ),
        at("支出明细", "凭证号", "凭证号「PJ2024-003」与第 2 行重复", row=3),
        id="voucher-full-width-with-bom-is-the-same",
    ),
]


@pytest.mark.parametrize(("data", "message"), CASES)
def test_hostile_cell_is_refused_in_chinese_and_the_database_is_unchanged(fresh_url, data, message):
    engine = make_engine(fresh_url)
    with session(engine) as s:
        before = contents(s)
    outcome = run_import(fresh_url, data)
    with session(engine) as s:
        after = contents(s)
    engine.dispose()
    assert (outcome.exit_code, "Traceback" in outcome.stderr) == (1, False), outcome.stderr
    assert "导入失败，未写入任何数据。共 1 个问题：" in outcome.stderr
    assert message in outcome.stderr, outcome.stderr
    assert after == before
    assert outcome.within_limits, outcome


def test_largest_values_are_stored_exactly_and_one_more_is_refused_on_both_backends(db, project):
    largest = upload(
        劳动关系统计=[good("劳动关系统计", 劳动争议案件数=2_147_483_647)],
        支出明细=[good("支出明细", 金额=9_999_999_999.99)],
    )
    import_workbook(db, project, largest, file_name="最大值.xlsx", uploaded_by="staff")
    stored = contents(db)
    assert [r["disputes"] for r in stored["劳动关系统计"]] == [2_147_483_647]
    assert [r["amount"] for r in stored["支出明细"]] == [9_999_999_999.99]
    beyond = upload(
        劳动关系统计=[good("劳动关系统计", 月份="2023-04", 劳动争议案件数=3_000_000_000)],
        支出明细=[good("支出明细", 凭证号="PZ-002", 金额=10_000_000_000)],
    )
    with pytest.raises(WorkbookRejected) as rejected:
        import_workbook(db, project, beyond, file_name="超出.xlsx", uploaded_by="staff")
    assert [(p.code, p.sheet, p.column) for p in rejected.value.problems] == [
        ("E115", "劳动关系统计", "劳动争议案件数"),
        ("E115", "支出明细", "金额"),
    ]
    assert contents(db) == stored


def test_key_with_invisible_and_full_width_characters_replaces_the_stored_record(db, stored):
    import_workbook(
        db, stored, expense(凭证号="\u200bＰＺ－００１\u200e", 金额=300), file_name="更正.xlsx", uploaded_by="staff"
    )
    assert [(r["voucher_no"], r["amount"]) for r in contents(db)["支出明细"]] == [("PZ-001", 300.0)]


def test_nul_and_other_control_characters_are_dropped_from_text_on_both_backends(db, project):
    data = in_xml(
        expense(凭证号="VOUCHER", 摘要="SUMMARY"), "VOUCHER", "PZ_x0000_-_x0007_001"
    )  # Excel's escapes of NUL and BEL
    import_workbook(
        db, project, in_xml(data, "SUMMARY", "调解_x0000_队伍服装"), file_name="控制字符.xlsx", uploaded_by="staff"
    )
    assert [(r["voucher_no"], r["summary"]) for r in contents(db)["支出明细"]] == [("PZ-001", "调解队伍服装")]
