"""Opening an uploaded .xlsx within proven bounds, then reading its sheets row by row.

calamine reads a worksheet into one dense range (32 bytes for every cell of the rectangle up to the last
cell named), and copies a shared string into every cell that refers to it: a 2 KB file can ask it for
terabytes, and a failed allocation aborts the process. So before calamine sees a byte, the zip container is
checked (a real .xlsx by content; the declared sizes and compression ratios) and every part is scanned in
bounded chunks (regular expressions on the raw XML, fast enough for 100,000 rows): the row, column and
number of every cell, and the shared-string bytes the cells of each sheet refer to. A cell written in a
form the scan does not recognise is refused, since calamine would place it where the scan cannot see.

The scan also finds what calamine would silently read as an empty cell (error values such as #N/A,
formulas saved without their result) and merged ranges; the validation reports them.
"""

import html
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from openpyxl.utils.cell import column_index_from_string, get_column_letter
from python_calamine import CalamineWorkbook, SheetVisibleEnum

MB = 1024 * 1024
MAX_TOTAL_BYTES = 200 * MB  # all parts together, uncompressed
MAX_RATIO = 100  # uncompressed ÷ compressed, for a part larger than RATIO_FROM
RATIO_FROM = 1 * MB
MAX_PARTS = 1000
MAX_ROWS = 100_000  # the last Excel row a cell may name
MAX_COLUMNS = 200  # the last column a cell may name (GR)
MAX_CELLS = 3_000_000  # per sheet: the cells written, and the rectangle A1 to the last row and column (96 MB)
MAX_SHARED_STRINGS = 1_000_000
MAX_TEXT_BYTES = 64 * MB  # per sheet: the shared text its cells refer to, as calamine copies it into each
CHUNK = 1 * MB  # the XML is scanned in pieces of this size
MAX_TAG = 1 * MB  # a cell or tag longer than this is refused (Excel's 32,767 characters take at most 300 KB)

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of .xls, and of a password-encrypted .xlsx
XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
SHARED_STRINGS = "xl/sharedStrings.xml"  # the path calamine reads them from

_REF = rb"([A-Z]{1,3})([1-9][0-9]{0,6})"
_FORMULA = rb"(?:<f>[^<]*</f>|<f [^>]*/>|<f [^>]*>[^<]*</f>)"
# The only form of a cell start the scan accepts, and what it reads of it: the row, and the letters of a
# column beyond Z (up to Z, 26 columns of at most MAX_ROWS rows are fewer than MAX_CELLS).
CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([1-9][0-9]{0,6})"')
CELL_WIDE = re.compile(rb'<c r="' + _REF + rb'"')
WIDE = re.compile(rb'<c r="[A-Z]{2}')
OTHER_CELLS = (b"<c>", b"<c/", b"<c\t", b"<c\r", b"<c\n")  # any other start of a <c> element: these,
PREFIXED_CELL = re.compile(rb"<[\w.-]+:c[\s/>]")  # and a namespace prefix (looked for only where ":c" occurs)
SHARED_CELL = re.compile(rb'<c r="[A-Z]{1,3}[1-9][0-9]{0,6}"(?: s="[0-9]+")? t="s"(?: [^>]*)?><v>([0-9]+)</v>')
ODD_SHARED = re.compile(rb"""t(?:\s+=\s*["']s["']|=\s+["']s["']|='s')""")  # t="s" spelt otherwise,
ODD_SPELLING = (b"='", b" =", b"= ", b"\t", b"\r", b"\n")  # looked for only where one of these occurs
ERROR_CELL = re.compile(rb'<c r="' + _REF + rb'"[^>]*? t="e"[^>]*>' + _FORMULA + rb"?<v>([^<]*)</v>")
NO_VALUE = re.compile(rb'<c r="' + _REF + rb'"[^>]*>' + _FORMULA + rb"(?:<v/>|<v></v>)?</c>")
MERGED = re.compile(rb'<mergeCell ref="([A-Z]{1,3}[1-9][0-9]{0,6}(?::[A-Z]{1,3}[1-9][0-9]{0,6})?)"')
DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]+[0-9]+:)?' + _REF + rb'"')
STRING = re.compile(rb"<si>(.*?)</si>|<si/>", re.S)
ANY_STRING = re.compile(rb"<(?:[\w.-]+:)?si[\s/>]")
SHEET_TAG = re.compile(rb"<(?:[\w.-]+:)?sheet\s[^>]*>")
RELATION_TAG = re.compile(rb"<(?:[\w.-]+:)?Relationship\s[^>]*>")


class Refused(Exception):
    """The workbook cannot be read safely; `code` names its template in data_model.problems.CATALOGUE."""

    def __init__(
        self, code: str, sheet: str | None = None, row: int | None = None, column: str | None = None, /, **values
    ):
        super().__init__(code, sheet, row)
        self.code, self.sheet, self.row, self.column, self.values = code, sheet, row, column, values


def column_number(letters: bytes) -> int:
    """A column's 1-based number from the scanned XML's letters: A → 1, GR → 200."""
    return column_index_from_string(letters.decode())


@dataclass
class Scan:
    """What the scan of one part found. Positions are (Excel row, 0-based column)."""

    cells: int = 0
    last_row: int = 0
    last_column: int = 0
    text_bytes: int = 0  # shared text referred to by the cells
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # error cells and the error shown, e.g. #N/A
    formulas: set[tuple[int, int]] = field(default_factory=set)  # formulas saved without a result
    merged: list[str] = field(default_factory=list)  # ranges such as B3:B5


@dataclass(frozen=True)
class SheetInfo:
    name: str
    hidden: bool
    scan: Scan


def _check_container(data: bytes) -> zipfile.ZipFile:
    if data.startswith(OLE2):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise Refused("E008")
        if any(name.encode("utf-16-le") in data for name in ("Workbook", "Book")):
            raise Refused("E006")
        raise Refused("E001")
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        parts = book.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise Refused("E001") from None
    names = [p.filename for p in parts]
    if len(parts) > MAX_PARTS or len(set(names)) != len(names):
        raise Refused("E001")
    total = sum(p.file_size for p in parts)
    if total > MAX_TOTAL_BYTES:
        raise Refused("E009", size=_mb(total), limit=_mb(MAX_TOTAL_BYTES))
    for part in parts:
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise Refused(
                "E010", part=part.filename, ratio=part.file_size // max(part.compress_size, 1), limit=MAX_RATIO
            )
    if "[Content_Types].xml" not in names:
        raise Refused("E001")
    types = _small(book, "[Content_Types].xml")
    if b"macroEnabled" in types or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise Refused("E007")
    if XLSX_MAIN not in types:
        raise Refused("E001")
    return book


def _mb(size: int) -> str:
    return f"{size / MB:,.0f} MB"


def _small(book: zipfile.ZipFile, name: str) -> bytes:
    """A part read whole: one that only names other parts, never longer than MAX_TAG in a real workbook."""
    if book.getinfo(name).file_size > MAX_TAG:
        raise Refused("E011", part=name)
    return b"".join(_chunks(book, name))


def _chunks(book: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """A part's bytes in pieces of CHUNK; the zip module stops at the declared size and checks the CRC."""
    try:
        with book.open(name) as part:
            while chunk := part.read(CHUNK):
                yield chunk
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, ValueError, EOFError, OSError):
        raise Refused("E001") from None


def _pieces(book: zipfile.ZipFile, name: str, marker: bytes) -> Iterator[bytes]:
    """The part in pieces that each end just before a `marker` (or a tag) begins, so no element is cut."""
    carry = b""
    for chunk in _chunks(book, name):
        text = carry + chunk
        cut = text.rfind(marker)
        if cut == -1:
            cut = text.rfind(b"<")
        if cut == -1:
            cut = len(text)
        if len(text) - cut > MAX_TAG:
            raise Refused("E011", part=name)
        carry = text[cut:]
        yield text[:cut]
    yield carry


def _shared_string_lengths(book: zipfile.ZipFile, names: set[str]) -> list[int]:
    """The XML length of each shared string, which bounds what calamine holds for it. If some <si> are not
    plain (calamine skips a few forms, which shifts the numbering), each counts as long as the longest after it."""
    if SHARED_STRINGS not in names:
        return []
    lengths, plain, written = [], True, 0
    for piece in _pieces(book, SHARED_STRINGS, b"<si"):
        bodies = STRING.findall(piece)
        written += len(ANY_STRING.findall(piece))
        lengths.extend(map(len, bodies))
        plain = plain and all(b"<t" in body for body in bodies)
        if written > MAX_SHARED_STRINGS:
            raise Refused("E013", count=f"{written:,}", limit=f"{MAX_SHARED_STRINGS:,}")
    if plain and written == len(lengths):
        return lengths
    longest = 0
    for i in range(len(lengths) - 1, -1, -1):
        longest = lengths[i] = max(longest, lengths[i])
    return lengths


def _scan_part(book: zipfile.ZipFile, name: str, sheet: str, strings: list[int]) -> Scan:
    scan = Scan()
    longest = max(strings, default=0)
    for number, piece in enumerate(_pieces(book, name, b"<c ")):
        if number == 0 and (dimension := DIMENSION.search(piece)):
            _check_bounds(sheet, *dimension.groups())
        rows = CELL_ROW.findall(piece)
        if len(rows) != piece.count(b"<c") and len(rows) != piece.count(b"<c ") + sum(map(piece.count, OTHER_CELLS)):
            raise Refused("E011", part=name)
        if b":c" in piece and PREFIXED_CELL.search(piece):
            raise Refused("E011", part=name)
        if rows:
            scan.cells += len(rows)
            top = max(rows)  # the highest row, unless the piece holds rows of different lengths
            last_row = int(top) if len(top) == len(max(rows, key=len)) else max(map(int, rows))
            if last_row > MAX_ROWS:
                _check_bounds(sheet, *next(f for f in CELL_WIDE.findall(piece) if int(f[1]) == last_row))
            wide = CELL_WIDE.findall(piece) if WIDE.search(piece) else []
            last_column = max((column_number(letters) for letters, _ in wide), default=26)
            if last_column > MAX_COLUMNS:
                _check_bounds(sheet, *next(f for f in wide if column_number(f[0]) == last_column))
            scan.last_row, scan.last_column = max(scan.last_row, last_row), max(scan.last_column, last_column)
        if scan.cells > MAX_CELLS:
            raise Refused("E012", sheet, cells=f"{scan.cells:,}", limit=f"{MAX_CELLS:,}", area="")
        shared = piece.count(b't="s"') if strings else 0  # without a shared-string table there is nothing to copy
        if strings and any(map(piece.__contains__, ODD_SPELLING)):
            shared += len(ODD_SHARED.findall(piece))
        if shared:
            plain = SHARED_CELL.findall(piece)
            try:
                scan.text_bytes += sum(map(strings.__getitem__, map(int, plain))) + (shared - len(plain)) * longest
            except IndexError:
                scan.text_bytes += shared * longest
            if scan.text_bytes > MAX_TEXT_BYTES:
                raise Refused("E014", sheet, size=_mb(scan.text_bytes), limit=_mb(MAX_TEXT_BYTES))
        if b't="e"' in piece:
            found = ERROR_CELL.findall(piece)
            scan.errors.update(
                ((int(row), column_number(col) - 1), value.decode(errors="replace")) for col, row, value in found
            )
        if b"<f" in piece:
            scan.formulas.update((int(row), column_number(col) - 1) for col, row in NO_VALUE.findall(piece))
        if b"<mergeCell " in piece:
            scan.merged += [ref.decode() for ref in MERGED.findall(piece)]
    if scan.last_row * scan.last_column > MAX_CELLS:
        area = f"A1:{get_column_letter(scan.last_column)}{scan.last_row}"
        raise Refused(
            "E012", sheet, cells=f"{scan.last_row * scan.last_column:,}", limit=f"{MAX_CELLS:,}", area=f"（{area}）"
        )
    return scan


def _check_bounds(sheet: str, letters: bytes, row: bytes) -> None:
    cell = f"{letters.decode()}{row.decode()}"
    if int(row) > MAX_ROWS:
        raise Refused("E015", sheet, cell=cell, row=int(row), limit=f"{MAX_ROWS:,}")
    if column_number(letters) > MAX_COLUMNS:
        raise Refused("E016", sheet, cell=cell, column=column_number(letters), limit=MAX_COLUMNS)


def _sheet_parts(book: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Sheet name → the part holding it, as workbook.xml and its relationships name them."""
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return {}
    targets = {}
    for tag in RELATION_TAG.findall(_small(book, "xl/_rels/workbook.xml.rels")):
        ident, target = _attribute(tag, rb"Id"), _attribute(tag, rb"Target")
        if ident and target:
            targets[ident] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    parts = {}
    for tag in SHEET_TAG.findall(_small(book, "xl/workbook.xml")):
        name, ident = _attribute(tag, rb"name"), _attribute(tag, rb"[\w.-]+:id")
        if name is not None and ident in targets:
            parts[name] = targets[ident]
    return parts


def _attribute(tag: bytes, name: bytes) -> str | None:
    found = re.search(rb"\s" + name + rb'\s*=\s*"([^"]*)"', tag)
    return html.unescape(found[1].decode(errors="replace")) if found else None


class Workbook(Mapping):
    """An uploaded workbook that passed the checks: a mapping of its sheets' names, in order, to their rows,
    each sheet read row by row as they are taken. Raises Refused when it cannot be read."""

    def __init__(self, data: bytes):
        book = _check_container(data)
        names = {p.filename for p in book.infolist()}
        strings = _shared_string_lengths(book, names)
        sheets = {part: sheet for sheet, part in _sheet_parts(book, names).items()}
        scans = {}
        for part in sorted(names - {SHARED_STRINGS}):  # every part: calamine may be pointed at any of them
            if not part.endswith("/") and part != "[Content_Types].xml" and not part.endswith(".rels"):
                scans[part] = _scan_part(book, part, sheets.get(part, part), strings)
        try:
            self._book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            self.sheets = [
                SheetInfo(m.name, m.visible != SheetVisibleEnum.Visible, scans.get(_part(sheets, m.name), Scan()))
                for m in self._book.sheets_metadata
            ]
        except (KeyboardInterrupt, SystemExit):
            raise
        # calamine's errors, and a pyo3 PanicException, which is no Exception
        except BaseException:  # noqa: BLE001
            raise Refused("E001") from None

    def rows(self, name: str) -> Iterator[list]:
        """The sheet's rows from Excel's row 1, each a list from column A ('' for an empty cell)."""
        number = None  # the Excel row being read, once the sheet is loaded
        try:
            sheet = self._book.get_sheet_by_name(name)
            number = 0
            if sheet.start is None:  # an empty sheet: calamine's row iterator would panic
                return
            pad = [""] * sheet.start[1]  # calamine's rows begin at the first column used
            for row in sheet.iter_rows():
                number += 1
                yield pad + row if pad else row
        except (KeyboardInterrupt, SystemExit, GeneratorExit):
            raise
        # e.g. a date of -1e300 makes calamine panic while converting the row (a pyo3 PanicException)
        except BaseException:  # noqa: BLE001
            raise Refused("E017", name, None if number is None else number + 1) from None

    def __getitem__(self, name: str) -> Iterator[list]:
        if name not in self._book.sheet_names:
            raise KeyError(name)
        return self.rows(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._book.sheet_names)

    def __len__(self) -> int:
        return len(self._book.sheet_names)


def _part(sheets: dict[str, str], name: str) -> str | None:
    return next((part for part, sheet in sheets.items() if sheet == name), None)
