"""Building test workbooks in memory; emptying a test database; comparing values that may be missing."""

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import text
from sqlmodel import SQLModel


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx whose sheets hold exactly these rows (the first row being the headers)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # a target such as "=3.00(家)" is text, not a formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def empty(engine) -> None:
    """Drop every table, the migration history too, so that the next test starts from nothing."""
    SQLModel.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def approx_or_none(expected: float | None, **tolerance):
    """pytest.approx of a value that may be None (no data): None then equals only None, as pytest.approx refuses it."""
    return None if expected is None else pytest.approx(expected, **tolerance)
