"""下载模板: the monthly upload workbook staff fill in, built from the declarations in data_model.sheets.

First a 填报说明 sheet (how to fill it in, every column's rules, the lists the dropdowns draw from),
then one sheet per contract sheet: styled, frozen headers, each with a comment giving its meaning
and rules; Excel dropdowns for every enumeration; date and number formats and checks on the data
rows. It may be pre-filled with the open items (sites not yet completed, complaints still open), so
staff update those rows rather than retype them.
"""

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlmodel import Session

from data_model.cells import as_text, text_row
from data_model.importer import context_for
from data_model.models import Project
from data_model.sheets import BUDGET_LINES, GUIDE_SHEET, SHEETS, Column, Kind, Sheet
from data_model.validation import Context

DATA_ROWS = 1000  # how far down the dropdowns and checks reach
OPEN_ITEMS = {
    "调解阵地": "实际完成日期",
    "投诉处置": "办结日期",
}  # sheet -> the column left empty while an item is open
# Percentages are text cells: in a General cell Excel stores a typed "85%" as 0.85, which reads as 0.85 %.
FORMATS = {
    Kind.DATE: "yyyy-mm-dd",
    Kind.MONTH: "@",
    Kind.MONEY: "#,##0.00",
    Kind.INT: "0",
    Kind.TEXT: "@",
    Kind.PERCENT: "@",
    Kind.INDICATOR: "@",
}

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
KEY_FILL = PatternFill("solid", fgColor="FCE4D6")
THIN = Side(style="thin", color="9BA7B4")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")

GUIDE = (
    "每月填报一次，只保留有数据的工作表即可；请勿修改工作表名称和第 1 行表头（列的顺序可以调整）。",
    "橙色表头为关键列：关键列与已导入的记录相同的行会更新原记录，不会重复；同一文件中关键列不得重复。",
    (
        "日期填 Excel 日期或 YYYY-MM-DD 文本，月份填 YYYY-MM 文本（如 {year}-03）；"
        "除劳动关系统计可填上一年度（同比基数）外，所有日期须在 {year} 年内。"
    ),
    "带下拉箭头的列请从下拉列表中选择，内容须与列表完全一致。把鼠标停在表头上可查看该列的含义和填写规则。",
    "上传后系统先校验并显示预览，确认导入后才写入；只要有一处错误就不会写入任何数据，可下载标注了问题单元格的工作簿，改正后重新上传。",
    "已锁定月份的数据不能再导入或修改；如需更正，请联系管理员解锁。",
    "本「填报说明」工作表上传时会被忽略。",
)
PREFILLED = (
    "调解阵地、投诉处置已预填尚未建成的阵地和尚未办结的投诉：建成或办结后补填相应日期即可，未改动的行上传后保持不变。"
)


def column_rules(schema: Sheet, column: Column, ctx: Context) -> str:
    """How a column must be filled in, in one Chinese sentence: for its header comment and the guide."""
    year = ctx.year
    kind = {
        Kind.TEXT: "文本",
        Kind.DATE: f"日期（Excel 日期或 YYYY-MM-DD），须在 {year} 年内",
        Kind.MONTH: f"月份，填 YYYY-MM（如 {year}-03），须在 {year} 年内"
        + (f"或 {year - 1} 年（同比基数）" if column.baseline_allowed else ""),
        Kind.INT: f"整数，不小于 {column.minimum}",
        Kind.MONEY: "金额（元），大于 0，最多两位小数",
        Kind.PERCENT: "0–100 的百分比（如 85 或 85%）",
        Kind.NUMBER: "数值，不小于 0；百分比填 0–100（如 95 或 95%）",
        Kind.INDICATOR: "三级指标名称或序号：" + "、".join(f"{i.seq}. {i.name}" for i in ctx.indicators),
    }.get(column.kind) or "从下拉列表选择：" + "、".join(choices(column, ctx))
    parts = ["必填" if column.required else "可空", kind]
    if column.header in schema.key:
        together = "、".join(schema.key)
        parts.append(
            f"关键列（{together}）：与已导入的记录相同时更新原记录"
            if len(schema.key) > 1
            else "关键列：与已导入的记录相同时更新原记录"
        )
    if column.period:
        parts.append("决定本行所属月份（报送进度、期间锁定）")
    return "；".join(parts)


def choices(column: Column, ctx: Context) -> tuple[str, ...]:
    return ctx.budget_lines if column.choices == BUDGET_LINES else column.choices


def sheets_for(ctx: Context) -> list[Sheet]:
    """The sheets a project's template has: 指标填报 only when it has manually reported indicators."""
    return [schema for schema in SHEETS if ctx.indicators or not schema.manual]


def build_template(session: Session, project: Project, *, prefill: bool = True) -> bytes:
    """The upload template for `project` as .xlsx bytes; `prefill` adds the open items."""
    ctx = context_for(session, project)
    workbook = Workbook()
    guide = workbook.active
    guide.title = GUIDE_SHEET
    lists = _write_guide(guide, project, ctx, prefill)
    for schema in sheets_for(ctx):
        sheet = workbook.create_sheet(schema.name)
        _write_headers(sheet, schema, ctx)
        _add_checks(sheet, schema, ctx, lists)
        if prefill and schema.name in OPEN_ITEMS:
            for row in _open_items(session, project, schema):
                sheet.append(text_row(sheet, [c.cell(row[c.field]) for c in schema.columns]))
            for column, cells in zip(schema.columns, sheet.iter_cols(min_row=2)):
                for cell in cells:
                    cell.number_format = FORMATS.get(column.kind, "General")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_guide(sheet: Worksheet, project: Project, ctx: Context, prefill: bool) -> dict[tuple[str, str], str]:
    """Write the guide; returns, per (sheet, header) enumeration, the cell range its dropdown lists."""
    sheet.append(text_row(sheet, [f"{project.name} 月度数据报送表 填报说明"]))
    sheet["A1"].font = Font(bold=True, size=14)
    lines = [*GUIDE[:-1], *([PREFILLED] if prefill else []), GUIDE[-1]]
    for number, line in enumerate(lines, start=1):
        sheet.append([f"{number}. {line.format(year=ctx.year)}"])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=5)
        sheet.cell(sheet.max_row, 1).alignment = WRAP
        sheet.row_dimensions[sheet.max_row].height = 32
    sheet.append([])
    sheet.append(["工作表", "列", "必填", "类型", "填写规则与说明"])
    _style_header(sheet[sheet.max_row])
    for schema in sheets_for(ctx):
        for column in schema.columns:
            rules = column_rules(schema, column, ctx) + (f"。{column.note}" if column.note else "")
            sheet.append([schema.name, column.header, "是" if column.required else "否", column.kind.value, rules])
            sheet.cell(sheet.max_row, 5).alignment = WRAP
    for letter, width in zip("ABCDE", (14, 16, 8, 10, 90)):
        sheet.column_dimensions[letter].width = width

    sheet.append([])
    sheet.append(["下拉列表可选值"])
    sheet.cell(sheet.max_row, 1).font = BOLD
    enumerations = [(s, c) for s in SHEETS for c in s.columns if c.kind in (Kind.CHOICE, Kind.FLAG)]
    top = sheet.max_row + 1
    sheet.append([f"{s.name}·{c.header}" for s, c in enumerations])
    _style_header(sheet[top])
    lists = {}
    for index, (schema, column) in enumerate(enumerations, start=1):
        values = choices(column, ctx)
        for offset, value in enumerate(values, start=1):
            as_text(sheet.cell(top + offset, index, value))
        letter = get_column_letter(index)
        lists[schema.name, column.header] = (
            f"{quote_sheetname(GUIDE_SHEET)}!${letter}${top + 1}:${letter}${top + len(values)}"
        )
    return lists


def _style_header(cells) -> None:
    for cell in cells:
        cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, BOX


def _write_headers(sheet: Worksheet, schema: Sheet, ctx: Context) -> None:
    sheet.append([c.header for c in schema.columns])
    _style_header(sheet[1])
    for column, cell in zip(schema.columns, sheet[1]):
        if column.header in schema.key:
            cell.fill = KEY_FILL
        text = f"{column.header}\n{column_rules(schema, column, ctx)}" + (f"\n{column.note}" if column.note else "")
        cell.comment = Comment(text, "劳动关系项目绩效评价看板", width=320, height=150)
        dimension = sheet.column_dimensions[cell.column_letter]
        widest = (
            max([len(column.header), *map(len, choices(column, ctx))])
            if column.kind is Kind.CHOICE
            else len(column.header)
        )
        dimension.width = min(max(widest * 2 + 4, 14), 48)
        if column.kind in FORMATS:
            dimension.number_format = FORMATS[column.kind]
    sheet.freeze_panes = "A2"


def _add_checks(sheet: Worksheet, schema: Sheet, ctx: Context, lists: dict[tuple[str, str], str]) -> None:
    year = ctx.year
    for index, column in enumerate(schema.columns, start=1):
        if column.kind in (Kind.CHOICE, Kind.FLAG):
            check = DataValidation(type="list", formula1=lists[schema.name, column.header], error="请从下拉列表中选择")
        elif column.kind is Kind.DATE:
            check = DataValidation(
                type="date",
                operator="between",
                formula1=f"DATE({year},1,1)",
                formula2=f"DATE({year},12,31)",
                error=f"请填写 {year} 年内的日期（YYYY-MM-DD）",
            )
        elif column.kind is Kind.INT:
            check = DataValidation(
                type="whole",
                operator="greaterThanOrEqual",
                formula1=str(column.minimum),
                error=f"请填写不小于 {column.minimum} 的整数",
            )
        elif column.kind is Kind.MONEY:
            check = DataValidation(type="decimal", operator="greaterThan", formula1="0", error="金额应大于 0")
        else:
            continue
        check.errorTitle, check.showErrorMessage, check.allow_blank = f"「{column.header}」填写有误", True, True
        letter = get_column_letter(index)
        check.add(f"{letter}2:{letter}{DATA_ROWS + 1}")
        sheet.add_data_validation(check)


def _open_items(session: Session, project: Project, schema: Sheet) -> list[dict]:
    table = schema.model.__table__
    empty = table.c[schema.by_header[OPEN_ITEMS[schema.name]].field]
    query = table.select().where(table.c.project_id == project.id, empty.is_(None)).order_by(table.c.id)
    return [dict(row) for row in session.execute(query).mappings()]
