"""绩效自评: judge, override, explain each deviation, write 实际完成情况, finalize, and export the 自评表 and report."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from data_model.audit import local_time
from kpi import assessment, export, report, scoring
from kpi.drafts import below_weight, deviation_draft
from kpi.formatting import actual_text
from pages.common import LIGHT_DOTS, LIGHT_LABELS, as_of_selector, current_project, db, escaped, require

user = require("evaluator", "admin", "leader")
editable = user.role != "leader"  # leaders read the self-assessment and download it
project = current_project()
as_of = as_of_selector(project)
with db() as s:
    sa = assessment.load(s, project, as_of)
    evidence = assessment.evidence(s, project.id, as_of)
ev = sa.evaluation


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
        st.session_state["assessment_notice"] = done
    st.rerun()


def scoring_way(r) -> str:
    if r.judged:
        return "评定" if r.tier else "待评定"
    return "调整" if r.overridden else "计算"


def reason_state(r) -> str:
    if not below_weight(r):
        return "无需"
    return "已填写" if r.deviation_reason else "待填写"


st.title("绩效自评")
if notice := st.session_state.pop("assessment_notice", None):
    st.success(notice)
if sa.final:
    st.success(f"自评已定稿：{escaped(project.finalized_by)}，{local_time(sa.project.finalized_at)}。此后任何修改都会使其重新打开。")
else:
    st.info(f"自评尚未定稿（暂定）。统计截至 {ev.as_of:%Y-%m-%d}。")
total, grade, todo = st.columns(3)
total.metric("总分" + ("（暂定）" if ev.provisional else ""), f"{ev.total_score:.2f}")
grade.metric("评价等级", ev.grade)
todo.metric("定稿前待完善", f"{len(sa.missing)} 项")

st.dataframe(pd.DataFrame([
    {
        "序号": r.seq, "三级指标": r.level3, "年度指标值": r.target,
        "实际完成值": actual_text(r.metric_key, r.actual, r.unit),
        "分值": round(r.weight, 2), "得分": round(r.score, 2),
        "状态": f"{LIGHT_DOTS[r.light]} {LIGHT_LABELS[r.light]}", "评分方式": scoring_way(r), "偏差原因": reason_state(r),
    }
    for r in ev.indicators
]), hide_index=True, width="stretch")

if editable:
    st.subheader("逐项评定")
    attention = [i for i, r in enumerate(ev.indicators) if r.status == scoring.PENDING or reason_state(r) == "待填写"]
    r = st.selectbox(
        "选择指标", ev.indicators, index=attention[0] if attention else 0, key="assess_indicator",
        format_func=lambda r: f"{r.seq}. {r.level3}（{scoring_way(r)}，{r.score:.2f} / {r.weight:.2f} 分）",
    )
    given = sa.judgments.get(r.indicator_id)
    left, right = st.columns([3, 2])
    with left:
        if given and given.score is not None:
            st.caption(f"{scoring_way(r)}：{escaped(given.judged_by)}，{local_time(given.judged_at)}。{escaped(given.reason)}")
        if r.judged:
            with st.form(f"judge_{r.indicator_id}"):
                names = [t.name for t in scoring.TIERS]
                tier = st.selectbox("档次", names, index=names.index(r.tier) if r.tier else 0)
                score = st.number_input("得分", min_value=0.0, max_value=float(r.weight), value=float(r.score), step=0.01, format="%.2f",
                                        help="；".join(f"{t.name}：{t.low * r.weight:.2f}–{t.high * r.weight:.2f} 分" for t in scoring.TIERS))
                why = st.text_area("评定依据", value=given.reason if given else "")
                if st.form_submit_button("保存评定", type="primary"):
                    save(lambda s: assessment.judge(s, project, r.indicator_id, tier=tier, score=score, reason=why, by=user.username, as_of=as_of),
                         f"已保存第 {r.seq} 项的评定")
        elif r.status == scoring.NO_DATA:
            st.info("该指标尚无数据，得分为 0，无法调整。")
        else:
            band = scoring.TIERS_BY_NAME[r.tier]
            st.markdown(f"按数据计算属于「{r.tier}」档，该档得分范围 {band.low * r.weight:.2f}–{band.high * r.weight:.2f} 分。")
            with st.form(f"override_{r.indicator_id}"):
                score = st.number_input("调整后得分", min_value=0.0, max_value=float(r.weight), value=float(r.score), step=0.01, format="%.2f")
                why = st.text_area("调整理由（必填）", value=given.reason if given else "")
                if st.form_submit_button("保存调整"):
                    save(lambda s: assessment.override(s, project, r.indicator_id, score=score, reason=why, by=user.username, as_of=as_of),
                         f"已调整第 {r.seq} 项的得分")
        if given and given.score is not None and st.button("撤销评定或调整", key=f"withdraw_{r.indicator_id}"):
            save(lambda s: assessment.withdraw(s, project, r.indicator_id, by=user.username), f"已撤销第 {r.seq} 项的评定或调整")
    with right:
        if r.metric_key == "mechanism_judged":
            st.markdown("**长效机制台账**（截至统计日）")
            st.dataframe(pd.DataFrame([{"制度名称": m.name, "印发日期": m.issued_on, "文号": m.doc_no or ""} for m in evidence],
                                      columns=["制度名称", "印发日期", "文号"]), hide_index=True, width="stretch")
        else:
            st.markdown(f"**实际完成值**：{escaped(actual_text(r.metric_key, r.actual, r.unit))}（目标 {escaped(r.target)}）")

    if (below_weight(r) and r.status != scoring.PENDING) or r.deviation_reason:
        with st.form(f"deviation_{r.indicator_id}"):
            text = st.text_area("偏差原因分析及改进措施", value=r.deviation_reason or deviation_draft(r), height=120, key=f"deviation_text_{r.indicator_id}",
                                help="已按数据预填事实，请补充原因和改进措施后保存")
            if st.form_submit_button("保存偏差原因"):
                save(lambda s: assessment.set_deviation_reason(s, project, r.indicator_id, text, by=user.username),
                     f"已保存第 {r.seq} 项的偏差原因分析及改进措施")

    st.markdown("**整改措施**")
    for a in [a for a in sa.actions if a.seq == r.seq]:
        line, close = st.columns([5, 1])
        state = f"已办结（{a.closed_on:%Y-%m-%d}）" if a.closed_on else "未办结"
        line.markdown(f"{escaped(a.action)}　责任人：{escaped(a.owner)}　完成时限：{a.due_on:%Y-%m-%d}　{state}")
        if not a.closed_on and close.button("办结", key=f"close_{a.id}"):
            save(lambda s, a=a: assessment.close_action(s, project, a.id, by=user.username), f"整改措施「{escaped(a.action)}」已办结")
    with st.form(f"action_{r.indicator_id}", clear_on_submit=True):
        what = st.text_input("整改措施")
        owner, due = st.columns(2)
        who = owner.text_input("责任人")
        when = due.date_input("完成时限", value=date.today() + timedelta(days=30), format="YYYY-MM-DD")
        if st.form_submit_button("添加整改措施"):
            save(lambda s: assessment.add_action(s, project, r.indicator_id, action=what, owner=who, due_on=when, by=user.username),
                 f"已为第 {r.seq} 项添加整改措施")

st.subheader("实际完成情况")
if editable:
    with st.form("summary"):
        summary = st.text_area("实际完成情况", value=sa.summary, height=160, label_visibility="collapsed",
                               help="已按实际数据预填，可修改；清空后保存即恢复为自动生成")
        if st.form_submit_button("保存实际完成情况"):
            save(lambda s: assessment.set_summary(s, project, summary, by=user.username), "已保存实际完成情况")
else:
    st.text(sa.summary)

st.subheader("定稿与导出")
if sa.missing and not sa.final:
    st.warning("定稿前还需完善：\n\n" + "\n".join(f"- {escaped(item)}" for item in sa.missing))
if editable and not sa.final and st.button("定稿", type="primary", key="finalize"):
    save(lambda s: assessment.finalize(s, project, by=user.username, as_of=as_of), None)  # the 已定稿 banner says it


def export_file(build):
    def render() -> bytes:
        with db() as s:
            return build(assessment.load(s, project, as_of))
    return render


xlsx, docx = st.columns(2)
xlsx.download_button("下载绩效自评表（.xlsx）", export_file(export.workbook), file_name=export.FILE_NAME,
                     mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="download_xlsx",
                     on_click="ignore")
docx.download_button("下载绩效自评报告（.docx）", export_file(report.document), file_name=report.FILE_NAME,
                     mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document", key="download_docx",
                     on_click="ignore")  # a download needs no rerun (one would swallow a click on the other button)
