"""User text written into a workbook stays text: typed as a string, read back exactly, never a formula or an error."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from data_model.cells import as_text, text_row
from tests.formulas import RISKY, formulas


@pytest.mark.parametrize("write_only", [False, True], ids=["normal", "write-only"])
def test_risky_text_appended_as_a_row_reads_back_exactly_as_text(write_only):
    book = Workbook(write_only=write_only)
    ws = book.create_sheet("表") if write_only else book.active
    ws.append(text_row(ws, [*RISKY, "北片调解工作室", 12.5, None, 3]))
    out = io.BytesIO()
    book.save(out)
    [row] = load_workbook(io.BytesIO(out.getvalue())).worksheets[0].iter_rows()
    assert [(c.value, c.data_type) for c in row[: len(RISKY) + 1]] == [
        (text, "s") for text in (*RISKY, "北片调解工作室")
    ]
    assert [c.value for c in row[len(RISKY) + 1 :]] == [12.5, None, 3]
    assert formulas(out.getvalue()) == []


def test_a_risky_cell_written_in_place_is_text_with_the_text_format():
    book = Workbook()
    cells = [as_text(book.active.cell(1, column, text)) for column, text in enumerate(RISKY, start=1)]
    assert [(c.value, c.data_type, c.number_format) for c in cells] == [(text, "s", "@") for text in RISKY]
    out = io.BytesIO()
    book.save(out)
    assert formulas(out.getvalue()) == []
