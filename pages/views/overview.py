"""总览: where every indicator stands."""

import pandas as pd
import streamlit as st

from kpi import scoring
from kpi.formatting import actual_text, percent
from pages.common import LIGHT_DOTS, LIGHT_LABELS, as_of_selector, current_project, evaluation, require

require("leader", "staff", "evaluator", "admin")
project = current_project()
as_of = as_of_selector(project)
ev = evaluation(project, as_of)

st.title(project.name)
st.caption(f"统计截至 {ev.as_of:%Y年%m月%d日} · 序时进度 {percent(ev.elapsed_share)}")
total, grade, budget = st.columns(3)
total.metric("总分" + ("（暂定）" if ev.provisional else ""), f"{ev.total_score:.2f}")
grade.metric("评价等级", ev.grade)
budget.metric("预算执行率", percent(ev.budget.execution_rate), help=f"已支出 {ev.budget.spent:,.2f} 元 / 预算 {ev.budget.planned:,.2f} 元")

rows = [
    {
        "序号": r.seq,
        "一级指标": r.level1,
        "二级指标": r.level2,
        "三级指标": r.level3,
        "年度指标值": r.target,
        "实际完成值": actual_text(r.metric_key, r.actual, r.unit),
        "状态": f"{LIGHT_DOTS[r.light]} {LIGHT_LABELS[r.light]}",
        "结果": scoring.STATUS_LABELS[r.status],
        "分值": round(r.weight, 2),
        "得分": round(r.score, 2),
    }
    for r in ev.indicators
]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
