"""Evaluating all 20 indicators on a district-sized database, side by side with
(a) the naive path: every table read into pandas (pd.read_sql), the actuals computed there, and
(b) the floor: the aggregate queries evaluate() sends, captured and replayed bare on the DBAPI cursor.

    python -m bench.bench_evaluate [--records 1000000] [--projects 14] [--db URL] [--repeat 5]

The naive actuals are checked equal to the engine's, so the comparison is honest.
"""

import math
import re
from datetime import date

import pandas as pd
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from bench.common import default_db, figure, goal, options, race, record_count
from bench.generate import build_database
from data_model.db import session
from data_model.models import Indicator, Project
from data_model.projects import list_projects
from data_model.sheets import SHEETS, Kind
from kpi.evaluate import Evaluation, evaluate

SATISFIED = ("非常满意", "满意")


def naive_actuals(engine: Engine, project: Project, as_of: date) -> list[float | None]:
    """Every indicator's actual, in table order, from whole tables loaded into pandas."""
    with engine.connect() as conn:
        t = {
            s.name: pd.read_sql(
                select(s.model.__table__),
                conn,
                parse_dates=[c.field for c in s.columns if c.kind in (Kind.DATE, Kind.MONTH)],
            )
            for s in SHEETS
        }
        indicators = pd.read_sql(select(Indicator.__table__), conn)
    t = {name: frame[frame.project_id == project.id] for name, frame in t.items()}
    d, year_end = pd.Timestamp(as_of), pd.Timestamp(project.year, 12, 31)

    def ratio(n, m):
        return float(n) / float(m) if m else None

    spend = t["支出明细"][t["支出明细"].paid_on <= d]
    cases = t["以案定补"][t["以案定补"].closed_on <= d]
    kit = t["装备发放"][t["装备发放"].issued_on <= d]
    sites = t["调解阵地"]
    done, due = sites[sites.completed_on <= d], sites[sites.planned_on <= d]
    held = t["普法活动"][t["普法活动"].held_on <= d]
    months = t["平台运维"][t["平台运维"].month <= d].sort_values("month")
    complaints = t["投诉处置"]
    valid = complaints[complaints.valid.astype(bool) & (complaints.received_on <= d)]
    stats = t["劳动关系统计"]
    totals = dict(zip(stats.month, stats.disputes + stats.wage_arrears))
    this_year = [m for m in totals if m.year == project.year and m <= min(d, year_end)]
    baseline = [m - pd.DateOffset(years=1) for m in this_year]
    survey = t["满意度调查"][t["满意度调查"].surveyed_on <= d]

    def satisfaction(who):
        answers = survey[survey.respondent == who]
        return ratio(answers.rating.isin(SATISFIED).sum(), len(answers))

    def yoy():
        if not this_year or any(m not in totals for m in baseline):
            return None
        base = sum(totals[m] for m in baseline)
        return sum(totals[m] for m in this_year) / base - 1 if base else None

    by_key = {
        "cost_per_subsidy_person": lambda line: ratio(
            spend.amount[spend.budget_line == line].sum(), cases.persons.sum()
        ),
        "cost_per_equipment_set": lambda line: ratio(spend.amount[spend.budget_line == line].sum(), kit.sets.sum()),
        "cost_per_site": lambda line: ratio(spend.amount[spend.budget_line == line].sum(), len(done)),
        "cost_per_event": lambda line: ratio(spend.amount[spend.budget_line == line].sum(), len(held)),
        "cost_per_maintained_month": lambda line: ratio(
            spend.amount[spend.budget_line == line].sum(), months.maintained.astype(bool).sum()
        ),
        "sites_completed": lambda _: float(len(done)),
        "equipment_sets": lambda _: float(kit.sets.sum()),
        "events_held": lambda _: float(len(held)),
        "platform_integration": lambda _: months.integration_pct.iloc[-1] / 100 if len(months) else None,
        "subsidy_cases": lambda _: float(len(cases)),
        "site_pass_rate": lambda _: ratio((done.acceptance == "达标").sum(), len(done)),
        "equipment_pass_rate": lambda _: ratio(kit.sets[kit.acceptance == "合格"].sum(), kit.sets.sum()),
        "event_theme_rate": lambda _: ratio(held.on_theme.astype(bool).sum(), len(held)),
        "site_timeliness": lambda _: ratio((due.completed_on <= due.planned_on).sum(), len(due)),
        "event_timeliness": lambda _: ratio((held.held_on <= held.planned_on).sum(), len(held)),
        "complaint_resolution": lambda _: ratio((valid.closed_on <= d).sum(), len(valid)),
        "dispute_yoy": lambda _: yoy(),
        "mechanism_judged": lambda _: None,
        "worker_satisfaction": lambda _: satisfaction("劳动者"),
        "employer_satisfaction": lambda _: satisfaction("用工单位"),
    }
    ours = indicators[indicators.project_id == project.id].sort_values("seq")
    return [by_key[key](line) for key, line in zip(ours.metric_key, ours.budget_line)]


def captured_queries(engine: Engine, project: Project, as_of: date) -> list[tuple[str, object]]:
    """The statements evaluate() sends to the record tables, as the DBAPI cursor receives them."""
    seen = []

    def keep(_conn, _cursor, statement, parameters, _context, _executemany):
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        run_evaluate(engine, project, as_of)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    records = {s.model.__tablename__ for s in SHEETS}
    return [(q, p) for q, p in seen if records & set(re.findall(r"FROM (\w+)", q))]


def run_evaluate(engine: Engine, project: Project, as_of: date) -> Evaluation:
    with session(engine) as s:
        return evaluate(s, project, as_of)


def run_bare(engine: Engine, queries: list[tuple[str, object]]) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in queries:
            cursor.execute(statement, parameters)
            cursor.fetchall()
    finally:
        raw.close()


def agree(engine_actuals: list[float | None], naive: list[float | None]) -> bool:
    return len(engine_actuals) == len(naive) and all(
        (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9))
        for a, b in zip(engine_actuals, naive)
    )


def main(argv: list[str] | None = None) -> None:
    args = options(__doc__.splitlines()[0]).parse_args(argv)
    engine = build_database(args.db or default_db(args.records, args.projects), args.records, args.projects)
    with session(engine) as s:
        project = min(list_projects(s), key=lambda p: p.id)
    as_of = date(project.year, 9, 30)
    ev = run_evaluate(engine, project, as_of)
    naive = naive_actuals(engine, project, as_of)
    if not agree([r.actual for r in ev.indicators], naive):
        raise SystemExit(f"the naive path disagrees with evaluate():\n{[r.actual for r in ev.indicators]}\n{naive}")
    queries = captured_queries(engine, project, as_of)
    times = race(
        {
            "evaluate": lambda: run_evaluate(engine, project, as_of),
            "naive": lambda: naive_actuals(engine, project, as_of),
            "bare": lambda: run_bare(engine, queries),
        },
        args.repeat,
    )
    print(
        f"database: {record_count(engine):,} records in {args.projects} projects ({engine.dialect.name}); "
        f"project {project.id} evaluated as of {as_of}; best of {args.repeat}"
    )
    print(f"actuals: the naive path agrees with evaluate() on all {len(ev.indicators)} indicators")
    figure(f"evaluate(): {len(ev.indicators)} indicators and the budget", times["evaluate"])
    ratio = times["naive"] / times["evaluate"]
    figure("(a) naive: read every row into pandas", times["naive"], goal(ratio, ratio >= 20, "evaluate >= 20x faster"))
    ratio = times["evaluate"] / times["bare"]
    figure(
        f"(b) bare SQL: the same {len(queries)} aggregate queries",
        times["bare"],
        goal(ratio, ratio <= 1.5, "evaluate <= 1.5x this"),
    )


if __name__ == "__main__":
    main()
