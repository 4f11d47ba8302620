"""Mutated upload workbooks (hypothesis): whatever the cells hold, the importer answers with records or with
problems, never an exception; every refusal of a cell names sheet, row and column; every accepted value is the
one the cell meant, and is stored exactly so on both backends.

A sheet starts as rows of valid values and is mutated. A valid cell is spelt as staff might type it (full-width
digits and letters, thousands separators, invisible characters, spaces, a date as text or a date cell), so what it
means is known. A few cells get a hostile value instead: an edge of what the column takes (NaN, infinities, numbers
just beyond its limits, misplaced separators, TRUE/FALSE, dates out of range), known to be refused or read as a
given value; or anything at all (times, durations, error values, any text), whose reading is not known beforehand.
Columns are reordered, unknown ones added, one maybe dropped; a few workbooks get merged cells, a hidden sheet or a
formula without its result. The seed is fixed (derandomize), so every run tries the same examples.
"""

import io
import math
import re
from datetime import date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from data_model.importer import context_for, import_workbook
from data_model.problems import UPLOAD as MESSAGES
from data_model.problems import WorkbookRejected
from data_model.sheets import BUDGET_LINES, GUIDE_SHEET, SHEETS, Column, Kind, Sheet
from data_model.validation import (
    INT_MAX,
    MONEY_MAX,
    CellError,
    Context,
    ManualIndicator,
    _blank,
    _parse,
    check_workbook,
    validate,
)
from tests.data_model.workbooks import contents
from tests.helpers import workbook_bytes

BUDGET = (
    "社会调解人员“以案定补”工作经费",
    "工作装备经费",
    "打造社会化调解阵地",
    "开展劳动法普法宣讲",
    "浦锦街道劳资矛盾智慧预警平台项目维护费用",
)
# The seed project's year and budget lines, and two indicators reported by hand (指标填报), by id, 序号 and 三级指标.
MANUAL = (ManualIndicator(101, 21, "劳动者权益宣传覆盖人次", False), ManualIndicator(102, 22, "企业走访户数", False))
CONTEXT = Context(2024, BUDGET, MANUAL)
UNKNOWN = object()  # what a hostile cell means: not known beforehand
REFUSED = object()  # what a hostile cell means: nothing, it is refused
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202c\u2066\u2069\u00ad"
CJK = re.compile(r"[\u4e00-\u9fff]")
TYPES = {
    Kind.TEXT: str,
    Kind.DATE: date,
    Kind.MONTH: date,
    Kind.INT: int,
    Kind.MONEY: float,
    Kind.PERCENT: float,
    Kind.CHOICE: str,
    Kind.FLAG: bool,
    Kind.NUMBER: float,
    Kind.INDICATOR: int,
}


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@st.composite
def spelt(draw, text: str, widen: bool = True) -> str:
    """`text` as typed: maybe in full-width forms, with invisible characters inside and spaces around."""
    if widen and draw(st.booleans()):
        text = full_width(text)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(INVISIBLE)) + text[at:]
    return draw(st.sampled_from(["", " ", "\u3000"])) + text + draw(st.sampled_from(["", " "]))


def _choices(column: Column) -> tuple[str, ...]:
    return BUDGET if column.choices == BUDGET_LINES else column.choices


def valid(column: Column, schema: Sheet) -> st.SearchStrategy[tuple]:
    """(cell, the value it means) for a valid value of the column in one of its spellings."""
    kind = column.kind
    if kind is Kind.TEXT and column.header in schema.key:
        return st.text("ABCXYZabc0123456789-调解北片号", min_size=1, max_size=12).flatmap(
            lambda k: st.tuples(spelt(k), st.just(k))
        )
    if kind is Kind.TEXT:
        characters = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
        text = st.text(characters, min_size=1, max_size=20).map(str.strip).filter(lambda t: t and not t.startswith("#"))
        return text.flatmap(lambda t: st.tuples(spelt(t, widen=False), st.just(t)))
    if kind is Kind.DATE:
        moments = st.times().map(lambda t: t.replace(second=0, microsecond=0))
        return st.dates(date(2024, 1, 1), date(2024, 12, 31)).flatmap(
            lambda d: st.tuples(
                st.one_of(st.just(d), moments.map(lambda t: datetime.combine(d, t)), spelt(d.isoformat())), st.just(d)
            )
        )
    if kind is Kind.MONTH:
        years = [2023, 2024] if column.baseline_allowed else [2024]
        return st.tuples(st.sampled_from(years), st.integers(1, 12), st.integers(1, 28)).flatmap(
            lambda m: st.tuples(
                st.one_of(spelt(f"{m[0]}-{m[1]:02d}"), spelt(f"{m[0]}-{m[1]}"), st.just(date(*m))),
                st.just(date(m[0], m[1], 1)),
            )
        )
    if kind is Kind.INT:
        return st.integers(column.minimum or 0, INT_MAX).flatmap(
            lambda n: st.tuples(st.one_of(st.just(n), spelt(str(n)), spelt(f"{n:,}")), st.just(n))
        )
    if kind is Kind.MONEY:
        amounts = st.integers(1, round(MONEY_MAX * 100)).map(lambda c: float(f"{c // 100}.{c % 100:02d}"))
        return amounts.flatmap(
            lambda a: st.tuples(st.one_of(st.just(a), spelt(f"{a:.2f}"), spelt(f"{a:,.2f}")), st.just(a))
        )
    if kind is Kind.NUMBER:
        amounts = st.floats(0, 1e9).map(lambda p: round(p, 6))
        return amounts.flatmap(lambda p: st.tuples(st.one_of(st.just(p), spelt(repr(p))), st.just(abs(p))))
    if kind is Kind.INDICATOR:
        return st.sampled_from(MANUAL).flatmap(
            lambda i: st.tuples(st.one_of(spelt(i.name, widen=False), spelt(str(i.seq)), st.just(i.seq)), st.just(i.id))
        )
    if kind is Kind.PERCENT:
        shares = st.floats(0, 100).map(lambda p: round(p, 10))  # openpyxl writes 16 significant digits
        return shares.flatmap(
            lambda p: st.tuples(st.one_of(st.just(p), spelt(repr(p)), spelt(f"{p!r}%")), st.just(abs(p)))
        )
    return st.sampled_from(_choices(column)).flatmap(
        lambda c: st.tuples(spelt(c), st.just(c == "是" if kind is Kind.FLAG else c))
    )


ANY = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(),
    st.integers(-(2**63), 2**63 - 1),
    st.from_regex(r"[-+]?[0-9０-９١٢,._ ]{0,12}([.．][0-9]{0,3})?([eE][-+]?[0-9]{1,3})?[%％]?", fullmatch=True),
    st.sampled_from(["inf", "TRUE", "#N/A", "#DIV/0!", "=1+1", "\u200b", " ", "", "0000-01-01", "2024-02-30"]),
    st.text(max_size=20),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)


def edges(column: Column, schema: Sheet) -> list[tuple]:
    """(cell, meaning) at the edges of what the column takes: REFUSED, or the value read. NaN and infinities
    are UNKNOWN, as openpyxl writes them as empty cells."""
    anywhere = [(True, REFUSED), (False, REFUSED), (math.nan, UNKNOWN), (math.inf, UNKNOWN), (-math.inf, UNKNOWN)]
    numbers = [
        ("NaN", REFUSED),
        ("-Infinity", REFUSED),
        ("1e309", REFUSED),
        ("1,2,3", REFUSED),
        ("1_000", REFUSED),
        ("١٢", REFUSED),
    ]
    kind, least = column.kind, column.minimum or 0
    return (
        anywhere
        + {
            Kind.TEXT: [
                ("ＰＪ２０２４－００３\u200b", "PJ2024-003")
                if column.header in schema.key
                else ("服装（春季）\u200e", "服装（春季）")
            ],
            Kind.INT: numbers
            + [
                (3e9, REFUSED),
                (2.0**31, REFUSED),
                (float(INT_MAX), INT_MAX),
                (1e20, REFUSED),
                ("2,147,483,648", REFUSED),
                ("2,147,483,647", INT_MAX),
                (2.5, REFUSED),
                ("１２", 12),
                (-0.0, 0 if least == 0 else REFUSED),
            ],
            Kind.MONEY: numbers
            + [
                (1e-9, REFUSED),
                (0.001, REFUSED),
                (0.005, REFUSED),
                (1e10, REFUSED),
                (1e300, REFUSED),
                (-0.0, REFUSED),
                (MONEY_MAX, MONEY_MAX),
                (9_999_999_999.995, REFUSED),
                ("9,999,999,999.99", MONEY_MAX),
                ("1,234.567", REFUSED),
                (1234567890.12, 1234567890.12),
                (0.1 + 0.2, 0.3),
            ],
            Kind.PERCENT: numbers
            + [
                (-0.0, 0.0),
                ("-0", 0.0),
                (100.0, 100.0),
                (100.000001, REFUSED),
                ("１００％", 100.0),
                ("85 %", 85.0),
                (-1e-300, REFUSED),
            ],
            Kind.DATE: [
                (date(1899, 12, 31), REFUSED),
                (date(2101, 1, 1), REFUSED),
                (datetime(9999, 12, 31), REFUSED),
                (time(12), REFUSED),
                (timedelta(days=1), REFUSED),
                (45356.0, REFUSED),
                ("2024-02-30", REFUSED),
                ("0000-01-01", REFUSED),
                ("２０２４－０３－０５", date(2024, 3, 5)),
                ("1e309", REFUSED),
            ],
            Kind.MONTH: [
                ("2024-13", REFUSED),
                ("0000-01", REFUSED),
                ("1899-12", REFUSED),
                (date(9999, 1, 1), REFUSED),
                ("2024-00", REFUSED),
                (202403.0, REFUSED),
                ("２０２４－０３", date(2024, 3, 1)),
                ("2024-3", date(2024, 3, 1)),
            ],
            Kind.CHOICE: [("TRUE", REFUSED), (12345.0, REFUSED), ("NaN", REFUSED)],
            Kind.FLAG: [("TRUE", REFUSED), (1.0, REFUSED), ("是\u200b", True), ("否\ufeff", False)],
            Kind.NUMBER: numbers + [(-0.0, 0.0), ("-1", REFUSED), ("１２", 12.0), ("95%", 95.0), (1e300, 1e300)],
            Kind.INDICATOR: [
                ("劳动者满意度", REFUSED),
                ("21", 101),
                (22.0, 102),
                ("23", REFUSED),
                ("企业走访户数\u200b", 102),
            ],
        }[kind]
    )


def hostile(column: Column, schema: Sheet) -> st.SearchStrategy[tuple]:
    """(cell, meaning) for a hostile cell: half the time one of the column's edges, else anything (UNKNOWN)."""
    return st.booleans().flatmap(
        lambda edge: st.sampled_from(edges(column, schema)) if edge else ANY.map(lambda v: (v, UNKNOWN))
    )


@st.composite
def workbooks(
    draw, structures: list[str | None], hostile_cells: int = 2
) -> tuple[Sheet, list[list], list[dict], str | None]:
    """A sheet's rows (headers first), up to `hostile_cells` of each row hostile; per data row what each column's
    cell means (the value, REFUSED or UNKNOWN); and one of `structures`: None, "merged" (two cells merged), "hidden"
    (the sheet) or "formula" (in B2, saved without its result)."""
    schema = draw(st.sampled_from(SHEETS))
    columns = list(draw(st.permutations(schema.columns)))
    if draw(st.integers(0, 9)) == 0:
        columns.pop(draw(st.integers(0, len(columns) - 1)))
    slots: list[Column | str] = [*columns]
    for _ in range(draw(st.integers(0, 2))):
        slots.insert(draw(st.integers(0, len(slots))), "备注" + draw(st.text(max_size=6)))  # an unknown column
    rows, meanings = [[s.header if isinstance(s, Column) else s for s in slots]], []
    for _ in range(draw(st.integers(1, 3))):
        mutated = draw(st.sets(st.sampled_from(columns), max_size=hostile_cells))
        cells = {c.header: draw(hostile(c, schema) if c in mutated else valid(c, schema)) for c in columns}
        rows.append([cells[s.header][0] if isinstance(s, Column) else draw(ANY) for s in slots])
        meanings.append({header: meant for header, (_, meant) in cells.items()})
    return schema, rows, meanings, draw(st.sampled_from(structures))


def xlsx(schema: Sheet, rows: list[list], structure: str | None) -> bytes:
    """The workbook of one sheet (openpyxl refuses control characters: test_hostile_cells covers them)."""
    data = workbook_bytes(
        {schema.name: [[ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row] for row in rows]}
    )
    if structure is None:
        return data
    book = load_workbook(io.BytesIO(data))
    sheet = book[schema.name]
    if structure == "merged":
        sheet.merge_cells("A2:A3" if len(rows) > 2 else "A2:B2")
    elif structure == "hidden":
        sheet.sheet_state = "hidden"
        book.create_sheet(GUIDE_SHEET)  # a workbook needs a visible sheet
    else:
        sheet["B2"] = "=1+1"  # openpyxl saves a formula without a result
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def in_range(column: Column, value) -> bool:
    kind = column.kind
    if kind is Kind.INT:
        return (column.minimum or 0) <= value <= INT_MAX
    if kind is Kind.MONEY:
        return 0 < value <= MONEY_MAX
    if kind is Kind.PERCENT:
        return 0 <= value <= 100 and math.copysign(1, value) == 1
    if kind is Kind.DATE:
        return value.year == CONTEXT.year
    if kind is Kind.MONTH:
        return value.day == 1 and value.year in (CONTEXT.year, CONTEXT.year - 1)
    if kind is Kind.CHOICE:
        return value in _choices(column)
    if kind is Kind.NUMBER:
        return 0 <= value and math.copysign(1, value) == 1
    if kind is Kind.INDICATOR:
        return value in {i.id for i in MANUAL}
    return kind is Kind.FLAG or (value == value.strip() and not any(c in INVISIBLE for c in value))


def check_refusals(schema: Sheet, rows: list[list], meanings: list[dict], structure: str | None, errors: list) -> None:
    """Every problem is in Chinese, a cell's names its place, none refuses a valid value; the structure is reported."""
    for p in errors:
        assert CJK.search(p.message), p
        if p.code[1] in "123":  # a cell, a key or a row rule: named by sheet, row and column
            assert (p.sheet, p.row is not None, p.column is not None) == (schema.name, True, True), p
        if p.code.startswith("E1"):  # a valid value, however spelt, is never refused
            assert p.row >= 2 and meanings[p.row - 2].get(p.column, UNKNOWN) in (UNKNOWN, REFUSED), (p, rows[p.row - 1])
    codes = {p.code for p in errors}
    if structure == "hidden":
        assert codes == {"E002"}
    elif structure == "merged":
        assert [(p.sheet, p.row) for p in errors if p.code == "E018"] == [(schema.name, 2)]
    elif structure == "formula" and "E003" not in codes:
        header = rows[0][1]
        assert ("E020", schema.name, 2, header) in {
            (p.code, p.sheet, p.row, p.column) for p in errors
        } or header.startswith("备注")


def check(example, result) -> None:
    """The refusals name their places and spare every valid value; the records are exactly what the cells meant."""
    schema, rows, meanings, structure = example
    check_refusals(schema, rows, meanings, structure, result.errors)
    if any(p.code.startswith("E0") for p in result.errors):  # the file or the sheet's layout: no row is read
        return
    refused_cells = {(p.row, p.column) for p in result.errors if p.code.startswith("E1")}
    assert {
        (r, header) for r, meant in enumerate(meanings, start=2) for header, m in meant.items() if m is REFUSED
    } <= refused_cells
    refused = {p.row for p in result.errors}
    located = [rows[0].index(c.header) for c in schema.columns]
    accepted = [
        excel_row
        for excel_row, row in enumerate(rows[1:], start=2)
        if excel_row not in refused and not all(_blank(row[i]) for i in located)
    ]
    records = result.records.get(schema.name, [])
    assert len(records) == len(accepted)
    for excel_row, record in zip(accepted, records):
        for column in schema.columns:
            check_value(column, record[column.field], meanings[excel_row - 2][column.header])


def check_value(column: Column, value, meant) -> None:
    """An accepted value is what its cell meant, of the column's type and range, and reads back the same from the
    cell written for it (the template's pre-filled rows, the backup)."""
    assert meant is not REFUSED, (column.header, value)
    if meant is not UNKNOWN:
        assert (value, type(value)) == (meant, type(meant)), column.header
    if value is not None:
        assert type(value) is TYPES[column.kind] and in_range(column, value), (column.header, value)
        # An indicator is stored by its id: the backup's 人工填报 sheet names it by 序号 and 三级指标 instead.
        if column.kind is not Kind.INDICATOR:
            assert _parse(column, column.cell(value), CONTEXT) == value


def test_every_edge_of_every_column_is_refused_in_chinese_or_read_as_it_means():
    for schema in SHEETS:
        for column in schema.columns:
            for raw, meant in edges(column, schema):
                try:
                    value = _parse(column, raw, CONTEXT)
                except CellError as err:
                    assert meant in (REFUSED, UNKNOWN), (column.header, raw)
                    assert CJK.search(MESSAGES[err.code].format(**err.values))
                else:
                    check_value(column, value, meant)


@settings(
    max_examples=1000, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(workbooks(structures=[None]))
def test_mutated_rows_are_read_exactly_or_refused_naming_each_place(example):
    schema, rows, _, _ = example
    check(example, validate({schema.name: rows}, CONTEXT))  # in memory, as most examples are


@settings(
    max_examples=200, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(workbooks(structures=[None, "merged", "hidden", "formula"]))
def test_a_mutated_workbook_is_read_exactly_or_refused_naming_each_place(example):
    schema, rows, _, structure = example
    check(example, check_workbook(xlsx(schema, rows, structure), CONTEXT))


@settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(workbooks(structures=[None, None, None, "merged", "formula"], hostile_cells=1))
def test_an_imported_workbook_is_stored_exactly_as_validated_or_nothing_is_written(db, project, example):
    schema, rows, _, structure = example
    data = xlsx(schema, rows, structure)
    validated = check_workbook(data, context_for(db, project))
    before = contents(db)
    try:
        import_workbook(db, project, data, file_name="变异.xlsx", uploaded_by="staff")
    except WorkbookRejected as rejected:
        assert rejected.problems == validated.errors
        assert contents(db) == before
        return
    stored = {tuple(r[f] for f in schema.key_fields): r for r in contents(db)[schema.name]}
    for record in validated.records.get(schema.name, []):
        row = stored[tuple(record[f] for f in schema.key_fields)]
        assert {f: row[f] for f in record} == record
