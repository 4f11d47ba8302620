"""Text written into a worksheet stays text: never a live formula, never an error value.

openpyxl stores a string starting with "=" as a formula and one such as "#N/A" as an error value, and
Excel turns a text cell starting with = + - @ TAB or CR into a formula once someone edits it. Every
workbook the product writes (下载模板, 操作日志, backup, 绩效自评表) passes its values through this
module: such a string is typed as text (data type "s", number format "@"), so that it reads back
exactly as written, with no apostrophe added.
"""

from openpyxl.cell.cell import ERROR_CODES, Cell, WriteOnlyCell

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def risky(value) -> bool:
    """A string a spreadsheet would take, or could later take, for a formula or an error value."""
    return isinstance(value, str) and (value.startswith(FORMULA_LEADS) or value in ERROR_CODES)


def as_text(cell: Cell) -> Cell:
    """`cell` typed as text when its value is a risky string; returns the cell."""
    if risky(cell.value):
        cell.data_type, cell.number_format = "s", "@"
    return cell


def text_row(ws, values) -> list:
    """`values` ready for `ws.append` (write-only sheets too): each risky string as a cell typed as text."""
    return [as_text(WriteOnlyCell(ws, value)) if risky(value) else value for value in values]
