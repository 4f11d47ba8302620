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
from kpi.export import HEADERS, PAGE_HEIGHT, _runs, funding, page_starts, workbook
from tests.formulas import RISKY, formulas

FIRST = 13  # the first indicator row
TOTAL = FIRST + 20  # 总分; 评价等级, 评价结论, 存在问题, 改进措施, 填报人, 填报日期 and the note follow
MERGED = {
    "A1:H1",
    "A2:C2",
    "B3:H3",
    "B4:D4",
    "F4:H4",
    "A5:A9",  # 项目资金（万元）: the header row and four funding rows
    "A10:A11",
    "B10:D10",
    "E10:H10",
    "B11:D11",
    "E11:H11",
    "A13:A16",
    "B13:B16",  # 成本指标 / 经济成本指标: 5 indicators, the 5th on page 2 (a cell of its own there)
    "A18:A27",
    "B18:B22",
    "B23:B25",
    "B26:B27",  # 产出指标: 数量 5, 质量 3, 时效 2
    "A28:A30",
    "B28:B29",  # 效益指标: 社会效益 2, 可持续影响 1 (not merged)
    "A31:A32",
    "B31:B32",  # 满意度指标
    "A33:E33",
    "A34:E34",
    "F34:H34",  # 总分, 评价等级
    "B35:H35",
    "B36:H36",
    "B37:H37",  # 评价结论, 存在问题, 改进措施
    "B38:C38",
    "F38:G38",
    "B39:C39",
    "E39:H39",  # 填报人 / 项目负责人 / 财务负责人, 填报日期 / 单位（盖章）
    "A40:H40",  # the note
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
    assert final["A40"].value == "定稿：演示评价人员　2025-01-10 10:00"  # by 姓名, in Beijing time


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
    assert [ws.cell(5, c).value for c in range(1, 9)] == [
        "项目资金\n（万元）",
        None,
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    assert ws["H2"].value == "金额单位：万元"
    funding = [[ws.cell(row, c).value for c in range(2, 9)] for row in range(6, 10)]
    assert [[round(v, 4) if isinstance(v, float) else v for v in row] for row in funding] == [
        ["年度资金总额", 15.0, 15.0, 14.48, 10.0, 0.9653, 9.65],
        ["其中：当年财政拨款", 15.0, 15.0, 14.48, "—", 0.9653, "—"],
        ["上年结转资金", 0.0, 0.0, 0.0, "—", "—", "—"],
        ["其他资金", 0.0, 0.0, 0.0, "—", "—", "—"],
    ]
    assert [ws.cell(6, c).number_format for c in range(3, 9)] == [
        "#,##0.00",
        "#,##0.00",
        "#,##0.00",
        "0.00",
        "0.00%",
        "0.00",
    ]
    assert ws["B11"].value == sample_assessment.project.annual_goal
    assert ws["E11"].value == sample_assessment.summary
    assert ws["E11"].value.startswith("截至2024年12月31日，项目预算 150,000.00 元，已支出 144,800.00 元")


def test_every_indicator_has_its_row_with_numbers_as_numbers(sample_assessment, provisional):
    ws = provisional
    assert [ws.cell(FIRST - 1, c).value for c in range(1, 9)] == list(HEADERS)
    rows = sample_assessment.evaluation.indicators
    assert [ws.cell(FIRST + i, 3).value for i in range(20)] == [r.level3 for r in rows]
    assert [ws.cell(FIRST + i, 4).value for i in range(20)] == [r.target.text for r in rows]
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
    assert [ws[f"A{TOTAL}"].value, round(ws[f"F{TOTAL}"].value, 2), ws[f"G{TOTAL}"].value, ws[f"H{TOTAL}"].value] == [
        "总分",
        100.0,
        87.98,
        "暂定：尚未定稿",
    ]
    assert [ws[f"A{TOTAL + 1}"].value, ws[f"F{TOTAL + 1}"].value] == ["评价等级", "良"]
    assert ws["A40"].value.startswith("本表为暂定稿。定稿前还缺：第 7 项「调解队伍装备保障数」得分低于分值")


def test_conclusion_problems_and_improvements_are_drafted_from_the_data(provisional):
    ws = provisional
    assert [[ws.cell(row, c).value for c in (1, 2)] for row in range(35, 38)] == [
        [
            "评价结论",
            "项目自评总分 87.98 分，评价等级为“良”。预算执行率 96.53%；"
            "20 项绩效指标中，达成 15 项，未达成 4 项，待评定 1 项。",
        ],
        [
            "存在问题",
            "7. 调解队伍装备保障数：完成 15 套，较目标少 1 套；14. 调解阵地建设完成及时性：按期建成 2 家，应建成 3 家，"
            "1 家逾期；16. 有效投诉处置率：有效投诉 40 件，已办结 39 件，1 件未办结；20. 用工单位满意度：调查用工单位 "
            "60 家次，满意 50 家次，满意度 83.33%，低于目标 85.00%。",
        ],
        ["改进措施", "针对存在问题，加强日常监测和数据报送，确保年度绩效目标全面完成。"],
    ]


def test_a_draft_signature_block_waits_for_finalizing(provisional):
    ws = provisional
    assert [[ws.cell(row, c).value for c in range(1, 9)] for row in (38, 39)] == [
        ["填报人", "（定稿后填写）", None, "项目负责人", None, "财务负责人", None, None],  # blank until written
        ["填报日期", "（定稿后填写）", None, "单位（盖章）", "浦锦街道社区事务受理服务中心", None, None, None],
    ]


def test_a_final_form_is_signed_with_names_the_filling_date_and_the_leads(sample_assessment):
    written = {"project_lead": "李明", "finance_lead": "赵静", "conclusion": "=项目总体完成较好"}
    sa = replace(finalized(sample_assessment), written=written, names={"evaluator": "王芳", "admin": "管理员"})
    ws = sheet(workbook(sa))
    assert [[ws.cell(row, c).value for c in range(1, 9)] for row in (38, 39)] == [
        ["填报人", "王芳", None, "项目负责人", "李明", "财务负责人", None, "赵静"],
        ["填报日期", "2025年1月10日", None, "单位（盖章）", "浦锦街道社区事务受理服务中心", None, None, None],
    ]
    assert ws["A40"].value == "定稿：王芳　2025-01-10 10:00"
    assert (ws["B35"].value, ws["B35"].data_type) == ("=项目总体完成较好", "s")  # written, not a formula


@pytest.mark.parametrize(
    ("carried_over", "other_funds", "rows"),
    [
        (  # by default all of it is 当年财政拨款, which has spent it all
            0,
            0,
            [(15.0, 14.48, 0.9653), (15.0, 14.48, 0.9653), (0.0, 0.0, None), (0.0, 0.0, None)],
        ),
        (  # several sources: what each spent is not booked, the parts add up to the total as shown
            20_000,
            5_555,
            [(15.0, 14.48, 0.9653), (12.44, None, None), (2.0, None, None), (0.56, None, None)],
        ),
        (  # one source other than 当年财政拨款 holds it all: it spent it all
            0,
            150_000,
            [(15.0, 14.48, 0.9653), (0.0, 0.0, None), (0.0, 0.0, None), (15.0, 14.48, 0.9653)],
        ),
    ],
)
def test_the_funding_block_splits_the_budget_by_source_in_wan_yuan(sample_assessment, carried_over, other_funds, rows):
    project = sample_assessment.project.model_copy(update={"carried_over": carried_over, "other_funds": other_funds})
    found = funding(replace(sample_assessment, project=project))
    assert [f.label for f in found] == ["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"]
    assert [(f.planned, f.spent, f.execution_rate and round(f.execution_rate, 4)) for f in found] == rows
    assert round(sum(f.planned for f in found[1:]), 2) == found[0].planned


@pytest.mark.parametrize(
    ("keys", "cuts", "runs"),
    [
        ("aaab", set(), [(0, 2), (3, 3)]),
        ("aaab", {2}, [(0, 1), (2, 2), (3, 3)]),  # a page starting inside a group cuts it
        ("aaab", {3}, [(0, 2), (3, 3)]),  # … and one starting between groups cuts nothing
        ("abba", {1, 2}, [(0, 0), (1, 1), (2, 2), (3, 3)]),
    ],
)
def test_groups_are_merged_per_page(keys, cuts, runs):
    assert _runs(list(keys), lambda key: key, frozenset(cuts)) == runs


@pytest.mark.parametrize(
    ("heights", "top", "starts"),
    [
        ([100, 100], 100, []),  # all on one page
        ([PAGE_HEIGHT / 2 - 20] * 3, 20, [2]),  # a page is filled as far as it goes, the rest starts the next
        ([PAGE_HEIGHT - 100, 100, PAGE_HEIGHT], 110, [0, 1, 2]),  # too tall for what is left: the next page
        ([PAGE_HEIGHT * 2], 20, []),  # taller than a page on its own: not put off to a page of its own
    ],
)
def test_pages_are_cut_where_they_fill_up(heights, top, starts):
    assert page_starts(heights, top, repeated=20) == starts


def test_group_and_header_cells_are_merged(provisional):
    assert {str(r) for r in provisional.merged_cells.ranges} == MERGED


def test_print_setup_is_a4_landscape_fit_to_width_with_the_header_row_repeated(provisional):
    ws = provisional
    assert (ws.page_setup.orientation, ws.page_setup.paperSize) == ("landscape", 9)  # 9 = A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$12:$12"
    assert [b.id for b in ws.row_breaks.brk] == [16, 34]  # pages start with the 5th indicator and 评价结论
    assert ws.page_margins.footer < ws.page_margins.bottom  # the footer inside the margin, under the last row
    cells = [
        cell
        for row in ws.iter_rows(min_row=3, max_row=39, max_col=8)
        for cell in row
        if not isinstance(cell, MergedCell)
    ]
    assert all(cell.border.left.style == cell.border.bottom.style == "thin" for cell in cells)
    assert ws["H16"].alignment.wrap_text and ws.column_dimensions["H"].width == 36


@pytest.mark.parametrize("text", ["=1+1", '=HYPERLINK("http://example.com")', "+86 21 1234", "-5 套"])
def test_user_text_stays_text_never_a_formula(sample_assessment, text):
    reasons = {7: text}
    ws = sheet(workbook(with_reasons(replace(sample_assessment, summary=text), reasons)))
    assert (ws["H19"].value, ws["H19"].data_type) == (text, "s")
    assert (ws["E11"].value, ws["E11"].data_type) == (text, "s")


def test_no_user_text_becomes_a_formula_or_an_error_anywhere_in_the_sheet(sample_assessment):
    project = sample_assessment.project.model_copy(update={"name": RISKY[0], "department": RISKY[4]})
    reasons = dict(enumerate(RISKY, start=1))
    data = workbook(with_reasons(replace(sample_assessment, project=project, summary=RISKY[1]), reasons))
    ws = sheet(data)
    cells = [ws["B3"], ws["B4"], ws["E11"], *(ws.cell(FIRST + seq - 1, 8) for seq in reasons)]
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
    assert sheet(xlsx.read_bytes())[f"G{TOTAL}"].value == 87.98
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
