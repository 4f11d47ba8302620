"""Reading an upload workbook and validating it against data_model.sheets, collecting every problem.

Each problem carries a stable code and its position as Excel shows it (sheet, row, column), and
reads as one Chinese sentence. Nothing here touches the database.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from python_calamine import CalamineWorkbook

from data_model.sheets import BUDGET_LINES, GUIDE_SHEET, SHEETS, SHEETS_BY_NAME, Column, Kind, Sheet

# Stable codes: E0xx the file or a sheet's layout, E1xx one cell, E2xx the key, E3xx a row rule,
# Wxxx warnings (ignored content).
MESSAGES = {
    "E001": "文件无法读取：不是有效的 Excel（.xlsx）工作簿",
    "E002": "工作簿中没有可识别的工作表，应至少包含以下之一：{expected}",
    "E003": "缺少列「{column}」",
    "E004": "列「{column}」出现了不止一次",
    "E005": "第 1 行应为表头，但该行为空",
    "E101": "不能为空",
    "E102": "应为日期（Excel 日期或 YYYY-MM-DD 格式的文本），实际为「{raw}」",
    "E103": "日期 {value} 不在项目年度 {year} 年内",
    "E104": "应为 YYYY-MM 格式的月份（如 {year}-03），实际为「{raw}」",
    "E105": "月份 {value} 不在项目年度 {year} 年内",
    "E106": "月份 {value} 既不在项目年度 {year} 年，也不在同比基数年度 {base} 年内",
    "E107": "应为整数，实际为「{raw}」",
    "E108": "应为数字，实际为「{raw}」",
    "E109": "应不小于 {minimum}，实际为 {value}",
    "E110": "金额应大于 0 元，实际为 {value}",
    "E111": "金额最多保留两位小数（精确到分），实际为 {value}",
    "E112": "应为 0 到 100 之间的百分比，实际为「{raw}」",
    "E113": "应为以下之一：{choices}，实际为「{raw}」",
    "E201": "{key}与第 {first} 行重复，同一工作簿中每条记录只能出现一次",
    "W001": "未知工作表「{sheet}」，已忽略",
    "W002": "未知列「{column}」，已忽略",
    "W003": "工作表「{sheet}」是空表（没有表头），已忽略",
}


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    sheet: str | None = None
    row: int | None = None  # as Excel numbers it
    column: str | None = None

    @property
    def is_warning(self) -> bool:
        return self.code.startswith("W")

    def text(self) -> str:
        where = ""
        if self.sheet:
            where += f"工作表「{self.sheet}」"
        if self.row:
            where += f"第 {self.row} 行"
        if self.column:
            where += f"「{self.column}」列"
        return f"{where}：{self.message}" if where else self.message


def problem(code: str, sheet: str | None = None, row: int | None = None, column: str | None = None, /, **values) -> Problem:
    # Positional-only, because the messages' own {sheet} and {column} arrive as keywords.
    return Problem(code, MESSAGES[code].format(**values), sheet, row, column)


class CellError(Exception):
    def __init__(self, code: str, **values):
        super().__init__(code)
        self.code, self.values = code, values


@dataclass(frozen=True)
class Context:
    """What a workbook is validated against: the project's year and budget lines."""

    year: int
    budget_lines: tuple[str, ...]


@dataclass
class Validated:
    records: dict[str, list[dict]] = field(default_factory=dict)  # sheet name -> parsed rows
    rows: dict[str, dict[tuple, int]] = field(default_factory=dict)  # sheet name -> natural key -> Excel row
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.is_warning]


def read_workbook(data: bytes) -> dict[str, list[list]]:
    """Every sheet's cells by row, row 0 being Excel's row 1. Raises CellError E001 if unreadable."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return {
            name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in workbook.sheet_names
        }
    except Exception as exc:  # calamine raises several kinds for corrupt or non-Excel files
        raise CellError("E001") from exc


def _blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _shown(raw) -> str:
    if isinstance(raw, str):  # most cells: checked first, as this runs for every text cell of an upload
        return raw.strip()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return f"{raw:%Y-%m-%d %H:%M}"
    if isinstance(raw, date):
        return f"{raw:%Y-%m-%d}"
    return str(raw).strip()


_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_TEXT = re.compile(r"(\d{4})-(\d{1,2})")


def _to_date(raw) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str) and _DATE_TEXT.fullmatch(raw.strip()):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise CellError("E102", raw=_shown(raw))


def _to_month(raw, year: int) -> date:
    # Excel turns a typed "2024-03" into a date, so a real date cell stands for its month.
    if isinstance(raw, date):
        return date(raw.year, raw.month, 1)
    match = _MONTH_TEXT.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if match and 1 <= int(match[2]) <= 12:
        return date(int(match[1]), int(match[2]), 1)
    raise CellError("E104", raw=_shown(raw), year=year)


def _to_number(raw, code: str) -> float:
    if isinstance(raw, bool):
        raise CellError(code, raw=_shown(raw))
    if isinstance(raw, int | float):
        return float(raw)
    try:
        return float(str(raw).strip().replace(",", ""))
    except ValueError:
        raise CellError(code, raw=_shown(raw)) from None


def _parse(column: Column, raw, ctx: Context):
    kind = column.kind
    if kind is Kind.TEXT:
        return _shown(raw)
    if kind is Kind.DATE:
        value = _to_date(raw)
        if value.year != ctx.year:
            raise CellError("E103", value=f"{value:%Y-%m-%d}", year=ctx.year)
        return value
    if kind is Kind.MONTH:
        value = _to_month(raw, ctx.year)
        if value.year == ctx.year or (column.baseline_allowed and value.year == ctx.year - 1):
            return value
        if column.baseline_allowed:
            raise CellError("E106", value=f"{value:%Y-%m}", year=ctx.year, base=ctx.year - 1)
        raise CellError("E105", value=f"{value:%Y-%m}", year=ctx.year)
    if kind is Kind.INT:
        number = _to_number(raw, "E107")
        if not number.is_integer():
            raise CellError("E107", raw=_shown(raw))
        if column.minimum is not None and number < column.minimum:
            raise CellError("E109", minimum=column.minimum, value=int(number))
        return int(number)
    if kind is Kind.MONEY:
        number = _to_number(raw, "E108")
        if number <= 0:
            raise CellError("E110", value=_shown(raw))
        if abs(number * 100 - round(number * 100)) > 1e-6:
            raise CellError("E111", value=_shown(raw))
        return round(number, 2)
    if kind is Kind.PERCENT:
        text = raw.strip().removesuffix("%") if isinstance(raw, str) else raw
        number = _to_number(text, "E112")
        if not 0 <= number <= 100:
            raise CellError("E112", raw=_shown(raw))
        return number
    choices = ctx.budget_lines if column.choices == BUDGET_LINES else column.choices
    text = _shown(raw)
    if text not in choices:
        raise CellError("E113", choices="、".join(choices), raw=text)
    return text == "是" if kind is Kind.FLAG else text


def _header_positions(schema: Sheet, header_row: list, out: list[Problem]) -> dict[str, int] | None:
    positions: dict[str, int] = {}
    for index, cell in enumerate(header_row):
        header = _shown(cell) if not _blank(cell) else ""
        if not header:
            continue
        if header not in schema.by_header:
            out.append(problem("W002", schema.name, 1, header, column=header))
        elif header in positions:
            out.append(problem("E004", schema.name, 1, header, column=header))
        else:
            positions[header] = index
    missing = [c.header for c in schema.columns if c.header not in positions]
    out.extend(problem("E003", schema.name, 1, h, column=h) for h in missing)
    return None if missing else positions


def _validate_sheet(schema: Sheet, rows: list[list], ctx: Context, out: list[Problem], first_seen: dict[tuple, int]) -> list[dict]:
    if not rows or all(_blank(c) for c in rows[0]):
        if any(not _blank(c) for row in rows for c in row):
            out.append(problem("E005", schema.name, 1))
        else:
            out.append(problem("W003", schema.name, sheet=schema.name))
        return []
    positions = _header_positions(schema, rows[0], out)
    if positions is None:
        return []
    records = []
    located = [(column, positions[column.header]) for column in schema.columns]
    for excel_row, row in enumerate(rows[1:], start=2):
        cells = [(column, row[i] if i < len(row) else None) for column, i in located]
        if all(_blank(raw) for _, raw in cells):
            continue
        record, ok = {}, True
        for column, raw in cells:
            try:
                if _blank(raw):
                    if column.required:
                        raise CellError("E101")
                    record[column.field] = None
                else:
                    record[column.field] = _parse(column, raw, ctx)
            except CellError as err:
                out.append(problem(err.code, schema.name, excel_row, column.header, **err.values))
                ok = False
        if not ok:
            continue
        for rule in schema.rules:
            fault = rule.check(record)
            if fault:
                out.append(Problem(rule.code, fault[1], schema.name, excel_row, fault[0]))
                ok = False
        key = tuple(record[f] for f in schema.key_fields)
        if key in first_seen:
            months = {c.header for c in schema.columns if c.kind is Kind.MONTH}  # a month key reads 2024-03, not 2024-03-01
            shown = "、".join(f"{h}「{f'{v:%Y-%m}' if h in months else _shown(v)}」" for h, v in zip(schema.key, key))
            out.append(problem("E201", schema.name, excel_row, schema.key[0], key=shown, first=first_seen[key]))
            ok = False
        else:
            first_seen[key] = excel_row
        if ok:
            records.append(record)
    return records


def validate(sheets: dict[str, list[list]], ctx: Context) -> Validated:
    result = Validated()
    known = [name for name in sheets if name.strip() in SHEETS_BY_NAME]
    for name in sheets:
        if name.strip() not in SHEETS_BY_NAME and name.strip() != GUIDE_SHEET:
            result.problems.append(problem("W001", name, sheet=name))
    if not known:
        result.problems.append(problem("E002", expected="、".join(s.name for s in SHEETS)))
    for name in known:
        schema = SHEETS_BY_NAME[name.strip()]
        rows = result.rows.setdefault(schema.name, {})
        # extend: "支出明细" and "支出明细 " are two sheets of a workbook but one schema
        result.records.setdefault(schema.name, []).extend(_validate_sheet(schema, sheets[name], ctx, result.problems, rows))
    return result
