"""绩效自评表.xlsx: the self-assessment workbook in the finance bureau's layout, ready to print on A4 landscape.

Numbers are written as numbers with number formats (the unit lives in the format), and every cell
holding user text goes through data_model.cells, so that a reason typed as "=1+1" never becomes a formula.
"""

import io
import math
import unicodedata

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from data_model.audit import local_time
from data_model.cells import as_text
from kpi import scoring
from kpi.assessment import SelfAssessment
from kpi.evaluate import IndicatorResult
from kpi.metrics import REGISTRY

FILE_NAME = "绩效自评表.xlsx"
WIDTHS = (11, 16, 30, 15, 17, 8, 8, 42)  # A–H
HEADERS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
FONT = "宋体"
LINE_HEIGHT = 14.5  # points per wrapped line at 10.5 pt
SIDE_MARGIN, END_MARGIN = 0.5, 0.6  # inches
# How many points of row height one A4 landscape page holds once the sheet is scaled to fit its width:
# the printable height (less the footer) over the scale, a column of width w being 7w + 5 pixels.
_SCALE = min(1.0, (842 - 144 * SIDE_MARGIN) / (sum(7 * w + 5 for w in WIDTHS) * 0.75))
PAGE_HEIGHT = (595 - 144 * END_MARGIN - 20) / _SCALE
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="E7E6E6")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)


def title(sa: SelfAssessment) -> str:
    return f"财政项目支出绩效自评表（{sa.project.year}年度）" + ("" if sa.final else "（暂定）")


def actual_cell(r: IndicatorResult) -> tuple[object, str]:
    """实际完成值 as a number with a format that reads like kpi.formatting.actual_text, or a text."""
    metric = REGISTRY[r.metric_key]
    if r.judged:
        return (r.tier or scoring.STATUS_LABELS[scoring.PENDING]), "@"
    if r.actual is None:
        return scoring.STATUS_LABELS[scoring.NO_DATA], "@"
    if metric.kind == "timely":
        return r.actual, '"按期比例 "0.00%'
    if metric.kind == "yoy":
        return r.actual, '"同比增加 "0.00%;"同比减少 "0.00%;"同比持平"'
    if r.unit == "%":
        return r.actual, "0.00%"
    return r.actual, (f'#,##0" {r.unit}"' if metric.cumulative else f'#,##0.00" {r.unit}"')


def _text_width(text: str) -> float:
    return sum(1.8 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: str, width: float) -> int:
    per_line = max(1.0, width - 1)
    return sum(max(1, math.ceil(_text_width(part) / per_line)) for part in str(text).split("\n"))


class _Sheet:
    """Writes styled cells and keeps each row tall enough for its wrapped text."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.heights: dict[int, float] = {}

    def put(self, row: int, col: int, value, *, to_col: int | None = None, to_row: int | None = None,
            fmt: str | None = None, bold: bool = False, align: Alignment = _CENTER, head: bool = False) -> None:
        cell = as_text(self.ws.cell(row, col, value))
        if fmt:
            cell.number_format = fmt
        cell.font = Font(name=FONT, size=10.5, bold=bold or head)
        cell.alignment = align
        if head:
            cell.fill = _HEAD_FILL
        last_col, last_row = to_col or col, to_row or row
        for r in range(row, last_row + 1):
            for c in range(col, last_col + 1):
                self.ws.cell(r, c).border = _BORDER
        if (last_col, last_row) != (col, row):
            self.ws.merge_cells(start_row=row, start_column=col, end_row=last_row, end_column=last_col)
        if isinstance(value, str) and last_row == row:
            width = sum(WIDTHS[c - 1] for c in range(col, last_col + 1))
            self.heights[row] = max(self.heights.get(row, 0), _lines(value, width) * LINE_HEIGHT + 6)

    def fit_rows(self, minimum: float = 22) -> None:
        for row, height in self.heights.items():
            self.ws.row_dimensions[row].height = max(minimum, height)


def _runs(values: list[str]) -> list[tuple[int, int]]:
    """(start, end) index ranges of equal consecutive values: the cells to merge vertically."""
    runs, start = [], 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            runs.append((start, i - 1))
            start = i
    return runs


def _keep_groups_together(ws: Worksheet, header_row: int, blocks: list[tuple[int, int]]) -> None:
    """Page breaks between 一级指标 groups, so that no merged group is cut in two by a page end."""
    def height(row: int) -> float:
        return ws.row_dimensions[row].height or 15

    used = sum(height(r) for r in range(1, blocks[0][0]))
    for start, end in blocks:
        block = sum(height(r) for r in range(start, end + 1))
        if used + block > PAGE_HEIGHT and used > height(header_row):
            ws.row_breaks.append(Break(id=start - 1))
            used = height(header_row)
        used += block


def _print_setup(ws: Worksheet, header_row: int, last_row: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.print_title_rows = f"{header_row}:{header_row}"  # the indicator table's header on every page
    ws.print_area = f"A1:H{last_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN
    ws.page_margins.top = ws.page_margins.bottom = END_MARGIN
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def workbook(sa: SelfAssessment) -> bytes:
    ev, project, b = sa.evaluation, sa.project, sa.evaluation.budget
    wb = Workbook()
    ws = wb.active
    ws.title = "绩效自评表"
    sheet = _Sheet(ws)
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    ws.cell(1, 1, title(sa)).font = Font(name="黑体", size=18, bold=True)
    ws.cell(1, 1).alignment = _CENTER
    ws.merge_cells("A1:H1")
    ws.row_dimensions[1].height = 36
    ws.cell(2, 1, f"统计截至：{ev.as_of.year}年{ev.as_of.month}月{ev.as_of.day}日").font = Font(name=FONT, size=10.5)
    ws.cell(2, 8, "金额单位：元").font = Font(name=FONT, size=10.5)
    ws.cell(2, 8).alignment = Alignment(horizontal="right")

    sheet.put(3, 1, "项目名称", head=True)
    sheet.put(3, 2, project.name, to_col=8, align=_LEFT)
    sheet.put(4, 1, "主管部门", head=True)
    sheet.put(4, 2, project.department, to_col=4, align=_LEFT)
    sheet.put(4, 5, "实施单位", head=True)
    sheet.put(4, 6, project.implementer, to_col=8, align=_LEFT)

    sheet.put(5, 1, "项目资金（元）", to_col=2, to_row=6, head=True)
    for col, label in enumerate(("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), start=3):
        sheet.put(5, col, label, head=True)
    budget_row = (b.planned, b.planned, b.spent, b.weight, b.execution_rate, b.score)
    for col, (value, fmt) in enumerate(zip(budget_row, ("#,##0.00", "#,##0.00", "#,##0.00", "0.00", "0.00%", "0.00")), start=3):
        sheet.put(6, col, value, fmt=fmt)

    sheet.put(7, 1, "年度总体目标", to_row=8, head=True)
    sheet.put(7, 2, "预期目标", to_col=4, head=True)
    sheet.put(7, 5, "实际完成情况", to_col=8, head=True)
    sheet.put(8, 2, project.annual_goal, to_col=4, align=_LEFT)
    sheet.put(8, 5, sa.summary, to_col=8, align=_LEFT)
    goal_lines = max(_lines(project.annual_goal, sum(WIDTHS[1:4])), _lines(sa.summary, sum(WIDTHS[4:8])))
    sheet.heights[8] = goal_lines * LINE_HEIGHT + 8

    header = 9
    for col, label in enumerate(HEADERS, start=1):
        sheet.put(header, col, label, head=True)
    first = header + 1
    rows = ev.indicators
    for i, r in enumerate(rows):
        row = first + i
        actual, fmt = actual_cell(r)
        sheet.put(row, 3, r.level3, align=_LEFT)
        sheet.put(row, 4, r.target)
        sheet.put(row, 5, actual, fmt=fmt)
        sheet.put(row, 6, r.weight, fmt="0.00")
        sheet.put(row, 7, r.score, fmt="0.00")
        sheet.put(row, 8, r.deviation_reason, align=_LEFT)
    for col, key in ((1, lambda r: r.level1), (2, lambda r: (r.level1, r.level2))):
        for start, end in _runs([key(r) for r in rows]):
            label = rows[start].level1 if col == 1 else rows[start].level2
            sheet.put(first + start, col, label, to_row=first + end if end > start else None)

    total = first + len(rows)
    sheet.put(total, 1, "总分", to_col=5, head=True)
    sheet.put(total, 6, b.weight + sum(r.weight for r in rows), fmt="0.00")
    sheet.put(total, 7, ev.total_score, fmt="0.00", bold=True)
    sheet.put(total, 8, "" if sa.final else "暂定：尚未定稿", align=_LEFT)
    sheet.put(total + 1, 1, "评价等级", to_col=5, head=True)
    sheet.put(total + 1, 6, ev.grade, to_col=8, bold=True)
    if sa.final:
        signed = f"定稿：{project.finalized_by}　{local_time(project.finalized_at)}"
    else:
        signed = "本表为暂定稿。定稿前还缺：" + "；".join(sa.missing) if sa.missing else "本表为暂定稿，尚未定稿。"
    ws.cell(total + 2, 1, signed).font = Font(name=FONT, size=9)  # starts with 定稿 or 本表: never a formula
    ws.cell(total + 2, 1).alignment = _LEFT
    ws.merge_cells(start_row=total + 2, start_column=1, end_row=total + 2, end_column=8)
    ws.row_dimensions[total + 2].height = _lines(signed, sum(WIDTHS)) * 13 + 6

    sheet.fit_rows()
    groups = [(first + start, first + end) for start, end in _runs([r.level1 for r in rows])]
    _keep_groups_together(ws, header, [*groups, (total, total + 2)])
    _print_setup(ws, header, total + 2)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
