"""绩效自评表.xlsx, opened as the evaluator's finance bureau would open it."""

import io
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell

from data_model.db import ROOT
from kpi.export import HEADERS, workbook
from tests.formulas import RISKY, formulas

FIRST = 10  # the first indicator row
MERGED = {
    "A1:H1",
    "B3:H3",
    "B4:D4",
    "F4:H4",
    "A5:B6",
    "A7:A8",
    "B7:D7",
    "E7:H7",
    "B8:D8",
    "E8:H8",
    "A10:A14",
    "B10:B14",  # 成本指标 / 经济成本指标: 5 indicators
    "A15:A24",
    "B15:B19",
    "B20:B22",
    "B23:B24",  # 产出指标: 数量 5, 质量 3, 时效 2
    "A25:A27",
    "B25:B26",  # 效益指标: 社会效益 2, 可持续影响 1 (not merged)
    "A28:A29",
    "B28:B29",  # 满意度指标
    "A30:E30",
    "A31:E31",
    "F31:H31",
    "A32:H32",  # 总分, 评价等级, the note
}


def sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def with_reasons(sa, reasons: dict[int, str]):
    rows = [replace(r, deviation_reason=reasons.get(r.seq, r.deviation_reason)) for r in sa.evaluation.indicators]
    return replace(sa, evaluation=replace(sa.evaluation, indicators=rows))


def finalized(sa):
    project = sa.project.model_copy(
        update={"finalized_by": "evaluator", "finalized_at": datetime(2025, 1, 10, 2, 0, tzinfo=timezone.utc)}
    )
    return replace(sa, project=project, missing=[])


@pytest.fixture(scope="module")
def provisional(sample_assessment):
    return sheet(workbook(sample_assessment))


def test_title_says_provisional_until_final(sample_assessment, provisional):
    assert provisional["A1"].value == "财政项目支出绩效自评表（2024年度）（暂定）"
    final = sheet(workbook(finalized(sample_assessment)))
    assert final["A1"].value == "财政项目支出绩效自评表（2024年度）"
    assert final["A32"].value == "定稿：evaluator　2025-01-10 10:00"  # Beijing time


def test_project_budget_and_goals_fill_the_header_block(sample_assessment, provisional):
    ws = provisional
    assert [ws[c].value for c in ("A3", "B3", "A4", "B4", "E4", "F4")] == [
        "项目名称",
        "2024年浦锦街道劳动关系项目",
        "主管部门",
        "闵行区浦锦街道办事处",
        "实施单位",
        "浦锦街道社区事务受理服务中心",
    ]
    assert [ws.cell(5, c).value for c in range(3, 9)] == [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    budget = [ws.cell(6, c) for c in range(3, 9)]
    assert [round(c.value, 4) for c in budget] == [150000.0, 150000.0, 144800.0, 10.0, 0.9653, 9.65]
    assert [c.number_format for c in budget] == ["#,##0.00", "#,##0.00", "#,##0.00", "0.00", "0.00%", "0.00"]
    assert ws["B8"].value == sample_assessment.project.annual_goal
    assert ws["E8"].value == sample_assessment.summary
    assert ws["E8"].value.startswith("截至2024年12月31日，项目预算 150,000.00 元，已支出 144,800.00 元")


def test_every_indicator_has_its_row_with_numbers_as_numbers(sample_assessment, provisional):
    ws = provisional
    assert [ws.cell(9, c).value for c in range(1, 9)] == list(HEADERS)
    rows = sample_assessment.evaluation.indicators
    assert [ws.cell(FIRST + i, 3).value for i in range(20)] == [r.level3 for r in rows]
    assert [ws.cell(FIRST + i, 4).value for i in range(20)] == [r.target for r in rows]
    assert [round(ws.cell(FIRST + i, 7).value, 2) for i in range(20)] == [round(r.score, 2) for r in rows]
    assert all(
        ws.cell(FIRST + i, c).data_type == "n" and ws.cell(FIRST + i, c).number_format == "0.00"
        for i in range(20)
        for c in (6, 7)
    )
    # 实际完成值: a number whose format carries the unit, or a text for what has no number
    assert [
        (ws.cell(FIRST + seq - 1, 5).value, ws.cell(FIRST + seq - 1, 5).number_format) for seq in (1, 7, 14, 16, 17, 18)
    ] == [
        (225.0, '#,##0.00" 元/人/案"'),
        (15.0, '#,##0" 套"'),
        (pytest.approx(2 / 3), '"按期比例 "0.00%'),
        (0.975, "0.00%"),
        (pytest.approx(232 / 265 - 1), '"同比增加 "0.00%;"同比减少 "0.00%;"同比持平"'),
        ("待评定", "@"),
    ]
    assert [
        ws.cell(FIRST, 1).value,
        ws.cell(FIRST, 2).value,
        ws.cell(FIRST + 5, 1).value,
        ws.cell(FIRST + 10, 2).value,
    ] == [
        "成本指标",
        "经济成本指标",
        "产出指标",
        "质量指标",
    ]


def test_total_and_grade_close_the_table(provisional):
    ws = provisional
    assert [ws["A30"].value, round(ws["F30"].value, 2), ws["G30"].value, ws["H30"].value] == [
        "总分",
        100.0,
        87.98,
        "暂定：尚未定稿",
    ]
    assert [ws["A31"].value, ws["F31"].value] == ["评价等级", "良"]
    assert ws["A32"].value.startswith("本表为暂定稿。定稿前还缺：第 7 项「调解队伍装备保障数」得分低于分值")


def test_group_and_header_cells_are_merged(provisional):
    assert {str(r) for r in provisional.merged_cells.ranges} == MERGED


def test_print_setup_is_a4_landscape_fit_to_width_with_the_header_row_repeated(provisional):
    ws = provisional
    assert (ws.page_setup.orientation, ws.page_setup.paperSize) == ("landscape", 9)  # 9 = A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$9:$9"
    assert [b.id for b in ws.row_breaks.brk] == [14]  # page 2 starts with 产出指标, never inside a merged group
    cells = [
        cell
        for row in ws.iter_rows(min_row=3, max_row=31, max_col=8)
        for cell in row
        if not isinstance(cell, MergedCell)
    ]
    assert all(cell.border.left.style == cell.border.bottom.style == "thin" for cell in cells)
    assert ws["H16"].alignment.wrap_text and ws.column_dimensions["H"].width == 42


@pytest.mark.parametrize("text", ["=1+1", '=HYPERLINK("http://example.com")', "+86 21 1234", "-5 套"])
def test_user_text_stays_text_never_a_formula(sample_assessment, text):
    reasons = {7: text}
    ws = sheet(workbook(with_reasons(replace(sample_assessment, summary=text), reasons)))
    assert (ws["H16"].value, ws["H16"].data_type) == (text, "s")
    assert (ws["E8"].value, ws["E8"].data_type) == (text, "s")


def test_no_user_text_becomes_a_formula_or_an_error_anywhere_in_the_sheet(sample_assessment):
    project = sample_assessment.project.model_copy(update={"name": RISKY[0], "department": RISKY[4]})
    reasons = dict(enumerate(RISKY, start=1))
    data = workbook(with_reasons(replace(sample_assessment, project=project, summary=RISKY[1]), reasons))
    ws = sheet(data)
    cells = [ws["B3"], ws["B4"], ws["E8"], *(ws.cell(FIRST + seq - 1, 8) for seq in reasons)]
    assert [(c.value, c.data_type) for c in cells] == [(text, "s") for text in (RISKY[0], RISKY[4], RISKY[1], *RISKY)]
    assert formulas(data) == []


def test_export_command_writes_the_workbook_and_the_report(sample_url, tmp_path):
    xlsx, docx = tmp_path / "绩效自评表.xlsx", tmp_path / "绩效自评报告.docx"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kpi",
            "export",
            "--db",
            sample_url,
            "--as-of",
            "2024-12-31",
            "--out",
            str(xlsx),
            "--docx",
            str(docx),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"已导出：{xlsx}、{docx}（暂定）。总分 87.98，评价等级 良"
    assert sheet(xlsx.read_bytes())["G30"].value == 87.98
    assert docx.read_bytes()[:2] == b"PK"


def test_export_command_refuses_a_folder_that_does_not_exist(sample_url, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "kpi", "export", "--db", sample_url, "--out", str(tmp_path / "无此目录" / "x.xlsx")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("无法写入文件：")
