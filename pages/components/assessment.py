"""The 绩效自评 page's forms, each drawn by one function from what it needs, so that each can be driven alone.

Every change goes through `save`: one transaction, then a rerun that says what was done, or the refusal."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from data_model.audit import local_time
from data_model.models import Judgment, Mechanism, Project
from kpi import assessment, export, report, scoring, tables
from kpi.drafts import deviation_draft, needs_reason
from kpi.evaluate import IndicatorResult
from kpi.formatting import target
from kpi.metrics import actual_text
from pages.common import db, escaped
from pages.components import monitor
from pages.style import table

NOTICE = "assessment_notice"  # session key: what the last change did, said after its rerun


def save(change, done: str | None) -> None:
    """Run one change against the database; on success say `done` (if any) after the rerun, else show why not."""
    try:
        with db() as s:
            change(s)
    except assessment.FinalizeRefused as err:
        st.error("尚不能定稿，还缺：\n\n" + "\n".join(f"- {escaped(item)}" for item in err.missing))
        return
    except assessment.AssessmentError as err:
        st.error(escaped(str(err)))
        return
    if done:
        st.session_state[NOTICE] = done
    st.rerun()


def judge_form(project: Project, r: IndicatorResult, given: Judgment | None, *, by: str, as_of: date) -> None:
    """A qualitative indicator's tier, score and the reason for them."""
    with st.form(f"judge_{r.indicator_id}"):
        names = [t.name for t in scoring.TIERS]
        tier = st.selectbox("档次", names, index=names.index(r.tier) if r.tier else 0)
        bands = "；".join(f"{t.name}：{'–'.join(f'{b:.2f}' for b in t.band(r.weight))} 分" for t in scoring.TIERS)
        score = st.number_input(
            "得分", min_value=0.0, max_value=float(r.weight), value=float(r.score), step=0.01, format="%.2f", help=bands
        )
        why = st.text_area("评定依据", value=given.reason if given else "")
        if st.form_submit_button("保存评定", type="primary"):
            save(
                lambda s: assessment.judge(
                    s, project, r.indicator_id, tier=tier, score=score, reason=why, by=by, as_of=as_of
                ),
                f"已保存第 {r.seq} 项的评定",
            )


def override_form(project: Project, r: IndicatorResult, given: Judgment | None, *, by: str, as_of: date) -> None:
    """A computed score lowered (a data-quality correction, never raised), with the reason why."""
    st.markdown(f"按数据计算得分 {r.computed:.2f} 分；如数据质量有问题，可调低得分并说明理由，不能调高。")
    with st.form(f"override_{r.indicator_id}"):
        score = st.number_input(
            "调整后得分", min_value=0.0, max_value=float(r.weight), value=float(r.score), step=0.01, format="%.2f"
        )
        why = st.text_area("调整理由（必填）", value=given.reason if given else "")
        if st.form_submit_button("保存调整"):
            save(
                lambda s: assessment.override(s, project, r.indicator_id, score=score, reason=why, by=by, as_of=as_of),
                f"已调整第 {r.seq} 项的得分",
            )


def not_applicable_form(project: Project, r: IndicatorResult, *, by: str, as_of: date) -> None:
    """不适用 for an indicator without data all year, with the reason why; before year end, a note on when."""
    if not assessment.at_year_end(project, as_of):
        st.caption(f"统计截至 {project.year}年12月31日 仍无数据的指标，可标记为不适用（不计分，总分按适用指标折算）。")
        return
    with st.form(f"not_applicable_{r.indicator_id}"):
        why = st.text_area("不适用理由（必填）", key=f"not_applicable_text_{r.indicator_id}")
        if st.form_submit_button("标记为不适用"):
            save(
                lambda s: assessment.mark_not_applicable(s, project, r.indicator_id, reason=why, by=by, as_of=as_of),
                f"已将第 {r.seq} 项标记为不适用",
            )


def scoring_panel(
    project: Project, r: IndicatorResult, given: Judgment | None, names: dict[str, str], *, by: str, as_of: date
) -> None:
    """Who scored the indicator (or marked it 不适用, by 姓名) and why, the forms that score it, and the way back."""
    not_applicable = r.status == scoring.Status.NOT_APPLICABLE
    scored = given is not None and (given.score is not None or not_applicable)
    if scored:
        who = f"{escaped(names.get(given.judged_by, given.judged_by))}，{local_time(given.judged_at)}"
        st.caption(f"{tables.scoring_way(r)}：{who}。{escaped(given.reason)}")
    if not_applicable:
        st.info("该指标已标记为不适用，不计分，总分按适用指标分值折算为百分制。")
    elif r.judged:
        judge_form(project, r, given, by=by, as_of=as_of)
    elif r.status == scoring.Status.NO_DATA:
        st.info("该指标尚无数据，得分为 0，无法调整。")
    else:
        override_form(project, r, given, by=by, as_of=as_of)
    if assessment.without_data(r) and not not_applicable:
        not_applicable_form(project, r, by=by, as_of=as_of)
    what = "不适用标记" if not_applicable else "评定或调整"
    if scored and st.button(f"撤销{what}", key=f"withdraw_{r.indicator_id}"):
        save(lambda s: assessment.withdraw(s, project, r.indicator_id, by=by), f"已撤销第 {r.seq} 项的{what}")


def evidence_panel(r: IndicatorResult, evidence: list[Mechanism]) -> None:
    """What the indicator is scored on: the 长效机制台账 for the judged mechanism, else its actual value."""
    if r.metric_key == "mechanism_judged":
        st.markdown("**长效机制台账**（截至统计日）")
        rows = pd.DataFrame(tables.mechanisms(evidence), columns=tables.MECHANISM_COLUMNS)
        table(rows)
    else:
        st.markdown(
            f"**实际完成值**：{escaped(actual_text(r.metric_key, r.actual, r.unit))}"
            f"（目标 {escaped(target(r.target))}）"
        )


def deviation_form(project: Project, r: IndicatorResult, *, by: str) -> None:
    """The 偏差原因分析及改进措施 of a scored indicator short of its weight (or one already written), pre-filled."""
    if not ((needs_reason(r) and r.status != scoring.Status.PENDING) or r.deviation_reason):
        return
    with st.form(f"deviation_{r.indicator_id}"):
        text = st.text_area(
            "偏差原因分析及改进措施",
            value=r.deviation_reason or deviation_draft(r),
            height=120,
            key=f"deviation_text_{r.indicator_id}",
            help="已按数据预填事实，请补充原因和改进措施后保存",
        )
        if st.form_submit_button("保存偏差原因"):
            save(
                lambda s: assessment.set_deviation_reason(s, project, r.indicator_id, text, by=by),
                f"已保存第 {r.seq} 项的偏差原因分析及改进措施",
            )


def corrective_actions(project: Project, r: IndicatorResult, actions: list[assessment.ActionRow], *, by: str) -> None:
    """The indicator's 整改措施, each closable while open, and the form adding one."""
    st.markdown("**整改措施**")
    for a in actions:
        line, close = st.columns([5, 1])
        state = f"已办结（{a.closed_on:%Y-%m-%d}）" if a.closed_on else "未办结"
        line.markdown(f"{escaped(a.action)}　责任人：{escaped(a.owner)}　完成时限：{a.due_on:%Y-%m-%d}　{state}")
        if not a.closed_on and close.button("办结", key=f"close_{a.id}"):
            save(
                lambda s, a=a: assessment.close_action(s, project, a.id, by=by),
                f"整改措施「{escaped(a.action)}」已办结",
            )
    with st.form(f"action_{r.indicator_id}", clear_on_submit=True):
        what = st.text_input("整改措施")
        owner, due = st.columns(2)
        who = owner.text_input("责任人")
        when = due.date_input("完成时限", value=date.today() + timedelta(days=30), format="YYYY-MM-DD")
        if st.form_submit_button("添加整改措施"):
            save(
                lambda s: assessment.add_action(s, project, r.indicator_id, action=what, owner=who, due_on=when, by=by),
                f"已为第 {r.seq} 项添加整改措施",
            )


def summary_form(project: Project, summary: str, *, by: str) -> None:
    """实际完成情况, pre-filled from the data; emptied and saved, it goes back to the draft."""
    with st.form("summary"):
        text = st.text_area(
            "实际完成情况",
            value=summary,
            height=160,
            label_visibility="collapsed",
            help="已按实际数据预填，可修改；清空后保存即恢复为自动生成",
        )
        if st.form_submit_button("保存实际完成情况"):
            save(lambda s: assessment.set_summary(s, project, text, by=by), "已保存实际完成情况")


TEXT_GROUPS = {
    "评价结论与问题（自评表、自评报告）": ("conclusion", "problems", "improvements"),
    "项目实施及管理情况（自评报告）": ("organization", "funds", "system"),
}
LEADS = ("project_lead", "finance_lead")  # the signature block's names


def texts_form(project: Project, sa: assessment.SelfAssessment, *, by: str) -> None:
    """The forms' texts, pre-filled with what was written or else drafted from the data, and the two leads' names;
    what is changed is saved in one go, and a text emptied goes back to its draft."""
    with st.form("texts"):
        typed = {}
        for group, keys in TEXT_GROUPS.items():
            st.markdown(f"**{group}**")
            for key in keys:
                typed[key] = st.text_area(assessment.TEXTS[key].label, value=sa.text(key), key=f"text_{key}")
        st.markdown("**签字栏（自评表）**")
        for column, key in zip(st.columns(len(LEADS)), LEADS):
            typed[key] = column.text_input(assessment.TEXTS[key].label, value=sa.text(key), key=f"text_{key}")
        st.caption("已按数据预填，可修改；清空后保存即恢复为自动生成。组织实施、制度建设等数据无法反映的情况请补充。")
        if st.form_submit_button("保存自评文字"):
            changed = {key: text for key, text in typed.items() if text.strip() != sa.text(key)}
            save(lambda s: assessment.set_texts(s, project, changed, by=by), "已保存自评文字")


def finalize_button(project: Project, *, by: str, as_of: date) -> None:
    if st.button("定稿", type="primary", key="finalize"):
        save(lambda s: assessment.finalize(s, project, by=by, as_of=as_of), None)  # the 已定稿 banner says it


def downloads(project: Project, as_of: date) -> None:
    """The 自评表 and the report, each built from the database when its button is clicked."""

    def export_file(build):
        def render() -> bytes:
            with db() as s:
                return build(assessment.load(s, project, as_of))

        return render

    # A download needs no rerun (one would swallow a click on the other button).
    xlsx, docx, watch = st.columns(3)
    xlsx.download_button(
        "下载绩效自评表（.xlsx）",
        export_file(export.workbook),
        file_name=export.FILE_NAME,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="download_xlsx",
        on_click="ignore",
    )
    docx.download_button(
        "下载绩效自评报告（.docx）",
        export_file(report.document),
        file_name=report.FILE_NAME,
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key="download_docx",
        on_click="ignore",
    )
    monitor.download(project, as_of, container=watch)
