"""绩效自评报告.docx, read back with python-docx."""

import io
from dataclasses import replace
from datetime import date, datetime, timezone

import pytest
from docx import Document
from docx.oxml.ns import qn
from matplotlib import font_manager

from kpi.assessment import ActionRow
from kpi.report import BODY_FONT, CHART_FONTS, HEADING_FONT, budget_chart, chart_font, document

REASON = "一套装备因尺码不符退回，已于次年1月补发；今后发放前先核对尺码。"


@pytest.fixture(scope="module")
def report(sample_assessment):
    rows = [
        replace(r, deviation_reason=REASON if r.seq == 7 else r.deviation_reason)
        for r in sample_assessment.evaluation.indicators
    ]
    actions = [ActionRow(1, 7, "调解队伍装备保障数", "补发一套工作装备", "王芳", date(2025, 1, 31), None)]
    sa = replace(sample_assessment, evaluation=replace(sample_assessment.evaluation, indicators=rows), actions=actions)
    return Document(io.BytesIO(document(sa)))


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text]


def test_report_has_its_title_and_every_section(report):
    paragraphs = texts(report)
    assert paragraphs[0] == "2024年浦锦街道劳动关系项目绩效自评报告（暂定）"
    assert [p for p in paragraphs if p[:2] in {"一、", "二、", "三、", "四、", "五、", "六、"}] == [
        "一、项目概况",
        "二、预算执行情况",
        "三、绩效指标完成情况",
        "四、偏差原因分析及改进措施",
        "五、整改措施",
        "六、自评结论",
    ]
    assert (
        "截至2024年12月31日，项目预算 150,000.00 元，已支出 144,800.00 元，"
        "预算执行率 96.53%，预算执行率得分 9.65 分（分值 10 分）。" in paragraphs
    )


def test_indicator_table_lists_every_indicator_and_the_totals(report, sample_assessment):
    table = report.tables[1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "一级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "结果"]
    assert [row[2] for row in rows[1:21]] == [r.level3 for r in sample_assessment.evaluation.indicators]
    assert rows[7] == ["7", "产出指标", "调解队伍装备保障数", "=16.00(套)", "15 套", "3.33", "3.12", "未达成"]
    assert rows[18] == ["18", "效益指标", "长效管理机制健全有效性", "健全", "待评定", "10.00", "0.00", "待评定"]
    assert rows[-1] == ["", "总分", "", "", "", "100.00", "87.98", "良"]
    assert "自评总分 87.98 分，评价等级“良”（暂定）。" in texts(report)


def test_budget_table_has_each_line_and_the_total(report):
    rows = [[cell.text for cell in row.cells] for row in report.tables[0].rows]
    assert rows[1] == ["社会调解人员“以案定补”工作经费", "20,000.00", "19,800.00", "99.00%"]
    assert rows[-1] == ["合计", "150,000.00", "144,800.00", "96.53%"]


def test_deviations_and_corrective_actions_are_written_out(report):
    paragraphs = texts(report)
    assert f"7. 调解队伍装备保障数（得分 3.12 / 分值 3.33）：{REASON}" in paragraphs
    assert "14. 调解阵地建设完成及时性（得分 2.22 / 分值 3.33）：（尚未填写）" in paragraphs
    actions = [[cell.text for cell in row.cells] for row in report.tables[2].rows]
    assert actions == [
        ["指标", "整改措施", "责任人", "完成时限", "状态"],
        ["7. 调解队伍装备保障数", "补发一套工作装备", "王芳", "2025-01-31", "未办结"],
    ]


def test_both_charts_are_embedded(report):
    assert len(report.inline_shapes) == 2


def test_every_run_names_its_chinese_font_for_east_asian_text(report):
    runs = [run for p in report.paragraphs for run in p.runs]
    runs += [
        run
        for table in report.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
        for run in p.runs
    ]
    assert {run._element.rPr.rFonts.get(qn("w:eastAsia")) for run in runs if run.text} == {BODY_FONT, HEADING_FONT}


def test_a_cjk_font_installed_after_matplotlib_listed_its_fonts_is_still_found(monkeypatch):
    system = font_manager.FontManager().ttflist  # every font on the system, listed afresh
    cjk_files = {f.fname for f in system if f.name in CHART_FONTS}
    if not cjk_files:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    stale = [f for f in system if f.fname not in cjk_files]  # the list as cached before the install
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    assert chart_font() in CHART_FONTS


def test_charts_are_drawn_in_a_cjk_font_when_one_is_installed(sample_assessment):
    if chart_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    assert chart_font() in CHART_FONTS
    assert budget_chart(sample_assessment)[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_final_report_drops_provisional_and_says_who_finalized_when(sample_assessment):
    project = sample_assessment.project.model_copy(
        update={"finalized_by": "evaluator", "finalized_at": datetime(2025, 1, 10, 2, 0, tzinfo=timezone.utc)}
    )
    paragraphs = texts(Document(io.BytesIO(document(replace(sample_assessment, project=project, missing=[])))))
    assert paragraphs[0] == "2024年浦锦街道劳动关系项目绩效自评报告"
    assert (
        paragraphs[-1]
        == "本项目2024年度绩效自评总分 87.98 分，评价等级为“良”。本自评已于 2025-01-10 10:00 定稿（evaluator）。"
    )


def test_a_dollar_sign_in_a_budget_line_name_is_a_character_not_mathtext(sample_assessment):
    budget = sample_assessment.evaluation.budget
    lines = [replace(budget.lines[0], name=r"培训$\unknown{$经费"), *budget.lines[1:]]  # mathtext would fail on it
    sa = replace(
        sample_assessment, evaluation=replace(sample_assessment.evaluation, budget=replace(budget, lines=lines))
    )
    assert budget_chart(sa)[:8] == b"\x89PNG\r\n\x1a\n"
