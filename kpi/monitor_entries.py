"""绩效运行监控 (财预〔2019〕136号 practice): what the in-year monitoring form says of each indicator as of a date.

完成目标可能性 is proposed from the year-end forecast (kpi.monitoring) and the evaluator may change it with a reason;
偏差原因分析 (categories and words) and 相关建议或举措 are the evaluator's. Each save is one transaction with its
audit entry. The form belongs to its 统计截至 date: a later date starts from the proposals again.
"""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from data_model import audit
from data_model.audit import SHANGHAI
from data_model.auth import display_names, named
from data_model.models import Indicator, MonitorEntry, Project, utcnow
from data_model.problems import UserError
from kpi import scoring
from kpi.evaluate import Evaluation, IndicatorResult, evaluate
from kpi.formatting import target
from kpi.metrics import REGISTRY
from kpi.monitoring import LIKELIHOOD_LABELS, Likelihood

CAUSES = ("规划和目标设计", "投入保障", "制度保障", "项目管理", "其他")  # 偏差原因分析's categories
OTHER = CAUSES[-1]
TIER_LIKELIHOOD = {  # a judged indicator's tier stands for its likelihood
    scoring.ACHIEVED.name: Likelihood.CERTAIN,
    scoring.PARTLY_ACHIEVED.name: Likelihood.POSSIBLE,
    scoring.NOT_ACHIEVED.name: Likelihood.UNLIKELY,
}


class MonitorError(UserError):
    """A refused entry; the message is Chinese and safe to show."""


@dataclass(frozen=True)
class MonitorRow:
    """One indicator of the form: its evaluation, the proposed and chosen 完成目标可能性, the evaluator's words."""

    result: IndicatorResult
    proposed: Likelihood
    basis: str  # why the proposal: the forecast against the target, or why there is none
    likelihood: Likelihood  # the evaluator's choice, else the proposal
    likelihood_reason: str
    causes: tuple[str, ...]
    cause_text: str
    suggestion: str

    @property
    def changed(self) -> bool:
        return self.likelihood is not self.proposed

    @property
    def forecast(self) -> str:
        """全年预计完成值: the year-end forecast as the screens word it; a judged indicator has none."""
        r = self.result
        if r.judged:
            return "定性评定"
        if r.monitoring is None or r.monitoring.forecast is None:
            return "无法预计"
        return REGISTRY[r.metric_key].kind.value_text(r.monitoring.forecast, r.unit)

    @property
    def deviation(self) -> str:
        """偏差原因分析 as the form writes it: 【投入保障、其他】the words."""
        head = f"【{'、'.join(self.causes)}】" if self.causes else ""
        return head + self.cause_text


@dataclass(frozen=True)
class MonitorForm:
    project: Project
    evaluation: Evaluation
    rows: list[MonitorRow]
    filled_by: str  # 填报人: the display name of whoever saved the form's last entry; "" before any
    filled_on: date | None  # 填报日期: the day of that save


def proposal(r: IndicatorResult) -> tuple[Likelihood, str]:
    """完成目标可能性 from the forecast: reaching the target 确定能, within 10 % 有可能, else 不可能. A judged indicator
    follows its tier; one without a forecast (no data yet, or awaiting judgment) is proposed 有可能, to be reviewed."""
    kind = REGISTRY[r.metric_key].kind
    if r.judged:
        if r.tier is None:
            return Likelihood.POSSIBLE, "定性指标，待评定"
        return TIER_LIKELIHOOD[r.tier], f"评定档次：{r.tier}"
    if r.monitoring is None or r.monitoring.likelihood is None:
        return Likelihood.POSSIBLE, "尚无数据，无法预计"
    forecast = kind.value_text(r.monitoring.forecast, r.unit)
    return r.monitoring.likelihood, f"{kind.forecast_words} {forecast}，年度指标值 {target(r.target)}"


def _row(r: IndicatorResult, entry: MonitorEntry | None) -> MonitorRow:
    proposed, basis = proposal(r)
    if entry is None:
        return MonitorRow(r, proposed, basis, proposed, "", (), "", "")
    chosen = Likelihood(entry.likelihood) if entry.likelihood else proposed
    causes = tuple(c for c in entry.causes.split("、") if c)
    return MonitorRow(r, proposed, basis, chosen, entry.likelihood_reason, causes, entry.cause_text, entry.suggestion)


def _entries(session: Session, project: Project, as_of: date) -> dict[int, MonitorEntry]:
    query = select(MonitorEntry).join(Indicator).where(Indicator.project_id == project.id, MonitorEntry.as_of == as_of)
    return {e.indicator_id: e for e in session.exec(query).all()}


def load(session: Session, project: Project, as_of: date | None = None) -> MonitorForm:
    project = session.get(Project, project.id)
    ev = evaluate(session, project, as_of)
    entries = _entries(session, project, ev.as_of)
    latest = max(entries.values(), key=lambda e: audit.aware(e.edited_at), default=None)
    return MonitorForm(
        project,
        ev,
        [_row(r, entries.get(r.indicator_id)) for r in ev.indicators],
        named(display_names(session), latest.edited_by) if latest else "",
        audit.aware(latest.edited_at).astimezone(SHANGHAI).date() if latest else None,
    )


def save(
    session: Session,
    project: Project,
    indicator_id: int,
    *,
    as_of: date | None,
    likelihood: Likelihood,
    reason: str = "",
    causes: tuple[str, ...] = (),
    cause_text: str = "",
    suggestion: str = "",
    by: str,
) -> MonitorRow:
    """The evaluator's entry for one indicator in the form as of `as_of`: a 完成目标可能性 other than the proposal needs
    its reason, and 「其他」 its words."""
    form = load(session, project, as_of)
    row = next((x for x in form.rows if x.result.indicator_id == indicator_id), None)
    if row is None:
        raise MonitorError(f"项目中没有编号为 {indicator_id} 的指标")
    label = f"第 {row.result.seq} 项「{row.result.level3}」"
    reason, cause_text, suggestion = reason.strip(), cause_text.strip(), suggestion.strip()
    if unknown := [c for c in causes if c not in CAUSES]:
        raise MonitorError(f"偏差原因类别「{'、'.join(unknown)}」不在可选范围内：{'、'.join(CAUSES)}")
    likelihood = Likelihood(likelihood)
    if likelihood is not row.proposed and not reason:
        raise MonitorError(
            f"{label}的完成目标可能性按预计为「{LIKELIHOOD_LABELS[row.proposed]}」，"
            f"改为「{LIKELIHOOD_LABELS[likelihood]}」须填写理由"
        )
    if OTHER in causes and not cause_text:
        raise MonitorError(f"{label}选择了偏差原因「其他」，请说明具体原因")
    stored = _entries(session, project, form.evaluation.as_of).get(indicator_id) or MonitorEntry(
        indicator_id=indicator_id, as_of=form.evaluation.as_of
    )
    stored.likelihood = None if likelihood is row.proposed else likelihood.value
    stored.likelihood_reason = reason if stored.likelihood else ""
    stored.causes = "、".join(c for c in CAUSES if c in causes)
    stored.cause_text, stored.suggestion = cause_text, suggestion
    stored.edited_by, stored.edited_at = by, utcnow()
    session.add(stored)
    words = [
        f"完成目标可能性「{LIKELIHOOD_LABELS[likelihood]}」" + (f"（理由：{reason}）" if stored.likelihood else "")
    ]
    if stored.causes or cause_text:
        words.append(f"偏差原因分析：{_row(row.result, stored).deviation}")
    if suggestion:
        words.append(f"相关建议或举措：{suggestion}")
    audit.record(
        session,
        by,
        "monitor_entry",
        f"运行监控（截至 {form.evaluation.as_of:%Y-%m-%d}）{label}：{'；'.join(words)}",
        project.id,
    )
    session.commit()
    return _row(row.result, stored)
