"""运行监控: the in-year 绩效运行监控表. Each indicator's forecast and 完成目标可能性; the evaluator changes the
likelihood with a reason, analyses the deviation and suggests measures; everyone here downloads the form."""

import pandas as pd
import streamlit as st

from data_model.targets import WAN
from kpi import monitor_entries, monitor_form, tables
from kpi.formatting import money, percent
from kpi.monitoring import LIKELIHOOD_LABELS, Likelihood
from pages.common import as_of_selector, current_project, db, escaped, require
from pages.components import monitor
from pages.style import table

NOTICE = "monitor_notice"  # session key: what the last save did, said after its rerun

user = require("evaluator", "admin", "leader")
editable = user.role != "leader"  # leaders read the form and download it
project = current_project()
as_of = as_of_selector(project)
with db() as s:
    form = monitor_entries.load(s, project, as_of)
ev = form.evaluation

st.title("运行监控")
st.caption(f"{monitor_form.title(form)} · 统计截至 {ev.as_of:%Y年%m月%d日} · 序时进度 {percent(ev.elapsed_share)}")
if notice := st.session_state.pop(NOTICE, None):
    st.success(notice)
budget, rate, *counts = st.columns(5)
budget.metric("截至统计日执行数（万元）", money(ev.budget.spent / WAN), border=True)
rate.metric("执行率", percent(ev.budget.execution_rate), border=True)
for column, likelihood in zip(counts, Likelihood):
    column.metric(
        LIKELIHOOD_LABELS[likelihood], f"{sum(r.likelihood is likelihood for r in form.rows)} 项", border=True
    )
table(pd.DataFrame(tables.monitor_rows(form.rows)))
if form.filled_by:
    st.caption(f"填报人：{escaped(form.filled_by)}　填报日期：{form.filled_on:%Y-%m-%d}")
else:
    st.caption("本期尚未填报：导出的监控表中填报人、填报日期留空。")

if editable:
    st.subheader("逐项填报")
    row = st.selectbox(
        "选择指标",
        form.rows,
        key="monitor_indicator",
        format_func=lambda row: f"{row.result.seq}. {row.result.level3}（{LIKELIHOOD_LABELS[row.likelihood]}）",
    )
    r = row.result
    key = f"{r.indicator_id}_{ev.as_of:%Y%m%d}"  # an entry belongs to its indicator and 统计截至 date
    st.caption(f"按预计：{LIKELIHOOD_LABELS[row.proposed]}（{escaped(row.basis)}）")
    with st.form(f"monitor_{key}"):
        likelihood = st.radio(
            "完成目标可能性",
            list(Likelihood),
            index=list(Likelihood).index(row.likelihood),
            format_func=LIKELIHOOD_LABELS.get,
            horizontal=True,
            key=f"monitor_likelihood_{key}",
        )
        reason = st.text_input(
            "调整理由（与按预计不同时必填）", value=row.likelihood_reason, key=f"monitor_reason_{key}"
        )
        causes = st.multiselect("偏差原因分析", monitor_entries.CAUSES, default=row.causes, key=f"monitor_causes_{key}")
        cause_text = st.text_area("偏差原因说明", value=row.cause_text, key=f"monitor_cause_text_{key}")
        suggestion = st.text_area("相关建议或举措", value=row.suggestion, key=f"monitor_suggestion_{key}")
        if st.form_submit_button("保存", type="primary"):
            try:
                with db() as s:
                    monitor_entries.save(
                        s,
                        project,
                        r.indicator_id,
                        as_of=as_of,
                        likelihood=likelihood,
                        reason=reason,
                        causes=tuple(causes),
                        cause_text=cause_text,
                        suggestion=suggestion,
                        by=user.username,
                    )
            except monitor_entries.MonitorError as err:
                st.error(escaped(str(err)))
            else:
                st.session_state[NOTICE] = f"已保存第 {r.seq} 项的运行监控填报"
                st.rerun()


monitor.download(project, as_of)
