"""总览's pictures as data: the parts of the total, and the total month by month, each point the evaluation as of
that month's end."""

from datetime import date

import pytest
from sqlmodel import select

from data_model.db import make_engine, session
from data_model.models import Indicator
from data_model.projects import find_project
from kpi import assessment, trend
from kpi.evaluate import evaluate
from kpi.spending import month_end


@pytest.fixture
def sample(sample_url):
    engine = make_engine(sample_url)
    with session(engine) as s:
        yield s, find_project(s)
    engine.dispose()


def independently(s, project, days: list[date]) -> list[tuple]:
    """Each date evaluated on its own, as the overview evaluates its 统计截至 date."""
    return [
        (day.month, day, ev.total_score, ev.grade, ev.provisional) for day in days for ev in [evaluate(s, project, day)]
    ]


def shown(totals: list[trend.MonthTotal]) -> list[tuple]:
    return [(m.month, m.as_of, m.total, m.grade, m.provisional) for m in totals]


def test_the_total_month_by_month_is_the_evaluation_at_each_month_end(sample):
    s, project = sample
    totals = trend.monthly_totals(s, project, date(2024, 12, 31))
    assert shown(totals) == independently(s, project, [month_end(2024, m) for m in range(1, 13)])
    by_month = {m.month: m for m in totals}
    # The figures the overview shows as of June and as of the year end (暂定 until 长效管理机制 is judged).
    assert [(by_month[m].total, by_month[m].grade, by_month[m].provisional) for m in (6, 12)] == [
        (77.02, "中", True),
        (87.98, "良", True),
    ]


def test_the_last_point_is_the_as_of_date_itself(sample):
    s, project = sample
    totals = trend.monthly_totals(s, project, date(2024, 3, 15))
    assert shown(totals) == independently(s, project, [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 15)])


def test_a_point_stays_provisional_while_an_indicator_awaits_judgment_at_its_date(fresh_url):
    engine = make_engine(fresh_url)
    with session(engine) as s:
        project = find_project(s)
        mechanism = s.exec(select(Indicator).where(Indicator.project_id == project.id, Indicator.seq == 18)).one()
        assessment.judge(s, project, mechanism.id, tier="达成年度指标", score=mechanism.weight, by="evaluator")
        totals = trend.monthly_totals(s, project, date(2024, 12, 31))
        assert shown(totals) == independently(s, project, [month_end(2024, m) for m in range(1, 13)])
        # 长效管理机制 judged; until June no site and no event was due, so the two 及时 indicators, without data,
        # await the evaluator's judgment at those dates (kpi.scoring.needs_judgment).
        assert [m.provisional for m in totals] == [True] * 5 + [False] * 7
        assert (totals[-1].total, totals[-1].grade) == (round(87.98 + mechanism.weight, 2), "优")
    engine.dispose()


def test_the_parts_of_the_total_are_the_budget_and_each_level1_with_their_points(sample):
    s, project = sample
    ev = evaluate(s, project, date(2024, 12, 31))
    parts = trend.composition(ev)
    assert [(p.name, round(p.score, 2), round(p.weight, 2), p.budget) for p in parts] == [
        ("预算执行率", 9.65, 10.0, True),
        ("成本指标", 16.7, 16.7, False),
        ("产出指标", 31.98, 33.3, False),
        ("效益指标", 19.75, 30.0, False),
        ("满意度指标", 9.9, 10.0, False),
    ]
    assert round(sum(p.score for p in parts), 2) == ev.total_score == 87.98
