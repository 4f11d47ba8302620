"""Performance tables (绩效目标表) for the tests: the seed table's sheets, edited one cell or one sheet at a time."""

import io
import re
import zipfile

import pytest
from openpyxl.utils.cell import get_column_letter

from data_model.validation import read_workbook
from kpi.setup import SEED_TABLE
from tests.helpers import workbook_bytes


def seed() -> dict[str, list[list]]:
    """The seed table's sheets as rows of cells (a fresh copy to edit)."""
    return read_workbook(SEED_TABLE.read_bytes())


def edited(sheet: str, row: int, header: str, value) -> bytes:
    """The seed table with one cell changed; `row` as Excel numbers it."""
    sheets = seed()
    sheets[sheet][row - 1][sheets[sheet][0].index(header)] = value
    return workbook_bytes(sheets)


def with_info(**fields) -> bytes:
    """The seed table with some 项目信息 fields (keyword = 字段) changed, or added."""
    sheets = seed()
    info = sheets["项目信息"]
    for row in info[1:]:
        row[1] = fields.get(row[0], row[1])
    info += [[name, value] for name, value in fields.items() if name not in {row[0] for row in info}]
    return workbook_bytes(sheets)


PLACEHOLDER = 987654321


def with_cell(sheet: str, row: int, header: str, xml: str) -> bytes:
    """The seed table with one cell written as this raw worksheet XML (`{ref}` stands for the cell's reference),
    for what openpyxl cannot write: a formula saved with its result, an error value."""
    sheets = seed()
    column = sheets[sheet][0].index(header)
    sheets[sheet][row - 1][column] = PLACEHOLDER
    ref = f"{get_column_letter(column + 1)}{row}"
    source, out = zipfile.ZipFile(io.BytesIO(workbook_bytes(sheets))), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for item in source.infolist():
            part = source.read(item.filename)
            if f"<v>{PLACEHOLDER}</v>".encode() in part:
                cell = re.compile(rf'<c r="{ref}"[^>]*><v>{PLACEHOLDER}</v></c>'.encode())
                part, replaced = cell.subn(xml.format(ref=ref).encode(), part)
                assert replaced == 1
            book.writestr(item, part)
    return out.getvalue()


# The seed table with a 年度指标值 whose unit does not fit its metric, in each way: Excel row of 绩效目标 (seq + 1),
# the 年度指标值 written there, and the whole message refusing it
WRONG_UNITS = [
    pytest.param(
        7,
        "≥90%",
        "工作表「绩效目标」第 7 行「年度指标值」列："
        "计算口径「调解阵地建成数」以「家」计，年度指标值「≥90%」的单位应为计数单位（如 家、套、场）或不写单位，"
        "不能是 %、元或天",
        id="percent-on-a-count",
    ),
    pytest.param(
        15,
        "≤5 天",
        "工作表「绩效目标」第 15 行「年度指标值」列："
        "计算口径「调解阵地按期建成率」以「%」计，按文字目标评分（如 及时、同比提高），年度指标值不能是数值，"
        "实际为「≤5 天」",
        id="days-on-an-on-time-share",
    ),
    pytest.param(
        17,
        "≤5 天",
        "工作表「绩效目标」第 17 行「年度指标值」列："
        "计算口径「有效投诉办结率」以「%」计，年度指标值「≤5 天」的单位应为百分比 %（如 ≥85.00(%)）",
        id="days-on-a-share",
    ),
    pytest.param(
        20,
        "≥95",
        "工作表「绩效目标」第 20 行「年度指标值」列："
        "计算口径「劳动者满意度」以「%」计，年度指标值「≥95」的单位应为百分比 %（如 ≥85.00(%)）",
        id="rate-without-percent",
    ),
    pytest.param(
        4,
        "≤20 千元/家",
        "工作表「绩效目标」第 4 行「年度指标值」列："
        "计算口径「调解阵地单家成本」以「元/家」计，年度指标值「≤20 千元/家」的单位应为元或万元（如 ≤2.6 万元/家）",
        id="cost-in-an-unknown-money-unit",
    ),
    pytest.param(
        18,
        "≤-5%",
        "工作表「绩效目标」第 18 行「年度指标值」列："
        "计算口径「劳动纠纷总量同比变化」以「%」计，按文字目标评分（如 及时、同比提高），年度指标值不能是数值，"
        "实际为「≤-5%」",
        id="number-on-year-on-year",
    ),
]
