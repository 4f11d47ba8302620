"""Factual first drafts the evaluator edits: each deviation (偏差原因分析) and the 实际完成情况 summary. Pure."""

from data_model.targets import parse_target
from kpi import scoring
from kpi.evaluate import Evaluation, IndicatorResult
from kpi.formatting import actual_text, money, percent

_COST = "单位成本 {a}，高于目标 {t}（超出 {over}）；支出 {n} 元，"
# What the data says about an indicator short of its target, one entry per metric key. Fields: a (the
# actual as read), t (the target), short and over (how far off, both with the unit), n and d (numerator
# and denominator), rest (d − n), excess (n − d), tier (a judged tier).
TEMPLATES: dict[str, str] = {
    "cost_per_subsidy_person": _COST + "补贴 {d} 人次",
    "cost_per_equipment_set": _COST + "发放装备 {d} 套",
    "cost_per_site": _COST + "建成阵地 {d} 家",
    "cost_per_event": _COST + "开展活动 {d} 场",
    "cost_per_maintained_month": _COST + "维护完成 {d} 个月",
    "sites_completed": "建成 {n} 家，较目标少 {short}",
    "equipment_sets": "完成 {n} 套，较目标少 {short}",
    "events_held": "开展 {n} 场，较目标少 {short}",
    "platform_integration": "区级对接进度 {a}，距目标 {t} 尚差 {short}",
    "subsidy_cases": "补贴案件 {n} 个，较目标少 {short}",
    "site_pass_rate": "建成阵地 {d} 家，验收达标 {n} 家，{rest} 家不达标",
    "equipment_pass_rate": "发放装备 {d} 套，验收合格 {n} 套，{rest} 套不合格",
    "event_theme_rate": "开展活动 {d} 场，主题契合 {n} 场，{rest} 场主题不契合",
    "site_timeliness": "按期建成 {n} 家，应建成 {d} 家，{rest} 家逾期",
    "event_timeliness": "开展活动 {d} 场，按期开展 {n} 场，{rest} 场晚于计划日期",
    "complaint_resolution": "有效投诉 {d} 件，已办结 {n} 件，{rest} 件未办结",
    "dispute_yoy": "本年纠纷总量 {n} 件，上年同期 {d} 件，增加 {excess} 件，未实现同比提高",
    "mechanism_judged": "已印发长效管理制度 {n} 项，评定为“{tier}”",
    "worker_satisfaction": "调查劳动者 {d} 人次，满意 {n} 人次，满意度 {a}，低于目标 {t}",
    "employer_satisfaction": "调查用工单位 {d} 家次，满意 {n} 家次，满意度 {a}，低于目标 {t}",
    "manual_total": "各月填报合计 {a}，与目标 {t} 相差 {short}",
    "manual_latest": "最近一月填报值 {a}，与目标 {t} 相差 {short}",
}


def _number(value: float | None, unit: str = "") -> str:
    """15 → "15", 2514.2857 → "2,514.29"; a percentage unit shows the fraction as a percent."""
    if value is None:
        return "—"
    if unit == "%":
        return percent(value)
    text = f"{value:,.0f}" if abs(value - round(value)) < 1e-9 else f"{value:,.2f}"
    return f"{text} {unit}" if unit else text


def below_weight(r: IndicatorResult) -> bool:
    """Scores as shown (two decimals) short of the weight: such an indicator needs a deviation reason."""
    return round(r.score, 2) < round(r.weight, 2)


def deviation_draft(r: IndicatorResult) -> str:
    """The facts behind an indicator's shortfall, as the first sentence of its 偏差原因分析及改进措施."""
    if r.status == scoring.NO_DATA:
        return "截至统计日尚无相关数据，无法计算实际完成值"
    if r.status == scoring.MET and r.overridden:
        return f"实际完成值 {actual_text(r.metric_key, r.actual, r.unit)}，已达到年度指标值，得分经评价人员调整"
    target = parse_target(r.target)
    threshold = target.threshold if target.threshold is not None else 1.0  # 及时 and 同比提高 aim at 100 %
    unit = target.unit if target.threshold is not None else "%"
    n, d = r.numerator or 0.0, r.denominator or 0.0
    gap = abs((r.actual or 0.0) - threshold)
    return TEMPLATES[r.metric_key].format(
        a=actual_text(r.metric_key, r.actual, r.unit), t=_number(threshold, unit),
        n=_number(n), d=_number(d), short=_number(gap, unit), over=_number(gap, unit),
        rest=_number(d - n), excess=_number(n - d), tier=r.tier or "",
    )


def summary_draft(ev: Evaluation) -> str:
    """实际完成情况: budget execution, the main outputs, and what fell short, from the actuals."""
    b = ev.budget
    counts = {status: sum(1 for r in ev.indicators if r.status == status) for status in scoring.STATUS_LABELS}
    tally = "，".join(f"{scoring.STATUS_LABELS[s]} {n} 项" for s, n in counts.items() if n)
    outputs = "、".join(
        f"{r.level3} {actual_text(r.metric_key, r.actual, r.unit)}" for r in ev.indicators if r.level2 == "数量指标"
    )
    parts = [
        f"截至{ev.as_of.year}年{ev.as_of.month}月{ev.as_of.day}日，项目预算 {money(b.planned)} 元，已支出 {money(b.spent)} 元，预算执行率 {percent(b.execution_rate)}。",
        f"主要产出：{outputs}。" if outputs else "",
        f"{len(ev.indicators)} 项绩效指标中，{tally}。",
    ]
    short = [r for r in ev.indicators if r.status in (scoring.NOT_MET, scoring.NO_DATA)]
    if short:
        parts.append("未达成的指标：" + "；".join(f"{r.level3}（{deviation_draft(r)}）" for r in short) + "。")
    return "".join(parts)
