"""The uploaded workbook handed back with its problems marked: each bad cell filled red and commented."""

import io

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from data_model.problems import Problem

BAD = PatternFill("solid", fgColor="FFC7CE")


def open_at(workbook, cell) -> None:
    """Have Excel open the workbook on `cell`'s sheet with the cell selected (not on the sheet saved as active)."""
    sheet = cell.parent
    for other in workbook.worksheets:
        other.sheet_view.tabSelected = other is sheet
    workbook.active = sheet
    sheet.sheet_view.selection[0].activeCell = cell.coordinate
    sheet.sheet_view.selection[0].sqref = cell.coordinate
    sheet.sheet_view.selection[0].pane = None
    sheet.sheet_view.topLeftCell = None


def marked_workbook(data: bytes, problems: list[Problem]) -> bytes | None:
    """`data` with every problem's cell marked; None when the file cannot be opened as a workbook.

    A problem without a column marks its row's first cell; one without a row (a missing column,
    a missing sheet) marks the header row's first cell of its sheet, or of the first sheet.
    """
    try:
        workbook = load_workbook(io.BytesIO(data))
    except Exception:  # noqa: BLE001  (not an .xlsx at all, whatever openpyxl raises: nothing to mark)
        return None
    sheets = {ws.title.strip(): ws for ws in workbook.worksheets}
    notes = {}
    for item in problems:
        sheet = sheets.get(item.sheet or "", workbook.worksheets[0])
        headers = [str(c.value).strip() if c.value is not None else "" for c in sheet[1]]
        column = headers.index(item.column) + 1 if item.column in headers else 1
        cell = sheet.cell(item.row or 1, column)
        notes.setdefault(cell, []).append(f"[{item.code}] {item.message}")
    for cell, texts in notes.items():
        cell.fill = BAD
        cell.comment = Comment("\n".join(texts), "数据校验", width=320, height=120)
    if notes:
        open_at(workbook, next(iter(notes)))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
