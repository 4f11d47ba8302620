"""The metric registry: one entry per metric key, each with its kind, the query computing its actual value,
the records behind the number and the first draft of its deviation.

A performance table binds each indicator to a metric by its 计算口径 (name); kpi.kinds says how a metric of
each kind is scored, monitored and read, kpi.queries how its actual value is computed.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from sqlmodel import Session

from data_model.targets import converted
from kpi import queries
from kpi.kinds import (
    COUNT,
    JUDGED,
    JUDGED_ALONE,
    MANUAL_LATEST,
    MANUAL_TOTAL,
    MILESTONE,
    RATE,
    TIMELY,
    UNIT_COST,
    YOY,
    MetricKind,
)
from kpi.queries import Measure, Scope
from kpi.sources import (
    CASES,
    COMPLAINTS,
    EQUIPMENT,
    EVENTS,
    EXPENSES,
    LABOR,
    MAINTAINED,
    MECHANISMS,
    PLATFORM,
    SITES_DONE,
    SITES_DUE,
    Source,
    survey,
)


@dataclass(frozen=True)
class Metric:
    key: str
    name: str  # 计算口径: how a performance table names the metric it binds an indicator to
    kind: MetricKind
    unit: str | None  # what the actual counts in (a rate: "%", a fraction); None: the unit its table gives
    formula: str  # how the actual value is computed, in Chinese
    parts: tuple[str, str]  # what the numerator and the denominator count, in Chinese
    compute: Callable[[Session, Scope], Measure]
    # The records whose rows make the number (numerator first for unit costs); none for a manual metric.
    sources: tuple[Source, ...] = ()
    # What the data says about an indicator short of its target (kpi.drafts). Fields: a (the actual as
    # read), t (the target), short and over (how far off, both with the unit), n and d (numerator and
    # denominator), rest (d − n), excess (n − d), tier (a judged tier).
    template: str = ""

    def measure(self, session: Session, scope: Scope, unit: str) -> Measure:
        """The actual value in the indicator's `unit`, the target's: a cost counted in 元 reads 1.95 against a
        target of ≤2.6 万元/家 (19,500 元), and numerator and denominator stay as counted."""
        measure = self.compute(session, scope)
        if self.unit is None or measure.actual is None:
            return measure
        return replace(measure, actual=converted(measure.actual, self.unit, unit))


_SPEND = "关联预算明细截至统计日的支出"
_COST = "单位成本 {a}，高于目标 {t}（超出 {over}）；支出 {n} 元，"
METRICS: tuple[Metric, ...] = (
    Metric(
        "cost_per_subsidy_person",
        "以案定补个案补贴成本",
        UNIT_COST,
        "元/人/案",
        f"{_SPEND} ÷ 以案定补补贴人数合计",
        ("支出（元）", "补贴人数"),
        partial(queries.unit_cost, queries.subsidy_persons),
        (EXPENSES, CASES),
        _COST + "补贴 {d} 人次",
    ),
    Metric(
        "cost_per_equipment_set",
        "工作装备单套成本",
        UNIT_COST,
        "元/套",
        f"{_SPEND} ÷ 装备发放套数合计",
        ("支出（元）", "发放套数"),
        partial(queries.unit_cost, queries.equipment_sets),
        (EXPENSES, EQUIPMENT),
        _COST + "发放装备 {d} 套",
    ),
    Metric(
        "cost_per_site",
        "调解阵地单家成本",
        UNIT_COST,
        "元/家",
        f"{_SPEND} ÷ 已建成调解阵地数",
        ("支出（元）", "已建成阵地数"),
        partial(queries.unit_cost, queries.sites_completed),
        (EXPENSES, SITES_DONE),
        _COST + "建成阵地 {d} 家",
    ),
    Metric(
        "cost_per_event",
        "普法宣讲单场成本",
        UNIT_COST,
        "元/场",
        f"{_SPEND} ÷ 已开展普法活动场数",
        ("支出（元）", "已开展场数"),
        partial(queries.unit_cost, queries.events_held),
        (EXPENSES, EVENTS),
        _COST + "开展活动 {d} 场",
    ),
    Metric(
        "cost_per_maintained_month",
        "平台月度维护成本",
        UNIT_COST,
        "元/月",
        f"{_SPEND} ÷ 维护完成为“是”的月数",
        ("支出（元）", "维护完成月数"),
        partial(queries.unit_cost, queries.maintained_months),
        (EXPENSES, MAINTAINED),
        _COST + "维护完成 {d} 个月",
    ),
    Metric(
        "sites_completed",
        "调解阵地建成数",
        MILESTONE,
        "家",
        "实际完成日期不晚于统计日的调解阵地数",
        ("已建成阵地数", ""),
        partial(queries.counted_to_plan, queries.sites_completed, queries.sites_planned),
        (SITES_DONE,),
        "建成 {n} 家，较目标少 {short}",
    ),
    Metric(
        "equipment_sets",
        "装备发放套数",
        COUNT,
        "套",
        "装备发放套数合计",
        ("发放套数", ""),
        partial(queries.counted, queries.equipment_sets),
        (EQUIPMENT,),
        "完成 {n} 套，较目标少 {short}",
    ),
    Metric(
        "events_held",
        "普法活动场数",
        COUNT,
        "场",
        "活动日期不晚于统计日的普法活动场数",
        ("已开展场数", ""),
        partial(queries.counted, queries.events_held),
        (EVENTS,),
        "开展 {n} 场，较目标少 {short}",
    ),
    Metric(
        "platform_integration",
        "区级对接进度",
        RATE,
        "%",
        "截至统计日最近一个月平台运维记录的区级对接进度",
        ("对接进度（%）", ""),
        queries.platform_integration,
        (PLATFORM,),
        "区级对接进度 {a}，距目标 {t} 尚差 {short}",
    ),
    Metric(
        "subsidy_cases",
        "以案定补案件数",
        COUNT,
        "件",
        "结案日期不晚于统计日的以案定补案件数",
        ("案件数", ""),
        partial(queries.counted, queries.subsidy_cases),
        (CASES,),
        "补贴案件 {n} 个，较目标少 {short}",
    ),
    Metric(
        "site_pass_rate",
        "调解阵地达标率",
        RATE,
        "%",
        "验收结果为“达标”的已建成阵地数 ÷ 已建成阵地数",
        ("达标阵地数", "已建成阵地数"),
        queries.site_pass_rate,
        (SITES_DONE,),
        "建成阵地 {d} 家，验收达标 {n} 家，{rest} 家不达标",
    ),
    Metric(
        "equipment_pass_rate",
        "装备验收合格率",
        RATE,
        "%",
        "验收合格的套数 ÷ 发放套数合计",
        ("合格套数", "发放套数"),
        queries.equipment_pass_rate,
        (EQUIPMENT,),
        "发放装备 {d} 套，验收合格 {n} 套，{rest} 套不合格",
    ),
    Metric(
        "event_theme_rate",
        "普法活动主题契合率",
        RATE,
        "%",
        "主题契合为“是”的活动场数 ÷ 已开展场数",
        ("主题契合场数", "已开展场数"),
        queries.event_theme_rate,
        (EVENTS,),
        "开展活动 {d} 场，主题契合 {n} 场，{rest} 场主题不契合",
    ),
    Metric(
        "site_timeliness",
        "调解阵地按期建成率",
        TIMELY,
        "%",
        "计划完成日期已到的阵地中，在计划日期当天或之前建成的比例（1 = 及时）",
        ("按期建成数", "应建成数"),
        queries.site_timeliness,
        (SITES_DUE,),
        "按期建成 {n} 家，应建成 {d} 家，{rest} 家逾期",
    ),
    Metric(
        "event_timeliness",
        "普法活动按期开展率",
        TIMELY,
        "%",
        "已开展的活动中，活动日期不晚于计划日期的比例（1 = 及时）",
        ("按期开展场数", "已开展场数"),
        queries.event_timeliness,
        (EVENTS,),
        "开展活动 {d} 场，按期开展 {n} 场，{rest} 场晚于计划日期",
    ),
    Metric(
        "complaint_resolution",
        "有效投诉办结率",
        RATE,
        "%",
        "受理日期不晚于统计日的有效投诉中，统计日当天或之前已办结的比例",
        ("已办结数", "有效投诉数"),
        queries.complaint_resolution,
        (COMPLAINTS,),
        "有效投诉 {d} 件，已办结 {n} 件，{rest} 件未办结",
    ),
    Metric(
        "dispute_yoy",
        "劳动纠纷总量同比变化",
        YOY,
        "%",
        "本年度截至统计日各月（劳动争议案件数 + 欠薪案件数）之和 ÷ 上年同期之和 − 1，负数表示减少",
        ("本年纠纷总量", "上年同期纠纷总量"),
        queries.dispute_yoy,
        (LABOR,),
        "本年纠纷总量 {n} 件，上年同期 {d} 件，增加 {excess} 件，未实现同比提高",
    ),
    Metric(
        "mechanism_judged",
        "长效机制评定",
        JUDGED,
        "项",
        "定性指标：由评价人员依据长效机制台账评定档次和得分",
        ("已印发制度数", ""),
        queries.mechanisms,
        (MECHANISMS,),
        "已印发长效管理制度 {n} 项，评定为“{tier}”",
    ),
    Metric(
        "worker_satisfaction",
        "劳动者满意度",
        RATE,
        "%",
        "调查对象为劳动者的问卷中，评价为“非常满意”或“满意”的比例",
        ("满意份数", "问卷份数"),
        partial(queries.satisfaction, "劳动者"),
        (survey("劳动者"),),
        "调查劳动者 {d} 人次，满意 {n} 人次，满意度 {a}，低于目标 {t}",
    ),
    Metric(
        "employer_satisfaction",
        "用工单位满意度",
        RATE,
        "%",
        "调查对象为用工单位的问卷中，评价为“非常满意”或“满意”的比例",
        ("满意份数", "问卷份数"),
        partial(queries.satisfaction, "用工单位"),
        (survey("用工单位"),),
        "调查用工单位 {d} 家次，满意 {n} 家次，满意度 {a}，低于目标 {t}",
    ),
    # Indicators no upload sheet covers.
    Metric(
        "manual_total",
        "人工填报（各月累计）",
        MANUAL_TOTAL,
        None,
        "工作人员按月填报的数值，截至统计日各月相加",
        ("各月合计", ""),
        queries.manual_total,
        template="各月填报合计 {a}，与目标 {t} 相差 {short}",
    ),
    Metric(
        "manual_latest",
        "人工填报（取最近一月）",
        MANUAL_LATEST,
        None,
        "工作人员按月填报的数值，取截至统计日最近一个月的值（适用于比率、进度等）",
        ("最近一月填报值", ""),
        queries.manual_latest,
        template="最近一月填报值 {a}，与目标 {t} 相差 {short}",
    ),
    # A qualitative indicator no upload sheet covers (显著提升, 严格执行相关制度规定, …); the default of a table
    # whose 计算口径 is left out.
    Metric(
        "manual_judged",
        "人工评定",
        JUDGED_ALONE,
        "",
        "定性指标：由评价人员依据佐证材料评定档次和得分",
        ("", ""),
        queries.judged_alone,
        template="评价人员评定为“{tier}”",
    ),
)

REGISTRY: dict[str, Metric] = {m.key: m for m in METRICS}
BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}
# The metric of an indicator whose 计算口径 the table leaves out, by whether its target is qualitative.
UNNAMED = {False: REGISTRY["manual_latest"], True: REGISTRY["manual_judged"]}


def actual_text(metric_key: str, actual: float | None, unit: str) -> str:
    """实际完成值 as a person reads it: 225.00 元/人/案, 15 套, 97.50%, 同比减少 12.45%."""
    return REGISTRY[metric_key].kind.actual_text(actual, unit)
