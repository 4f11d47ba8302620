"""绩效自评: judge, override, explain each deviation, write 实际完成情况 and the forms' texts, finalize, and export the
自评表 and report."""

import pandas as pd
import streamlit as st

from data_model.audit import local_time
from kpi import assessment, tables
from pages.common import as_of_selector, current_project, db, escaped, remember, require
from pages.components import assessment as forms
from pages.components.evidence import evidence_section
from pages.style import table

user = require("evaluator", "admin", "leader")
editable = user.role != "leader"  # leaders read the self-assessment and download it
project = current_project()
as_of = as_of_selector(project)
with db() as s:
    sa = assessment.load(s, project, as_of)
    evidence = assessment.evidence(s, project.id, as_of)
ev = sa.evaluation

st.title("绩效自评")
if notice := st.session_state.pop(forms.NOTICE, None):
    st.success(notice)
if sa.final:
    st.success(
        f"自评已定稿：{escaped(sa.name(project.finalized_by))}，{local_time(sa.project.finalized_at)}。"
        "此后任何修改都会使其重新打开。"
    )
else:
    st.info(f"自评尚未定稿（暂定）。统计截至 {ev.as_of:%Y-%m-%d}。")
total, grade, todo = st.columns(3)
total.metric("总分" + ("（暂定）" if sa.standing is assessment.Standing.PENDING else ""), f"{ev.total_score:.2f}")
grade.metric("评价等级", ev.grade)
todo.metric("定稿前待完善", f"{len(sa.missing)} 项")
if note := assessment.rescale_note(ev):
    st.caption(note)

table(pd.DataFrame(tables.assessment(ev.indicators)))

if editable:
    st.subheader("逐项评定")
    by_seq = {r.seq: r for r in ev.indicators}
    attention = [r.seq for r in ev.indicators if assessment.still_missing(r)]
    # chosen by 序号, so the choice survives a save that changes the indicator's score (and its label)
    remember("assess_indicator", attention[0] if attention else ev.indicators[0].seq, by_seq)
    seq = st.selectbox(
        "选择指标",
        list(by_seq),
        key="assess_indicator",
        format_func=lambda seq: (
            f"{seq}. {by_seq[seq].level3}（{tables.scoring_way(by_seq[seq])}，"
            f"{by_seq[seq].score:.2f} / {by_seq[seq].weight:.2f} 分）"
        ),
    )
    r = by_seq[seq]
    left, right = st.columns([3, 2])
    with left:
        forms.scoring_panel(project, r, sa.judgments.get(r.indicator_id), sa.names, by=user.username, as_of=as_of)
    with right:
        forms.evidence_panel(r, evidence)
    forms.deviation_form(project, r, by=user.username)
    forms.corrective_actions(project, r, [a for a in sa.actions if a.seq == r.seq], by=user.username)
    st.markdown("**佐证材料**")
    evidence_section(project, r.seq, user)

st.subheader("实际完成情况")
if editable:
    forms.summary_form(project, sa.summary, by=user.username)
else:
    st.text(sa.summary)

st.subheader("自评结论与报告文字")
if editable:
    forms.texts_form(project, sa, by=user.username)
else:
    for key, text in assessment.TEXTS.items():
        st.markdown(f"**{text.label}**")
        st.text(sa.text(key))

st.subheader("定稿与导出")
if sa.missing and not sa.final and editable:  # leaders cannot act on the list: the 待完善 count tells them
    st.warning("定稿前还需完善：\n\n" + "\n".join(f"- {escaped(item)}" for item in sa.missing))
if editable and not sa.final:
    forms.finalize_button(project, by=user.username, as_of=as_of)
forms.downloads(project, as_of)
