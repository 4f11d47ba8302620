"""Factual drafts: what the data says about each shortfall, and the 实际完成情况 summary."""

from datetime import date

import pytest

from data_model.models import Mechanism, Project
from data_model.targets import parse_target
from kpi import scoring
from kpi.assessment import ActionRow
from kpi.drafts import (
    below_weight,
    deviation_draft,
    improvements_draft,
    needs_reason,
    organization_draft,
    summary_draft,
    system_draft,
)
from kpi.evaluate import BudgetResult, Evaluation, IndicatorResult
from kpi.monitoring import Light, Monitoring
from kpi.scoring import Status

PARTIAL = scoring.PARTLY_ACHIEVED.name


def indicator(
    metric_key: str,
    target: str,
    unit: str,
    actual,
    n=None,
    d=None,
    *,
    status=Status.NOT_MET,
    level2="数量指标",
    level3="指标",
    weight=10 / 3,
    score=2.0,
    tier=None,
    judged=False,
    overridden=False,
    over_achieved=False,
) -> IndicatorResult:
    return IndicatorResult(
        indicator_id=1,
        seq=1,
        level1="产出指标",
        level2=level2,
        level3=level3,
        target=parse_target(target),
        unit=unit,
        metric_key=metric_key,
        actual=actual,
        numerator=n,
        denominator=d,
        status=status,
        weight=weight,
        score=score,
        computed=score,
        tier=tier,
        judged=judged,
        overridden=overridden,
        over_achieved=over_achieved,
        light=Light.GREY,
        monitoring=None,
        deviation_reason="",
    )


@pytest.mark.parametrize(
    ("result", "draft"),
    [
        (indicator("equipment_sets", "=16.00(套)", "套", 15.0, 15.0), "完成 15 套，较目标少 1 套"),
        (indicator("sites_completed", "=3.00(家)", "家", 1.0, 1.0), "建成 1 家，较目标少 2 家"),
        (indicator("subsidy_cases", "≥76 个案件", "个案件", 70.0, 70.0), "补贴案件 70 个，较目标少 6 个案件"),
        (indicator("site_timeliness", "及时", "", 2 / 3, 2.0, 3.0), "按期建成 2 家，应建成 3 家，1 家逾期"),
        (indicator("event_timeliness", "及时", "", 5 / 7, 5.0, 7.0), "开展活动 7 场，按期开展 5 场，2 场晚于计划日期"),
        (
            indicator("cost_per_subsidy_person", "≤260 元/人/案", "元/人/案", 275.0, 22000.0, 80.0),
            "单位成本 275.00 元/人/案，高于目标 260.00 元/人/案（超出 15.00 元/人/案）；支出 22,000 元，补贴 80 人次",
        ),
        (
            indicator("cost_per_event", "≤3000 元/场", "元/场", 3100.5, 18603.0, 6.0),
            "单位成本 3,100.50 元/场，高于目标 3,000.00 元/场（超出 100.50 元/场）；支出 18,603 元，开展活动 6 场",
        ),
        (
            indicator("complaint_resolution", "=100.00(%)", "%", 0.975, 39.0, 40.0),
            "有效投诉 40 件，已办结 39 件，1 件未办结",
        ),
        (
            indicator("equipment_pass_rate", "=100.00(%)", "%", 14 / 15, 14.0, 15.0),
            "发放装备 15 套，验收合格 14 套，1 套不合格",
        ),
        (
            indicator("employer_satisfaction", "≥85.00(%)", "%", 50 / 60, 50.0, 60.0),
            "调查用工单位 60 家次，满意 50 家次，满意度 83.33%，低于目标 85.00%",
        ),
        (
            indicator("platform_integration", "=100.00(%)", "%", 0.7, 70.0, 100.0),
            "区级对接进度 70.00%，距目标 100.00% 尚差 30.00%",
        ),
        (indicator("manual_total", "≥12 次", "次", 10.0, 10.0), "各月填报合计 10 次，与目标 12 次 相差 2 次"),
        (
            indicator("dispute_yoy", "同比提高", "", 280 / 265 - 1, 280.0, 265.0),
            "本年纠纷总量 280 件，上年同期 265 件，增加 15 件，未实现同比提高",
        ),
        (
            indicator("mechanism_judged", "健全", "", None, 2.0, tier=PARTIAL, judged=True),
            "已印发长效管理制度 2 项，评定为“部分达成年度指标并具有一定效果”",
        ),
        (
            indicator("cost_per_site", "≤20000 元/家", "元/家", None, 0.0, 0.0, status=Status.NO_DATA, score=0.0),
            "截至统计日尚无相关数据，无法计算实际完成值",
        ),
        (
            indicator("equipment_sets", "=16.00(套)", "套", 16.0, 16.0, status=Status.MET, score=3.0, overridden=True),
            "实际完成值 16 套，已达到年度指标值，得分经评价人员调整",
        ),
        (
            indicator("events_held", "=6.00(场)", "场", 8.0, 8.0, status=Status.MET, score=10 / 3, over_achieved=True),
            "实际完成值 8 场，超出年度指标值 6 场 33.33%，偏差较大，请分析目标设定或执行中的原因",
        ),
        (
            indicator(
                "cost_per_site",
                "≤20000 元/家",
                "元/家",
                15000.0,
                45000.0,
                3.0,
                status=Status.MET,
                score=10 / 3,
                over_achieved=True,
            ),
            "实际完成值 15,000.00 元/家，低于年度指标值 20,000.00 元/家 25.00%，偏差较大，请分析目标设定或执行中的原因",
        ),
    ],
)
def test_deviation_draft_states_the_shortfall_in_the_data(result, draft):
    assert deviation_draft(result) == draft


@pytest.mark.parametrize(
    ("score", "weight", "short"),
    [
        (10 / 3, 10 / 3, False),
        (3.33, 10 / 3, False),  # both read 3.33
        (3.32, 10 / 3, True),
        (0.0, 10.0, True),
    ],
)
def test_below_weight_compares_scores_as_shown(score, weight, short):
    assert below_weight(indicator("equipment_sets", "=16.00(套)", "套", 15.0, score=score, weight=weight)) is short


@pytest.mark.parametrize(
    ("score", "over_achieved", "needed"),
    [
        (10 / 3, False, False),
        (10 / 3, True, True),  # full marks, yet 20 % or more beyond the target: the deviation is analysed too
        (3.0, False, True),
        (3.0, True, True),
    ],
)
def test_a_deviation_reason_is_needed_below_the_weight_or_when_over_achieved(score, over_achieved, needed):
    result = indicator("events_held", "=6.00(场)", "场", 8.0, score=score, over_achieved=over_achieved)
    assert needs_reason(result) is needed


def test_summary_draft_reports_budget_outputs_tally_and_shortfalls():
    rows = [
        indicator("equipment_sets", "=16.00(套)", "套", 15.0, 15.0, level3="调解队伍装备保障数"),
        indicator(
            "complaint_resolution",
            "=100.00(%)",
            "%",
            1.0,
            40.0,
            40.0,
            status=Status.MET,
            level2="社会效益指标",
            level3="有效投诉处置率",
        ),
        indicator(
            "mechanism_judged",
            "健全",
            "",
            None,
            3.0,
            status=Status.PENDING,
            level2="可持续影响指标",
            level3="长效管理机制健全有效性",
            judged=True,
        ),
    ]
    budget = BudgetResult(
        150000.0, 144800.0, 144800 / 150000, 10.0, 9.65, Monitoring(None, None, None, "no_data", None), []
    )
    ev = Evaluation(1, "项目", 2024, date(2024, 12, 31), 1.0, budget, rows, 60.0, 100.0, "中", True)
    assert summary_draft(ev) == (
        "截至2024年12月31日，项目预算 150,000.00 元，已支出 144,800.00 元，预算执行率 96.53%。"
        "主要产出：调解队伍装备保障数 15 套。"
        "3 项绩效指标中，达成 1 项，未达成 1 项，待评定 1 项。"
        "未达成的指标：调解队伍装备保障数（完成 15 套，较目标少 1 套）。"
    )


@pytest.mark.parametrize(
    ("mechanisms", "draft"),
    [
        ([], "截至统计日尚未印发长效管理制度。"),
        (
            [("工作制度", date(2024, 2, 20), "浦锦受理〔2024〕1号"), ("考核办法", date(2024, 4, 15), None)],
            "已建立长效管理机制，印发制度 2 项：《工作制度》（浦锦受理〔2024〕1号，2024年2月20日印发）；"
            "《考核办法》（无文号，2024年4月15日印发）。",
        ),
    ],
)
def test_system_draft_lists_the_mechanism_documents_with_their_numbers(mechanisms, draft):
    rows = [Mechanism(project_id=1, batch_id=1, name=n, issued_on=d, doc_no=no) for n, d, no in mechanisms]
    assert system_draft(rows) == draft


@pytest.mark.parametrize(
    ("actions", "draft"),
    [
        ([], "针对存在问题，加强日常监测和数据报送，确保年度绩效目标全面完成。"),
        (
            [ActionRow(1, 7, "调解队伍装备保障数", "补发一套工作装备", "王芳", date(2025, 1, 31), None)],
            "7. 调解队伍装备保障数：补发一套工作装备（责任人 王芳，完成时限 2025-01-31）。",
        ),
    ],
)
def test_improvements_draft_lists_the_corrective_actions(actions, draft):
    assert improvements_draft(actions) == draft


def test_organization_draft_names_who_runs_the_project_and_its_goal():
    project = Project(name="项目", year=2024, department="街道办", implementer="受理中心", overall_goal="化解矛盾。")
    assert organization_draft(project) == (
        "项目由街道办主管，受理中心具体实施，按月报送工作数据、跟踪绩效目标完成情况。项目总体目标为：化解矛盾。"
    )
