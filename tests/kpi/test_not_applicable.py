"""不适用: at year end the evaluator marks an indicator without data all year as not applicable, with a reason; it is
left out and the total rescaled to 100 (Σ scores ÷ Σ applicable weights, the budget's included, × 100), and 定稿
waits until every indicator without data is judged or marked.

The seed project has no records: 有效投诉处置率 (#16, 10 points) is without data, as in a year with no valid complaint.
"""

import io
from dataclasses import replace
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlmodel import delete, select

from data_model.db import make_engine, session
from data_model.importer import import_workbook
from data_model.models import AuditLog, Complaint, Indicator, Judgment
from data_model.projects import find_project
from data_model.targets import parse_target
from kpi import assessment, export, report, tables
from kpi.evaluate import evaluate, to_json, total_score
from kpi.kinds import COUNT, JUDGED, RATE, TIMELY, YOY
from kpi.scoring import Status, score_indicator
from tests.data_model.workbooks import good, upload

YEAR_END = date(2024, 12, 31)
REASON = "本年度未受理有效投诉，该指标不适用"


def ids(db, project) -> dict[int, int]:
    return {i.seq: i.id for i in db.exec(select(Indicator).where(Indicator.project_id == project.id))}


def result(db, project, seq: int, as_of: date = YEAR_END):
    return next(r for r in evaluate(db, project, as_of).indicators if r.seq == seq)


def audit(db) -> list[tuple[str, str]]:
    return [(a.action, a.detail) for a in db.exec(select(AuditLog).order_by(AuditLog.id))]


@pytest.mark.parametrize(
    ("kind", "target", "actual", "marked", "status"),
    [
        (RATE, "=100.00(%)", None, True, Status.NOT_APPLICABLE),  # no valid complaint all year
        (RATE, "=100.00(%)", None, False, Status.NO_DATA),  # until marked
        (RATE, "=100.00(%)", 0.975, True, Status.NOT_MET),  # data came: the mark lapses
        (RATE, "=100.00(%)", 1.0, True, Status.MET),
        (COUNT, "=16.00(套)", 0.0, True, Status.NOT_MET),  # nothing done is data, not 不适用
        (TIMELY, "及时", None, True, Status.NOT_APPLICABLE),  # qualitative without data
        (TIMELY, "及时", None, False, Status.PENDING),
        (YOY, "同比提高", None, True, Status.NOT_APPLICABLE),
        (JUDGED, "健全", None, True, Status.PENDING),  # judged on its evidence, never without data
    ],
)
def test_a_marked_indicator_is_not_applicable_only_while_it_has_no_data(kind, target, actual, marked, status):
    scored = score_indicator(kind, parse_target(target), actual, 10.0, not_applicable=marked)
    assert scored.status == status
    if status == Status.NOT_APPLICABLE:
        assert (scored.score, scored.tier) == (0.0, None)


@pytest.mark.parametrize(
    ("left_out", "total"),
    [
        ((), 87.98),  # nothing left out: the plain sum of the (rounded) scores
        ((16,), 86.92),  # (87.98 − 9.75) ÷ 90 × 100 = 86.922
        ((19, 20), 86.76),  # (87.98 − 5 − 4.90) ÷ 90 × 100 = 86.756
        ((1, 16), 86.42),  # (87.98 − 3.34 − 9.75) ÷ 86.66 × 100 = 86.418
    ],
)
def test_the_total_leaves_out_not_applicable_indicators_and_is_rescaled_to_100(sample_assessment, left_out, total):
    ev = sample_assessment.evaluation
    results = [replace(r, status=Status.NOT_APPLICABLE, score=0.0) if r.seq in left_out else r for r in ev.indicators]
    assert total_score(ev.budget, results) == total


def test_marking_leaves_the_indicator_out_with_its_reason_and_withdrawing_brings_it_back(db, project):
    indicator = ids(db, project)[16]
    before = evaluate(db, project, YEAR_END)
    assessment.mark_not_applicable(db, project, indicator, reason=f"  {REASON} ", by="evaluator", as_of=YEAR_END)

    r = result(db, project, 16)
    assert (r.status, r.score, r.light, r.not_applicable_reason) == (Status.NOT_APPLICABLE, 0.0, "grey", REASON)
    stored = db.exec(select(Judgment).where(Judgment.indicator_id == indicator)).one()
    assert (stored.not_applicable, stored.tier, stored.score, stored.reason, stored.judged_by) == (
        True,
        None,
        None,
        REASON,
        "evaluator",
    )
    ev = evaluate(db, project, YEAR_END)
    assert ev.applicable_weight == 90.0
    assert ev.total_score == round(before.total_score / 90 * 100, 2)
    json = to_json(ev)
    assert json["indicators"][15]["status"] == "not_applicable" and json["applicable_weight"] == 90.0
    assert assessment.rescale_note(ev) == "第 16 项不适用，不计分；总分按适用指标分值 90.00 分折算为百分制"
    row = next(row for row in tables.assessment(ev.indicators) if row["序号"] == 16)
    assert (row["状态"], row["评分方式"], row["偏差原因"]) == ("⚪ 不适用", "不适用", "无需")
    assert result(db, project, 16, date(2024, 6, 30)).status == Status.NOT_APPLICABLE  # still without data then

    assessment.withdraw(db, project, indicator, by="evaluator")
    assert result(db, project, 16).status == Status.NO_DATA
    assert evaluate(db, project, YEAR_END).total_score == before.total_score
    assert audit(db) == [
        ("not_applicable", f"第 16 项「有效投诉处置率」标记为不适用。理由：{REASON}"),
        ("withdraw", "第 16 项「有效投诉处置率」撤销不适用标记"),
    ]


@pytest.mark.parametrize(
    ("seq", "reason", "as_of", "message"),
    [
        (16, REASON, date(2024, 11, 30), "不适用须在年末标记：请将统计截至日设为 2024年12月31日"),
        (7, REASON, YEAR_END, "第 7 项「调解队伍装备保障数」截至年末已有数据，不能标记为不适用"),
        (18, REASON, YEAR_END, "第 18 项「长效管理机制健全有效性」依据台账评定档次和得分，不能标记为不适用"),
        (16, "  ", YEAR_END, "标记第 16 项「有效投诉处置率」为不适用须填写理由"),
    ],
)
def test_marking_is_refused_before_year_end_with_data_for_a_judged_metric_or_without_a_reason(
    db, project, seq, reason, as_of, message
):
    with pytest.raises(assessment.AssessmentError) as refused:
        assessment.mark_not_applicable(db, project, ids(db, project)[seq], reason=reason, by="evaluator", as_of=as_of)
    assert str(refused.value) == message
    assert db.exec(select(Judgment)).all() == [] and audit(db) == []


def test_a_mark_lapses_once_the_indicator_has_data(db, project):
    assessment.mark_not_applicable(db, project, ids(db, project)[16], reason=REASON, by="evaluator", as_of=YEAR_END)
    import_workbook(db, project, upload(投诉处置=[good("投诉处置")]), file_name="投诉.xlsx", uploaded_by="staff")
    r = result(db, project, 16)
    assert r.status != Status.NOT_APPLICABLE and r.actual is not None and r.not_applicable_reason == ""


def test_judging_replaces_a_mark_and_marking_replaces_a_judgment(db, project):
    timely = ids(db, project)[14]  # 及时 without data: judged, or marked 不适用
    assessment.judge(db, project, timely, tier="达成年度指标", score=3.0, reason="按期", by="evaluator", as_of=YEAR_END)
    assessment.mark_not_applicable(db, project, timely, reason="本年度无阵地建设", by="evaluator", as_of=YEAR_END)
    r = result(db, project, 14)
    assert (r.status, r.score, r.tier) == (Status.NOT_APPLICABLE, 0.0, None)
    assessment.judge(db, project, timely, tier="达成年度指标", score=3.0, by="evaluator", as_of=YEAR_END)
    stored = db.exec(select(Judgment).where(Judgment.indicator_id == timely)).one()
    assert (stored.not_applicable, stored.tier, stored.score) == (False, "达成年度指标", 3.0)
    assert result(db, project, 14).status == Status.MET


def test_finalizing_waits_for_each_indicator_without_data_until_it_is_marked(db, project):
    by_seq = ids(db, project)
    missing = "第 16 项「有效投诉处置率」无数据，须补报数据或标记为不适用"
    assert missing in assessment.missing_for_final(evaluate(db, project, YEAR_END))
    assessment.mark_not_applicable(db, project, by_seq[16], reason=REASON, by="evaluator", as_of=YEAR_END)
    assert missing not in assessment.missing_for_final(evaluate(db, project, YEAR_END))
    assert not any(m.startswith("第 16 项") for m in assessment.missing_for_final(evaluate(db, project, YEAR_END)))


@pytest.fixture
def no_complaints(fresh_url):
    """The sample year with no valid complaint at all: 有效投诉处置率 is without data, the total 78.23."""
    engine = make_engine(fresh_url)
    with session(engine) as s:
        s.exec(delete(Complaint))
        s.commit()
        project = find_project(s)
    yield engine, project
    engine.dispose()


def test_the_sample_year_without_complaints_rescales_to_86_92_once_complaints_are_marked(no_complaints):
    engine, project = no_complaints
    with session(engine) as s:
        assert (evaluate(s, project, YEAR_END).total_score, result(s, project, 16).status) == (78.23, Status.NO_DATA)
        assessment.mark_not_applicable(s, project, ids(s, project)[16], reason=REASON, by="evaluator")
        ev = evaluate(s, project, YEAR_END)
        assert (ev.total_score, ev.grade) == (86.92, "良")
        sa = assessment.load(s, project, YEAR_END)

    sheet = load_workbook(io.BytesIO(export.workbook(sa))).active
    [row] = [row for row in sheet.iter_rows(values_only=True) if row[2] == "有效投诉处置率"]
    assert row[4:] == ("不适用", 10.0, "—", f"不适用：{REASON}")
    [total] = [row for row in sheet.iter_rows(values_only=True) if row[0] == "总分"]
    assert total[5:] == (90.0, 86.92, "第 16 项不适用，不计分；总分按适用指标分值 90.00 分折算为百分制；暂定：尚未定稿")

    text = "\n".join(p.text for p in Document(io.BytesIO(report.document(sa))).paragraphs)
    assert (
        "自评总分 86.92 分，评价等级“良”（暂定）（第 16 项不适用，不计分；总分按适用指标分值 90.00 分折算为百分制）。"
        in text
    )
    assert f"16. 有效投诉处置率（不适用，分值 10.00 不计入总分）：{REASON}" in text
