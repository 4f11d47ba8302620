"""绩效自评报告.docx, read back with python-docx."""

import io
import re
from dataclasses import replace
from datetime import date, datetime, timezone

import pytest
from docx import Document
from docx.oxml.ns import qn
from matplotlib import font_manager

from data_model.evidence import Item
from kpi import report as report_module
from kpi.assessment import ActionRow
from kpi.report import BODY_FONT, CHART_FONTS, HEADING_FONT, budget_chart, chart_font, document, fitted_widths

CJK = 9 / 72 * 2.54  # cm: a Chinese character at the tables' 9 points
HEADING, SUBHEADING = re.compile("^[一二三四五六七八九十]、"), re.compile("^（[一二三四五六七八九十]）")

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


def tables(doc, *headers: str) -> list[list[list[str]]]:
    """The tables whose header row starts with `headers`, as rows of cell texts."""
    found = [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]
    return [rows for rows in found if rows[0][: len(headers)] == list(headers)]


def test_report_has_its_title_and_every_section(report):
    paragraphs = texts(report)
    assert (
        paragraphs[0] == "2024年浦锦街道劳动关系项目\n绩效自评报告（暂定）"
    )  # broken after the name, never inside （暂定）
    assert [p for p in paragraphs if HEADING.match(p)] == [
        "一、项目基本情况",
        "二、项目实施及管理情况",
        "三、绩效目标实现情况",
        "四、偏差原因分析",
        "五、存在问题及改进措施",
        "六、自评结论",
        "七、佐证材料清单",
    ]
    assert [p for p in paragraphs if SUBHEADING.match(p)] == [
        "（一）概况",
        "（二）资金来源及预算安排",
        "（三）绩效目标",
        "（一）组织实施",
        "（二）资金管理",
        "（三）制度建设",
        "（一）预算执行",
        "（二）成本指标",
        "（三）产出指标",
        "（四）效益指标",
        "（五）满意度指标",
        "（六）得分汇总",
        "（一）存在问题",
        "（二）改进措施",
    ]
    assert (
        "截至2024年12月31日，项目预算 150,000.00 元，已支出 144,800.00 元，"
        "预算执行率 96.53%，预算执行率得分 9.65 分（分值 10 分）。" in paragraphs
    )
    assert paragraphs[-2:] == ["浦锦街道社区事务受理服务中心", "（定稿后填写）"]  # 落款: the date once finalized


def test_every_heading_is_kept_with_what_follows(report):
    headings = [p for p in report.paragraphs if HEADING.match(p.text) or SUBHEADING.match(p.text)]
    assert len(headings) == 7 + 14
    assert headings and all(p.paragraph_format.keep_with_next for p in headings)


def test_pages_are_numbered_in_the_footer(report):
    footer = report.sections[0].footer.paragraphs[0]
    assert (
        "".join(t.text for t in footer._p.iter(qn("w:t"))) == "第 1 页，共 1 页"
    )  # the numbers are fields Word and LibreOffice fill in
    assert [f.get(qn("w:instr")) for f in footer._p.iter(qn("w:fldSimple"))] == ["PAGE", "NUMPAGES"]


def test_management_is_drafted_from_the_description_and_the_mechanisms(report):
    paragraphs = texts(report)
    organization = paragraphs[paragraphs.index("（一）组织实施") + 1]
    assert organization.startswith("项目由闵行区浦锦街道办事处主管，浦锦街道社区事务受理服务中心具体实施")
    system = paragraphs[paragraphs.index("（三）制度建设") + 1]
    assert system.startswith(
        "已建立长效管理机制，印发制度 3 项：《浦锦街道劳动关系矛盾预防协调中心工作制度》（浦锦受理〔2024〕1号"
    )


def test_indicators_are_reported_by_level_with_their_second_level(report, sample_assessment):
    levels = tables(report, "序号", "二级指标", "三级指标")
    assert [len(rows) - 1 for rows in levels] == [5, 10, 3, 2]  # 成本, 产出, 效益, 满意度
    body = [row for rows in levels for row in rows[1:]]
    assert [row[2] for row in body] == [r.level3 for r in sample_assessment.evaluation.indicators]
    assert body[6] == ["7", "数量指标", "调解队伍装备保障数", "= 16 套", "15 套", "3.33", "3.12", "未达成"]
    assert body[17] == ["18", "可持续影响指标", "长效管理机制健全有效性", "健全", "待评定", "10.00", "0.00", "待评定"]
    [totals] = tables(report, "指标", "分值", "得分")
    assert totals[0] == ["指标", "分值", "得分"]
    assert totals[1] == ["预算执行率", "10.00", "9.65"]
    assert totals[-1] == ["总分", "100.00", "87.98"]
    assert "自评总分 87.98 分，评价等级“良”（暂定）。" in texts(report)


def test_budget_tables_show_the_sources_in_wan_yuan_and_each_line_spent(report):
    [sources] = tables(report, "预算明细", "预算数（万元）")
    assert sources[1] == ["社会调解人员“以案定补”工作经费", "2.00"]
    assert sources[-1] == ["合计", "15.00"]
    assert "项目年度资金总额 15.00 万元，其中当年财政拨款 15.00 万元。预算按 5 项明细安排：" in texts(report)
    [spent] = tables(report, "预算明细", "预算数（元）")
    assert spent[1] == ["社会调解人员“以案定补”工作经费", "20,000.00", "19,800.00", "99.00%"]
    assert spent[-1] == ["合计", "150,000.00", "144,800.00", "96.53%"]


def test_deviations_and_corrective_actions_are_written_out(report):
    paragraphs = texts(report)
    assert f"7. 调解队伍装备保障数（得分 3.12 / 分值 3.33）：{REASON}" in paragraphs
    assert "14. 调解阵地建设完成及时性（得分 2.22 / 分值 3.33）：（尚未填写）" in paragraphs
    assert tables(report, "指标", "整改措施") == [
        [
            ["指标", "整改措施", "责任人", "完成时限", "状态"],
            ["7. 调解队伍装备保障数", "补发一套工作装备", "王芳", "2025-01-31", "未办结"],
        ]
    ]
    assert "7. 调解队伍装备保障数：补发一套工作装备（责任人 王芳，完成时限 2025-01-31）。" in paragraphs  # 改进措施


def test_evidence_lists_every_file_by_indicator_with_its_uploader_by_name(sample_assessment):
    moment = datetime(2024, 12, 31, 17, 0, tzinfo=timezone.utc)  # 1 January in Shanghai
    files = [
        Item(3, 8, "普法宣传活动完成情况", "签到表.jpg", 1, "a", "image/jpeg", "第一场", "staff", moment, None, None),
        Item(
            1, 18, "长效管理机制健全有效性", "制度.pdf", 1, "b", "application/pdf", "", "evaluator", moment, None, None
        ),
    ]
    doc = Document(io.BytesIO(document(replace(sample_assessment, files=files))))
    assert tables(doc, "序号", "指标", "文件名") == [
        [
            ["序号", "指标", "文件名", "说明", "上传人", "日期"],
            ["1", "8. 普法宣传活动完成情况", "签到表.jpg", "第一场", "演示工作人员", "2025-01-01"],
            ["2", "18. 长效管理机制健全有效性", "制度.pdf", "—", "演示评价人员", "2025-01-01"],
        ]
    ]


def test_a_project_without_files_says_so_under_its_evidence_heading(report):
    paragraphs = texts(report)
    assert paragraphs[paragraphs.index("七、佐证材料清单") + 1] == "暂无佐证材料。"


@pytest.mark.parametrize(
    ("headers", "rows", "widths"),
    [
        (["序号", "结果"], [["1", "未达成"]], [0.45 + 1.1 * 2 * CJK, 0.45 + 1.1 * 3 * CJK]),  # each as wide as it needs
        (  # a long text takes the room left; a short one is never broken
            ["序号", "说明"],
            [["1", "长" * 100]],
            [0.45 + 1.1 * 2 * CJK, 16 - 0.45 - 1.1 * 2 * CJK],
        ),
    ],
)
def test_columns_fit_their_content(headers, rows, widths):
    assert fitted_widths(headers, rows) == pytest.approx(widths)


def test_a_table_too_wide_for_whole_texts_keeps_only_short_ones_whole():
    headers = ["结果", "三级指标", "说明"]
    widths = fitted_widths(headers, [["未达成", "调解阵地建设完成及时性", "长" * 12]] * 3, total=9)
    assert widths[0] >= 0.45 + 1.1 * 3 * CJK  # 未达成 still fits
    assert sum(widths) == pytest.approx(9)


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
    assert paragraphs[0] == "2024年浦锦街道劳动关系项目\n绩效自评报告"
    assert paragraphs[-2:] == ["浦锦街道社区事务受理服务中心", "2025年1月10日"]  # 落款
    conclusion = paragraphs.index("六、自评结论")
    assert paragraphs[conclusion + 1 : conclusion + 3] == [
        "项目自评总分 87.98 分，评价等级为“良”。预算执行率 96.53%；"
        "20 项绩效指标中，达成 15 项，未达成 4 项，待评定 1 项。",
        "本自评已于 2025-01-10 10:00 定稿（演示评价人员）。",
    ]


def test_a_dollar_sign_in_a_budget_line_name_is_a_character_not_mathtext(sample_assessment):
    budget = sample_assessment.evaluation.budget
    lines = [replace(budget.lines[0], name=r"培训$\unknown{$经费"), *budget.lines[1:]]  # mathtext would fail on it
    sa = replace(
        sample_assessment, evaluation=replace(sample_assessment.evaluation, budget=replace(budget, lines=lines))
    )
    assert budget_chart(sa)[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_budget_charts_rates_read_as_the_budget_table_beside_it(report, sample_assessment, monkeypatch):
    [table] = tables(report, "预算明细", "预算数（元）", "执行数（元）", "执行率")
    monkeypatch.setattr(report_module, "_png", lambda fig: [t.get_text().strip() for t in fig.axes[0].texts])
    drawn = budget_chart(sample_assessment)[::-1]  # drawn from the bottom up
    assert drawn == [row[3] for row in table[1:-1]]
    assert "93.75%" in drawn  # 工作装备经费: two decimals, not the 93.8% a chart used to show
