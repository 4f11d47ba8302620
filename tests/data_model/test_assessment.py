"""The self-assessment store: judgments, overrides, reasons, summary, corrective actions and finalizing.

The seed project starts with no records: the four 及时/同比提高/健全 indicators are pending (qualitative
without data), the counts score 0 of their weight, and every other one is without data (无数据) until marked
不适用. Fifteen sets of equipment make indicator 7 computed at 3.12 of 3.33 points (3.33 × 15 ÷ 16 = 3.121875):
not met, with no tier, and an override may only lower it. Entered scores are in points too (half-up).
"""

from datetime import date

import pytest
from sqlmodel import select

from data_model.auth import create_user
from data_model.importer import import_workbook
from data_model.models import AssessmentText, AuditLog, CorrectiveAction, Indicator, Judgment, Project
from kpi import assessment
from kpi.drafts import summary_draft
from kpi.evaluate import evaluate
from tests.helpers import workbook_bytes
from tests.kpi.records import d, event, insert

PENDING = (14, 15, 17, 18)
NO_DATA = (1, 2, 3, 4, 5, 9, 11, 12, 13, 16, 19, 20)
TOP = "达成年度指标"
PARTIAL = "部分达成年度指标并具有一定效果"


def ids(db, project) -> dict[int, int]:
    return {i.seq: i.id for i in db.exec(select(Indicator).where(Indicator.project_id == project.id))}


def result(db, project, seq: int):
    return next(r for r in evaluate(db, project, date(2024, 12, 31)).indicators if r.seq == seq)


def audit_actions(db) -> list[str]:
    return [a.action for a in db.exec(select(AuditLog).order_by(AuditLog.id))]


@pytest.fixture
def equipped(db, project):
    """The seed project with 15 sets of equipment issued: indicator 7 computes 15/16 of its weight."""
    rows = [["领用人", "发放日期", "套数", "验收结果"], ["张建华", date(2024, 3, 15), 15, "合格"]]
    import_workbook(db, project, workbook_bytes({"装备发放": rows}), file_name="装备.xlsx", uploaded_by="staff")
    return project


def explain_everything(db, project) -> None:
    """Judge the pending indicators at full marks, mark the ones without data 不适用 and give every other one a
    deviation reason."""
    by_seq = ids(db, project)
    for seq in PENDING:
        weight = db.get(Indicator, by_seq[seq]).weight
        assessment.judge(
            db,
            project,
            by_seq[seq],
            tier=TOP,
            score=weight,
            reason="台账齐全",
            by="evaluator",
            as_of=date(2024, 12, 31),
        )
    without_data = [r.seq for r in evaluate(db, project, date(2024, 12, 31)).indicators if r.status == "no_data"]
    for seq in without_data:
        assessment.mark_not_applicable(
            db, project, by_seq[seq], reason="本年度未开展", by="evaluator", as_of=date(2024, 12, 31)
        )
    for seq in set(by_seq) - set(PENDING) - set(without_data):
        assessment.set_deviation_reason(db, project, by_seq[seq], "数据尚未报送；下月补报", by="evaluator")


def test_finalize_is_refused_with_every_pending_and_unexplained_indicator(db, project):
    with pytest.raises(assessment.FinalizeRefused) as refused:
        assessment.finalize(db, project, by="evaluator", as_of=date(2024, 12, 31))
    missing = refused.value.missing
    assert len(missing) == 20
    assert missing[0] == "第 1 项「“以案定补”个案补贴成本」无数据，须补报数据或标记为不适用"
    assert missing[5] == "第 6 项「调解阵地建设完成数」得分低于分值，缺少偏差原因分析及改进措施"
    assert missing[13] == "第 14 项「调解阵地建设完成及时性」待评定档次和得分或标记为不适用"
    assert missing[17] == "第 18 项「长效管理机制健全有效性」待评定档次和得分"
    assert [i + 1 for i, text in enumerate(missing) if "待评定档次和得分" in text] == list(PENDING)
    assert [i + 1 for i, text in enumerate(missing) if text.endswith("须补报数据或标记为不适用")] == list(NO_DATA)
    assert str(refused.value).startswith("尚不能定稿，还缺：第 1 项")
    assert db.get(Project, project.id).finalized_at is None
    assert audit_actions(db) == []


def test_finalize_names_only_what_is_still_missing(db, project):
    explain_everything(db, project)
    assessment.set_deviation_reason(db, project, ids(db, project)[7], "  ", by="evaluator")  # blank is no reason
    with pytest.raises(assessment.FinalizeRefused) as refused:
        assessment.finalize(db, project, by="evaluator", as_of=date(2024, 12, 31))
    assert refused.value.missing == ["第 7 项「调解队伍装备保障数」得分低于分值，缺少偏差原因分析及改进措施"]


def test_finalize_keeps_who_and_when(db, project):
    explain_everything(db, project)
    assessment.finalize(db, project, by="evaluator", as_of=date(2024, 12, 31))
    stored = db.get(Project, project.id)
    assert stored.finalized_by == "evaluator" and stored.finalized_at is not None
    assert audit_actions(db)[-1] == "finalize"
    sa = assessment.load(db, project, date(2024, 12, 31))
    assert sa.final and sa.missing == [] and not sa.evaluation.provisional


CHANGES = {
    "judge": lambda db, p, by_seq: assessment.judge(
        db, p, by_seq[18], tier=PARTIAL, score=7.0, reason="部分制度未落实", by="evaluator", as_of=date(2024, 12, 31)
    ),
    "withdraw": lambda db, p, by_seq: assessment.withdraw(db, p, by_seq[18], by="evaluator"),
    "deviation_reason": lambda db, p, by_seq: assessment.set_deviation_reason(
        db, p, by_seq[1], "改写后的原因", by="evaluator"
    ),
    "actual_summary": lambda db, p, by_seq: assessment.set_summary(db, p, "全年完成情况良好", by="evaluator"),
    "assessment_text": lambda db, p, by_seq: assessment.set_texts(db, p, {"conclusion": "总体良好"}, by="evaluator"),
}


@pytest.mark.parametrize("action", CHANGES)
def test_a_change_after_finalizing_reopens_the_self_assessment(db, project, action):
    explain_everything(db, project)
    assessment.finalize(db, project, by="evaluator", as_of=date(2024, 12, 31))
    CHANGES[action](db, project, ids(db, project))
    stored = db.get(Project, project.id)
    assert (stored.finalized_by, stored.finalized_at) == (None, None)
    last = db.exec(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert last.action == action and last.detail.endswith("（自评已定稿，此修改使其重新打开）")


def test_an_override_reopens_a_finalized_self_assessment(db, equipped):
    explain_everything(db, equipped)
    assessment.finalize(db, equipped, by="evaluator", as_of=date(2024, 12, 31))
    assessment.override(
        db,
        equipped,
        ids(db, equipped)[7],
        score=3.0,
        reason="一套延至次年发放",
        by="evaluator",
        as_of=date(2024, 12, 31),
    )
    assert db.get(Project, equipped.id).finalized_at is None


@pytest.mark.parametrize(
    ("seq", "score", "reason", "message"),
    [
        (7, 3.33, "理由", "第 7 项「调解队伍装备保障数」得分只能调低：按数据计算为 3.12 分，3.33 分高于它"),
        (7, 3.125, "理由", "第 7 项「调解队伍装备保障数」得分只能调低：按数据计算为 3.12 分，3.13 分高于它"),
        (7, 3.13, "理由", "第 7 项「调解队伍装备保障数」得分只能调低：按数据计算为 3.12 分，3.13 分高于它"),
        (7, -1.0, "理由", "第 7 项「调解队伍装备保障数」调整后的得分不能为负数，-1.00 分超出了范围"),
        (7, 3.0, "  ", "调整第 7 项「调解队伍装备保障数」的得分须填写理由"),
        (18, 9.0, "理由", "第 18 项「长效管理机制健全有效性」由评价人员评定档次和得分，无需调整"),
        (1, 3.0, "理由", "第 1 项「“以案定补”个案补贴成本」尚无数据，无法调整得分"),
    ],
)
def test_override_outside_what_is_allowed_is_refused_and_nothing_is_written(db, equipped, seq, score, reason, message):
    with pytest.raises(assessment.AssessmentError) as refused:
        assessment.override(
            db, equipped, ids(db, equipped)[seq], score=score, reason=reason, by="evaluator", as_of=date(2024, 12, 31)
        )
    assert str(refused.value) == message
    assert db.exec(select(Judgment)).all() == []
    assert "override" not in audit_actions(db)


@pytest.mark.parametrize(
    ("given", "score"),
    [(3.12, 3.12), (2.0, 2.0), (0.0, 0.0), (2.005, 2.01), (3.115, 3.12)],  # down to 0, and in points (half-up)
)
def test_an_override_lowers_the_score_with_no_tier_and_keeps_who_and_why(db, equipped, given, score):
    indicator = ids(db, equipped)[7]
    assessment.override(
        db, equipped, indicator, score=given, reason="一套延至次年发放", by="evaluator", as_of=date(2024, 12, 31)
    )
    r = result(db, equipped, 7)
    assert (r.status, r.score, r.computed, r.overridden, r.tier) == ("not_met", score, 3.12, True, None)
    stored = db.exec(select(Judgment).where(Judgment.indicator_id == indicator)).one()
    assert (stored.tier, stored.score, stored.judged_by, stored.reason) == (
        None,
        score,
        "evaluator",
        "一套延至次年发放",
    )
    assessment.override(db, equipped, indicator, score=3.0, reason="改为调低 0.12 分", by="evaluator")
    assert result(db, equipped, 7).score == 3.0  # a later override is measured from the computed score
    assert audit_actions(db)[-1] == "override"

    assessment.withdraw(db, equipped, indicator, by="evaluator")
    assert (result(db, equipped, 7).score, result(db, equipped, 7).overridden) == (3.12, False)


@pytest.mark.parametrize(
    ("seq", "tier", "score", "message"),
    [
        (
            18,
            TOP,
            7.5,
            "第 18 项「长效管理机制健全有效性」：「达成年度指标」的得分应在 [8.00, 10.00] 分之间，7.50 分超出了范围",
        ),
        (
            18,
            PARTIAL,
            8.0,
            "第 18 项「长效管理机制健全有效性」："
            "「部分达成年度指标并具有一定效果」的得分应在 [6.00, 8.00) 分之间，8.00 分超出了范围",
        ),
        (
            18,
            "很好",
            9.0,
            "第 18 项「长效管理机制健全有效性」：档次「很好」不存在，应为："
            "达成年度指标、部分达成年度指标并具有一定效果、未达成年度指标且效果较差",
        ),
        (7, TOP, 3.0, "第 7 项「调解队伍装备保障数」按数据计算得分，不能评定档次；如需改动得分，请调整得分并说明理由"),
    ],
)
def test_judgment_outside_its_tier_or_on_a_computed_indicator_is_refused(db, equipped, seq, tier, score, message):
    with pytest.raises(assessment.AssessmentError) as refused:
        assessment.judge(
            db, equipped, ids(db, equipped)[seq], tier=tier, score=score, by="evaluator", as_of=date(2024, 12, 31)
        )
    assert str(refused.value) == message
    assert db.exec(select(Judgment)).all() == []


def test_judging_the_last_pending_indicator_makes_the_total_final(db, project):
    by_seq = ids(db, project)
    for seq in PENDING:
        assert evaluate(db, project, date(2024, 12, 31)).provisional
        assessment.judge(
            db,
            project,
            by_seq[seq],
            tier=PARTIAL,
            score=0.7 * db.get(Indicator, by_seq[seq]).weight,
            by="evaluator",
            as_of=date(2024, 12, 31),
        )
    ev = evaluate(db, project, date(2024, 12, 31))
    assert not ev.provisional
    # 14 and 15 (3.33 each: 0.7 × 3.33 = 2.331 is judged 2.33), 17 and 18 (10 each): 2.33 + 2.33 + 7 + 7
    assert ev.total_score == 18.66


def test_withdrawing_what_was_never_judged_is_refused(db, project):
    with pytest.raises(assessment.AssessmentError, match="第 18 项「长效管理机制健全有效性」没有评定或调整过得分"):
        assessment.withdraw(db, project, ids(db, project)[18], by="evaluator")


def test_summary_is_the_draft_until_edited_and_again_once_cleared(db, project):
    as_of = date(2024, 12, 31)
    draft = summary_draft(evaluate(db, project, as_of))
    assert assessment.load(db, project, as_of).summary == draft
    assessment.set_summary(db, project, "  全年完成情况良好  ", by="evaluator")
    assert assessment.load(db, project, as_of).summary == "全年完成情况良好"
    assessment.set_summary(db, project, "", by="evaluator")
    assert assessment.load(db, project, as_of).summary == draft
    assert audit_actions(db) == ["actual_summary", "actual_summary"]


def test_the_forms_texts_are_drafts_until_written_and_again_once_cleared(db, project):
    as_of = date(2024, 12, 31)
    drafts = {key: text.draft(assessment.load(db, project, as_of)) for key, text in assessment.TEXTS.items()}
    assert {key: assessment.load(db, project, as_of).text(key) for key in assessment.TEXTS} == drafts
    assert (drafts["project_lead"], drafts["finance_lead"]) == ("", "")  # names no data holds
    assessment.set_texts(
        db, project, {"organization": "  由街道劳动关系办牵头  ", "finance_lead": "赵静"}, by="evaluator"
    )
    sa = assessment.load(db, project, as_of)
    assert {key: sa.text(key) for key in assessment.TEXTS} == drafts | {
        "organization": "由街道劳动关系办牵头",
        "finance_lead": "赵静",
    }
    assessment.set_texts(db, project, {"organization": "", "finance_lead": "赵静"}, by="admin")
    sa = assessment.load(db, project, as_of)
    assert (sa.text("organization"), sa.text("finance_lead")) == (drafts["organization"], "赵静")
    details = [a.detail for a in db.exec(select(AuditLog).where(AuditLog.action == "assessment_text"))]
    assert details == [
        "组织实施：由街道劳动关系办牵头；财务负责人：赵静",
        "组织实施：（恢复为自动生成）；财务负责人：赵静",
    ]


@pytest.mark.parametrize(
    ("texts", "message"),
    [({"signature": "x"}, "没有名为「signature」的自评文字"), ({}, "没有修改任何内容")],
)
def test_an_unknown_or_empty_change_of_the_texts_is_refused_and_nothing_is_written(db, project, texts, message):
    with pytest.raises(assessment.AssessmentError, match=f"^{message}$"):
        assessment.set_texts(db, project, texts, by="evaluator")
    assert audit_actions(db) == [] and db.exec(select(AssessmentText)).all() == []


def test_names_are_display_names_falling_back_to_the_user_name(db, project):
    create_user(db, "wangfang", "secret-password-1", "evaluator", "王芳")
    sa = assessment.load(db, project, date(2024, 12, 31))
    assert [sa.name(who) for who in ("wangfang", "someone", None)] == ["王芳", "someone", ""]


def test_corrective_actions_stay_open_until_closed_earliest_due_first(db, project):
    by_seq = ids(db, project)
    late = assessment.add_action(
        db, project, by_seq[16], action="逐件回访未办结投诉", owner="李明", due_on=date(2025, 3, 31), by="evaluator"
    )
    soon = assessment.add_action(
        db, project, by_seq[7], action="补发一套工作装备", owner="王芳", due_on=date(2025, 1, 31), by="evaluator"
    )
    assert [(a.seq, a.indicator, a.action, a.owner, a.due_on) for a in assessment.open_actions(db, project.id)] == [
        (7, "调解队伍装备保障数", "补发一套工作装备", "王芳", date(2025, 1, 31)),
        (16, "有效投诉处置率", "逐件回访未办结投诉", "李明", date(2025, 3, 31)),
    ]
    assessment.close_action(db, project, soon.id, by="evaluator", closed_on=date(2025, 1, 20))
    assert [a.id for a in assessment.open_actions(db, project.id)] == [late.id]
    assert [(a.id, a.closed_on) for a in assessment.actions(db, project.id)] == [
        (soon.id, date(2025, 1, 20)),
        (late.id, None),
    ]
    with pytest.raises(assessment.AssessmentError, match="整改措施「补发一套工作装备」已于 2025-01-20 办结"):
        assessment.close_action(db, project, soon.id, by="evaluator")
    assert audit_actions(db) == ["action_add", "action_add", "action_close"]


@pytest.mark.parametrize(
    ("action", "owner", "message"), [("", "王芳", "请填写整改措施"), ("补发装备", " ", "请填写责任人")]
)
def test_corrective_action_without_text_or_owner_is_refused(db, project, action, owner, message):
    with pytest.raises(assessment.AssessmentError, match=message):
        assessment.add_action(
            db, project, ids(db, project)[7], action=action, owner=owner, due_on=date(2025, 1, 31), by="evaluator"
        )
    assert db.exec(select(CorrectiveAction)).all() == []


def test_an_indicator_of_another_project_is_refused(db, project):
    with pytest.raises(assessment.AssessmentError, match="项目中没有编号为 999 的指标"):
        assessment.set_deviation_reason(db, project, 999, "原因", by="evaluator")


@pytest.mark.parametrize(
    ("events", "missing"),
    [
        (6, None),
        (7, None),  # 116.7 % of the target: within 120 %
        (8, "第 8 项「普法宣传活动完成情况」超额完成（偏离年度指标值 20% 以上），缺少偏差原因分析及改进措施"),
    ],
)
def test_over_achievement_needs_a_deviation_reason_before_final(db, project, events, missing):
    insert(db, project.id, [event(d(1 + i, 10)) for i in range(events)])
    with pytest.raises(assessment.FinalizeRefused) as refused:
        assessment.finalize(db, project, by="evaluator", as_of=date(2024, 12, 31))
    assert next((m for m in refused.value.missing if m.startswith("第 8 项")), None) == missing
    assessment.set_deviation_reason(db, project, ids(db, project)[8], "年初目标偏保守；下年度调高", by="evaluator")
    assert not any(m.startswith("第 8 项") for m in assessment.missing_for_final(evaluate(db, project)))
