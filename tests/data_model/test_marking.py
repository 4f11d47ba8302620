"""The error workbook: the upload handed back with each problem's cell filled and commented."""

import io

from openpyxl import load_workbook

from data_model.marking import BAD, marked_workbook
from data_model.validation import Context, read_workbook, validate
from tests.data_model.workbooks import good, upload
from tests.formulas import formulas

CONTEXT = Context(year=2024, budget_lines=("工作装备经费",))


def test_each_bad_cell_is_filled_and_commented_with_its_problems():
    data = upload(
        支出明细=[good("支出明细"), good("支出明细", 凭证号="PZ-2", 金额=-5, 支付日期="2024-13-01")],
        装备发放=[good("装备发放", 套数=0)],
    )
    problems = validate(read_workbook(data), CONTEXT).errors
    marked = load_workbook(io.BytesIO(marked_workbook(data, problems)))

    flagged = {
        (sheet.title, cell.coordinate): cell.comment.text
        for sheet in marked.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.fill.fgColor.rgb == BAD.fgColor.rgb
    }
    assert flagged == {
        ("支出明细", "B3"): "[E102] 应为日期（Excel 日期或 YYYY-MM-DD 格式的文本），实际为「2024-13-01」",
        ("支出明细", "D3"): "[E110] 金额应大于 0 元，实际为 -5",
        ("装备发放", "C2"): "[E109] 应不小于 1，实际为 0",
    }
    assert marked["支出明细"]["A2"].value == "PZ-001"  # the rest of the workbook is as uploaded


def test_a_missing_column_marks_the_header_row():
    data = upload(平台运维=[good("平台运维")])
    sheet = load_workbook(io.BytesIO(data))["平台运维"]
    sheet.delete_cols(2)
    out = io.BytesIO()
    sheet.parent.save(out)
    problems = validate(read_workbook(out.getvalue()), CONTEXT).errors
    marked = load_workbook(io.BytesIO(marked_workbook(out.getvalue(), problems)))
    assert marked["平台运维"]["A1"].comment.text == "[E003] 缺少列「维护完成」"


def test_text_that_reads_like_a_formula_comes_back_as_the_same_text():
    link = '=HYPERLINK("http://x","点我查看")'
    data = upload(支出明细=[good("支出明细", 摘要=link), good("支出明细", 凭证号="=SUM(A1)", 金额=-5)])
    marked = marked_workbook(data, validate(read_workbook(data), CONTEXT).errors)
    sheet = load_workbook(io.BytesIO(marked))["支出明细"]
    assert [(c.value, c.data_type) for c in (sheet["E2"], sheet["A3"])] == [(link, "s"), ("=SUM(A1)", "s")]
    assert sheet["D3"].fill.fgColor.rgb == BAD.fgColor.rgb
    assert formulas(marked) == []


def test_a_file_that_is_not_a_workbook_cannot_be_marked():
    assert marked_workbook(b"not an xlsx", []) is None


def test_the_marked_workbook_opens_on_the_first_problem():
    data = upload(
        支出明细=[good("支出明细")],
        装备发放=[good("装备发放", 套数=0), good("装备发放", 套数=-1)],
    )
    problems = validate(read_workbook(data), CONTEXT).errors
    marked = load_workbook(io.BytesIO(marked_workbook(data, problems)))
    assert marked.active.title == "装备发放"
    assert [s.title for s in marked.worksheets if s.sheet_view.tabSelected] == ["装备发放"]
    [selection] = marked.active.sheet_view.selection
    assert (selection.activeCell, selection.sqref) == ("C2", "C2")
