"""绩效自评表.xlsx: the self-assessment workbook in the finance bureau's layout, ready to print on A4 landscape.

The form is data: the header block (HEADER), the indicator table's columns (COLUMNS) and the blocks below the table
(FOOTER) declare every cell, span, format and style; `workbook` places them and fits the rows to their text.
Numbers are written as numbers with number formats (the unit lives in the format), and every cell
holding user text goes through data_model.cells, so that a reason typed as "=1+1" never becomes a formula.
Money in the funding block is in 万元; people are named by their 姓名.

Printing: the pages are cut where they fill up (between indicator rows, or between the blocks below the table),
and a 一级/二级指标 cell that a cut would split is merged on each page apart, its label repeated.
"""

import io
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from data_model.audit import local_time
from data_model.cells import as_text
from data_model.targets import WAN
from kpi import scoring
from kpi.assessment import SelfAssessment, Standing, rescale_note
from kpi.evaluate import IndicatorResult
from kpi.formatting import chinese_date
from kpi.metrics import REGISTRY
from kpi.scoring import Status

FILE_NAME = "绩效自评表.xlsx"
FONT = "宋体"
LINE_HEIGHT = 14.5  # points per wrapped line at 10.5 pt
SIDE_MARGIN, TOP_MARGIN, BOTTOM_MARGIN, FOOTER_MARGIN = 0.5, 0.6, 0.8, 0.3  # inches: the footer sits inside the margin
MONEY, SCORE = "#,##0.00", "0.00"


class Style(NamedTuple):
    """How a cell looks, and how tall its text (when it spans one row) makes its row."""

    font: Font
    alignment: Alignment | None = None
    fill: PatternFill | None = None
    framed: bool = True  # a thin border round every cell it spans
    line_height: float | None = LINE_HEIGHT  # points per wrapped line; None leaves the row's height alone
    padding: float = 6
    minimum: float = 22  # the least height of its row


_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
CELL = Style(Font(name=FONT, size=10.5), _CENTER)
LEFT = CELL._replace(alignment=_LEFT)
BOLD = CELL._replace(font=Font(name=FONT, size=10.5, bold=True))
HEAD = BOLD._replace(fill=PatternFill("solid", fgColor="E7E6E6"))
GOAL = LEFT._replace(padding=8)
# The title always fits one line of 30 points: its row is 36 points tall.
TITLE = Style(Font(name="黑体", size=18, bold=True), _CENTER, framed=False, line_height=30, minimum=0)
NOTE = Style(CELL.font, framed=False, line_height=None)
SIGNED = Style(Font(name=FONT, size=9), _LEFT, framed=False, line_height=13, minimum=0)
STAMP = LEFT._replace(minimum=45)  # room for the unit's seal


class Field(NamedTuple):
    """A cell of a block: its row in the block (from 1), the columns it spans ("B" or "B:D") and how many rows,
    merged when more than one cell; its value is a text or a function of the self-assessment."""

    row: int
    cols: str
    value: str | Callable[[SelfAssessment], object]
    style: Style = CELL
    fmt: str | None = None
    rows: int = 1


class Column(NamedTuple):
    """A column of the indicator table and what an indicator's row shows in it. Consecutive rows with the same
    `group` key share one cell, merged down."""

    header: str
    width: float
    value: Callable[[IndicatorResult], object]
    style: Style = CELL
    fmt: str | Callable[[IndicatorResult], str] | None = None
    group: Callable[[IndicatorResult], object] | None = None


def title(sa: SelfAssessment) -> str:
    return f"财政项目支出绩效自评表（{sa.project.year}年度）" + ("" if sa.standing is Standing.FINAL else "（暂定）")


def actual_cell(r: IndicatorResult) -> tuple[object, str]:
    """实际完成值 as a number with a format that reads like kpi.metrics.actual_text
    (one Shown drives both), or a text."""
    if r.status == Status.NOT_APPLICABLE:
        return scoring.STATUS_LABELS[Status.NOT_APPLICABLE], "@"
    if r.judged:
        return (r.tier or scoring.STATUS_LABELS[Status.PENDING]), "@"
    if r.actual is None:
        return scoring.STATUS_LABELS[Status.NO_DATA], "@"
    return r.actual, REGISTRY[r.metric_key].kind.shown(r.unit).number_format()


def score_cell(r: IndicatorResult) -> object:
    """得分: the score, or — for an indicator left out as 不适用."""
    return "—" if r.status == Status.NOT_APPLICABLE else r.score


def explanation(r: IndicatorResult) -> str:
    """偏差原因分析及改进措施, or why the indicator is 不适用."""
    return f"不适用：{r.not_applicable_reason}" if r.status == Status.NOT_APPLICABLE else r.deviation_reason


def _total_note(sa: SelfAssessment) -> str:
    """Beside the total: how it was rescaled, and 暂定 until final."""
    return "；".join(
        filter(None, [rescale_note(sa.evaluation), "" if sa.standing is Standing.FINAL else "暂定：尚未定稿"])
    )


def _signature(sa: SelfAssessment) -> str:
    """Who finalized the form and when, else what it still lacks. Starts with 定稿 or 本表: never a formula."""
    if sa.standing is Standing.FINAL:
        return f"定稿：{sa.name(sa.project.finalized_by)}　{local_time(sa.project.finalized_at)}"
    return "本表为暂定稿。定稿前还缺：" + "；".join(sa.missing) if sa.missing else "本表为暂定稿，尚未定稿。"


def _as_of(sa: SelfAssessment) -> str:
    return f"统计截至：{chinese_date(sa.evaluation.as_of)}"


def _project(name: str) -> Callable[[SelfAssessment], object]:
    return lambda sa: getattr(sa.project, name)


def _text(key: str) -> Callable[[SelfAssessment], object]:
    return lambda sa: sa.text(key)


class Funding(NamedTuple):
    """A row of the funding block, in 万元 (two decimals, so that the parts add up to the total as shown); what no
    data tells (a part's spending when the budget has several sources) is None."""

    label: str
    planned: float
    spent: float | None
    execution_rate: float | None
    initial: float  # 年初预算数; planned is the 全年预算数 (调整后)


def funding(sa: SelfAssessment) -> list[Funding]:
    """年度资金总额 and its sources: 上年结转资金 and 其他资金 as the performance table states them, the rest
    当年财政拨款. Spending is booked by budget line, not by source: a source is known to have spent it all only when
    it is the budget's only source. A budget adjusted during the year (年初预算数 ≠ 全年预算数) is taken to have
    adjusted its 当年财政拨款."""
    b, project = sa.evaluation.budget, sa.project
    total, spent = round(b.planned / WAN, 2), round(b.spent / WAN, 2)
    initial = round((b.initial or b.planned) / WAN, 2)
    parts = {"上年结转资金": round(project.carried_over / WAN, 2), "其他资金": round(project.other_funds / WAN, 2)}
    current = round(total - sum(parts.values()), 2)
    parts = {"其中：当年财政拨款": current, **parts}
    initials = {label: amount for label, amount in parts.items()} | {
        "其中：当年财政拨款": round(current + initial - total, 2)
    }
    sole = [label for label, amount in parts.items() if amount]

    def part(label: str, amount: float) -> Funding:
        if amount == 0 and initials[label] == 0:
            return Funding(label, 0.0, 0.0, None, 0.0)
        known = sole == [label]
        return Funding(label, amount, spent if known else None, b.execution_rate if known else None, initials[label])

    total_row = Funding("年度资金总额", total, spent, b.execution_rate, initial)
    return [total_row, *(part(k, v) for k, v in parts.items())]


def _funding(index: int, name: str) -> Callable[[SelfAssessment], object]:
    return lambda sa: _or_dash(getattr(funding(sa)[index], name))


def _or_dash(value: object) -> object:
    return "—" if value is None else value


def _budget(name: str) -> Callable[[SelfAssessment], object]:
    return lambda sa: getattr(sa.evaluation.budget, name)


def _filled_by(sa: SelfAssessment) -> str:
    """填报人: who finalized the form, by name; a draft has none yet."""
    return sa.name(sa.project.finalized_by) if sa.final else "（定稿后填写）"


def _sources(first: int) -> tuple[Field, ...]:
    """The funding block's rows from `first`: the total, then each source; 分值 and 得分 belong to the total."""
    rows = []
    for index in range(4):
        row = first + index
        rows += [
            Field(row, "B", _funding(index, "label"), HEAD if index == 0 else LEFT),
            Field(row, "C", _funding(index, "initial"), fmt=MONEY),
            Field(row, "D", _funding(index, "planned"), fmt=MONEY),
            Field(row, "E", _funding(index, "spent"), fmt=MONEY),
            Field(row, "F", _budget("weight") if index == 0 else "—", fmt=SCORE),
            Field(row, "G", _funding(index, "execution_rate"), fmt="0.00%"),
            Field(row, "H", _budget("score") if index == 0 else "—", fmt=SCORE),
        ]
    return tuple(rows)


HEADER = (
    Field(1, "A:H", title, TITLE),
    Field(2, "A:C", _as_of, NOTE),
    Field(2, "H", "金额单位：万元", NOTE._replace(alignment=Alignment(horizontal="right"))),
    Field(3, "A", "项目名称", HEAD),
    Field(3, "B:H", _project("name"), LEFT),
    Field(4, "A", "主管部门", HEAD),
    Field(4, "B:D", _project("department"), LEFT),
    Field(4, "E", "实施单位", HEAD),
    Field(4, "F:H", _project("implementer"), LEFT),
    Field(5, "A", "项目资金\n（万元）", HEAD, rows=5),
    Field(5, "B", "", HEAD),
    Field(5, "C", "年初预算数", HEAD),
    Field(5, "D", "全年预算数", HEAD),
    Field(5, "E", "全年执行数", HEAD),
    Field(5, "F", "分值", HEAD),
    Field(5, "G", "执行率", HEAD),
    Field(5, "H", "得分", HEAD),
    *_sources(6),
    Field(10, "A", "年度总体目标", HEAD, rows=2),
    Field(10, "B:D", "预期目标", HEAD),
    Field(10, "E:H", "实际完成情况", HEAD),
    Field(11, "B:D", _project("annual_goal"), GOAL),
    Field(11, "E:H", lambda sa: sa.summary, GOAL),
)
COLUMNS = (
    Column("一级指标", 13, attrgetter("level1"), group=attrgetter("level1")),
    Column("二级指标", 20, attrgetter("level2"), group=attrgetter("level1", "level2")),
    Column("三级指标", 30, attrgetter("level3"), LEFT),
    Column("年度指标值", 15, attrgetter("target.text")),
    Column("实际完成值", 17, lambda r: actual_cell(r)[0], fmt=lambda r: actual_cell(r)[1]),
    Column("分值", 8, attrgetter("weight"), fmt=SCORE),
    Column("得分", 8, score_cell, fmt=SCORE),
    Column("偏差原因分析及改进措施", 36, explanation, LEFT),
)
EVIDENCE_MARK = "（附佐证材料 {count} 份）"  # under the 三级指标 of an indicator with 佐证材料 files
HEADERS = tuple(column.header for column in COLUMNS)
WIDTHS = tuple(column.width for column in COLUMNS)
TOTALS = (
    Field(1, "A:E", "总分", HEAD),
    Field(1, "F", lambda sa: sa.evaluation.applicable_weight, fmt=SCORE),
    Field(1, "G", lambda sa: sa.evaluation.total_score, BOLD, SCORE),
    Field(1, "H", _total_note, LEFT),
    Field(2, "A:E", "评价等级", HEAD),
    Field(2, "F:H", lambda sa: sa.evaluation.grade, BOLD),
)
CONCLUSIONS = (
    Field(1, "A", "评价结论", HEAD),
    Field(1, "B:H", _text("conclusion"), GOAL),
    Field(2, "A", "存在问题", HEAD),
    Field(2, "B:H", _text("problems"), GOAL),
    Field(3, "A", "改进措施", HEAD),
    Field(3, "B:H", _text("improvements"), GOAL),
)
SIGNATURES = (
    Field(1, "A", "填报人", HEAD),
    Field(1, "B:C", _filled_by),
    Field(1, "D", "项目负责人", HEAD),
    Field(1, "E", _text("project_lead")),
    Field(1, "F:G", "财务负责人", HEAD),
    Field(1, "H", _text("finance_lead")),
    Field(2, "A", "填报日期", HEAD),
    Field(2, "B:C", attrgetter("filled_on")),
    Field(2, "D", "单位（盖章）", HEAD),
    Field(2, "E:H", _project("implementer"), STAMP),
    Field(3, "A:H", _signature, SIGNED),
)
FOOTER = (TOTALS, CONCLUSIONS, SIGNATURES)  # the blocks below the table, each kept on one page


def page_height(widths: Sequence[float]) -> float:
    """How many points of row height one A4 landscape page holds once a sheet of these column widths is scaled to
    fit its width: the printable height over the scale, a column of width w being 7w + 5 pixels (w characters of
    Arial 10)."""
    scale = min(1.0, (842 - 144 * SIDE_MARGIN) / (sum(7 * w + 5 for w in widths) * 0.75))
    return (595 - 72 * (TOP_MARGIN + BOTTOM_MARGIN)) / scale


PAGE_HEIGHT = page_height(WIDTHS)


def blank_workbook() -> Workbook:
    """A workbook whose column widths count characters of Arial 10: Arial has the same metrics everywhere
    (Liberation Sans stands in for it in LibreOffice), where Calibri becomes a wider font and shrinks the page."""
    wb = Workbook()
    wb._named_styles["Normal"].font = Font(name="Arial", size=10)
    return wb


def _text_width(text: str) -> float:
    """In characters of the default font (Arial 10, 7 pixels): a 10.5-point Chinese character is 14 pixels wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)


def _lines(text: str, width: float) -> int:
    per_line = max(1.0, width - 2)  # less the cell's padding and indent
    return sum(max(1, math.ceil(_text_width(part) / per_line)) for part in str(text).split("\n"))


class _Sheet:
    """Writes styled cells and keeps each row tall enough for its wrapped text."""

    def __init__(self, ws: Worksheet, columns: Sequence[Column] = COLUMNS):
        self.ws = ws
        self.columns, self.widths = columns, tuple(column.width for column in columns)
        self.heights: dict[int, float] = {}

    def put(self, row: int, cols: str, value, style: Style, fmt: str | None = None, rows: int = 1) -> None:
        first_col, _, last_col, _ = range_boundaries(cols)
        last_row = row + rows - 1
        cell = as_text(self.ws.cell(row, first_col, value))
        if fmt:
            cell.number_format = fmt
        cell.font = style.font
        if style.alignment is not None:
            cell.alignment = style.alignment
        if style.fill is not None:
            cell.fill = style.fill
        if style.framed:
            for r in range(row, last_row + 1):
                for c in range(first_col, last_col + 1):
                    self.ws.cell(r, c).border = _BORDER
        if (last_col, last_row) != (first_col, row):
            self.ws.merge_cells(start_row=row, start_column=first_col, end_row=last_row, end_column=last_col)
        if style.line_height is not None and isinstance(value, str) and rows == 1:
            lines = _lines(value, sum(self.widths[first_col - 1 : last_col]))
            self.heights[row] = max(self.heights.get(row, 0), style.minimum, lines * style.line_height + style.padding)

    def block(self, top: int, fields: Sequence[Field], sa: SelfAssessment) -> int:
        """The fields with the block's first row at `top`; returns its last row."""
        for f in fields:
            self.put(top + f.row - 1, f.cols, f.value(sa) if callable(f.value) else f.value, f.style, f.fmt, f.rows)
        return top + max(f.row + f.rows for f in fields) - 2

    def table(self, top: int, rows: list, page_starts: frozenset[int] = frozenset()) -> None:
        """The indicator table: its header row at `top`, then a row per indicator; a group is cut where a page
        starts (an index into `rows`)."""
        for col, column in enumerate(self.columns, start=1):
            letter = get_column_letter(col)
            self.put(top, letter, column.header, HEAD)
            for start, end in _runs(rows, column.group, page_starts):
                r = rows[start]
                fmt = column.fmt(r) if callable(column.fmt) else column.fmt
                self.put(top + 1 + start, letter, column.value(r), column.style, fmt, end - start + 1)

    def height(self, row: int) -> float:
        return self.heights.get(row, 15)

    def fit_rows(self) -> None:
        for row, height in self.heights.items():
            self.ws.row_dimensions[row].height = height


def _runs(rows: list, key: Callable | None, cuts: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """(start, end) index ranges of consecutive rows with equal keys (each row alone without a key), a range also
    ending before each index in `cuts`."""
    runs, start = [], 0
    for _, run in groupby(range(len(rows)), lambda i: (key(rows[i]) if key else i, sum(c <= i for c in cuts))):
        end = start + len(list(run))
        runs.append((start, end - 1))
        start = end
    return runs


def page_starts(heights: Sequence[float], top: float, repeated: float, page: float = PAGE_HEIGHT) -> list[int]:
    """Where pages start, as indices into the units (an indicator row, a block below the table) that follow `top`
    points of the first page: each page filled as far as it goes, every later one under the `repeated` header."""
    starts, used = [], top
    for index, height in enumerate(heights):
        if used + height > page and used > repeated:
            starts.append(index)
            used = repeated
        used += height
    return starts


def _print_setup(ws: Worksheet, header_row: int, last_row: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.print_title_rows = f"{header_row}:{header_row}"  # the indicator table's header on every page
    ws.print_area = f"A1:{get_column_letter(ws.max_column)}{last_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN
    ws.page_margins.top, ws.page_margins.bottom = TOP_MARGIN, BOTTOM_MARGIN
    ws.page_margins.header, ws.page_margins.footer = FOOTER_MARGIN, FOOTER_MARGIN
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def marked(sa: SelfAssessment) -> list[IndicatorResult]:
    """The indicator rows as the form prints them: an indicator with 佐证材料 says how many under its name."""
    return [
        replace(r, level3=f"{r.level3}\n{EVIDENCE_MARK.format(count=count)}")
        if (count := sa.evidence_count(r.seq))
        else r
        for r in sa.evaluation.indicators
    ]


def _draw(sa: SelfAssessment, starts: Sequence[int]) -> tuple[Workbook, list[float], float, float]:
    """The form with pages starting at `starts` (indices into the indicator rows, then the blocks below the table);
    returns it with the heights of those units, the height above them and the repeated header's."""
    wb = blank_workbook()
    ws = wb.active
    ws.title = "绩效自评表"
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    sheet = _Sheet(ws)
    header = sheet.block(1, HEADER, sa) + 1
    rows = marked(sa)
    sheet.table(header, rows, frozenset(i for i in starts if i < len(rows)))
    units = [(row, row) for row in range(header + 1, header + 1 + len(rows))]
    for block in FOOTER:
        top = units[-1][1] + 1
        units.append((top, sheet.block(top, block, sa)))
    sheet.fit_rows()
    for index in starts:
        ws.row_breaks.append(Break(id=units[index][0] - 1))
    _print_setup(ws, header, units[-1][1])
    heights = [sum(sheet.height(r) for r in range(first, last + 1)) for first, last in units]
    return wb, heights, sum(sheet.height(r) for r in range(1, header + 1)), sheet.height(header)


def workbook(sa: SelfAssessment) -> bytes:
    _, heights, top, repeated = _draw(sa, [])
    wb, *_ = _draw(sa, page_starts(heights, top, repeated))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
