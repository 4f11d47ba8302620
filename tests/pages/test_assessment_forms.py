"""The 绩效自评 page's forms driven alone, each on what it is given, without the page around it."""

from datetime import date

from sqlmodel import delete, select
from streamlit.testing.v1 import AppTest

from data_model.db import make_engine, session
from data_model.models import Complaint, Judgment
from data_model.projects import find_project
from kpi import assessment
from kpi.drafts import deviation_draft


def deviation_form_alone(project, r):
    from pages.components.assessment import deviation_form

    deviation_form(project, r, by="evaluator")


def test_the_deviation_form_alone_offers_the_draft_and_saves_the_reason(fresh_url):
    engine = make_engine(fresh_url)
    with session(engine) as s:
        project = find_project(s)
        seven = next(r for r in assessment.load(s, project).evaluation.indicators if r.seq == 7)
    at = AppTest.from_function(deviation_form_alone, args=(project, seven), default_timeout=60).run()
    reason = at.text_area(key="deviation_text_7")
    assert reason.value == deviation_draft(seven)
    reason.set_value("新进调解员的装备尚在采购。改进措施：年初前补发。")
    at.button(key="FormSubmitter:deviation_7-保存偏差原因").click().run()
    assert not at.exception, at.exception
    assert at.session_state["assessment_notice"] == "已保存第 7 项的偏差原因分析及改进措施"
    with session(engine) as s:
        saved = s.exec(select(Judgment.deviation_reason).where(Judgment.indicator_id == seven.indicator_id)).one()
    engine.dispose()
    assert saved == "新进调解员的装备尚在采购。改进措施：年初前补发。"


def test_the_deviation_form_is_not_drawn_for_an_indicator_at_its_weight(fresh_url):
    engine = make_engine(fresh_url)
    with session(engine) as s:
        project = find_project(s)
        first = assessment.load(s, project).evaluation.indicators[0]
    engine.dispose()
    assert round(first.score, 2) == round(first.weight, 2)
    at = AppTest.from_function(deviation_form_alone, args=(project, first), default_timeout=60).run()
    assert not at.exception, at.exception
    assert not at.text_area and not at.button


def not_applicable_form_alone(project, r, as_of):
    from pages.components.assessment import not_applicable_form

    not_applicable_form(project, r, by="evaluator", as_of=as_of)


def without_complaints(fresh_url):
    """The sample project with no valid complaint all year, and its 有效投诉处置率 (#16, without data)."""
    engine = make_engine(fresh_url)
    with session(engine) as s:
        s.exec(delete(Complaint))
        s.commit()
        project = find_project(s)
        sixteen = next(r for r in assessment.load(s, project).evaluation.indicators if r.seq == 16)
    engine.dispose()
    return project, sixteen


def test_the_not_applicable_form_alone_marks_an_indicator_without_data_with_its_reason(fresh_url):
    project, sixteen = without_complaints(fresh_url)
    at = AppTest.from_function(
        not_applicable_form_alone, args=(project, sixteen, date(2024, 12, 31)), default_timeout=60
    ).run()
    at.text_area(key="not_applicable_text_16").set_value("本年度未受理有效投诉")
    at.button(key="FormSubmitter:not_applicable_16-标记为不适用").click().run()
    assert not at.exception, at.exception
    assert at.session_state["assessment_notice"] == "已将第 16 项标记为不适用"
    engine = make_engine(fresh_url)
    with session(engine) as s:
        stored = s.exec(select(Judgment).where(Judgment.indicator_id == sixteen.indicator_id)).one()
    engine.dispose()
    assert (stored.not_applicable, stored.reason) == (True, "本年度未受理有效投诉")


def test_the_not_applicable_form_is_not_drawn_before_year_end(fresh_url):
    project, sixteen = without_complaints(fresh_url)
    at = AppTest.from_function(
        not_applicable_form_alone, args=(project, sixteen, date(2024, 11, 30)), default_timeout=60
    ).run()
    assert not at.exception, at.exception
    assert not at.text_area and not at.button
    assert [c.value for c in at.caption] == [
        "统计截至 2024年12月31日 仍无数据的指标，可标记为不适用（不计分，总分按适用指标折算）。"
    ]
