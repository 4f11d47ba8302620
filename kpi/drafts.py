"""Factual first drafts the evaluator edits: each deviation (偏差原因分析), the 实际完成情况 summary and the
forms' texts (评价结论, 存在问题, 改进措施, 组织实施, 资金管理, 制度建设). Pure."""

from data_model.models import Mechanism, Project
from kpi import scoring
from kpi.evaluate import Evaluation, IndicatorResult
from kpi.formatting import chinese_date, money, percent, quantity
from kpi.metrics import REGISTRY, actual_text
from kpi.scoring import Status


def below_weight(r: IndicatorResult) -> bool:
    """Scores as shown (two decimals) short of the weight, and not left out as 不适用."""
    return r.status != Status.NOT_APPLICABLE and round(r.score, 2) < round(r.weight, 2)


def needs_reason(r: IndicatorResult) -> bool:
    """Deviates from its target: scored below its weight, or over-achieved; it needs a 偏差原因分析及改进措施."""
    return below_weight(r) or r.over_achieved


def _over_achieved(r: IndicatorResult) -> str:
    target = r.target
    off = abs(r.actual / target.threshold - 1)
    way = "低于" if target.is_reverse else "超出"
    return (
        f"实际完成值 {actual_text(r.metric_key, r.actual, r.unit)}，{way}年度指标值 "
        f"{quantity(target.threshold, target.unit)} {percent(off)}，偏差较大，请分析目标设定或执行中的原因"
    )


def deviation_draft(r: IndicatorResult) -> str:
    """The facts behind an indicator's deviation, as the first sentence of its 偏差原因分析及改进措施."""
    if r.status == Status.NO_DATA:
        return "截至统计日尚无相关数据，无法计算实际完成值"
    if r.over_achieved:
        return _over_achieved(r)
    if r.status == Status.MET and r.overridden:
        return f"实际完成值 {actual_text(r.metric_key, r.actual, r.unit)}，已达到年度指标值，得分经评价人员调整"
    target = r.target
    threshold = target.threshold if target.threshold is not None else 1.0  # 及时 and 同比提高 aim at 100 %
    unit = target.unit if target.threshold is not None else "%"
    n, d = r.numerator or 0.0, r.denominator or 0.0
    gap = abs((r.actual or 0.0) - threshold)
    return REGISTRY[r.metric_key].template.format(
        a=actual_text(r.metric_key, r.actual, r.unit),
        t=quantity(threshold, unit),
        n=quantity(n, ""),
        d=quantity(d, ""),
        short=quantity(gap, unit),
        over=quantity(gap, unit),
        rest=quantity(d - n, ""),
        excess=quantity(n - d, ""),
        tier=r.tier or "",
    )


def _tally(ev: Evaluation) -> str:
    """ "20 项绩效指标中，达成 15 项，未达成 4 项，待评定 1 项"."""
    counts = {status: sum(1 for r in ev.indicators if r.status == status) for status in scoring.STATUS_LABELS}
    tally = "，".join(f"{scoring.STATUS_LABELS[s]} {n} 项" for s, n in counts.items() if n)
    return f"{len(ev.indicators)} 项绩效指标中，{tally}"


def summary_draft(ev: Evaluation) -> str:
    """实际完成情况: budget execution, the main outputs, and what fell short, from the actuals."""
    b = ev.budget
    outputs = "、".join(
        f"{r.level3} {actual_text(r.metric_key, r.actual, r.unit)}" for r in ev.indicators if r.level2 == "数量指标"
    )
    parts = [
        (
            f"截至{chinese_date(ev.as_of)}，项目预算 {money(b.planned)} 元，已支出 {money(b.spent)} 元，"
            f"预算执行率 {percent(b.execution_rate)}。"
        ),
        f"主要产出：{outputs}。" if outputs else "",
        f"{_tally(ev)}。",
    ]
    short = [r for r in ev.indicators if r.status in (Status.NOT_MET, Status.NO_DATA)]
    if short:
        parts.append("未达成的指标：" + "；".join(f"{r.level3}（{deviation_draft(r)}）" for r in short) + "。")
    return "".join(parts)


def conclusion_draft(ev: Evaluation) -> str:
    """评价结论: the total, the grade and how the indicators came out."""
    return (
        f"项目自评总分 {ev.total_score:.2f} 分，评价等级为“{ev.grade}”。"
        f"预算执行率 {percent(ev.budget.execution_rate)}；{_tally(ev)}。"
    )


def problems_draft(ev: Evaluation) -> str:
    """存在问题: every indicator short of its weight or without data, with its facts (one awaiting judgment is not
    short of anything yet)."""
    short = [r for r in ev.indicators if below_weight(r) and r.status != Status.PENDING]
    if not short:
        return "各项绩效指标均已达成，未发现明显问题。"
    return "；".join(f"{r.seq}. {r.level3}：{deviation_draft(r)}" for r in short) + "。"


def improvements_draft(actions: list) -> str:
    """改进措施: the corrective actions decided, each with who and by when."""
    if not actions:
        return "针对存在问题，加强日常监测和数据报送，确保年度绩效目标全面完成。"
    return (
        "；".join(
            f"{a.seq}. {a.indicator}：{a.action}（责任人 {a.owner}，完成时限 {a.due_on:%Y-%m-%d}）" for a in actions
        )
        + "。"
    )


def organization_draft(project: Project) -> str:
    """组织实施: who runs the project and to what end, from the performance table."""
    goal = f"项目总体目标为：{project.overall_goal}" if project.overall_goal else ""
    return (
        f"项目由{project.department or '主管部门'}主管，{project.implementer or '实施单位'}具体实施，"
        f"按月报送工作数据、跟踪绩效目标完成情况。{goal}"
    )


def funds_draft(ev: Evaluation) -> str:
    """资金管理: the budget by its lines, and what was spent."""
    b = ev.budget
    return (
        f"项目资金按 {len(b.lines)} 项预算明细编制和核算，预算 {money(b.planned)} 元，"
        f"截至{chinese_date(ev.as_of)}支出 {money(b.spent)} 元，执行率 {percent(b.execution_rate)}，"
        "各项支出均按预算明细列支。"
    )


def system_draft(mechanisms: list[Mechanism]) -> str:
    """制度建设: the 长效机制 documents issued, with their 文号."""
    if not mechanisms:
        return "截至统计日尚未印发长效管理制度。"
    issued = "；".join(f"《{m.name}》（{m.doc_no or '无文号'}，{chinese_date(m.issued_on)}印发）" for m in mechanisms)
    return f"已建立长效管理机制，印发制度 {len(mechanisms)} 项：{issued}。"
