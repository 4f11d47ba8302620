"""绩效自评报告.docx: the self-assessment written up for submission, with its tables and charts.

Every run carries its Chinese font in w:eastAsia too: Word takes CJK glyphs from that attribute
alone, and without it falls back to a Latin font's substitute.
"""

import io
import unicodedata
from collections.abc import Callable
from contextlib import contextmanager
from typing import NamedTuple

import matplotlib
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from matplotlib import font_manager
from matplotlib.figure import Figure

from data_model.audit import local_time
from data_model.targets import WAN
from kpi import scoring
from kpi.assessment import TEXTS, SelfAssessment, Standing, rescale_note
from kpi.drafts import needs_reason
from kpi.evidence import numbered
from kpi.export import actual_cell, funding, score_cell
from kpi.formatting import chinese_date, money, percent, target
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
            ax.text(line.planned, i, f" {percent(line.execution_rate)}", va="center", fontsize=8)
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

TEXT_WIDTH = 16.0  # cm between the margins of A4 portrait
TABLE_SIZE = 9  # points
CJK_CM, LATIN_CM, CELL_PADDING_CM = TABLE_SIZE / 72 * 2.54, TABLE_SIZE / 72 * 2.54 * 0.62, 0.45
WHOLE = 12  # a cell text this short (未达成, 2024年2月20日, 浦锦受理〔2024〕1号) never wraps: its column is as wide
CJK_RUN = 7  # a longer text may wrap, but after no fewer Chinese characters than this (经济成本指标 stays whole)


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


def _heading(doc, text: str, *, size: float = 14, font: str = HEADING_FONT) -> None:
    """A heading, on the same page as what follows it."""
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before, paragraph.paragraph_format.space_after = Pt(10), Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, text, font=font, size=size)


def _parts(doc, sa: SelfAssessment, parts: list[tuple[str, Callable[[WordDocument, SelfAssessment], None]]]) -> None:
    """Sub-sections numbered （一）, （二） …"""
    for number, (title, build) in enumerate(parts, start=1):
        _heading(doc, f"（{NUMERALS[number - 1]}）{title}", size=12, font=BODY_FONT)
        build(doc, sa)


def _cm(text: str) -> float:
    return sum(CJK_CM if unicodedata.east_asian_width(ch) in "WF" else LATIN_CM for ch in text)


def _unbroken(text: str, whole: int) -> str:
    """The longest part of a cell text that must not wrap: a text of `whole` characters or fewer whole, else its
    longest word (a number with its sign and unit, =100.00(%)), a Chinese one cut to a few characters."""
    if len(text) <= whole:
        return text
    words = [w[:CJK_RUN] if any(unicodedata.east_asian_width(ch) in "WF" for ch in w) else w for w in text.split()]
    return max(words, key=_cm)


def fitted_widths(headers: list[str], rows: list[list[str]], total: float = TEXT_WIDTH) -> list[float]:
    """Column widths (cm) sized to their content: every column as wide as its longest short text or word (so that
    未达成 or =100.00(%) never breaks; when that is too wide for the page, only the shorter texts are kept whole),
    the rest of the width shared by how much more the longer texts would take."""
    columns = list(zip(headers, *rows))
    for whole in (WHOLE, CJK_RUN):
        least = [1.1 * max(_cm(_unbroken(t, whole)) for t in c) + CELL_PADDING_CM for c in columns]  # a tenth in hand
        if sum(least) <= total:
            break
    wanted = [max(_cm(t) for t in c) + CELL_PADDING_CM for c in columns]
    spare, more = total - sum(least), [max(0.0, w - m) for w, m in zip(wanted, least)]
    if spare < 0:
        return [m * total / sum(least) for m in least]
    share = min(1.0, spare / sum(more)) if sum(more) else 0.0
    return [m + extra * share for m, extra in zip(least, more)]


def _table(doc, headers: list[str], rows: list[list[str]]) -> Table:
    widths = fitted_widths(headers, rows)
    table = doc.add_table(rows=0, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)  # the grid: LibreOffice and WPS lay the table out from it
    for values in [headers, *rows]:
        head = values is headers
        row = table.add_row()
        if head:  # repeated at the top of every page the table runs onto
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell, value, width in zip(row.cells, values, widths):
            cell.width = Cm(width)
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if len(value) > 12 else WD_ALIGN_PARAGRAPH.CENTER
            _run(paragraph, value, size=TABLE_SIZE, bold=head, font=HEADING_FONT if head else BODY_FONT)
    return table


def _picture(doc, png: bytes) -> None:
    doc.add_picture(io.BytesIO(png), width=Cm(15.5))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _page_numbers(section) -> None:
    """第 n 页，共 m 页 centred in the footer: the numbers are fields the word processor fills in."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, field in (("第 ", None), ("1", "PAGE"), (" 页，共 ", None), ("1", "NUMPAGES"), (" 页", None)):
        run = _run(paragraph, text, size=10)
        if field is not None:
            simple = OxmlElement("w:fldSimple")
            simple.set(qn("w:instr"), field)
            run._element.addprevious(simple)
            simple.append(run._element)


def _provisional(sa: SelfAssessment) -> str:
    return "" if sa.standing is Standing.FINAL else "（暂定）"


def _actual(r) -> str:
    value, _ = actual_cell(r)
    return value if isinstance(value, str) else actual_text(r.metric_key, r.actual, r.unit)


def _score(r) -> str:
    return score if isinstance(score := score_cell(r), str) else f"{score:.2f}"


# 一、项目基本情况


def _overview(doc, sa: SelfAssessment) -> None:
    project = sa.project
    _para(
        doc,
        f"项目名称：{project.name}。主管部门：{project.department}。实施单位：{project.implementer}。"
        f"项目年度预算 {money(sa.evaluation.budget.planned, '万元')}。",
    )
    if project.overall_goal:
        _para(doc, f"总体目标：{project.overall_goal}")


def _funding(doc, sa: SelfAssessment) -> None:
    rows = funding(sa)
    total, parts = rows[0], [row for row in rows[1:] if row.planned]
    sources = "、".join(f"{row.label.removeprefix('其中：')} {money(row.planned)} 万元" for row in parts)
    _para(
        doc,
        f"项目年度资金总额 {money(total.planned)} 万元，其中{sources}。"
        f"预算按 {len(sa.evaluation.budget.lines)} 项明细安排：",
    )
    _table(
        doc,
        ["预算明细", "预算数（万元）"],
        [[line.name, money(line.planned / WAN)] for line in sa.evaluation.budget.lines]
        + [["合计", money(total.planned)]],
    )


def _goals(doc, sa: SelfAssessment) -> None:
    levels = "、".join(dict.fromkeys(r.level1 for r in sa.evaluation.indicators))
    _para(doc, f"年度目标：{sa.project.annual_goal}")
    _para(doc, f"围绕年度目标设置{levels}共 {len(sa.evaluation.indicators)} 项绩效指标，逐项说明见第三部分。")


def _basics(doc, sa: SelfAssessment) -> None:
    _parts(doc, sa, [("概况", _overview), ("资金来源及预算安排", _funding), ("绩效目标", _goals)])


# 二、项目实施及管理情况


def _written(key: str) -> Callable[[WordDocument, SelfAssessment], None]:
    return lambda doc, sa: [_para(doc, line) for line in sa.text(key).splitlines() if line.strip()]


def _management(doc, sa: SelfAssessment) -> None:
    _parts(doc, sa, [(TEXTS[key].label, _written(key)) for key in ("organization", "funds", "system")])


# 三、绩效目标实现情况


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
    )
    _picture(doc, budget_chart(sa))


def _level(level1: str) -> Callable[[WordDocument, SelfAssessment], None]:
    """One 一级指标's indicators, one row each."""

    def build(doc, sa: SelfAssessment) -> None:
        rows = [r for r in sa.evaluation.indicators if r.level1 == level1]
        weight, score = sum(r.weight for r in rows), sum(r.score for r in rows)
        _para(doc, f"{level1}共 {len(rows)} 项，分值 {weight:.2f} 分，得分 {score:.2f} 分。")
        _table(
            doc,
            ["序号", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "结果"],
            [
                [
                    str(r.seq),
                    r.level2,
                    r.level3,
                    target(r.target),
                    _actual(r),
                    f"{r.weight:.2f}",
                    _score(r),
                    scoring.STATUS_LABELS[r.status],
                ]
                for r in rows
            ],
        )

    return build


def _totals(doc, sa: SelfAssessment) -> None:
    ev, b = sa.evaluation, sa.evaluation.budget
    _para(doc, sa.summary)
    levels = dict.fromkeys(r.level1 for r in ev.indicators)
    rows = [["预算执行率", f"{b.weight:.2f}", f"{b.score:.2f}"]] + [
        [
            level,
            f"{sum(r.weight for r in ev.indicators if r.level1 == level):.2f}",
            f"{sum(r.score for r in ev.indicators if r.level1 == level):.2f}",
        ]
        for level in levels
    ]
    _table(doc, ["指标", "分值", "得分"], [*rows, ["总分", f"{ev.applicable_weight:.2f}", f"{ev.total_score:.2f}"]])
    note = rescale_note(ev)
    _para(
        doc,
        f"自评总分 {ev.total_score:.2f} 分，评价等级“{ev.grade}”{_provisional(sa)}"
        + (f"（{note}）。" if note else "。"),
    )
    _picture(doc, score_chart(sa))


def _results(doc, sa: SelfAssessment) -> None:
    levels = dict.fromkeys(r.level1 for r in sa.evaluation.indicators)
    _parts(doc, sa, [("预算执行", _budget), *((level, _level(level)) for level in levels), ("得分汇总", _totals)])


# 四 – 七


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
    _written("improvements")(doc, sa)
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
        )


def _problems_and_actions(doc, sa: SelfAssessment) -> None:
    _parts(doc, sa, [("存在问题", _written("problems")), ("改进措施", _actions)])


def _conclusion(doc, sa: SelfAssessment) -> None:
    project = sa.project
    _written("conclusion")(doc, sa)
    if sa.standing is Standing.FINAL:
        _para(doc, f"本自评已于 {local_time(project.finalized_at)} 定稿（{sa.name(project.finalized_by)}）。")
    else:
        missing = "，定稿前还需：" + "；".join(sa.missing) + "。" if sa.missing else "，尚未定稿。"
        _para(doc, "本报告为暂定稿" + missing)


def _evidence(doc, sa: SelfAssessment) -> None:
    """佐证材料清单: every file attached to an indicator, numbered as `kpi export --evidence` names them."""
    if not sa.files:
        _para(doc, "暂无佐证材料。")
        return
    _table(
        doc,
        ["序号", "指标", "文件名", "说明", "上传人", "日期"],
        [
            [
                str(n),
                f"{f.seq}. {f.indicator}",
                f.file_name,
                f.note or "—",
                sa.name(f.uploaded_by),
                local_time(f.uploaded_at)[:10],
            ]
            for n, f in numbered(sa.files)
        ],
    )


class Section(NamedTuple):
    """A numbered section of the report: its heading, and what writes its body."""

    title: str
    build: Callable[[WordDocument, SelfAssessment], None]


SECTIONS = (
    Section("项目基本情况", _basics),
    Section("项目实施及管理情况", _management),
    Section("绩效目标实现情况", _results),
    Section("偏差原因分析", _deviations),
    Section("存在问题及改进措施", _problems_and_actions),
    Section("自评结论", _conclusion),
    Section("佐证材料清单", _evidence),
)


def document(sa: SelfAssessment) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    _page_numbers(section)

    title = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _run(title, sa.project.name, size=20, font=HEADING_FONT).add_break()  # the name, then what the document is
    _run(title, f"绩效自评报告{_provisional(sa)}", size=20, font=HEADING_FONT)
    _para(
        doc,
        f"{sa.project.implementer}　统计截至{chinese_date(sa.evaluation.as_of)}",
        size=12,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    for number, (heading, build) in enumerate(SECTIONS, start=1):
        _heading(doc, f"{NUMERALS[number - 1]}、{heading}")
        build(doc, sa)

    _para(doc, indent=False)  # 落款: the unit and the day, at the right
    for line in (sa.project.implementer, sa.filled_on):
        _para(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
