"""下载模板: headers, comments, dropdowns and formats from the sheet declarations; filled in, it imports cleanly."""

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from data_model.importer import import_workbook, plan_import
from data_model.models import BudgetLine
from data_model.sheets import GUIDE_SHEET, SHEETS, SHEETS_BY_NAME, Kind
from data_model.template import build_template
from kpi.setup import SAMPLE_DIR
from tests.data_model.workbooks import good, upload
from tests.formulas import formulas

MARCH = SAMPLE_DIR / "2024" / "2024-03.xlsx"
BUDGET_LINES = [
    "社会调解人员“以案定补”工作经费",
    "工作装备经费",
    "打造社会化调解阵地",
    "开展劳动法普法宣讲",
    "浦锦街道劳资矛盾智慧预警平台项目维护费用",
]


def opened(data: bytes):
    return load_workbook(io.BytesIO(data))


def check_of(sheet, column_index: int):
    """The data validation covering the column's first data row."""
    letter = sheet.cell(2, column_index).column_letter
    found = [dv for dv in sheet.data_validations.dataValidation if f"{letter}2" in dv.sqref]
    assert len(found) == 1, letter
    return found[0]


def listed(workbook, formula: str) -> list[str]:
    """The values of a dropdown's source range such as '填报说明'!$B$70:$B$71."""
    sheet_name, cells = formula.split("!")
    return [row[0].value for row in workbook[sheet_name.strip("'")][cells.replace("$", "")]]


@pytest.fixture
def template(db, project):
    return opened(build_template(db, project))


# The seed project has no manually reported indicator: its template has no 指标填报 sheet.
SEED_SHEETS = [s for s in SHEETS if not s.manual]


def test_the_template_has_the_guide_and_one_sheet_per_contract_sheet_with_frozen_commented_headers(template):
    assert template.sheetnames == [GUIDE_SHEET, *(s.name for s in SEED_SHEETS)]
    for schema in SEED_SHEETS:
        sheet = template[schema.name]
        assert [c.value for c in sheet[1]] == [c.header for c in schema.columns]
        assert sheet.freeze_panes == "A2"
        for column, cell in zip(schema.columns, sheet[1]):
            assert cell.font.bold
            assert cell.comment.text.startswith(f"{column.header}\n{'必填' if column.required else '可空'}；")
            assert column.note in cell.comment.text


@pytest.mark.parametrize(
    ("sheet", "header", "comment"),
    [
        (
            "支出明细",
            "凭证号",
            "凭证号\n必填；文本；关键列：与已导入的记录相同时更新原记录\n财务凭证号，唯一标识一笔支出",
        ),
        (
            "支出明细",
            "支付日期",
            "支付日期\n必填；日期（Excel 日期或 YYYY-MM-DD），须在 2024 年内；决定本行所属月份（报送进度、期间锁定）\n"
            "资金实际支付的日期",
        ),
        (
            "装备发放",
            "发放日期",
            "发放日期\n必填；日期（Excel 日期或 YYYY-MM-DD），须在 2024 年内；"
            "关键列（领用人、发放日期）：与已导入的记录相同时更新原记录；决定本行所属月份（报送进度、期间锁定）",
        ),
        ("以案定补", "调解结果", "调解结果\n必填；从下拉列表选择：调解成功、调解不成功"),
        (
            "劳动关系统计",
            "月份",
            "月份\n必填；月份，填 YYYY-MM（如 2024-03），须在 2024 年内或 2023 年（同比基数）；"
            "关键列：与已导入的记录相同时更新原记录；"
            "决定本行所属月份（报送进度、期间锁定）\nYYYY-MM；可填本年度及上一年度（同比基数）的月份",
        ),
    ],
)
def test_each_header_comment_gives_the_columns_rules_and_meaning(template, sheet, header, comment):
    headers = [c.header for c in SHEETS_BY_NAME[sheet].columns]
    assert template[sheet].cell(1, headers.index(header) + 1).comment.text == comment


def test_every_enumeration_has_a_dropdown_listing_exactly_its_choices(template):
    dropdowns = {}
    for schema in SEED_SHEETS:
        for index, column in enumerate(schema.columns, start=1):
            if column.kind in (Kind.CHOICE, Kind.FLAG):
                check = check_of(template[schema.name], index)
                assert (check.type, check.showErrorMessage, str(check.sqref).endswith("1001")) == ("list", True, True)
                dropdowns[schema.name, column.header] = listed(template, check.formula1)
    assert dropdowns == {
        ("支出明细", "预算明细"): BUDGET_LINES,
        ("以案定补", "调解结果"): ["调解成功", "调解不成功"],
        ("装备发放", "验收结果"): ["合格", "不合格"],
        ("调解阵地", "阵地类型"): ["党群服务站", "商圈", "其他"],
        ("调解阵地", "验收结果"): ["达标", "不达标"],
        ("普法活动", "主题契合"): ["是", "否"],
        ("平台运维", "维护完成"): ["是", "否"],
        ("投诉处置", "来源"): ["12345热线", "国家欠薪平台", "来访", "来电", "其他"],
        ("投诉处置", "是否有效"): ["是", "否"],
        ("满意度调查", "调查对象"): ["劳动者", "用工单位"],
        ("满意度调查", "评价"): ["非常满意", "满意", "一般", "不满意", "非常不满意"],
    }


@pytest.mark.parametrize(
    ("sheet", "header", "check", "number_format"),
    [
        ("支出明细", "支付日期", ("date", "between", "DATE(2024,1,1)", "DATE(2024,12,31)"), "yyyy-mm-dd"),
        ("支出明细", "金额", ("decimal", "greaterThan", "0", None), "#,##0.00"),
        ("以案定补", "补贴人数", ("whole", "greaterThanOrEqual", "1", None), "0"),
        ("普法活动", "参与人数", ("whole", "greaterThanOrEqual", "0", None), "0"),
    ],
)
def test_dates_and_numbers_are_formatted_and_checked(template, sheet, header, check, number_format):
    index = [c.header for c in SHEETS_BY_NAME[sheet].columns].index(header) + 1
    found = check_of(template[sheet], index)
    assert (found.type, found.operator, found.formula1, found.formula2) == check
    if number_format:
        assert (
            template[sheet].column_dimensions[template[sheet].cell(1, index).column_letter].number_format
            == number_format
        )


def test_month_columns_are_text_so_a_typed_month_stays_a_month(template):
    assert template["平台运维"].column_dimensions["A"].number_format == "@"


def test_percent_columns_are_text_so_a_typed_85_percent_is_not_stored_as_0_85(template):
    index = [c.header for c in SHEETS_BY_NAME["平台运维"].columns].index("区级对接进度") + 1
    sheet = template["平台运维"]
    assert sheet.column_dimensions[sheet.cell(1, index).column_letter].number_format == "@"
    letter = sheet.cell(2, index).column_letter
    assert not [dv for dv in sheet.data_validations.dataValidation if f"{letter}2" in dv.sqref]  # it would refuse "85%"


def fill(template, source) -> bytes:
    """The template with the source workbook's rows copied in under the matching headers."""
    for sheet in source.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        target = template[sheet.title]
        headers = [c.value for c in target[1]]
        for values in rows[1:]:
            row = dict(zip(rows[0], values))
            target.append([row.get(h) for h in headers])
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def test_the_template_filled_with_a_sample_months_rows_imports_cleanly(db, project, template):
    source = load_workbook(MARCH)
    result = import_workbook(db, project, fill(template, source), file_name="3月.xlsx", uploaded_by="staff")
    assert result.warnings == []
    expected = {sheet.title: sheet.max_row - 1 for sheet in source.worksheets if sheet.max_row > 1}
    assert {name: c.new for name, c in result.counts.items() if c.new} == expected
    assert sum(expected.values()) > 20


def test_open_sites_and_complaints_are_prefilled_and_come_back_unchanged(db, project):
    open_site = good("调解阵地", 实际完成日期=None, 验收结果=None)
    done_site = good("调解阵地", 阵地名称="南片调解工作室")
    open_complaint = good("投诉处置", 投诉编号="TS-OPEN", 办结日期=None)
    import_workbook(
        db,
        project,
        upload(调解阵地=[open_site, done_site], 投诉处置=[open_complaint, good("投诉处置")]),
        file_name="1月.xlsx",
        uploaded_by="staff",
    )

    data = build_template(db, project)
    prefilled = opened(data)
    assert [[c.value for c in row] for row in prefilled["调解阵地"].iter_rows(min_row=2)] == [
        ["北片调解工作室", "党群服务站", "北片", datetime(2024, 6, 30), None, None],
    ]
    assert [[c.value for c in row] for row in prefilled["投诉处置"].iter_rows(min_row=2)] == [
        ["TS-OPEN", datetime(2024, 3, 1), "12345热线", "是", None],
    ]
    assert prefilled["投诉处置"]["B2"].number_format == "yyyy-mm-dd"
    plan = plan_import(db, project, data)
    assert (plan.errors, plan.warnings) == ([], [])
    assert {name: vars(c) for name, c in plan.counts.items() if c.unchanged} == {
        "调解阵地": {"new": 0, "replaced": 0, "unchanged": 1},
        "投诉处置": {"new": 0, "replaced": 0, "unchanged": 1},
    }


def test_names_that_read_like_formulas_are_written_as_text_and_upload_back_unchanged(db, project):
    site, complaint = "=SUM(A1)", '=HYPERLINK("http://x","点我查看")'
    import_workbook(
        db,
        project,
        upload(
            调解阵地=[good("调解阵地", 阵地名称=site, 实际完成日期=None, 验收结果=None)],
            投诉处置=[good("投诉处置", 投诉编号=complaint, 办结日期=None)],
        ),
        file_name="1月.xlsx",
        uploaded_by="staff",
    )
    line = db.exec(
        select(BudgetLine).where(BudgetLine.project_id == project.id, BudgetLine.name == "工作装备经费")
    ).one()
    line.name, project.name = "+工作装备经费", "@浦锦街道"
    db.add_all([line, project])
    db.commit()

    data = build_template(db, project)
    book = opened(data)
    cells = [book["调解阵地"]["A2"], book["投诉处置"]["A2"], book[GUIDE_SHEET]["A1"]]
    assert [(c.value, c.data_type) for c in cells] == [
        (site, "s"),
        (complaint, "s"),
        ("@浦锦街道 月度数据报送表 填报说明", "s"),
    ]
    assert "+工作装备经费" in listed(book, check_of(book["支出明细"], 3).formula1)
    assert formulas(data) == []
    plan = plan_import(db, project, data)
    assert (plan.errors, {name: c.unchanged for name, c in plan.counts.items() if c.unchanged}) == (
        [],
        {"调解阵地": 1, "投诉处置": 1},
    )
