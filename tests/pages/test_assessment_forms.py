"""The 绩效自评 page's forms driven alone, each on what it is given, without the page around it."""

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from data_model.db import make_engine, session
from data_model.models import Judgment
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
