"""Every metric of the registry on hand-made records: actual, numerator and denominator, and the status
its seed indicator gets through evaluate(). A metric the seed table does not use (the manually reported
ones) is bound, for its cases, to the seed indicator the case names.

All cases are evaluated as of 30 June 2024 unless they say otherwise: a record dated that day counts
(ON), one dated 1 July does not (AFTER).
"""

from dataclasses import astuple, dataclass, field
from datetime import date

import pytest
from sqlmodel import select

from data_model.models import Indicator, Project, UploadBatch
from kpi.evaluate import evaluate
from kpi.metrics import REGISTRY
from kpi.queries import Measure, Plan, Scope
from tests.helpers import approx_or_none
from tests.kpi.records import (
    EQUIPMENT_LINE,
    EVENT_LINE,
    PLATFORM_LINE,
    SITE_LINE,
    SUBSIDY_LINE,
    Spec,
    answer,
    complaint,
    d,
    event,
    insert,
    manual,
    mechanism,
    month,
    pay,
    sets,
    site,
    stat,
    subsidy,
)

AS_OF, ON, AFTER = date(2024, 6, 30), date(2024, 6, 30), date(2024, 7, 1)


@dataclass(frozen=True)
class Case:
    name: str
    rows: list[Spec]
    expected: Measure
    status: str  # of the seed indicator bound to the metric, through evaluate()
    as_of: date = field(default=AS_OF)
    bind: int | None = None  # seq of the seed indicator to bind to a metric the seed table does not use


def satisfaction_cases(who: str, other: str) -> list[Case]:
    return [
        Case(
            "per_respondent_counting_the_as_of_day",
            [
                answer(who, "非常满意"),
                answer(who, "满意"),
                answer(who, "一般"),
                answer(who, "不满意"),
                answer(who, "非常不满意", ON),
                answer(who, "满意", AFTER),
                answer(other, "非常满意"),
                answer(other, "满意"),
            ],
            Measure(0.4, 2, 5),
            "not_met",
        ),
        Case(
            "exactly_at_85_percent",
            [answer(who, r) for r in ["满意"] * 17 + ["一般"] * 3],
            Measure(0.85, 17, 20),
            "met",
        ),
        Case("only_the_other_respondent_answered", [answer(other, "满意")], Measure(None, 0, 0), "no_data"),
        Case(
            "nobody_satisfied_is_no_data", [answer(who, "一般"), answer(who, "不满意")], Measure(None, 0, 2), "no_data"
        ),
    ]


# metric key -> its cases. test_registry checks that this table covers the registry exactly.
CASES: dict[str, list[Case]] = {
    "cost_per_subsidy_person": [
        Case(
            "exactly_at_target_counting_the_as_of_day",
            [
                pay(d(3, 1), 3000, SUBSIDY_LINE),
                pay(ON, 2200, SUBSIDY_LINE),
                subsidy(d(2, 1), 12),
                subsidy(ON, 8),
            ],
            Measure(260.0, 5200, 20),
            "met",
        ),
        Case(
            "later_records_and_other_lines_excluded",
            [
                pay(d(3, 1), 3000, SUBSIDY_LINE),
                pay(AFTER, 5000, SUBSIDY_LINE),
                pay(d(3, 1), 9000, EQUIPMENT_LINE),
                subsidy(d(3, 1), 10),
                subsidy(AFTER, 30),
            ],
            Measure(300.0, 3000, 10),
            "not_met",
        ),
        Case("spend_without_persons_is_no_data", [pay(d(3, 1), 3000, SUBSIDY_LINE)], Measure(None, 3000, 0), "no_data"),
        Case("persons_without_spend_is_no_data", [subsidy(d(3, 1), 4)], Measure(None, 0, 4), "no_data"),
    ],
    "cost_per_equipment_set": [
        Case(
            "exactly_at_target",
            [pay(d(2, 1), 37500, EQUIPMENT_LINE), sets(d(2, 1), 10), sets(ON, 5, "不合格")],
            Measure(2500.0, 37500, 15),
            "met",
        ),
        Case(
            "later_records_excluded",
            [
                pay(d(2, 1), 30000, EQUIPMENT_LINE),
                pay(AFTER, 1000, EQUIPMENT_LINE),
                sets(d(2, 1), 10),
                sets(AFTER, 6),
            ],
            Measure(3000.0, 30000, 10),
            "not_met",
        ),
        Case("no_sets_is_no_data", [pay(d(2, 1), 1000, EQUIPMENT_LINE)], Measure(None, 1000, 0), "no_data"),
    ],
    "cost_per_site": [
        Case(
            "divided_by_sites_completed_by_the_as_of_date",
            [
                pay(d(5, 1), 40000, SITE_LINE),
                site(d(5, 31), d(5, 20)),
                site(ON, ON),
                site(d(7, 31), AFTER),
                site(d(6, 1)),
            ],
            Measure(20000.0, 40000, 2),
            "met",
        ),
        Case(
            "no_site_completed_is_no_data",
            [pay(d(5, 1), 40000, SITE_LINE), site(d(6, 1))],
            Measure(None, 40000, 0),
            "no_data",
        ),
    ],
    "cost_per_event": [
        Case(
            "divided_by_events_held",
            [pay(d(4, 1), 6000, EVENT_LINE), event(d(3, 1)), event(ON), event(AFTER)],
            Measure(3000.0, 6000, 2),
            "met",
        ),
        Case(
            "over_target",
            [pay(d(4, 1), 9100, EVENT_LINE), event(d(3, 1)), event(d(4, 1))],
            Measure(4550.0, 9100, 2),
            "not_met",
        ),
        Case(
            "no_event_held_is_no_data",
            [pay(d(4, 1), 6000, EVENT_LINE), event(AFTER)],
            Measure(None, 6000, 0),
            "no_data",
        ),
    ],
    "cost_per_maintained_month": [
        Case(
            "divided_by_maintained_months_only",
            [
                pay(d(6, 1), 5000, PLATFORM_LINE),
                *(month(m) for m in (1, 2, 4, 5, 6)),
                month(3, maintained=False),
                month(7),
            ],
            Measure(1000.0, 5000, 5),
            "met",
        ),
        Case(
            "no_maintained_month_is_no_data",
            [pay(d(6, 1), 5000, PLATFORM_LINE), month(1, maintained=False)],
            Measure(None, 5000, 0),
            "no_data",
        ),
        Case(  # nothing paid yet: never "0.00 元/月 达成"
            "maintained_months_without_spend_is_no_data",
            [month(1), month(2)],
            Measure(None, 0, 2),
            "no_data",
        ),
    ],
    "sites_completed": [
        Case(
            "completed_by_the_as_of_date",
            [site(d(1, 31), d(1, 15)), site(ON, ON), site(d(6, 1), AFTER), site(d(5, 1))],
            Measure(2, 2, None, Plan(due=4, foreseen=2)),  # two overdue sites are not counted on
            "not_met",
        ),
        Case(
            "exactly_at_target",
            [site(d(3, 1), d(3, 1)), site(d(4, 1), d(4, 1)), site(ON, ON)],
            Measure(3, 3, None, Plan(due=3, foreseen=3)),
            "met",
        ),
        Case(
            # due: planned on or before the as-of day; foreseen: built, or planned after it (once each)
            "the_plan_counts_sites_due_by_the_as_of_day_and_those_still_ahead",
            [site(d(8, 31), d(6, 1)), site(ON), site(d(5, 31)), site(AFTER), site(d(9, 30), AFTER)],
            Measure(1, 1, None, Plan(due=2, foreseen=3)),
            "not_met",
        ),
        Case("none_yet_counts_zero", [], Measure(0, 0, None, Plan(due=0, foreseen=0)), "not_met"),
    ],
    "equipment_sets": [
        Case(
            "exactly_at_target_whatever_the_acceptance",
            [sets(d(2, 1), 10), sets(ON, 6, "不合格"), sets(AFTER, 3)],
            Measure(16, 16, None),
            "met",
        ),
        Case("none_yet_counts_zero", [], Measure(0, 0, None), "not_met"),
    ],
    "events_held": [
        Case(
            "exactly_at_target",
            [*(event(d(m, 10)) for m in range(1, 6)), event(ON), event(AFTER)],
            Measure(6, 6, None),
            "met",
        ),
        Case("behind", [event(d(2, 1)), event(d(3, 1))], Measure(2, 2, None), "not_met"),
    ],
    "platform_integration": [
        Case(
            "latest_month_by_the_as_of_date",
            [month(6, pct=70), month(1, pct=10), month(7, pct=100), month(3, pct=40)],
            Measure(0.7, 70, 100),
            "not_met",
        ),
        Case(
            "an_earlier_as_of_date_takes_an_earlier_month",
            [month(6, pct=70), month(1, pct=10), month(3, pct=40)],
            Measure(0.4, 40, 100),
            "not_met",
            as_of=d(5, 31),
        ),
        Case(
            "a_month_counts_from_its_first_day",
            [month(5, pct=60), month(6, pct=70)],
            Measure(0.7, 70, 100),
            "not_met",
            as_of=d(6, 15),
        ),
        Case("exactly_at_target", [month(5, pct=90), month(6, pct=100)], Measure(1.0, 100, 100), "met"),
        Case("no_month_reported_is_no_data", [month(7, pct=100)], Measure(None), "no_data"),
        Case("zero_progress_is_no_data", [month(6, pct=0)], Measure(None, 0, 100), "no_data"),
    ],
    "subsidy_cases": [
        Case(
            "closed_by_the_as_of_date",
            [subsidy(d(1, 5)), subsidy(ON, 3), subsidy(AFTER)],
            Measure(2, 2, None),
            "not_met",
        ),
        Case("exactly_at_target", [subsidy(d(3, 1)) for _ in range(76)], Measure(76, 76, None), "met"),
    ],
    "site_pass_rate": [
        Case(
            "of_sites_completed_by_the_as_of_date",
            [
                site(d(3, 1), d(3, 1)),
                site(d(4, 1), d(4, 1)),
                site(ON, ON, "不达标"),
                site(d(6, 1), AFTER),
                site(d(6, 1)),
            ],
            Measure(2 / 3, 2, 3),
            "not_met",
        ),
        Case("all_pass", [site(d(3, 1), d(3, 1)), site(ON, ON)], Measure(1.0, 2, 2), "met"),
        Case("none_completed_is_no_data", [site(d(6, 1))], Measure(None, 0, 0), "no_data"),
        Case("none_passing_is_no_data", [site(d(3, 1), d(3, 1), "不达标")], Measure(None, 0, 1), "no_data"),
    ],
    "equipment_pass_rate": [
        Case(
            "weighted_by_sets",
            [sets(d(2, 1), 10), sets(ON, 5, "不合格"), sets(AFTER, 3, "不合格")],
            Measure(10 / 15, 10, 15),
            "not_met",
        ),
        Case("all_pass", [sets(d(2, 1), 10), sets(ON, 6)], Measure(1.0, 16, 16), "met"),
        Case("none_issued_is_no_data", [sets(AFTER, 3)], Measure(None, 0, 0), "no_data"),
        Case("none_passing_is_no_data", [sets(d(2, 1), 5, "不合格")], Measure(None, 0, 5), "no_data"),
    ],
    "event_theme_rate": [
        Case(
            "of_events_held",
            [event(d(3, 1)), event(ON, on_theme=False), event(AFTER, on_theme=False)],
            Measure(0.5, 1, 2),
            "not_met",
        ),
        Case("all_on_theme", [event(d(3, 1)), event(ON)], Measure(1.0, 2, 2), "met"),
        Case("none_held_is_no_data", [event(AFTER)], Measure(None, 0, 0), "no_data"),
        Case("none_on_theme_is_no_data", [event(d(3, 1), on_theme=False)], Measure(None, 0, 1), "no_data"),
    ],
    "site_timeliness": [
        Case(
            "of_sites_due_by_the_as_of_date",
            [
                site(d(3, 31), d(3, 15)),
                site(ON, ON),
                site(d(5, 31), d(6, 10)),
                site(d(4, 30)),
                site(d(7, 31), d(5, 1)),
            ],
            Measure(0.5, 2, 4),
            "not_met",
        ),
        Case("all_on_time", [site(d(3, 31), d(3, 31))], Measure(1.0, 1, 1), "met"),
        Case("none_due_awaits_judgment", [site(d(7, 31), d(5, 1))], Measure(None, 0, 0), "pending"),
        Case("none_on_time_awaits_judgment", [site(d(3, 31), d(4, 15))], Measure(None, 0, 1), "pending"),
    ],
    "event_timeliness": [
        Case(
            "of_events_held",
            [event(d(3, 1), d(3, 1)), event(d(4, 10), d(4, 1)), event(d(5, 1), d(6, 1)), event(AFTER, AFTER)],
            Measure(2 / 3, 2, 3),
            "not_met",
        ),
        Case("all_on_time", [event(ON, ON)], Measure(1.0, 1, 1), "met"),
        Case("none_held_awaits_judgment", [event(AFTER)], Measure(None, 0, 0), "pending"),
    ],
    "complaint_resolution": [
        Case(
            "valid_complaints_closed_by_the_as_of_date",
            [
                complaint(d(5, 1), d(5, 10)),
                complaint(d(6, 1), ON),
                complaint(d(6, 20), d(7, 2)),
                complaint(d(6, 25)),
                complaint(d(5, 1), valid=False),
                complaint(AFTER, d(7, 2)),
            ],
            Measure(0.5, 2, 4),
            "not_met",
        ),
        Case("all_closed", [complaint(d(5, 1), d(5, 2)), complaint(ON, ON)], Measure(1.0, 2, 2), "met"),
        Case("only_invalid_is_no_data", [complaint(d(5, 1), valid=False)], Measure(None, 0, 0), "no_data"),
        Case(
            "none_closed_yet_is_no_data",
            [complaint(d(6, 1)), complaint(d(6, 2), AFTER)],
            Measure(None, 0, 2),
            "no_data",
        ),
    ],
    "dispute_yoy": [
        Case(
            "only_months_reported_this_year_compared",
            [
                stat(2024, 1, 10, 2),
                stat(2024, 2, 8, 1),
                stat(2024, 3, 9, 0),
                stat(2024, 7, 100, 100),
                stat(2023, 1, 12, 3),
                stat(2023, 2, 10, 2),
                stat(2023, 3, 11, 2),
                *(stat(2023, m, 50, 50) for m in range(4, 13)),
            ],
            Measure(-0.25, 30, 40),
            "met",
        ),
        Case("no_fewer_disputes", [stat(2024, 1, 8, 2), stat(2023, 1, 9, 1)], Measure(0.0, 10, 10), "not_met"),
        Case("more_disputes", [stat(2024, 1, 12), stat(2023, 1, 10)], Measure(0.2, 12, 10), "not_met"),
        Case(
            "missing_baseline_month_awaits_judgment",
            [stat(2024, 1, 5), stat(2024, 2, 5), stat(2023, 1, 5), stat(2023, 3, 5)],
            Measure(None, 10, None),
            "pending",
        ),
        Case("zero_baseline_awaits_judgment", [stat(2024, 1, 3), stat(2023, 1, 0)], Measure(None, 3, 0), "pending"),
        Case("no_month_this_year_awaits_judgment", [stat(2023, 1, 5)], Measure(None, 0, None), "pending"),
    ],
    "mechanism_judged": [
        Case(
            "counts_the_evidence_but_awaits_judgment",
            [mechanism(d(3, 1)), mechanism(ON), mechanism(AFTER)],
            Measure(None, 2, None),
            "pending",
        ),
        Case("no_evidence", [], Measure(None, 0, None), "pending"),
    ],
    "manual_judged": [Case("nothing_to_count_awaits_judgment", [mechanism(ON)], Measure(None), "pending", bind=18)],
    "manual_total": [
        Case(
            "months_add_up_to_the_as_of_date",
            [manual(1, 30), manual(3, 20), manual(6, 26), manual(7, 100)],
            Measure(76, 76, None),
            "met",
            bind=10,
        ),  # exactly at ≥76
        Case("behind", [manual(1, 30), manual(7, 100)], Measure(30, 30, None), "not_met", bind=10),
        Case("no_month_entered_is_no_data", [manual(7, 100)], Measure(None), "no_data", bind=10),
    ],
    "manual_latest": [
        Case(
            "latest_month_by_the_as_of_date",
            [manual(6, 0.9), manual(2, 0.5), manual(7, 1.0)],
            Measure(0.9),
            "not_met",
            bind=9,
        ),
        Case("exactly_at_target", [manual(2, 0.5), manual(5, 1.0)], Measure(1.0), "met", bind=9),
        Case("no_month_entered_is_no_data", [manual(7, 1.0)], Measure(None), "no_data", bind=9),
    ],
    "worker_satisfaction": satisfaction_cases("劳动者", "用工单位"),
    "employer_satisfaction": satisfaction_cases("用工单位", "劳动者"),
}

ALL = [pytest.param(key, case, id=f"{key}-{case.name}") for key, cases in CASES.items() for case in cases]


def bound(db, project: Project, key: str, case: Case) -> Indicator:
    """The project's indicator bound to the metric: the seed table's, or the one the case binds to it."""
    where = [Indicator.project_id == project.id]
    indicator = db.exec(select(Indicator).where(*where, Indicator.metric_key == key)).first()
    if indicator is None:
        indicator = db.exec(select(Indicator).where(*where, Indicator.seq == case.bind)).one()
        indicator.metric_key = key
        db.add(indicator)
        db.commit()
    return indicator


def measure(db, project: Project, indicator: Indicator, as_of: date) -> tuple:
    """The metric as the indicator computes it (with its budget line), ready to compare."""
    scope = Scope(project.id, project.year, as_of, indicator.budget_line, indicator.id)
    return tuple(
        pytest.approx(v) if isinstance(v, float) else v
        for v in astuple(REGISTRY[indicator.metric_key].compute(db, scope))
    )


@pytest.mark.parametrize(("key", "case"), ALL)
def test_metric_on_hand_made_records(db, project, key, case):
    indicator = bound(db, project, key, case)
    insert(db, project.id, case.rows, indicator.id)
    assert measure(db, project, indicator, case.as_of) == astuple(case.expected)
    result = next(r for r in evaluate(db, project, case.as_of).indicators if r.metric_key == key)
    assert (result.actual, result.status) == (approx_or_none(case.expected.actual), case.status)


@pytest.mark.parametrize(("key", "case"), [pytest.param(key, cases[0], id=key) for key, cases in CASES.items()])
def test_metric_ignores_other_projects_records(db, project, key, case):
    indicator = bound(db, project, key, case)
    empty = measure(db, project, indicator, case.as_of)
    other = Project.model_validate({"name": "2024年另一街道劳动关系项目", "year": 2024})
    db.add(other)
    db.commit()
    twin = Indicator.model_validate(indicator.model_dump(exclude={"id"}) | {"project_id": other.id})
    db.add(twin)
    db.commit()
    insert(db, other.id, case.rows, twin.id)
    assert measure(db, other, twin, case.as_of) == astuple(case.expected)
    assert measure(db, project, indicator, case.as_of) == empty


def test_a_record_added_to_the_session_but_not_yet_committed_counts(db, project):
    insert(db, project.id, [event(d(3, 1))])
    model, values = event(d(3, 2))
    db.add(model.model_validate(values | {"project_id": project.id, "batch_id": db.exec(select(UploadBatch.id)).one()}))
    assert REGISTRY["events_held"].compute(db, Scope(project.id, project.year, date(2024, 6, 30))).actual == 2
