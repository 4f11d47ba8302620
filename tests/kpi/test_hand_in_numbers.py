"""The numbers of the forms an evaluator hands in, read off the produced files as a reviewer reads them: the 自评表's
displayed 得分 add up to its displayed 总分 and its 分值 to 100.00, and every indicator shows the same score in the
自评表, the 自评报告 and the JSON (PRODUCT.md, Scoring version 2: one rounding, where the score is computed).

The cells are found by their headings, not by their addresses, so that the checks hold whatever the layout.
"""

import io
from datetime import date
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from data_model.db import make_engine, session
from data_model.projects import find_project
from kpi import assessment, export, report
from kpi.evaluate import to_json


def shown(cell) -> str:
    """A cell as Excel shows it: a number in a two-decimal format is its first 15 significant digits rounded half
    away from zero (0.5549999999999999 shows 0.56); a text as it is."""
    if isinstance(cell.value, str):
        return cell.value
    assert cell.number_format == "0.00", cell.coordinate
    return f"{Decimal(f'{cell.value:.15g}').quantize(Decimal('0.01'), 'ROUND_HALF_UP')}"


def column(row, heading: str) -> int:
    return [c.value for c in row].index(heading)


def xlsx_numbers(data: bytes) -> dict:
    """The budget's 分值 and 得分, each indicator's, and the 总分 row's, as displayed."""
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows())
    table = next(i for i, row in enumerate(rows) if "三级指标" in [c.value for c in row])
    funding = next(i for i, row in enumerate(rows[:table]) if "执行率" in [c.value for c in row])
    total = next(i for i, row in enumerate(rows) if i > table and row[0].value == "总分")
    name, weight, score = (column(rows[table], h) for h in ("三级指标", "分值", "得分"))
    budget = rows[funding + 1]
    return {
        "budget": (shown(budget[column(rows[funding], "分值")]), shown(budget[column(rows[funding], "得分")])),
        "indicators": {row[name].value: (shown(row[weight]), shown(row[score])) for row in rows[table + 1 : total]},
        "total": (shown(rows[total][weight]), shown(rows[total][score])),
    }


def docx_scores(data: bytes) -> dict[str, str]:
    """Each indicator's 得分 in the report's indicator tables (one per 一级指标)."""
    scores = {}
    for table in Document(io.BytesIO(data)).tables:
        header = [c.text for c in table.rows[0].cells]
        if "三级指标" in header:
            name, score = header.index("三级指标"), header.index("得分")
            scores |= {row.cells[name].text: row.cells[score].text for row in table.rows[1:]}
    return scores


@pytest.mark.parametrize(
    ("as_of", "seq", "score", "total"),
    [
        (date(2024, 3, 31), 8, "0.56", "48.71"),  # 1 of 6 events: 3.33 ÷ 6 = 0.555 (the float 0.5549999…), half-up
        (date(2024, 12, 31), 7, "3.12", "87.98"),  # 15 of 16 sets: 3.33 × 15 ÷ 16 = 3.121875
    ],
)
def test_the_forms_show_the_scored_numbers_and_every_total_is_the_sum_of_its_parts(
    sample_url, as_of, seq, score, total
):
    engine = make_engine(sample_url)
    with session(engine) as s:
        sa = assessment.load(s, find_project(s), as_of)
    engine.dispose()
    xlsx = xlsx_numbers(export.workbook(sa))
    weights = [xlsx["budget"][0], *(w for w, _ in xlsx["indicators"].values())]
    scores = [xlsx["budget"][1], *(s for _, s in xlsx["indicators"].values())]
    assert sum(map(Decimal, weights)) == Decimal("100.00") and xlsx["total"][0] == "100.00"
    assert sum(map(Decimal, scores)) == Decimal(xlsx["total"][1]) == Decimal(total)

    json = to_json(sa.evaluation)
    in_json = {i["level3"]: f"{i['score']:.2f}" for i in json["indicators"]}
    in_xlsx = {name: s for name, (_, s) in xlsx["indicators"].items()}
    in_docx = {name: s for name, s in docx_scores(report.document(sa)).items() if name in in_json}
    assert in_xlsx == in_docx == in_json
    assert in_json[json["indicators"][seq - 1]["level3"]] == score
    assert (xlsx["budget"][1], xlsx["total"][1]) == (f"{json['budget']['score']:.2f}", f"{json['total_score']:.2f}")
