"""绩效自评报告.docx: the self-assessment written up for submission, with its tables and charts.

Every run carries its Chinese font in w:eastAsia too: Word takes CJK glyphs from that attribute
alone, and without it falls back to a Latin font's substitute.
"""

import io
from collections.abc import Callable
from contextlib import contextmanager
from typing import NamedTuple

import matplotlib
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from matplotlib import font_manager
from matplotlib.figure import Figure

from data_model.audit import local_time
from kpi import scoring
from kpi.assessment import SelfAssessment, Standing, rescale_note
from kpi.drafts import needs_reason
from kpi.export import actual_cell, score_cell
from kpi.formatting import chinese_date, money, percent
from kpi.metrics import actual_text
from kpi.monitoring import LIGHT_COLOURS

FILE_NAME = "绩效自评报告.docx"
BODY_FONT, HEADING_FONT = "仿宋", "黑体"
CHART_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei")
NUMERALS = "一二三四五六七八九十"


# Charts -------------------------------------------------------------------------------------------


def _known_cjk_font() -> str | None:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CHART_FONTS if name in installed), None)


def chart_font() -> str | None:
    """A CJK font matplotlib can use (fonts-noto-cjk on Debian); None leaves the default.

    matplotlib keeps the font list it found on its first run and does not look again, so a font
    installed later (as CI installs fonts-noto-cjk) is added from the system's fonts here."""
    found = _known_cjk_font()
    if found is None:
        known = {f.fname for f in font_manager.fontManager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known:
                try:
                    font_manager.fontManager.addfont(path)
                except Exception:  # noqa: BLE001  (as matplotlib's own scan does: a font it cannot use, such as a bitmap emoji font, is skipped)
                    continue
        found = _known_cjk_font()
    return found


@contextmanager
def _chart_style():
    font = chart_font()
    # Names come from users: a "$" in one is a character, never mathtext (which could also fail to parse).
    style = {"font.family": [font] if font else ["sans-serif"], "axes.unicode_minus": False, "text.parse_math": False}
    with matplotlib.rc_context(style):
        yield


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=200, bbox_inches="tight")
    return out.getvalue()


def budget_chart(sa: SelfAssessment) -> bytes:
    """预算执行: planned against spent, one bar pair per budget line."""
    lines = sa.evaluation.budget.lines
    with _chart_style():
        fig = Figure(figsize=(6.5, 0.5 * len(lines) + 1.2))
        ax = fig.subplots()
        names = [line.name for line in lines][::-1]
        ax.barh(names, [line.planned for line in lines][::-1], color="#d9d9d9", label="预算数")
        ax.barh(names, [line.spent for line in lines][::-1], height=0.45, color="#2f6db5", label="执行数")
        for i, line in enumerate(lines[::-1]):
            ax.text(line.planned, i, f" {percent(line.execution_rate, 1)}", va="center", fontsize=8)
        ax.set_xlabel("金额（元）")
        ax.set_title("各预算明细执行情况")
        ax.legend(loc="lower right", fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        return _png(fig)


def score_chart(sa: SelfAssessment) -> bytes:
    """得分率 of every indicator (score ÷ weight), coloured by its traffic light."""
    rows = sa.evaluation.indicators[::-1]
    with _chart_style():
        fig = Figure(figsize=(6.5, 0.3 * len(rows) + 1.2))
        ax = fig.subplots()
        labels = [f"{r.seq}. {r.level3}" for r in rows]
        ax.barh(
            labels,
            [100 * r.score / r.weight if r.weight else 0 for r in rows],
            color=[LIGHT_COLOURS[r.light] for r in rows],
        )
        ax.axvline(100, color="#555555", linewidth=0.8, linestyle="--")
        ax.set_xlim(0, 105)
        ax.set_xlabel("得分率（%）")
        ax.set_title("各项指标得分率（绿：达成　黄：关注　红：预警　灰：无数据、待评定或不适用）", fontsize=10)
        ax.tick_params(axis="y", labelsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        return _png(fig)


# Document -----------------------------------------------------------------------------------------


def _run(paragraph, text: str, *, font: str = BODY_FONT, size: float = 12, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.font.bold = font, Pt(size), bold
    run.font.color.rgb = RGBColor(0, 0, 0)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return run


def _para(
    doc, text: str = "", *, size: float = 12, bold: bool = False, font: str = BODY_FONT, align=None, indent: bool = True
):
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(size * 2) if indent else None
    paragraph.paragraph_format.space_after = Pt(4)
    if align is not None:
        paragraph.alignment = align
    if text:
        _run(paragraph, text, font=font, size=size, bold=bold)
    return paragraph


def _heading(doc, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before, paragraph.paragraph_format.space_after = Pt(10), Pt(6)
    _run(paragraph, text, font=HEADING_FONT, size=14)


def _table(doc, headers: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    table = doc.add_table(rows=0, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)  # the grid: LibreOffice and WPS lay the table out from it
    for values in [headers, *rows]:
        head = values is headers
        for cell, value, width in zip(table.add_row().cells, values, widths):
            cell.width = Cm(width)
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if len(value) > 12 else WD_ALIGN_PARAGRAPH.CENTER
            _run(paragraph, value, size=9, bold=head, font=HEADING_FONT if head else BODY_FONT)
    return table


def _picture(doc, png: bytes) -> None:
    doc.add_picture(io.BytesIO(png), width=Cm(15.5))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _provisional(sa: SelfAssessment) -> str:
    return "" if sa.standing is Standing.FINAL else "（暂定）"


def _actual(r) -> str:
    value, _ = actual_cell(r)
    return value if isinstance(value, str) else actual_text(r.metric_key, r.actual, r.unit)


def _overview(doc, sa: SelfAssessment) -> None:
    project = sa.project
    _para(
        doc,
        f"项目名称：{project.name}。主管部门：{project.department}。实施单位：{project.implementer}。"
        f"项目年度预算 {money(sa.evaluation.budget.planned)} 元。",
    )
    if project.overall_goal:
        _para(doc, f"总体目标：{project.overall_goal}")
    _para(doc, f"年度目标：{project.annual_goal}")


def _budget(doc, sa: SelfAssessment) -> None:
    ev, b = sa.evaluation, sa.evaluation.budget
    _para(
        doc,
        f"截至{chinese_date(ev.as_of)}，项目预算 {money(b.planned)} 元，已支出 {money(b.spent)} 元，预算执行率 "
        f"{percent(b.execution_rate)}，预算执行率得分 {b.score:.2f} 分（分值 {b.weight:.0f} 分）。",
    )
    _table(
        doc,
        ["预算明细", "预算数（元）", "执行数（元）", "执行率"],
        [[line.name, money(line.planned), money(line.spent), percent(line.execution_rate)] for line in b.lines]
        + [["合计", money(b.planned), money(b.spent), percent(b.execution_rate)]],
        [7.5, 3, 3, 2.5],
    )
    _picture(doc, budget_chart(sa))


def _indicators(doc, sa: SelfAssessment) -> None:
    ev, b = sa.evaluation, sa.evaluation.budget
    _para(doc, sa.summary)
    rows = [
        [
            str(r.seq),
            r.level1,
            r.level3,
            r.target,
            _actual(r),
            f"{r.weight:.2f}",
            score if isinstance(score := score_cell(r), str) else f"{score:.2f}",
            scoring.STATUS_LABELS[r.status],
        ]
        for r in ev.indicators
    ]
    rows += [
        ["", "预算执行", "预算执行率", "100%", percent(b.execution_rate), f"{b.weight:.2f}", f"{b.score:.2f}", ""],
        ["", "总分", "", "", "", f"{ev.applicable_weight:.2f}", f"{ev.total_score:.2f}", ev.grade],
    ]
    _table(
        doc,
        ["序号", "一级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "结果"],
        rows,
        [0.9, 1.8, 4.1, 2.3, 2.4, 1.4, 1.4, 1.3],
    )
    note = rescale_note(ev)
    _para(
        doc,
        f"自评总分 {ev.total_score:.2f} 分，评价等级“{ev.grade}”{_provisional(sa)}"
        + (f"（{note}）。" if note else "。"),
    )
    _picture(doc, score_chart(sa))


def _deviations(doc, sa: SelfAssessment) -> None:
    short = [r for r in sa.evaluation.indicators if needs_reason(r)]
    left_out = [r for r in sa.evaluation.indicators if r.status == scoring.Status.NOT_APPLICABLE]
    if not short:
        _para(doc, "各项指标均取得满分，无偏差。")
    for r in short:
        paragraph = _para(doc)
        _run(paragraph, f"{r.seq}. {r.level3}（得分 {r.score:.2f} / 分值 {r.weight:.2f}）：", bold=True)
        _run(paragraph, r.deviation_reason or "（尚未填写）")
    for r in left_out:
        paragraph = _para(doc)
        _run(paragraph, f"{r.seq}. {r.level3}（不适用，分值 {r.weight:.2f} 不计入总分）：", bold=True)
        _run(paragraph, r.not_applicable_reason)


def _actions(doc, sa: SelfAssessment) -> None:
    if sa.actions:
        _table(
            doc,
            ["指标", "整改措施", "责任人", "完成时限", "状态"],
            [
                [
                    f"{a.seq}. {a.indicator}",
                    a.action,
                    a.owner,
                    a.due_on.isoformat(),
                    f"已办结（{a.closed_on.isoformat()}）" if a.closed_on else "未办结",
                ]
                for a in sa.actions
            ],
            [4, 6, 2, 2.3, 2.5],
        )
    else:
        _para(doc, "暂无整改措施。")


def _conclusion(doc, sa: SelfAssessment) -> None:
    ev, project = sa.evaluation, sa.project
    conclusion = f"本项目{project.year}年度绩效自评总分 {ev.total_score:.2f} 分，评价等级为“{ev.grade}”。"
    if sa.standing is Standing.FINAL:
        conclusion += f"本自评已于 {local_time(project.finalized_at)} 定稿（{project.finalized_by}）。"
    else:
        missing = "，定稿前还需：" + "；".join(sa.missing) + "。" if sa.missing else "，尚未定稿。"
        conclusion += "本报告为暂定稿" + missing
    _para(doc, conclusion)


class Section(NamedTuple):
    """A numbered section of the report: its heading, and what writes its body."""

    title: str
    build: Callable[[WordDocument, SelfAssessment], None]


SECTIONS = (
    Section("项目概况", _overview),
    Section("预算执行情况", _budget),
    Section("绩效指标完成情况", _indicators),
    Section("偏差原因分析及改进措施", _deviations),
    Section("整改措施", _actions),
    Section("自评结论", _conclusion),
)


def document(sa: SelfAssessment) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)

    _para(
        doc,
        f"{sa.project.name}绩效自评报告{_provisional(sa)}",
        size=20,
        font=HEADING_FONT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    _para(
        doc,
        f"{sa.project.implementer}　统计截至{chinese_date(sa.evaluation.as_of)}",
        size=12,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    for number, (title, build) in enumerate(SECTIONS, start=1):
        _heading(doc, f"{NUMERALS[number - 1]}、{title}")
        build(doc, sa)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
