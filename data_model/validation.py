"""Reading a workbook and validating an upload against data_model.sheets, collecting every problem.

Each problem carries a stable code and its position as Excel shows it (sheet, row, column), and
reads as one Chinese sentence. Nothing here touches the database.
"""

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, cached_property
from typing import NamedTuple

from openpyxl.utils.cell import column_index_from_string, get_column_letter

from data_model.problems import Problem, problem
from data_model.sheets import BUDGET_LINES, GUIDE_SHEET, SHEETS, SHEETS_BY_NAME, Column, Kind, Sheet, Table
from data_model.xlsx import Refused, Scan, SheetInfo, Workbook


class CellError(Exception):
    def __init__(self, code: str, **values):
        super().__init__(code)
        self.code, self.values = code, values


class ManualIndicator(NamedTuple):
    """A manually reported indicator, as the sheet 指标填报 names it."""

    id: int
    seq: int
    name: str  # 三级指标
    percent: bool  # its values are percentages, written 0–100


@dataclass(frozen=True)
class Context:
    """What a workbook is validated against: the project's year, budget lines and manually reported indicators."""

    year: int
    budget_lines: tuple[str, ...]
    indicators: tuple[ManualIndicator, ...] = ()

    @cached_property
    def indicator_ids(self) -> dict[str, int]:
        """Each manual indicator's id by its 三级指标 and by its 序号, as compared (_canonical)."""
        return {key: i.id for i in self.indicators for key in (_canonical(i.name), str(i.seq))}

    @cached_property
    def percent_indicators(self) -> frozenset[int]:
        return frozenset(i.id for i in self.indicators if i.percent)


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

    # The reading worker sends this back pickled: records as tuples in column order pickle twice as fast.
    def __getstate__(self) -> dict:
        return {
            **vars(self),
            "records": {name: [tuple(r.values()) for r in rows] for name, rows in self.records.items()},
        }

    def __setstate__(self, state: dict) -> None:
        fields = {name: [c.field for c in SHEETS_BY_NAME[name].columns] for name in state["records"]}
        vars(self).update(
            state, records={name: [dict(zip(fields[name], r)) for r in rows] for name, rows in state["records"].items()}
        )


def read_workbook(data: bytes) -> dict[str, list[list]]:
    """Every sheet's cells by row, row 0 being Excel's row 1, once data_model.xlsx has found the file safe to
    read; a cell holding an error value or a formula saved without its result (which calamine reads as empty) is
    its CellError (a formula saved with its result is read by that value). Raises CellError with the reason's
    code if the file is not safe to read."""
    try:
        workbook = Workbook(data)
        return {sheet.name: _with_faults(list(workbook[sheet.name]), sheet.scan) for sheet in workbook.sheets}
    except Refused as err:
        raise CellError(err.code, **err.values) from err


def _with_faults(rows: list[list], scan: Scan) -> list[list]:
    for (row, col), fault in _faults(scan).items():
        rows.extend([] for _ in range(row - len(rows)))
        cells = rows[row - 1]
        cells.extend("" for _ in range(col + 1 - len(cells)))
        cells[col] = fault
    return rows


def check_workbook(data: bytes, ctx: Context) -> Validated:
    """Read and validate an upload workbook; a file that cannot be read safely has that as its only problem."""
    try:
        workbook = Workbook(data)
    except Refused as err:
        return Validated(problems=[_refusal(err)])
    return validate(workbook, ctx)


def _refusal(err: Refused) -> Problem:
    return problem(err.code, err.sheet, err.row, err.column, **err.values)


MAX_PROBLEMS = 200  # errors listed, and warnings; the rest are counted
# The line closing a cut list: a count, not a problem of the workbook.
MORE = {False: "E099", True: "W099"}


class _Collected:
    """Problems as validation finds them: the first MAX_PROBLEMS errors and as many warnings are kept, the
    rest only counted, so that a workbook of 100,000 bad rows costs no more memory than a good one."""

    def __init__(self):
        self.kept: list[Problem] = []
        self.counts = {False: 0, True: 0}  # is_warning -> found

    def append(self, item: Problem) -> None:
        self.counts[item.is_warning] += 1
        if self.counts[item.is_warning] <= MAX_PROBLEMS:
            self.kept.append(item)

    def extend(self, items) -> None:
        for item in items:
            self.append(item)

    def listed(self) -> list[Problem]:
        more = [(MORE[warning], count - MAX_PROBLEMS) for warning, count in self.counts.items() if count > MAX_PROBLEMS]
        return self.kept + [problem(code, count=f"{n:,}", shown=MAX_PROBLEMS) for code, n in more]


def how_many(problems: list[Problem]) -> str:
    """How many problems to announce: as many as listed, or "超过 200" when the list ends in the line
    counting the rest."""
    return f"超过 {MAX_PROBLEMS}" if problems and problems[-1].code in MORE.values() else str(len(problems))


def limited(problems) -> list[Problem]:
    """At most MAX_PROBLEMS errors and warnings, and a line saying how many more there are."""
    collected = _Collected()
    collected.extend(problems)
    return collected.listed()


# Characters nobody sees but a comparison does: zero-width space and joiners, bidi marks and embeddings,
# soft hyphen, BOM, and control characters other than tab and line breaks (PostgreSQL refuses NUL).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)

INT_MAX = 2**31 - 1  # PostgreSQL's INTEGER; SQLite is held to the same range
MONEY_MAX = 9_999_999_999.99  # 元
YEARS = range(1900, 2101)  # of any date or month


def _plain(text: str) -> str:
    # No invisible character is printable: most cells skip the regular expression.
    return (text if text.isprintable() else _INVISIBLE.sub("", text)).strip()


def _blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not _plain(raw))


def _shown(raw) -> str:
    if isinstance(raw, str):  # most cells: checked first, as this runs for every text cell of an upload
        return _plain(raw)
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e16:
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.isoformat(" ", "minutes")
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw).strip()


def _canonical(raw) -> str:
    """The cell as compared: NFKC turns full-width letters, digits and signs into ASCII (１２３ into 123)."""
    return unicodedata.normalize("NFKC", _shown(raw)).strip()


# Text columns forming a natural key: stored canonical, so that a look-alike spelling is the same record.
# By identity, as the columns are declared once and hashing a Column takes longer than parsing a cell.
_KEYS = frozenset(id(c) for s in SHEETS for c in s.columns if c.kind is Kind.TEXT and c.header in s.key)


@cache
def _by_canonical(choices: tuple[str, ...]) -> dict[str, str]:
    return {_canonical(c): c for c in choices}


def _choices(column: Column, ctx: Context) -> tuple[str, ...]:
    return ctx.budget_lines if column.choices == BUDGET_LINES else column.choices


def _limits(column: Column) -> str:
    """The range of a column's values, as message E115 states it."""
    first, last = YEARS[0], YEARS[-1]
    low = -INT_MAX - 1 if column.minimum is None else column.minimum
    return {
        Kind.DATE: f"日期应在 {first}-01-01 到 {last}-12-31 之间",
        Kind.MONTH: f"月份应在 {first}-01 到 {last}-12 之间",
        Kind.INT: f"整数应在 {low:,} 到 {INT_MAX:,} 之间",
        Kind.MONEY: f"金额应在 0.01 到 {MONEY_MAX:,.2f} 元之间",
        Kind.PERCENT: "百分比应在 0 到 100 之间",
        Kind.NUMBER: "数值应为有限的数",
    }[column.kind]


_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH_TEXT = re.compile(r"([0-9]{4})-([0-9]{1,2})")
# Thousands separators only between groups of three digits; Python's own "1_000", and digits of other
# scripts, are not numbers here. nan and inf are let through to be refused as out of range.
_NUMBER_TEXT = re.compile(
    r"[+-]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?(?:e[+-]?[0-9]+)?|nan|inf(?:inity)?)", re.IGNORECASE
)


def _in_years(year: int, column: Column, raw) -> None:
    if year not in YEARS:
        raise CellError("E115", limits=_limits(column), raw=_shown(raw))


def _to_date(raw, column: Column) -> date:
    if isinstance(raw, date):
        value = raw.date() if isinstance(raw, datetime) else raw
    else:
        text = _canonical(raw) if isinstance(raw, str) else ""
        try:
            value = date.fromisoformat(text) if _DATE_TEXT.fullmatch(text) else None
        except ValueError:  # 2024-02-30, or the year 0000
            value = None
        if value is None:
            raise CellError("E102", raw=_shown(raw))
    _in_years(value.year, column, raw)
    return value


def _to_month(raw, column: Column, year: int) -> date:
    # Excel turns a typed "2024-03" into a date, so a real date cell stands for its month.
    if isinstance(raw, date):
        _in_years(raw.year, column, raw)
        return date(raw.year, raw.month, 1)
    match = _MONTH_TEXT.fullmatch(_canonical(raw)) if isinstance(raw, str) else None
    if match and 1 <= int(match[2]) <= 12:
        _in_years(int(match[1]), column, raw)
        return date(int(match[1]), int(match[2]), 1)
    raise CellError("E104", raw=_shown(raw), year=year)


def _to_number(raw, code: str, column: Column) -> float:
    """A finite number from a number cell or a number written as text; -0 is 0."""
    if isinstance(raw, str):
        text = _canonical(raw)
        if not _NUMBER_TEXT.fullmatch(text):
            raise CellError(code, raw=_shown(raw))
        number = float(text.replace(",", ""))
    elif isinstance(raw, int | float):
        number = float(raw)
    else:  # a date, time or duration
        raise CellError(code, raw=_shown(raw))
    if not math.isfinite(number):
        raise CellError("E115", limits=_limits(column), raw=_shown(raw))
    return number or 0.0


def _parse(column: Column, raw, ctx: Context):
    kind = column.kind
    if isinstance(raw, bool):  # Excel's TRUE/FALSE is neither text, a number, a date nor 是/否
        wanted = kind.value if kind not in (Kind.CHOICE, Kind.FLAG) else "以下之一：" + "、".join(_choices(column, ctx))
        raise CellError("E114", raw=_shown(raw), wanted=wanted)
    if kind is Kind.TEXT:
        return _canonical(raw) if id(column) in _KEYS else _shown(raw)
    if kind is Kind.DATE:
        value = _to_date(raw, column)
        if value.year != ctx.year:
            raise CellError("E103", value=f"{value:%Y-%m-%d}", year=ctx.year)
        return value
    if kind is Kind.MONTH:
        value = _to_month(raw, column, ctx.year)
        if value.year == ctx.year or (column.baseline_allowed and value.year == ctx.year - 1):
            return value
        if column.baseline_allowed:
            raise CellError("E106", value=f"{value:%Y-%m}", year=ctx.year, base=ctx.year - 1)
        raise CellError("E105", value=f"{value:%Y-%m}", year=ctx.year)
    if kind is Kind.INT:
        number = _to_number(raw, "E107", column)
        if not number.is_integer():
            raise CellError("E107", raw=_shown(raw))
        if not -INT_MAX - 1 <= number <= INT_MAX:
            raise CellError("E115", limits=_limits(column), raw=_shown(raw))
        if column.minimum is not None and number < column.minimum:
            raise CellError("E109", minimum=column.minimum, value=int(number))
        return int(number)
    if kind is Kind.MONEY:
        number = _to_number(raw, "E108", column)
        if number <= 0:
            raise CellError("E110", value=_shown(raw))
        if number > MONEY_MAX:
            raise CellError("E115", limits=_limits(column), raw=_shown(raw))
        cents = number * 100
        whole = round(cents)
        if not whole or abs(cents - whole) > max(
            1e-6, 4 * math.ulp(cents)
        ):  # under a cent, or more than a float's error off
            raise CellError("E111", value=_shown(raw))
        return whole / 100
    if kind is Kind.PERCENT:
        text = _canonical(raw).removesuffix("%") if isinstance(raw, str) else raw
        number = _to_number(text, "E112", column)
        if not 0 <= number <= 100:
            raise CellError("E112", raw=_shown(raw))
        return number
    if kind is Kind.NUMBER:
        number = _to_number(_canonical(raw).removesuffix("%") if isinstance(raw, str) else raw, "E108", column)
        if number < 0:
            raise CellError("E109", minimum=0, value=_shown(raw))
        return number
    if kind is Kind.INDICATOR:
        found = ctx.indicator_ids.get(_canonical(raw))
        if found is None:
            names = "、".join(f"{i.seq}. {i.name}" for i in ctx.indicators) or "（本项目没有人工填报的指标）"
            raise CellError("E116", choices=names, raw=_shown(raw))
        return found
    choices = _choices(column, ctx)
    choice = _by_canonical(choices).get(_canonical(raw))
    if choice is None:
        raise CellError("E113", choices="、".join(choices), raw=_shown(raw))
    return choice == "是" if kind is Kind.FLAG else choice


def _header(cell) -> str:
    """A header cell as compared with the declared headers ("" when blank)."""
    return "" if _blank(cell) else _shown(cell)


def table_rows(table: Table, rows: list[list]) -> tuple[list[str], list[tuple[int, dict]]]:
    """The required headers `table` lacks in its first row and, when it lacks none, the rows that hold something
    in its columns, as (Excel row, {header: cell as written}); a column left out reads as None. Unknown columns
    are ignored, and of a repeated header the first counts."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(rows[0] if rows else []):
        positions.setdefault(_header(cell), index)
    missing = [h for h in table.headers if h not in positions and h not in table.optional]
    if missing:
        return missing, []
    located = [(h, positions.get(h)) for h in table.headers]
    found = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {h: row[i] if i is not None and i < len(row) else None for h, i in located}
        if not all(_blank(raw) for raw in cells.values()):
            found.append((number, cells))
    return [], found


def _header_positions(schema: Sheet, header_row: list, out: _Collected) -> dict[str, int] | None:
    positions: dict[str, int] = {}
    aliases = dict(schema.aliases)
    for index, cell in enumerate(header_row):
        header = _header(cell)
        header = aliases.get(header, header)
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


_RANGE_START = re.compile(r"([A-Z]+)([0-9]+)")


def _merged(schema: Sheet, header_row: list, ranges: list[str]) -> list[Problem]:
    """A problem per merged range, placed at its first cell: calamine reads the other cells as empty."""
    found = []
    for cells in ranges:
        letters, row = _RANGE_START.match(cells).groups()
        index = column_index_from_string(letters) - 1
        header = _shown(header_row[index]) if index < len(header_row) and not _blank(header_row[index]) else letters
        found.append(problem("E018", schema.name, int(row), header, cells=cells))
    return found


def _faults(scan: Scan) -> dict[tuple[int, int], CellError]:
    """The cells calamine would read as empty though they hold something: an error value, or a formula saved
    without its result. They are refused, never parsed."""
    faults = {
        (row, col): CellError("E019", cell=f"{get_column_letter(col + 1)}{row}", value=value)
        for (row, col), value in scan.errors.items()
    }
    faults.update(
        ((row, col), CellError("E020", cell=f"{get_column_letter(col + 1)}{row}")) for row, col in scan.formulas
    )
    return faults


def _validate_sheet(
    schema: Sheet, rows, scan: Scan, ctx: Context, out: _Collected, first_seen: dict[tuple, int]
) -> list[dict]:
    """The sheet's valid records, read row by row from `rows` (Excel's row 1 first); its problems go to `out`."""
    rows = iter(rows)
    header_row = next(rows, None)
    if header_row is None or all(_blank(c) for c in header_row):
        if any(not _blank(c) for row in rows for c in row):
            out.append(problem("E005", schema.name, 1))
        else:
            out.append(problem("W003", schema.name, sheet=schema.name))
        return []
    positions = _header_positions(schema, header_row, out)
    if scan.merged:  # its rows cannot be read as they look in Excel
        out.extend(_merged(schema, header_row, scan.merged))
        return []
    if positions is None:
        return []
    records = []
    located = [(column, positions[column.header]) for column in schema.columns]
    faults = _faults(scan)
    faulty_rows = {row for row, _ in faults}
    for excel_row, row in enumerate(rows, start=2):
        cells = [(column, row[i] if i < len(row) else None) for column, i in located]
        if excel_row in faulty_rows:
            cells = [(column, faults.get((excel_row, i), raw)) for (column, raw), (_, i) in zip(cells, located)]
        if all(_blank(raw) for _, raw in cells):
            continue
        record, ok = {}, True
        for column, raw in cells:
            try:
                if _blank(raw):
                    if column.required:
                        raise CellError("E101")
                    record[column.field] = None
                elif isinstance(raw, CellError):
                    raise raw
                else:
                    record[column.field] = _parse(column, raw, ctx)
            except CellError as err:
                out.append(problem(err.code, schema.name, excel_row, column.header, **err.values))
                ok = False
        if not ok:
            continue
        unfit = schema.finish(record, ctx) if schema.finish else None
        if unfit:
            header, code, values = unfit
            out.append(problem(code, schema.name, excel_row, header, **values))
            ok = False
        for rule in schema.rules:
            fault = rule.check(record)
            if fault:
                column, values = fault
                out.append(problem(rule.code, schema.name, excel_row, column, **values))
                ok = False
        key = tuple(record[f] for f in schema.key_fields)
        if key in first_seen:
            months = {
                c.header for c in schema.columns if c.kind is Kind.MONTH
            }  # a month key reads 2024-03, not 2024-03-01
            shown = "、".join(f"{h}「{f'{v:%Y-%m}' if h in months else _shown(v)}」" for h, v in zip(schema.key, key))
            out.append(problem("E201", schema.name, excel_row, schema.key[0], key=shown, first=first_seen[key]))
            ok = False
        else:
            first_seen[key] = excel_row
        if ok:
            records.append(record)
    return records


def validate(workbook: Workbook | dict[str, list[list]], ctx: Context) -> Validated:
    """Every sheet of the upload contract in `workbook`, read row by row; hidden sheets are left out, with a warning.
    A dict of rows (read_workbook's) is taken as visible sheets whose faulty cells are already in place."""
    result, out = Validated(), _Collected()
    known = []
    sheets = (
        workbook.sheets if isinstance(workbook, Workbook) else [SheetInfo(name, False, Scan()) for name in workbook]
    )
    for sheet in sheets:
        name = sheet.name.strip()
        if name not in SHEETS_BY_NAME and name != GUIDE_SHEET:
            out.append(problem("W001", sheet.name, sheet=sheet.name))
        elif name in SHEETS_BY_NAME and sheet.hidden:
            out.append(problem("W004", sheet.name, sheet=sheet.name))
        elif name in SHEETS_BY_NAME:
            known.append(sheet)
    if not known:
        out.append(problem("E002", expected="、".join(s.name for s in SHEETS)))
    for sheet in known:
        schema = SHEETS_BY_NAME[sheet.name.strip()]
        rows = result.rows.setdefault(schema.name, {})
        try:
            records = _validate_sheet(schema, workbook[sheet.name], sheet.scan, ctx, out, rows)
        except Refused as err:  # calamine failed on a row: nothing of the workbook is imported
            out.append(_refusal(err))
            records = []
        # extend: "支出明细" and "支出明细 " are two sheets of a workbook but one schema
        result.records.setdefault(schema.name, []).extend(records)
    result.problems = out.listed()
    return result
