"""Rejected upload workbooks: every defect is named by sheet, Excel row and column, in Chinese, and nothing is written.
Single cells too: which spellings of a value are read, and which values are refused with which message."""

import math
import re
from datetime import date, datetime

import pytest

from data_model.importer import import_workbook
from data_model.problems import UPLOAD as MESSAGES
from data_model.problems import WorkbookRejected
from data_model.sheets import SHEETS, SHEETS_BY_NAME, Kind
from data_model.validation import CellError, Context, _parse
from tests.data_model import test_hostile_files as hostile
from tests.data_model.workbooks import contents, good, headers, upload
from tests.helpers import workbook_bytes

# A valid new row every defect workbook also carries: if anything were written, it would be.
EXTRA = {"满意度调查": [good("满意度调查", 问卷编号="WJ-900")]}
LINES = "社会调解人员“以案定补”工作经费、工作装备经费"  # the start of the budget-line choices as listed


def rows(name: str, sheet: str, data_rows: list[list], code: str, row: int, column: str | None, fragment: str):
    """A defect found among the sheet's data rows."""
    return pytest.param(upload(**{**EXTRA, sheet: data_rows}), code, sheet, row, column, fragment, id=name)


def cell(name: str, sheet: str, header: str, value, code: str, fragment: str):
    """A defect in one cell of the sheet's only data row (Excel row 2)."""
    return rows(name, sheet, [good(sheet, **{header: value})], code, 2, header, fragment)


def layout(name: str, sheet: str, sheet_rows: list[list], code: str, column: str | None, fragment: str):
    """A defect in the header row: the sheet's rows are given whole."""
    data = workbook_bytes({**{s: [headers(s), *r] for s, r in EXTRA.items()}, sheet: sheet_rows})
    return pytest.param(data, code, sheet, 1, column, fragment, id=name)


def file(name: str, data: bytes, code: str, fragment: str):
    return pytest.param(data, code, None, None, None, fragment, id=name)


DEFECTS = [
    # the file and its layout
    file("random-bytes", bytes(range(256)) * 8, "E001", "不是有效的 Excel（.xlsx）工作簿"),
    file("csv-text", "凭证号,支付日期,金额\nPZ-001,2024-03-05,1200\n".encode(), "E001", "不是有效的 Excel"),
    file(
        "no-known-sheet",
        workbook_bytes({"Sheet1": [["凭证号", "金额"], ["PZ-001", 1200]]}),
        "E002",
        "没有可识别的工作表，应至少包含以下之一：支出明细、以案定补",
    ),
    layout(
        "missing-column",
        "支出明细",
        [["凭证号", "支付日期", "预算明细", "摘要"], ["PZ-001", date(2024, 3, 5), "工作装备经费", ""]],
        "E003",
        "金额",
        "缺少列「金额」",
    ),
    layout(
        "duplicated-column",
        "以案定补",
        [[*headers("以案定补"), "补贴人数"], [*good("以案定补"), 2]],
        "E004",
        "补贴人数",
        "列「补贴人数」出现了不止一次",
    ),
    layout("empty-header-row", "支出明细", [[None] * 5, good("支出明细")], "E005", None, "第 1 行应为表头，但该行为空"),
    # the container and what the scan before reading finds (more of each, and their cost, in test_hostile_files.py)
    file(
        "xls",
        hostile.compound_file({"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00"}),
        "E006",
        "这是旧版 Excel 文件（.xls）",
    ),
    file("xlsm", hostile.macro_enabled(), "E007", "这是启用宏的工作簿（.xlsm）"),
    file(
        "encrypted",
        hostile.compound_file({"EncryptionInfo": b"\x04\x00", "EncryptedPackage": b"\x00"}),
        "E008",
        "文件设置了打开密码",
    ),
    file(
        "declared-300MB",
        hostile.lying_size(hostile.GOOD, hostile.SHEET1, 300 << 20),
        "E009",
        "文件解压后共 300 MB，超过上限 200 MB",
    ),
    file("compression-ratio", hostile.lying_size(hostile.GOOD, hostile.SHEET1, 150 << 20), "E010", "压缩比异常"),
    file(
        "cell-without-position", hostile.in_sheet(b'<row r="3"><c t="n"><v>1</v></c></row>'), "E011", "文件结构无法识别"
    ),
    pytest.param(
        hostile.in_sheet(hostile.cell("GR15001")),
        "E012",
        "支出明细",
        None,
        None,
        "数据区域（A1:GR15001）共 3,000,200 个单元格",
        id="area-too-large",
    ),
    file(
        "too-many-shared-strings",
        hostile.shared_strings(hostile.GOOD, [b"%d" % i for i in range(1_000_001)], b""),
        "E013",
        "文件中有 1,000,001 条共享文本",
    ),
    pytest.param(
        hostile.shared_strings(
            hostile.GOOD,
            [b"a" * 1_000_000],
            b"".join(b'<row r="%d"><c r="E%d" t="s"><v>0</v></c></row>' % (r, r) for r in range(3, 103)),
        ),
        "E014",
        "支出明细",
        None,
        None,
        "各单元格引用的文本合计",
        id="shared-text-copied-into-cells",
    ),
    pytest.param(
        hostile.in_sheet(hostile.cell("XFD1048576")),
        "E015",
        "支出明细",
        None,
        None,
        "数据延伸到第 1048576 行（单元格 XFD1048576）",
        id="row-beyond-limit",
    ),
    pytest.param(
        hostile.in_sheet(hostile.cell("GS2")),
        "E016",
        "支出明细",
        None,
        None,
        "数据延伸到第 201 列（单元格 GS2）",
        id="column-beyond-limit",
    ),
    pytest.param(
        hostile.in_sheet(hostile.expense_row(3, '<c r="D3"><v>12</v></c>').replace(b"<v>45356</v>", b"<v>-1e300</v>")),
        "E017",
        "支出明细",
        3,
        None,
        "无法读取",
        id="date-calamine-cannot-convert",
    ),
    pytest.param(hostile.merged(), "E018", "普法活动", 2, "片区", "单元格 D2:D4 是合并单元格", id="merged-cells"),
    pytest.param(
        hostile.in_sheet(hostile.expense_row(3, '<c r="D3" t="e"><v>#N/A</v></c>')),
        "E019",
        "支出明细",
        3,
        "金额",
        "单元格 D3 是错误值「#N/A」",
        id="error-value",
    ),
    pytest.param(
        hostile.in_sheet(hostile.expense_row(3, '<c r="D3"><f>D2*2</f></c>')),
        "E020",
        "支出明细",
        3,
        "金额",
        "单元格 D3 是公式，但文件中没有保存它的计算结果",
        id="formula-without-result",
    ),
    # empty cells
    cell("required-cell-empty", "以案定补", "案件类型", None, "E101", "不能为空"),
    cell("key-cell-only-spaces", "支出明细", "凭证号", "   ", "E101", "不能为空"),
    # dates
    cell(
        "date-free-text",
        "支出明细",
        "支付日期",
        "3月5日",
        "E102",
        "应为日期（Excel 日期或 YYYY-MM-DD 格式的文本），实际为「3月5日」",
    ),
    cell("date-impossible-day", "投诉处置", "受理日期", "2024-02-30", "E102", "实际为「2024-02-30」"),
    cell("date-as-excel-serial-number", "装备发放", "发放日期", 45356, "E102", "实际为「45356」"),
    cell(
        "date-before-project-year",
        "以案定补",
        "结案日期",
        date(2023, 12, 31),
        "E103",
        "日期 2023-12-31 不在项目年度 2024 年内",
    ),
    cell(
        "date-after-project-year",
        "长效机制",
        "印发日期",
        "2025-01-02",
        "E103",
        "日期 2025-01-02 不在项目年度 2024 年内",
    ),
    cell(
        "planned-date-outside-year",
        "调解阵地",
        "计划完成日期",
        date(2025, 3, 31),
        "E103",
        "日期 2025-03-31 不在项目年度 2024 年内",
    ),
    # months
    cell(
        "month-chinese-text",
        "平台运维",
        "月份",
        "2024年3月",
        "E104",
        "应为 YYYY-MM 格式的月份（如 2024-03），实际为「2024年3月」",
    ),
    cell("month-thirteen", "劳动关系统计", "月份", "2024-13", "E104", "实际为「2024-13」"),
    cell("month-outside-project-year", "平台运维", "月份", "2023-12", "E105", "月份 2023-12 不在项目年度 2024 年内"),
    cell(
        "month-before-baseline-year",
        "劳动关系统计",
        "月份",
        "2022-12",
        "E106",
        "月份 2022-12 既不在项目年度 2024 年，也不在同比基数年度 2023 年内",
    ),
    cell(
        "month-after-project-year",
        "劳动关系统计",
        "月份",
        date(2025, 1, 1),
        "E106",
        "月份 2025-01 既不在项目年度 2024 年",
    ),
    # integers
    cell("persons-zero", "以案定补", "补贴人数", 0, "E109", "应不小于 1，实际为 0"),
    cell("persons-fraction", "以案定补", "补贴人数", 2.5, "E107", "应为整数，实际为「2.5」"),
    cell("sets-zero", "装备发放", "套数", 0, "E109", "应不小于 1，实际为 0"),
    cell("sets-text", "装备发放", "套数", "两套", "E107", "应为整数，实际为「两套」"),
    cell("participants-negative", "普法活动", "参与人数", -1, "E109", "应不小于 0，实际为 -1"),
    cell("disputes-chinese-numeral", "劳动关系统计", "劳动争议案件数", "十二", "E107", "应为整数，实际为「十二」"),
    cell("wage-arrears-negative", "劳动关系统计", "欠薪案件数", -3, "E109", "应不小于 0，实际为 -3"),
    # money
    cell("amount-zero", "支出明细", "金额", 0, "E110", "金额应大于 0 元，实际为 0"),
    cell("amount-negative", "支出明细", "金额", -100, "E110", "金额应大于 0 元，实际为 -100"),
    cell(
        "amount-three-decimals", "支出明细", "金额", 12.345, "E111", "金额最多保留两位小数（精确到分），实际为 12.345"
    ),
    cell("amount-text", "支出明细", "金额", "一千元", "E108", "应为数字，实际为「一千元」"),
    # choices
    cell("budget-line-unknown", "支出明细", "预算明细", "办公用品", "E113", f"应为以下之一：{LINES}"),
    cell(
        "budget-line-without-chinese-quotes",
        "支出明细",
        "预算明细",
        "社会调解人员以案定补工作经费",
        "E113",
        "实际为「社会调解人员以案定补工作经费」",
    ),
    cell(
        "budget-line-ascii-quotes",
        "支出明细",
        "预算明细",
        '社会调解人员"以案定补"工作经费',
        "E113",
        f"应为以下之一：{LINES}",
    ),
    cell(
        "mediation-result", "以案定补", "调解结果", "成功", "E113", "应为以下之一：调解成功、调解不成功，实际为「成功」"
    ),
    cell(
        "equipment-acceptance-site-word",
        "装备发放",
        "验收结果",
        "达标",
        "E113",
        "应为以下之一：合格、不合格，实际为「达标」",
    ),
    cell(
        "site-acceptance-equipment-word",
        "调解阵地",
        "验收结果",
        "合格",
        "E113",
        "应为以下之一：达标、不达标，实际为「合格」",
    ),
    cell("site-type", "调解阵地", "阵地类型", "社区", "E113", "应为以下之一：党群服务站、商圈、其他，实际为「社区」"),
    cell("on-theme-flag", "普法活动", "主题契合", "Y", "E113", "应为以下之一：是、否，实际为「Y」"),
    cell("maintained-flag", "平台运维", "维护完成", "完成", "E113", "应为以下之一：是、否，实际为「完成」"),
    cell(
        "complaint-source",
        "投诉处置",
        "来源",
        "微信",
        "E113",
        "应为以下之一：12345热线、国家欠薪平台、来访、来电、其他，实际为「微信」",
    ),
    rows(
        "indicator-not-reported-by-hand",  # the seed project's indicators are all computed from records
        "指标填报",
        [["劳动者满意度", "2024-03", 90, ""]],
        "E116",
        2,
        "三级指标",
        "应为本项目人工填报指标的三级指标名称或序号：（本项目没有人工填报的指标），实际为「劳动者满意度」",
    ),
    cell("complaint-valid-flag", "投诉处置", "是否有效", "有效", "E113", "应为以下之一：是、否，实际为「有效」"),
    cell(
        "survey-respondent", "满意度调查", "调查对象", "企业", "E113", "应为以下之一：劳动者、用工单位，实际为「企业」"
    ),
    cell(
        "survey-rating",
        "满意度调查",
        "评价",
        "很满意",
        "E113",
        "应为以下之一：非常满意、满意、一般、不满意、非常不满意，实际为「很满意」",
    ),
    # percentages
    cell("percent-over-100", "平台运维", "区级对接进度", 150, "E112", "应为 0 到 100 之间的百分比，实际为「150」"),
    cell("percent-text-over-100", "平台运维", "区级对接进度", "120%", "E112", "实际为「120%」"),
    cell("percent-negative", "平台运维", "区级对接进度", -5, "E112", "实际为「-5」"),
    cell("percent-letters", "平台运维", "区级对接进度", "abc", "E112", "实际为「abc」"),
    # values no cell may hold: Excel's TRUE/FALSE, numbers beyond what is stored, numbers spelt loosely
    cell(
        "voucher-excel-true", "支出明细", "凭证号", True, "E114", "实际为逻辑值 TRUE（Excel 的 TRUE/FALSE），应填写文本"
    ),
    cell(
        "on-theme-excel-false",
        "普法活动",
        "主题契合",
        False,
        "E114",
        "实际为逻辑值 FALSE（Excel 的 TRUE/FALSE），应填写以下之一：是、否",
    ),
    cell(
        "amount-typed-nan",
        "支出明细",
        "金额",
        "NaN",
        "E115",
        "数值超出范围：金额应在 0.01 到 9,999,999,999.99 元之间，实际为「NaN」",
    ),
    cell("amount-1e20", "支出明细", "金额", 1e20, "E115", "金额应在 0.01 到 9,999,999,999.99 元之间，实际为「1e+20」"),
    cell(
        "disputes-three-billion",
        "劳动关系统计",
        "劳动争议案件数",
        3_000_000_000,
        "E115",
        "数值超出范围：整数应在 0 到 2,147,483,647 之间，实际为「3000000000」",
    ),
    cell("percent-infinity", "平台运维", "区级对接进度", "Infinity", "E115", "数值超出范围：百分比应在 0 到 100 之间"),
    cell(
        "date-year-0024",
        "支出明细",
        "支付日期",
        "0024-03-05",
        "E115",
        "数值超出范围：日期应在 1900-01-01 到 2100-12-31 之间，实际为「0024-03-05」",
    ),
    cell(
        "month-year-1899",
        "劳动关系统计",
        "月份",
        "1899-12",
        "E115",
        "数值超出范围：月份应在 1900-01 到 2100-12 之间，实际为「1899-12」",
    ),
    cell("amount-digits-grouped-wrongly", "支出明细", "金额", "1,2,3", "E108", "应为数字，实际为「1,2,3」"),
    cell("amount-with-underscore", "支出明细", "金额", "1_000", "E108", "应为数字，实际为「1_000」"),
    # rules across columns
    cell(
        "closed-before-received",
        "投诉处置",
        "办结日期",
        date(2024, 2, 28),
        "E302",
        "办结日期 2024-02-28 早于受理日期 2024-03-01",
    ),
    cell(
        "site-done-without-acceptance",
        "调解阵地",
        "验收结果",
        None,
        "E301",
        "已填写实际完成日期的阵地必须填写验收结果（达标/不达标）",
    ),
    rows(
        "site-accepted-without-done",
        "调解阵地",
        [good("调解阵地", 实际完成日期=None)],
        "E301",
        2,
        "实际完成日期",
        "填写了验收结果的阵地必须填写实际完成日期",
    ),
    # keys unique within the file
    rows(
        "voucher-twice",
        "支出明细",
        [good("支出明细"), good("支出明细", 金额=300)],
        "E201",
        3,
        "凭证号",
        "凭证号「PZ-001」与第 2 行重复，同一工作簿中每条记录只能出现一次",
    ),
    rows(
        "voucher-twice-once-with-spaces",
        "支出明细",
        [good("支出明细", 凭证号="PZ-002"), good("支出明细", 凭证号=" PZ-002 ")],
        "E201",
        3,
        "凭证号",
        "凭证号「PZ-002」与第 2 行重复",
    ),
    rows(
        "equipment-recipient-and-date-twice",
        "装备发放",
        [good("装备发放"), good("装备发放", 套数=2)],
        "E201",
        3,
        "领用人",
        "领用人「张建华」、发放日期「2024-03-15」与第 2 行重复",
    ),
    rows(
        "event-name-and-date-twice",
        "普法活动",
        [good("普法活动"), good("普法活动", 活动日期="2024-04-12")],
        "E201",
        3,
        "活动名称",
        "活动名称「劳动法进商圈」、活动日期「2024-04-12」与第 2 行重复",
    ),
    rows(
        "month-twice-as-text-and-date",
        "平台运维",
        [good("平台运维"), good("平台运维", 月份=date(2024, 3, 1))],
        "E201",
        3,
        "月份",
        "月份「2024-03」与第 2 行重复",
    ),
    # Excel's row numbers count the blank rows that are skipped
    rows(
        "row-number-after-blank-row",
        "以案定补",
        [good("以案定补"), [None] * 6, good("以案定补", 案件编号="AJ-002", 补贴人数=0)],
        "E109",
        4,
        "补贴人数",
        "应不小于 1",
    ),
]

CJK = re.compile(r"[\u4e00-\u9fff]")


def position(sheet: str | None, row: int | None, column: str | None) -> str:
    """How the message names the place, as the user reads it."""
    parts = [f"工作表「{sheet}」" if sheet else "", f"第 {row} 行" if row else "", f"「{column}」列" if column else ""]
    return "".join(parts) + "：" if any(parts) else ""


@pytest.mark.parametrize(("data", "code", "sheet", "row", "column", "fragment"), DEFECTS)
def test_import_rejects_defect_naming_its_place_and_writes_nothing(
    db, stored, data, code, sheet, row, column, fragment
):
    before = contents(db)
    with pytest.raises(WorkbookRejected) as rejected:
        import_workbook(db, stored, data, file_name="2024-04.xlsx", uploaded_by="staff")
    problems = rejected.value.problems
    assert [(p.code, p.sheet, p.row, p.column) for p in problems] == [(code, sheet, row, column)]
    text = problems[0].text()
    assert text.startswith(position(sheet, row, column)), text
    assert fragment in text
    assert CJK.search(problems[0].message)
    assert contents(db) == before


def test_defect_table_covers_every_error_code_and_every_choice_column():
    cases = [p.values for p in DEFECTS]
    codes = {code for _, code, *_ in cases}
    rule_codes = {rule.code for s in SHEETS for rule in s.rules}
    assert {c for c in MESSAGES if c.startswith("E")} | rule_codes <= codes
    choice_columns = {(s.name, c.header) for s in SHEETS for c in s.columns if c.kind in (Kind.CHOICE, Kind.FLAG)}
    assert choice_columns <= {(sheet, column) for _, code, sheet, _, column, _ in cases if code == "E113"}
    assert {c.kind for s in SHEETS for c in s.columns} == set(Kind)  # a new Kind needs cases here


def test_every_error_is_reported_at_once_in_sheet_and_row_order(db, stored):
    data = upload(
        支出明细=[good("支出明细", 金额=0), good("支出明细", 凭证号="PZ-002", 支付日期="昨天", 预算明细="办公用品")],
        以案定补=[good("以案定补", 补贴人数=0)],
        长效机制=[good("长效机制", 制度名称="新制度")],
        投诉处置=[good("投诉处置"), good("投诉处置", 投诉编号="TS-002", 办结日期=date(2024, 2, 1))],
    )
    before = contents(db)
    with pytest.raises(WorkbookRejected) as rejected:
        import_workbook(db, stored, data, file_name="2024-04.xlsx", uploaded_by="staff")
    assert [(p.code, p.sheet, p.row, p.column) for p in rejected.value.problems] == [
        ("E110", "支出明细", 2, "金额"),
        ("E102", "支出明细", 3, "支付日期"),
        ("E113", "支出明细", 3, "预算明细"),
        ("E109", "以案定补", 2, "补贴人数"),
        ("E302", "投诉处置", 3, "办结日期"),
    ]
    assert str(rejected.value).splitlines()[0] == "工作表「支出明细」第 2 行「金额」列：金额应大于 0 元，实际为 0"
    assert contents(db) == before


def test_unknown_sheets_and_columns_are_warnings_and_the_rest_imports(db, project):
    data = workbook_bytes(
        {
            "说明": [["填表说明"], ["请按月报送"]],
            "支出明细": [[*headers("支出明细"), "经办人"], [*good("支出明细"), "李秀英"]],
            "以案定补": [],
        }
    )
    result = import_workbook(db, project, data, file_name="2024-03.xlsx", uploaded_by="staff")
    assert [(p.code, p.sheet, p.row, p.column, p.text()) for p in result.warnings] == [
        ("W001", "说明", None, None, "工作表「说明」：未知工作表「说明」，已忽略"),
        ("W002", "支出明细", 1, "经办人", "工作表「支出明细」第 1 行「经办人」列：未知列「经办人」，已忽略"),
        ("W003", "以案定补", None, None, "工作表「以案定补」：工作表「以案定补」是空表（没有表头），已忽略"),
    ]
    assert [(r["voucher_no"], r["amount"]) for r in contents(db)["支出明细"]] == [("PZ-001", 1200.5)]


CONTEXT = Context(2024, ("社会调解人员“以案定补”工作经费", "工作装备经费"))


def parse(sheet: str, header: str, raw):
    return _parse(SHEETS_BY_NAME[sheet].by_header[header], raw, CONTEXT)


@pytest.mark.parametrize(
    ("sheet", "header", "raw", "expected"),
    [
        pytest.param(
            "支出明细", "金额", "1,234,567.89", 1_234_567.89, id="thousands-separators-between-groups-of-three"
        ),
        pytest.param("支出明细", "金额", "１２３", 123.0, id="full-width-digits"),
        pytest.param("支出明细", "金额", " ９，９９９．５０ ", 9_999.5, id="full-width-separators"),
        pytest.param("支出明细", "金额", 9_999_999_999.99, 9_999_999_999.99, id="largest-amount"),
        pytest.param("支出明细", "金额", 1_234_567_890.12, 1_234_567_890.12, id="large-amount-in-whole-cents"),
        pytest.param("劳动关系统计", "劳动争议案件数", 2_147_483_647.0, 2_147_483_647, id="largest-integer"),
        pytest.param("劳动关系统计", "劳动争议案件数", "1,000", 1_000, id="integer-with-thousands-separator"),
        pytest.param("平台运维", "区级对接进度", "８５％", 85.0, id="full-width-percent"),
        pytest.param("支出明细", "支付日期", "２０２４－０３－０５", date(2024, 3, 5), id="full-width-date"),
        pytest.param("平台运维", "月份", "２０２４-０３", date(2024, 3, 1), id="full-width-month"),
        pytest.param("投诉处置", "来源", "１２３４５热线", "12345热线", id="full-width-choice"),
        pytest.param("投诉处置", "是否有效", "是\u200b", True, id="flag-with-zero-width-space"),
        pytest.param("支出明细", "预算明细", "\u200e工作装备经费", "工作装备经费", id="budget-line-with-bidi-mark"),
        pytest.param("支出明细", "凭证号", "ＰＪ２０２４－００３", "PJ2024-003", id="full-width-key"),
        pytest.param(
            "支出明细",
            "摘要",
            "服装（春季），共１６套\u200b",
            "服装（春季），共１６套",
            id="free-text-keeps-its-full-width-signs",
        ),
    ],
)
def test_parse_reads_every_spelling_of_a_value_as_the_value(sheet, header, raw, expected):
    value = parse(sheet, header, raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("raw", ["-0", "－０", -0.0])
def test_negative_zero_is_read_as_zero(raw):
    value = parse("平台运维", "区级对接进度", raw)
    assert value == 0 and math.copysign(1, value) == 1


INVISIBLE = {
    "zero-width-space": "\u200b",
    "zero-width-non-joiner": "\u200c",
    "zero-width-joiner": "\u200d",
    "word-joiner": "\u2060",
    "byte-order-mark": "\ufeff",
    "left-to-right-mark": "\u200e",
    "right-to-left-mark": "\u200f",
    "bidi-embedding": "\u202a",
    "bidi-isolate": "\u2066",
    "soft-hyphen": "\u00ad",
    "nul": "\x00",
}


@pytest.mark.parametrize("mark", INVISIBLE.values(), ids=INVISIBLE)
def test_invisible_characters_are_dropped_from_keys_and_text(mark):
    assert parse("支出明细", "凭证号", f"{mark}PJ2024-{mark}003{mark}") == "PJ2024-003"
    assert parse("支出明细", "摘要", f"调解{mark}队伍服装{mark}") == "调解队伍服装"


LIMITS = {
    "money": "数值超出范围：金额应在 0.01 到 9,999,999,999.99 元之间，实际为",
    "count": "数值超出范围：整数应在 0 到 2,147,483,647 之间，实际为",
    "date": "数值超出范围：日期应在 1900-01-01 到 2100-12-31 之间，实际为",
}


@pytest.mark.parametrize(
    ("sheet", "header", "raw", "code", "message"),
    [
        pytest.param("支出明细", "金额", math.nan, "E115", f"{LIMITS['money']}「nan」", id="nan"),
        pytest.param("支出明细", "金额", math.inf, "E115", f"{LIMITS['money']}「inf」", id="infinity"),
        pytest.param(
            "支出明细", "金额", "-Infinity", "E115", f"{LIMITS['money']}「-Infinity」", id="minus-infinity-typed"
        ),
        pytest.param("支出明细", "金额", "1e309", "E115", f"{LIMITS['money']}「1e309」", id="beyond-any-float-typed"),
        pytest.param("支出明细", "金额", 1e300, "E115", f"{LIMITS['money']}「1e+300」", id="1e300"),
        pytest.param("支出明细", "金额", 10_000_000_000, "E115", f"{LIMITS['money']}「10000000000」", id="ten-billion"),
        pytest.param(
            "支出明细", "金额", 1e-9, "E111", "金额最多保留两位小数（精确到分），实际为 1e-09", id="amount-under-a-cent"
        ),
        pytest.param(
            "支出明细", "金额", "12,34", "E108", "应为数字，实际为「12,34」", id="separator-not-before-three-digits"
        ),
        pytest.param(
            "支出明细", "金额", "1234,567", "E108", "应为数字，实际为「1234,567」", id="separator-after-four-digits"
        ),
        pytest.param("支出明细", "金额", "1 000", "E108", "应为数字，实际为「1 000」", id="space-as-separator"),
        pytest.param("支出明细", "金额", "١٢٣", "E108", "应为数字，实际为「١٢٣」", id="arabic-indic-digits"),
        pytest.param(
            "劳动关系统计",
            "劳动争议案件数",
            2_147_483_648,
            "E115",
            f"{LIMITS['count']}「2147483648」",
            id="integer-over-32-bits",
        ),
        pytest.param("劳动关系统计", "劳动争议案件数", 1e20, "E115", f"{LIMITS['count']}「1e+20」", id="integer-1e20"),
        pytest.param(
            "劳动关系统计",
            "劳动争议案件数",
            -3e9,
            "E115",
            f"{LIMITS['count']}「-3000000000」",
            id="integer-under-32-bits",
        ),
        pytest.param(
            "平台运维",
            "区级对接进度",
            math.nan,
            "E115",
            "数值超出范围：百分比应在 0 到 100 之间，实际为「nan」",
            id="percent-nan",
        ),
        pytest.param(
            "支出明细", "支付日期", date(1899, 12, 31), "E115", f"{LIMITS['date']}「1899-12-31」", id="date-before-1900"
        ),
        pytest.param(
            "支出明细",
            "支付日期",
            datetime(2101, 1, 1),
            "E115",
            f"{LIMITS['date']}「2101-01-01 00:00」",
            id="date-after-2100",
        ),
        pytest.param(
            "支出明细",
            "支付日期",
            "0000-03-05",
            "E102",
            "应为日期（Excel 日期或 YYYY-MM-DD 格式的文本），实际为「0000-03-05」",
            id="year-zero",
        ),
        pytest.param(
            "平台运维",
            "月份",
            "0000-03",
            "E115",
            "数值超出范围：月份应在 1900-01 到 2100-12 之间，实际为「0000-03」",
            id="month-year-zero",
        ),
        pytest.param(
            "支出明细", "摘要", True, "E114", "实际为逻辑值 TRUE（Excel 的 TRUE/FALSE），应填写文本", id="true-as-text"
        ),
        pytest.param(
            "支出明细",
            "支付日期",
            False,
            "E114",
            "实际为逻辑值 FALSE（Excel 的 TRUE/FALSE），应填写日期",
            id="false-as-date",
        ),
        pytest.param(
            "平台运维", "月份", True, "E114", "实际为逻辑值 TRUE（Excel 的 TRUE/FALSE），应填写月份", id="true-as-month"
        ),
        pytest.param(
            "装备发放",
            "套数",
            True,
            "E114",
            "实际为逻辑值 TRUE（Excel 的 TRUE/FALSE），应填写整数",
            id="true-as-integer",
        ),
        pytest.param(
            "支出明细", "金额", True, "E114", "实际为逻辑值 TRUE（Excel 的 TRUE/FALSE），应填写金额", id="true-as-money"
        ),
        pytest.param(
            "平台运维",
            "区级对接进度",
            True,
            "E114",
            "实际为逻辑值 TRUE（Excel 的 TRUE/FALSE），应填写百分比",
            id="true-as-percent",
        ),
        pytest.param(
            "支出明细",
            "预算明细",
            True,
            "E114",
            "实际为逻辑值 TRUE（Excel 的 TRUE/FALSE），应填写以下之一：社会调解人员“以案定补”工作经费、工作装备经费",
            id="true-as-budget-line",
        ),
    ],
)
def test_parse_refuses_a_value_with_its_code_and_chinese_message(sheet, header, raw, code, message):
    with pytest.raises(CellError) as refused:
        parse(sheet, header, raw)
    assert (refused.value.code, MESSAGES[code].format(**refused.value.values)) == (code, message)
