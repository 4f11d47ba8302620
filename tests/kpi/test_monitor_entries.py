"""绩效运行监控: 完成目标可能性 proposed from the forecast; the evaluator's entries per 统计截至 date, audited."""

from datetime import date

import pytest
from sqlmodel import select

from data_model import audit
from data_model.audit import SHANGHAI, aware
from data_model.auth import display_names, named
from data_model.db import make_engine, session
from data_model.models import AuditLog, MonitorEntry
from data_model.projects import find_project
from kpi import assessment, monitor_entries
from kpi.monitoring import Likelihood

MIDYEAR, YEAR_END = date(2024, 6, 30), date(2024, 12, 31)


@pytest.fixture
def sample(fresh_url):
    engine = make_engine(fresh_url)
    with session(engine) as s:
        yield s, find_project(s)
    engine.dispose()


def proposals(s, project, as_of) -> dict[int, tuple[str, str]]:
    return {r.result.seq: (r.proposed, r.basis) for r in monitor_entries.load(s, project, as_of).rows}


@pytest.mark.parametrize(
    ("as_of", "seq", "likelihood", "basis"),
    [
        # Counts extrapolate the pace: 15 sets by midyear foretell 30.16 (read 30 套), more than the 16 asked.
        (MIDYEAR, 7, "certain", "按当前进度年末预测 30 套，年度指标值 = 16 套"),
        (YEAR_END, 7, "possible", "按当前进度年末预测 15 套，年度指标值 = 16 套"),  # 15 of 16: within 10 %
        (MIDYEAR, 6, "certain", "按计划年末预计 3 家，年度指标值 = 3 家"),  # sites by their plan
        (MIDYEAR, 1, "certain", "按当前进度年末预测 230.73 元/人/案，年度指标值 ≤ 260 元/人/案"),
        (MIDYEAR, 9, "unlikely", "按当前进度年末预测 70.00%，年度指标值 = 100%"),  # a rate is its own forecast
        (YEAR_END, 14, "unlikely", "按当前进度年末预测 66.67%，年度指标值 及时"),
        (YEAR_END, 20, "possible", "按当前进度年末预测 83.33%，年度指标值 ≥ 85%"),
        (YEAR_END, 18, "possible", "定性指标，待评定"),  # nothing to forecast until judged
    ],
)
def test_likelihood_is_proposed_from_the_forecast(sample, as_of, seq, likelihood, basis):
    s, project = sample
    assert proposals(s, project, as_of)[seq] == (likelihood, basis)


@pytest.mark.parametrize(
    ("tier", "likelihood"),
    [
        ("达成年度指标", "certain"),
        ("部分达成年度指标并具有一定效果", "possible"),
        ("未达成年度指标且效果较差", "unlikely"),
    ],
)
def test_a_judged_indicator_is_proposed_by_its_tier(sample, tier, likelihood):
    s, project = sample
    score = {"certain": 9.0, "possible": 7.0, "unlikely": 3.0}[likelihood]
    assessment.judge(s, project, 18, tier=tier, score=score, by="evaluator", as_of=YEAR_END)
    assert proposals(s, project, YEAR_END)[18] == (likelihood, f"评定档次：{tier}")


def test_an_indicator_without_data_is_proposed_possible_for_review(sample):
    s, project = sample
    assert proposals(s, project, date(2024, 1, 31))[19] == ("possible", "尚无数据，无法预计")  # no survey yet


def save(s, project, seq=20, **given):
    return monitor_entries.save(s, project, seq, **{"as_of": YEAR_END, "by": "evaluator"} | given)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            {"likelihood": Likelihood.UNLIKELY},
            "第 20 项「用工单位满意度」的完成目标可能性按预计为「有可能」，改为「不可能」须填写理由",
        ),
        (
            {"likelihood": Likelihood.CERTAIN, "reason": "   "},
            "第 20 项「用工单位满意度」的完成目标可能性按预计为「有可能」，改为「确定能」须填写理由",
        ),
        (
            {"likelihood": Likelihood.POSSIBLE, "causes": ("其他",)},
            "第 20 项「用工单位满意度」选择了偏差原因「其他」，请说明具体原因",
        ),
        (
            {"likelihood": Likelihood.POSSIBLE, "causes": ("资金不足",)},
            "偏差原因类别「资金不足」不在可选范围内：规划和目标设计、投入保障、制度保障、项目管理、其他",
        ),
    ],
)
def test_an_entry_is_refused_with_a_chinese_message_and_nothing_written(sample, given, message):
    s, project = sample
    with pytest.raises(monitor_entries.MonitorError) as refused:
        save(s, project, **given)
    assert str(refused.value) == message
    assert s.exec(select(MonitorEntry)).all() == []


def test_a_changed_likelihood_is_kept_with_its_reason_for_its_date_only(sample):
    s, project = sample
    row = save(
        s,
        project,
        likelihood="unlikely",
        reason="年内不再调查",
        causes=("项目管理", "投入保障"),
        cause_text="走访不足",
        suggestion="增加走访",
    )
    assert (row.likelihood, row.proposed, row.changed, row.deviation) == (
        "unlikely",
        "possible",
        True,
        "【投入保障、项目管理】走访不足",  # categories in their catalogue order
    )
    form = monitor_entries.load(s, project, YEAR_END)
    assert (form.rows[19].likelihood, form.rows[19].likelihood_reason, form.rows[19].suggestion) == (
        "unlikely",
        "年内不再调查",
        "增加走访",
    )
    saved_at = aware(s.exec(select(MonitorEntry)).one().edited_at).astimezone(SHANGHAI)
    assert (form.filled_by, form.filled_on) == ("演示评价人员", saved_at.date())  # the display name, the local day
    assert monitor_entries.load(s, project, date(2024, 11, 30)).rows[19].changed is False  # another form
    [logged] = s.exec(select(AuditLog).where(AuditLog.action == "monitor_entry")).all()
    assert audit.ACTIONS[logged.action] == "运行监控填报"  # as 操作日志 shows it
    assert logged.detail == (
        "运行监控（截至 2024-12-31）第 20 项「用工单位满意度」：完成目标可能性「不可能」（理由：年内不再调查）；"
        "偏差原因分析：【投入保障、项目管理】走访不足；相关建议或举措：增加走访"
    )


def test_choosing_the_proposal_again_follows_the_forecast(sample):
    s, project = sample
    save(s, project, likelihood="unlikely", reason="年内不再调查")
    row = save(s, project, likelihood="possible", suggestion="增加走访")
    entry = s.exec(select(MonitorEntry)).one()
    assert (entry.likelihood, entry.likelihood_reason, row.changed) == (None, "", False)


def test_the_form_names_its_filler_by_display_name(sample):
    s, project = sample
    save(s, project, likelihood="possible", by="admin")
    assert monitor_entries.load(s, project, YEAR_END).filled_by == "演示管理员"
    assert named(display_names(s), "nobody") == "nobody"  # no such account: the name as stored
