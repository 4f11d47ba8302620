"""A target's unit against its metric's: each metric counts in one unit, each kind refuses a target whose unit does
not fit, the refusal names the sheet, row, column and the metric's unit, and 元 and 万元 convert both ways."""

from datetime import date

import pytest
from sqlmodel import select

from data_model.models import Indicator
from data_model.problems import WorkbookRejected
from data_model.targets import parse_target
from kpi.evaluate import evaluate
from kpi.metrics import METRICS, REGISTRY, actual_text
from kpi.projects import build_project, create_project
from kpi.scoring import Status, points
from tests.data_model.tables import WRONG_UNITS, edited
from tests.kpi.records import SITE_LINE, d, insert, pay, site


def test_every_metric_declares_its_unit_and_only_a_manual_one_takes_the_table_s():
    assert [m.key for m in METRICS if m.unit is None] == [m.key for m in METRICS if m.kind.manual]


# metric key, 年度指标值, the catalogue entry refusing it (None: accepted)
TARGET_PROBLEMS = [
    ("sites_completed", "=3.00(家)", None),
    ("sites_completed", "≥3 个", None),
    ("sites_completed", "=3", None),
    ("sites_completed", "≥90%", "P003.unit"),
    ("sites_completed", "≥3 元", "P003.unit"),
    ("sites_completed", "≥3 千元", "P003.unit"),
    ("sites_completed", "≤30 天", "P003.unit"),
    ("sites_completed", "三家", "P003.numeric_target"),
    ("worker_satisfaction", "≥85.00(%)", None),
    ("worker_satisfaction", "＞＝85％", None),
    ("worker_satisfaction", "≥95", "P003.unit"),
    ("worker_satisfaction", "≥95 分", "P003.unit"),
    ("complaint_resolution", "≤5 天", "P003.unit"),
    ("cost_per_site", "≤20000 元/家", None),
    ("cost_per_site", "≤2.6 万元/家", None),
    ("cost_per_site", "≤2.6万元", None),
    ("cost_per_site", "≤20000", "P003.unit"),
    ("cost_per_site", "≤20 千元/家", "P003.unit"),
    ("cost_per_site", "≤100%", "P003.unit"),
    ("site_timeliness", "及时", None),
    ("site_timeliness", "≤5 天", "P003.word_target"),
    ("site_timeliness", "≥90%", "P003.word_target"),
    ("dispute_yoy", "同比提高", None),
    ("dispute_yoy", "≤-5%", "P003.word_target"),
    ("mechanism_judged", "健全", None),
    ("mechanism_judged", "≥3 项", None),
    ("manual_total", "≥200 人次", None),
    ("manual_total", "≥2 万元", None),
    ("manual_latest", "≥95%", None),
    ("manual_latest", "较好", "P003.numeric_target"),
]


@pytest.mark.parametrize(("key", "text", "entry"), TARGET_PROBLEMS)
def test_each_kind_refuses_a_target_whose_unit_does_not_fit_its_metric(key, text, entry):
    metric = REGISTRY[key]
    assert metric.kind.target_problem(parse_target(text), metric.unit) == entry


@pytest.mark.parametrize(("row", "text", "message"), WRONG_UNITS)
def test_a_wrong_unit_is_refused_naming_sheet_row_column_and_the_metric_unit(row, text, message):
    with pytest.raises(WorkbookRejected) as rejected:
        build_project(edited("绩效目标", row, "年度指标值", text))
    assert [(p.code, p.text()) for p in rejected.value.problems] == [("P003", message)]


# spend on the site line, sites completed: the actual in 万元/家, the status, the share of the weight
IN_WAN_YUAN = [
    (58_500.0, 3, 1.95, Status.MET, 1.0, "1.95 万元/家"),
    (78_000.0, 3, 2.6, Status.MET, 1.0, "2.60 万元/家"),
    (90_000.0, 3, 3.0, Status.NOT_MET, 2.6 / 3.0, "3.00 万元/家"),
]


@pytest.mark.parametrize(("spent", "sites", "actual", "status", "share", "shown"), IN_WAN_YUAN)
def test_a_cost_counted_in_yuan_is_scored_and_shown_in_the_target_s_wan_yuan(
    db, spent, sites, actual, status, share, shown
):
    project = create_project(db, edited("绩效目标", 4, "年度指标值", "≤2.6 万元/家"))
    records = [site(d(3, 31), d(3, 20)) for _ in range(sites)]
    insert(db, project.id, [*records, pay(d(3, 25), spent, SITE_LINE)])
    result = evaluate(db, project, date(2024, 12, 31)).indicators[2]
    assert (result.unit, result.actual, result.status) == ("万元/家", pytest.approx(actual), status)
    assert result.score == points(result.weight * share)
    assert actual_text(result.metric_key, result.actual, result.unit) == shown
    stored = db.exec(select(Indicator).where(Indicator.project_id == project.id, Indicator.seq == 3)).one()
    assert (stored.target_value, stored.unit) == (2.6, "万元/家")  # as written; the conversion is the evaluation's
