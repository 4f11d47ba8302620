"""备份与恢复's workbook, apart from writing and restoring it (kpi.backup): the backup holds the project's
performance table, every record in the upload sheets and headers (so the normal importer reads them too), and
its own sheets for what is not uploaded (项目设置, 自评文字, 评定记录, 整改措施, 人工填报, 期间锁定, 运行监控,
佐证材料), all declared in data_model.sheets. Here: writing a cell so that it reads back exactly, and reading the
backup's own sheets back, a cell that cannot be read being a problem with its sheet, row and column; and the
archive that carries the 佐证材料 files beside the workbook.

A project with 佐证材料 is backed up as a zip: the workbook (ARCHIVE_WORKBOOK) and each distinct file's bytes as
佐证材料/<SHA-256>. A project without any is backed up as the workbook alone, as before; both are read back.
"""

import io
import math
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from data_model import audit
from data_model.models import Indicator
from data_model.problems import Problem, problem
from data_model.sheets import Table
from data_model.validation import CellError, table_rows
from data_model.validation import _shown as shown  # a cell as the upload checks quote it

ARCHIVE_WORKBOOK = "备份.xlsx"
ARCHIVE_FOLDER = "佐证材料/"
Files = Callable[[str], bytes | None]  # a file's bytes by its SHA-256, None when the backup does not hold it


def pack(workbook: bytes, files: Iterable[tuple[str, bytes]], out) -> None:
    """The archive into the binary file `out`: the workbook, then each file once (stored: PDFs, images and Office
    files are compressed already)."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(ARCHIVE_WORKBOOK, workbook, zipfile.ZIP_DEFLATED)
        done = set()
        for sha256, data in files:
            if sha256 not in done:
                archive.writestr(ARCHIVE_FOLDER + sha256, data)
                done.add(sha256)


def unpack(data: bytes) -> tuple[bytes, Files]:
    """The workbook of a backup and its files: an archive made by `pack`, or a workbook alone (an older backup, or
    a project without 佐证材料) holding none."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        names = set()  # not a zip at all: the workbook reader says what it is
    if ARCHIVE_WORKBOOK not in names:
        return data, lambda _sha256: None

    def member(sha256: str) -> bytes | None:
        name = ARCHIVE_FOLDER + sha256
        return archive.read(name) if name in names else None

    return archive.read(ARCHIVE_WORKBOOK), member


def moment(value: datetime | None) -> str | None:
    """A stored time as exact ISO text in Beijing time (Excel cells cannot hold a time zone)."""
    return None if value is None else audit.aware(value).astimezone(audit.SHANGHAI).isoformat()


def exact(value):
    """A value as it must be written to read back exactly."""
    if isinstance(value, float) and float(f"{value:.16g}") != value:
        return repr(value)  # openpyxl writes 16 digits: a weight of 50 ÷ 15 would come back a hair smaller
    return value


def _finite(value) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


@dataclass
class ExtraRow:
    """One row of an extra sheet; a cell that cannot be read adds a problem and gives None."""

    reader: "ExtraReader"
    sheet: str
    number_: int  # as Excel shows it
    cells: dict

    def blank(self, header: str) -> bool:
        raw = self.cells.get(header)
        return raw is None or (isinstance(raw, str) and not raw.strip())

    def _fault(self, header: str) -> bool:
        """Whether the cell holds an error value or a formula saved without its result; its problem is recorded."""
        raw = self.cells.get(header)
        if isinstance(raw, CellError):
            self.reader.problem(self.sheet, self.number_, header, raw.code, **raw.values)
        return isinstance(raw, CellError)

    def read(self, header: str, parse: Callable, optional: bool, wanted: str):
        raw = self.cells.get(header)
        if self._fault(header):
            return None
        if self.blank(header):
            if not optional:
                self.reader.problem(self.sheet, self.number_, header, "R001.blank")
            return None
        try:
            return parse(raw)
        except (ValueError, TypeError, KeyError, CellError):
            self.reader.problem(self.sheet, self.number_, header, "R001.value", wanted=wanted, raw=shown(raw))
            return None

    def text(self, header: str) -> str:
        raw = self.cells.get(header)
        return "" if raw is None or self._fault(header) else str(raw).strip()

    def number(self, header: str, optional: bool = False) -> float | None:
        return self.read(header, _finite, optional, "数字")

    def day(self, header: str, optional: bool = False) -> date | None:
        return self.read(
            header,
            lambda v: (
                v.date() if isinstance(v, datetime) else v if isinstance(v, date) else date.fromisoformat(v.strip())
            ),
            optional,
            "日期（YYYY-MM-DD）",
        )

    def month(self, header: str) -> date | None:
        return self.read(
            header,
            lambda v: date(v.year, v.month, 1) if isinstance(v, date) else date.fromisoformat(f"{v.strip()}-01"),
            False,
            "月份（YYYY-MM）",
        )

    def moment(self, header: str, optional: bool = False) -> datetime | None:
        return self.read(
            header,
            lambda v: datetime.fromisoformat(v.strip()),
            optional,
            "带时区的时间（如 2024-12-31T16:00:00+08:00）",
        )

    def choice(self, header: str, choices: dict):
        return self.read(header, lambda v: choices[str(v).strip()], False, "、".join(choices))

    def indicator(self) -> Indicator:
        found = self.read(
            "序号", lambda v: self.reader.indicators[int(float(v))], False, "本项目绩效目标表中的指标序号"
        )
        return found or Indicator(id=None)  # the problem is recorded; nothing is committed

    def once(self, header: str, *key, why: str) -> None:
        """A problem when an earlier row of the sheet has the same key, which the database holds only once."""
        if None in key:
            return  # a cell of the key could not be read: its problem is recorded
        first = self.reader.seen.setdefault((self.sheet, *key), self.number_)
        if first != self.number_:
            self.reader.problem(self.sheet, self.number_, header, "R001.repeated", first=first, why=why)


@dataclass
class ExtraReader:
    sheets: dict[str, list[list]]
    indicators: dict[int, Indicator]
    problems: list[Problem] = None
    seen: dict[tuple, int] = None  # (sheet, *key) -> the first row holding it

    def __post_init__(self):
        self.problems, self.seen = [], {}

    def problem(self, sheet: str, row: int, column: str, entry: str, **values) -> None:
        """A cell of the backup's own sheets that cannot be read back (the catalogue's R001 entries)."""
        self.problems.append(problem(entry, sheet, row, column, **values))

    def rows(self, table: Table) -> list[ExtraRow]:
        """The sheet's rows that hold something; a backup without the sheet has none."""
        missing, found = table_rows(table, self.sheets.get(table.name) or [list(table.headers)])
        for header in missing:
            self.problem(table.name, 1, header, "R001.column")
        return [ExtraRow(self, table.name, number, cells) for number, cells in found]
