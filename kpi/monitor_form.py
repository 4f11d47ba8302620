"""绩效运行监控表.xlsx: the in-year monitoring form (财预〔2019〕136号 practice), ready to print on A4 landscape.

Declared like the 自评表 (kpi.export) and written by the same writer: the header block with the funding in 万元
(HEADER), the indicator table's columns (COLUMNS) and the block below it (FOOTER).
"""

import io
from datetime import date, timedelta
from operator import attrgetter

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from data_model.targets import WAN
from kpi.export import (
    CELL,
    HEAD,
    LEFT,
    NOTE,
    SIGNED,
    TITLE,
    Column,
    Field,
    _print_setup,
    _runs,
    _Sheet,
    actual_cell,
    blank_workbook,
    page_height,
    page_starts,
)
from kpi.formatting import chinese_date
from kpi.monitor_entries import MonitorForm, MonitorRow
from kpi.monitoring import LEVEL_LABELS, LIKELIHOOD_LABELS, POSSIBLE_GAP

FILE_NAME = "绩效运行监控表.xlsx"
WAN_FORMAT = "#,##0.00"


def period(as_of: date) -> str:
    """The months the form covers: 1—6月 at a month's end, else 1月1日—7月15日."""
    if (as_of + timedelta(days=1)).day == 1:
        return f"1—{as_of.month}月"
    return f"1月1日—{as_of.month}月{as_of.day}日"


def title(form: MonitorForm) -> str:
    return f"项目支出绩效运行监控表（{form.project.year}年{period(form.evaluation.as_of)}）"


def likelihood_text(row: MonitorRow) -> str:
    """完成目标可能性, with the evaluator's reason when it departs from the proposal."""
    word = LIKELIHOOD_LABELS[row.likelihood]
    if not row.changed:
        return word
    return f"{word}\n（按预计为{LIKELIHOOD_LABELS[row.proposed]}；调整理由：{row.likelihood_reason}）"


def _budget(form: MonitorForm) -> dict[str, object]:
    budget = form.evaluation.budget
    forecast = budget.monitoring.forecast
    return {
        "planned": budget.planned / WAN,
        "spent": budget.spent / WAN,
        "rate": budget.execution_rate,
        "forecast": None if forecast is None else budget.planned * forecast / WAN,
        "level": LEVEL_LABELS[budget.monitoring.level],
    }


def _funds(key: str):
    return lambda form: _budget(form)[key]


_RIGHT = NOTE._replace(alignment=Alignment(horizontal="right"))
SIGN = SIGNED._replace(font=CELL.font, line_height=20, minimum=28)

HEADER = (
    Field(1, "A:I", title, TITLE),
    Field(2, "A", lambda form: f"统计截至：{chinese_date(form.evaluation.as_of)}", NOTE),
    Field(2, "I", "金额单位：万元", _RIGHT),
    Field(3, "A", "项目名称", HEAD),
    Field(3, "B:I", lambda form: form.project.name, LEFT),
    Field(4, "A", "主管部门", HEAD),
    Field(4, "B:D", lambda form: form.project.department, LEFT),
    Field(4, "E", "实施单位", HEAD),
    Field(4, "F:I", lambda form: form.project.implementer, LEFT),
    Field(5, "A:B", "项目资金（万元）", HEAD, rows=2),
    Field(5, "C:D", "年初预算数", HEAD),
    Field(6, "C:D", _funds("planned"), fmt=WAN_FORMAT),
    Field(5, "E", "截至统计日执行数", HEAD),
    Field(6, "E", _funds("spent"), fmt=WAN_FORMAT),
    Field(5, "F", "执行率", HEAD),
    Field(6, "F", _funds("rate"), fmt="0.00%"),
    Field(5, "G", "全年预计执行数", HEAD),
    Field(6, "G", _funds("forecast"), fmt=WAN_FORMAT),
    Field(5, "H", "序时进度", HEAD),
    Field(6, "H", lambda form: form.evaluation.elapsed_share, fmt="0.00%"),
    Field(5, "I", "执行状态", HEAD),
    Field(6, "I", _funds("level")),
)
COLUMNS = (
    Column("一级指标", 10, attrgetter("result.level1"), group=attrgetter("result.level1")),
    Column("二级指标", 12, attrgetter("result.level2"), group=attrgetter("result.level1", "result.level2")),
    Column("三级指标", 26, attrgetter("result.level3"), LEFT),
    Column("年度指标值", 15, attrgetter("result.target.text")),
    Column(
        "截至统计日\n实际完成值", 15, lambda row: actual_cell(row.result)[0], fmt=lambda row: actual_cell(row.result)[1]
    ),
    Column("全年预计完成值", 15, attrgetter("forecast")),
    Column("完成目标可能性", 15, likelihood_text),
    Column("偏差原因分析", 30, attrgetter("deviation"), LEFT),
    Column("相关建议或举措", 26, attrgetter("suggestion"), LEFT),
)
HEADERS = tuple(column.header for column in COLUMNS)
FOOTER = (
    Field(
        1,
        "A:I",
        f"说明：完成目标可能性按全年预计完成值提出，达到年度指标值为确定能，差距在 {POSSIBLE_GAP:.0%} 以内为有可能，"
        "否则为不可能；定性指标按评定档次提出。评价人员调整的，注明理由。偏差原因分为规划和目标设计、投入保障、制度保障、"
        "项目管理和其他。",
        SIGNED,
    ),
    Field(2, "A:D", lambda form: f"填报人：{form.filled_by}", SIGN),
    Field(2, "E:I", lambda form: f"填报日期：{chinese_date(form.filled_on) if form.filled_on else ''}", SIGN),
)


def _written(form: MonitorForm, columns: tuple[Column, ...]) -> tuple[Workbook, list[int], list[int]]:
    """The form laid out with `columns`, with page breaks between 二级指标 groups so that none is cut in two; the
    Excel row of each indicator, and the rows after which a page ends."""
    wb = blank_workbook()
    ws = wb.active
    ws.title = "绩效运行监控表"
    for col, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = column.width
    sheet = _Sheet(ws, columns)
    header = sheet.block(1, HEADER, form) + 1
    sheet.table(header, form.rows)
    first, footer = header + 1, header + 1 + len(form.rows)
    last = sheet.block(footer, FOOTER, form)
    sheet.fit_rows()
    groups = [(first + start, first + end) for start, end in _runs(form.rows, COLUMNS[1].group)]
    _keep_groups_together(ws, header, [*groups, (footer, last)], page_height(sheet.widths))
    _print_setup(ws, header, last)
    return wb, [first + i for i in range(len(form.rows))], [b.id for b in ws.row_breaks.brk]


def workbook(form: MonitorForm) -> bytes:
    """The form. A 一级指标 group longer than what a page has left is cut between its 二级 groups, and its merged
    cell is merged on each page, so that every page names the 一级指标 of its rows (no half-empty page)."""
    _, rows, breaks = _written(form, COLUMNS)
    page = {row.result.seq: sum(b < at for b in breaks) for row, at in zip(form.rows, rows)}
    level1 = COLUMNS[0]._replace(group=lambda row: (row.result.level1, page[row.result.seq]))
    wb, _, _ = _written(form, (level1, *COLUMNS[1:]))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _keep_groups_together(ws: Worksheet, header_row: int, blocks: list[tuple[int, int]], page: float) -> None:
    """Page breaks between 二级指标 groups, so that no merged group is cut in two by a page end."""

    def height(row: int) -> float:
        return ws.row_dimensions[row].height or 15

    heights = [sum(height(r) for r in range(start, end + 1)) for start, end in blocks]
    top = sum(height(r) for r in range(1, blocks[0][0]))
    for index in page_starts(heights, top, height(header_row), page):
        ws.row_breaks.append(Break(id=blocks[index][0] - 1))
