"""The evaluator's self-assessment: judgments, overrides, 不适用, deviation reasons, the 实际完成情况, the forms'
texts (TEXTS), corrective actions (整改措施) and finalizing.

Every change is one transaction with its audit entry, and a change to anything the self-assessment
shows reopens a finalized one.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from sqlmodel import Session, select

from data_model import audit
from data_model import evidence as evidence_files
from data_model.auth import display_names, named
from data_model.models import AssessmentText, CorrectiveAction, Indicator, Judgment, Mechanism, Project, utcnow
from data_model.problems import UserError
from kpi import drafts, scoring
from kpi.drafts import needs_reason, summary_draft
from kpi.evaluate import Evaluation, IndicatorResult, default_as_of, evaluate
from kpi.formatting import chinese_date
from kpi.metrics import REGISTRY


class AssessmentError(UserError):
    """A refused change; the message is Chinese and safe to show."""


class Standing(StrEnum):
    """How settled a self-assessment is: what 暂定 means, decided by `standing` alone."""

    FINAL = "final"  # finalized: nothing is 暂定
    DRAFT = "draft"  # not finalized: the self-assessment and its forms are 暂定, its total and grade are not
    PENDING = "pending"  # not finalized, and an indicator awaits judgment: the total and grade are 暂定 too


def standing(project: Project, ev: Evaluation) -> Standing:
    """Finalizing settles everything, also as of an earlier date at which an indicator finalized later (a qualitative
    one without data yet) still awaits judgment; until then an indicator awaiting judgment leaves the total 暂定."""
    if project.finalized_at is not None:
        return Standing.FINAL
    return Standing.PENDING if ev.provisional else Standing.DRAFT


class FinalizeRefused(AssessmentError):
    def __init__(self, missing: list[str]):
        super().__init__("尚不能定稿，还缺：" + "；".join(missing))
        self.missing = missing


@dataclass(frozen=True)
class ActionRow:
    """A corrective action with the indicator it answers."""

    id: int
    seq: int
    indicator: str  # 三级指标
    action: str
    owner: str
    due_on: date
    closed_on: date | None


@dataclass(frozen=True)
class SelfAssessment:
    """Everything the 绩效自评表 and the report show, as of one date."""

    project: Project
    evaluation: Evaluation
    summary: str  # 实际完成情况: the evaluator's text, else the draft
    actions: list[ActionRow]
    judgments: dict[int, Judgment]  # by indicator id: who judged or overrode, when and why
    missing: list[str]  # what stands between it and final; empty when it can be finalized
    mechanisms: list[Mechanism]  # the 长效机制 documents issued by the as-of date: the 佐证材料 so far
    written: dict[str, str]  # the forms' texts the evaluator wrote, by TEXTS key
    names: dict[str, str]  # each account's 姓名 by user name
    files: list[evidence_files.Item] = field(default_factory=list)  # 佐证材料, by indicator then upload (no content)

    def evidence_count(self, seq: int) -> int:
        """How many 佐证材料 files the indicator `seq` has."""
        return sum(item.seq == seq for item in self.files)

    @property
    def final(self) -> bool:
        return self.project.finalized_at is not None

    def text(self, key: str) -> str:
        """A text of the forms: what the evaluator wrote, else its draft from the data."""
        return self.written.get(key) or TEXTS[key].draft(self)

    @property
    def filled_on(self) -> str:
        """填报日期 of the forms: the day (in Shanghai) the self-assessment was finalized; a draft has none yet."""
        if not self.final:
            return "（定稿后填写）"
        return chinese_date(audit.aware(self.project.finalized_at).astimezone(audit.SHANGHAI).date())

    def name(self, username: str | None) -> str:
        """The person behind a user name, by their 姓名 (the user name when the account has none)."""
        return named(self.names, username)

    @property
    def standing(self) -> Standing:
        return standing(self.project, self.evaluation)


class Text(NamedTuple):
    """A text of the forms the evaluator may write, and what stands until they do."""

    label: str
    draft: Callable[[SelfAssessment], str]


TEXTS = {
    "conclusion": Text("评价结论", lambda sa: drafts.conclusion_draft(sa.evaluation)),
    "problems": Text("存在问题", lambda sa: drafts.problems_draft(sa.evaluation)),
    "improvements": Text("改进措施", lambda sa: drafts.improvements_draft(sa.actions)),
    "organization": Text("组织实施", lambda sa: drafts.organization_draft(sa.project)),
    "funds": Text("资金管理", lambda sa: drafts.funds_draft(sa.evaluation)),
    "system": Text("制度建设", lambda sa: drafts.system_draft(sa.mechanisms)),
    "project_lead": Text("项目负责人", lambda sa: ""),  # names no data holds: blank until written
    "finance_lead": Text("财务负责人", lambda sa: ""),
}


def _label(r: IndicatorResult | Indicator) -> str:
    return f"第 {r.seq} 项「{r.level3}」"


def reason_missing(r: IndicatorResult) -> bool:
    """Deviating (below its weight, or over-achieved) and still without its 偏差原因分析及改进措施."""
    return needs_reason(r) and not r.deviation_reason.strip()


def without_data(r: IndicatorResult) -> bool:
    """Without an actual value (a judged metric never is): it may be marked 不适用 at year end."""
    return scoring.without_data(REGISTRY[r.metric_key].kind, r.actual)


def at_year_end(project: Project, as_of: date) -> bool:
    """不适用 is marked as of the project year's last day: only then is an indicator without data all year."""
    return as_of == date(project.year, 12, 31)


def still_missing(r: IndicatorResult) -> str | None:
    """What the indicator still lacks before the self-assessment can be final; None when nothing."""
    if r.status == scoring.Status.NO_DATA:
        return f"{_label(r)}无数据，须补报数据或标记为不适用"
    if r.status == scoring.Status.PENDING:
        return f"{_label(r)}待评定档次和得分" + ("或标记为不适用" if without_data(r) else "")
    if reason_missing(r):
        why = "超额完成（偏离年度指标值 20% 以上）" if r.over_achieved else "得分低于分值"
        return f"{_label(r)}{why}，缺少偏差原因分析及改进措施"
    return None


def rescale_note(ev: Evaluation) -> str:
    """How the total came about when indicators are 不适用; "" when none is."""
    left_out = "、".join(str(r.seq) for r in ev.indicators if r.status == scoring.Status.NOT_APPLICABLE)
    if not left_out:
        return ""
    return f"第 {left_out} 项不适用，不计分；总分按适用指标分值 {ev.applicable_weight:.2f} 分折算为百分制"


def missing_for_final(ev: Evaluation) -> list[str]:
    """Every indicator without data and not marked 不适用, every pending one, and every deviating one (a shortfall
    or an over-achievement) without a deviation reason."""
    return [item for r in ev.indicators if (item := still_missing(r))]


def actions(session: Session, project_id: int, *, open_only: bool = False) -> list[ActionRow]:
    query = (
        select(CorrectiveAction, Indicator)
        .join(Indicator, CorrectiveAction.indicator_id == Indicator.id)
        .where(Indicator.project_id == project_id)
        .order_by(CorrectiveAction.due_on, CorrectiveAction.id)
    )
    if open_only:
        query = query.where(CorrectiveAction.closed_on.is_(None))
    return [
        ActionRow(a.id, i.seq, i.level3, a.action, a.owner, a.due_on, a.closed_on) for a, i in session.exec(query).all()
    ]


def open_actions(session: Session, project_id: int) -> list[ActionRow]:
    """Corrective actions not yet closed, earliest due first: the overview shows them."""
    return actions(session, project_id, open_only=True)


def evidence(session: Session, project_id: int, as_of: date) -> list[Mechanism]:
    """The 长效机制 rows issued by the as-of date, shown beside the judged indicator."""
    query = select(Mechanism).where(Mechanism.project_id == project_id, Mechanism.issued_on <= as_of)
    return list(session.exec(query.order_by(Mechanism.issued_on)).all())


def load(session: Session, project: Project, as_of: date | None = None) -> SelfAssessment:
    project = session.get(Project, project.id)
    ev = evaluate(session, project, as_of)
    summary = project.actual_summary if project.actual_summary else summary_draft(ev)
    judgments = session.exec(select(Judgment).join(Indicator).where(Indicator.project_id == project.id)).all()
    written = session.exec(select(AssessmentText).where(AssessmentText.project_id == project.id)).all()
    return SelfAssessment(
        project,
        ev,
        summary,
        actions(session, project.id),
        {j.indicator_id: j for j in judgments},
        missing_for_final(ev),
        evidence(session, project.id, ev.as_of),
        {t.key: t.text for t in written},
        display_names(session),
        evidence_files.listing(session, project.id),
    )


def _indicator(session: Session, project: Project, indicator_id: int) -> Indicator:
    indicator = session.get(Indicator, indicator_id)
    if indicator is None or indicator.project_id != project.id:
        raise AssessmentError(f"项目中没有编号为 {indicator_id} 的指标")
    return indicator


def _result(session: Session, project: Project, indicator_id: int, as_of: date | None) -> IndicatorResult:
    ev = evaluate(session, project, as_of or default_as_of(project))
    return next(r for r in ev.indicators if r.indicator_id == indicator_id)


def _judgment(session: Session, indicator: Indicator) -> Judgment:
    found = session.exec(select(Judgment).where(Judgment.indicator_id == indicator.id)).first()
    return found or Judgment(indicator_id=indicator.id)


def reopen_and_note(project: Project) -> str:
    """Clear a finalized self-assessment that a change no longer matches; returns the note for the change's
    audit entry ("" when it was not final)."""
    if project.finalized_at is None:
        return ""
    project.finalized_by, project.finalized_at = None, None
    return "（自评已定稿，此修改使其重新打开）"


def _save(session: Session, project: Project, by: str, action: str, detail: str, *rows) -> None:
    """Store the rows with their audit entry and reopen a finalized self-assessment, in one commit."""
    project = session.get(Project, project.id)
    detail += reopen_and_note(project)
    session.add(project)
    for row in rows:
        session.add(row)
    audit.record(session, by, action, detail, project.id)
    session.commit()


def _touch(judgment: Judgment, by: str) -> Judgment:
    judgment.judged_by, judgment.judged_at = by, utcnow()
    return judgment


def _word(
    judgment: Judgment,
    by: str,
    *,
    tier: str | None = None,
    score: float | None = None,
    reason: str = "",
    not_applicable: bool = False,
) -> Judgment:
    """The evaluator's word on the indicator (a judgment, an override, 不适用, or none), replacing any before it."""
    _touch(judgment, by)
    judgment.tier, judgment.score, judgment.reason, judgment.not_applicable = tier, score, reason, not_applicable
    return judgment


def judge(
    session: Session,
    project: Project,
    indicator_id: int,
    *,
    tier: str,
    score: float,
    reason: str = "",
    by: str,
    as_of: date | None = None,
) -> Judgment:
    """The tier and score of an indicator the evaluator scores (长效机制 健全, qualitative without data), in points."""
    score = scoring.points(score)
    indicator = _indicator(session, project, indicator_id)
    if not _result(session, project, indicator_id, as_of).judged:
        raise AssessmentError(f"{_label(indicator)}按数据计算得分，不能评定档次；如需改动得分，请调整得分并说明理由")
    try:
        scoring.check_in_band(tier, score, indicator.weight)
    except scoring.JudgmentError as err:
        raise AssessmentError(f"{_label(indicator)}：{err}") from None
    judgment = _word(_judgment(session, indicator), by, tier=tier, score=score, reason=reason.strip())
    _save(
        session,
        project,
        by,
        "judge",
        f"{_label(indicator)}评定为「{tier}」，{score:.2f} 分。{judgment.reason}",
        judgment,
    )
    return judgment


def override(
    session: Session,
    project: Project,
    indicator_id: int,
    *,
    score: float,
    reason: str,
    by: str,
    as_of: date | None = None,
) -> Judgment:
    """Lower a computed score (a data-quality correction), never raise it; the reason is mandatory. In points."""
    score = scoring.points(score)
    indicator = _indicator(session, project, indicator_id)
    result = _result(session, project, indicator_id, as_of)
    if result.judged:
        raise AssessmentError(f"{_label(indicator)}由评价人员评定档次和得分，无需调整")
    if result.status == scoring.Status.NO_DATA:
        raise AssessmentError(f"{_label(indicator)}尚无数据，无法调整得分")
    if not reason.strip():
        raise AssessmentError(f"调整{_label(indicator)}的得分须填写理由")
    try:
        scoring.check_lowered(score, result.computed)
    except scoring.JudgmentError as err:
        raise AssessmentError(f"{_label(indicator)}{err}") from None
    judgment = _word(_judgment(session, indicator), by, score=score, reason=reason.strip())
    _save(
        session,
        project,
        by,
        "override",
        f"{_label(indicator)}得分调整为 {score:.2f} 分。理由：{judgment.reason}",
        judgment,
    )
    return judgment


def mark_not_applicable(
    session: Session, project: Project, indicator_id: int, *, reason: str, by: str, as_of: date | None = None
) -> Judgment:
    """不适用: an indicator without data all year is left out and the total rescaled; the reason is mandatory."""
    indicator = _indicator(session, project, indicator_id)
    as_of = as_of or default_as_of(project)
    if not at_year_end(project, as_of):
        raise AssessmentError(f"不适用须在年末标记：请将统计截至日设为 {project.year}年12月31日")
    result = _result(session, project, indicator_id, as_of)
    if result.actual is not None:
        raise AssessmentError(f"{_label(indicator)}截至年末已有数据，不能标记为不适用")
    if not without_data(result):
        raise AssessmentError(f"{_label(indicator)}依据台账评定档次和得分，不能标记为不适用")
    if not reason.strip():
        raise AssessmentError(f"标记{_label(indicator)}为不适用须填写理由")
    judgment = _word(_judgment(session, indicator), by, reason=reason.strip(), not_applicable=True)
    _save(session, project, by, "not_applicable", f"{_label(indicator)}标记为不适用。理由：{judgment.reason}", judgment)
    return judgment


def withdraw(session: Session, project: Project, indicator_id: int, *, by: str) -> None:
    """Take back a judgment, an override or 不适用: the indicator is pending, computed, or without data again."""
    indicator = _indicator(session, project, indicator_id)
    judgment = _judgment(session, indicator)
    if judgment.score is None and not judgment.not_applicable:
        raise AssessmentError(f"{_label(indicator)}没有评定或调整过得分")
    what = "不适用标记" if judgment.not_applicable else "评定或调整的得分"
    _save(session, project, by, "withdraw", f"{_label(indicator)}撤销{what}", _word(judgment, by))


def set_deviation_reason(session: Session, project: Project, indicator_id: int, text: str, *, by: str) -> None:
    indicator = _indicator(session, project, indicator_id)
    judgment = _touch(_judgment(session, indicator), by)
    judgment.deviation_reason = text.strip()
    _save(
        session,
        project,
        by,
        "deviation_reason",
        f"{_label(indicator)}偏差原因分析及改进措施：{judgment.deviation_reason or '（清空）'}",
        judgment,
    )


def set_summary(session: Session, project: Project, text: str | None, *, by: str) -> None:
    """The edited 实际完成情况; an empty text goes back to the draft generated from the actuals."""
    stored = session.get(Project, project.id)
    stored.actual_summary = (text or "").strip() or None
    _save(
        session, project, by, "actual_summary", f"实际完成情况：{stored.actual_summary or '（恢复为自动生成）'}", stored
    )


def set_texts(session: Session, project: Project, texts: dict[str, str | None], *, by: str) -> None:
    """Texts of the forms as the evaluator wrote them, in one change; an empty text goes back to its draft."""
    unknown = [key for key in texts if key not in TEXTS]
    if unknown:
        raise AssessmentError(f"没有名为「{'、'.join(unknown)}」的自评文字")
    if not texts:
        raise AssessmentError("没有修改任何内容")
    stored = {t.key: t for t in session.exec(select(AssessmentText).where(AssessmentText.project_id == project.id))}
    rows, said = [], []
    for key, text in texts.items():
        text = (text or "").strip()
        said.append(f"{TEXTS[key].label}：{text or '（恢复为自动生成）'}")
        if not text:
            if key in stored:
                session.delete(stored[key])
            continue
        row = stored.get(key) or AssessmentText(project_id=project.id, key=key, text=text, edited_by=by)
        row.text, row.edited_by, row.edited_at = text, by, utcnow()
        rows.append(row)
    _save(session, project, by, "assessment_text", "；".join(said), *rows)


def add_action(
    session: Session, project: Project, indicator_id: int, *, action: str, owner: str, due_on: date, by: str
) -> CorrectiveAction:
    indicator = _indicator(session, project, indicator_id)
    if not action.strip():
        raise AssessmentError("请填写整改措施")
    if not owner.strip():
        raise AssessmentError("请填写责任人")
    row = CorrectiveAction(
        indicator_id=indicator.id, action=action.strip(), owner=owner.strip(), due_on=due_on, created_by=by
    )
    session.add(row)
    audit.record(
        session,
        by,
        "action_add",
        f"{_label(indicator)}新增整改措施：{row.action}（责任人 {row.owner}，完成时限 {due_on:%Y-%m-%d}）",
        project.id,
    )
    session.commit()
    return row


def close_action(session: Session, project: Project, action_id: int, *, by: str, closed_on: date | None = None) -> None:
    row = session.get(CorrectiveAction, action_id)
    indicator = row and session.get(Indicator, row.indicator_id)
    if indicator is None or indicator.project_id != project.id:
        raise AssessmentError(f"项目中没有编号为 {action_id} 的整改措施")
    if row.closed_on is not None:
        raise AssessmentError(f"整改措施「{row.action}」已于 {row.closed_on:%Y-%m-%d} 办结")
    row.closed_on = closed_on or date.today()
    session.add(row)
    audit.record(session, by, "action_close", f"{_label(indicator)}整改措施「{row.action}」已办结", project.id)
    session.commit()


def finalize(session: Session, project: Project, *, by: str, as_of: date | None = None) -> None:
    """Mark the self-assessment final; refused with the list of what is missing."""
    stored = session.get(Project, project.id)
    missing = missing_for_final(evaluate(session, stored, as_of))
    if missing:
        raise FinalizeRefused(missing)
    stored.finalized_by, stored.finalized_at = by, utcnow()
    session.add(stored)
    audit.record(session, by, "finalize", "绩效自评定稿", stored.id)
    session.commit()
