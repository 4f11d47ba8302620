"""指标详情: one indicator month by month, its breakdowns, and the records behind its number.

A click on a month or a category in a chart narrows the records; the month pills and the category
box below offer the same choices and always show the current one.
"""

import streamlit as st

from kpi import charts, drilldown, formatting, scoring, spending
from kpi.metrics import REGISTRY, actual_text
from pages.common import (
    cached,
    chart,
    current_user,
    dashboard,
    escaped,
    figure,
    record_table,
    remember,
)
from pages.components.evidence import evidence_section

project, as_of, large, ev = dashboard()
by_seq = {r.seq: r for r in ev.indicators}


def clear_picks() -> None:
    st.session_state["detail_month"] = None
    st.session_state["detail_category"] = None


st.page_link("pages/views/overview.py", label="返回总览", icon=":material/arrow_back:")
remember("detail_seq", ev.indicators[0].seq, by_seq)
seq = st.selectbox(
    "指标",
    list(by_seq),
    key="detail_seq",
    on_change=clear_picks,
    format_func=lambda s: f"{s}. {by_seq[s].level3}",
)
r = by_seq[seq]
detail = cached(drilldown.detail, project, as_of, seq)
months = [day.month for day in spending.month_ends(project.year, as_of)]
remember("detail_month", None, months)
remember("detail_category", None, detail.categories)

st.title(f"{r.seq}. {escaped(r.level3)}")
st.caption(f"{escaped(r.level1)} / {escaped(r.level2)} · 计算口径：{REGISTRY[r.metric_key].formula}")
target, actual, status, score = st.columns([3, 4, 2, 2])
target.metric("年度指标值", escaped(formatting.target(r.target)), border=True)
actual.metric("实际完成值", escaped(actual_text(r.metric_key, r.actual, r.unit)), border=True)
status.metric("状态", drilldown.light_text(r), help=f"评价结果：{scoring.STATUS_LABELS[r.status]}", border=True)
score.metric(f"得分（分值 {r.weight:.2f}）", f"{r.score:.2f}", border=True)
if r.monitoring:
    expected = drilldown.value_text(r.metric_key, r.monitoring.expected, r.unit)
    forecast = drilldown.value_text(r.metric_key, r.monitoring.forecast, r.unit)
    kind = REGISTRY[r.metric_key].kind
    st.markdown(f"{kind.expected_words} **{escaped(expected)}** · {kind.forecast_words} **{escaped(forecast)}**")
else:
    st.info("定性指标：由评价人员依据下方的长效机制台账评定档次和得分。")

if detail.series:
    chart(
        figure(charts.series_figure, detail.series, st.session_state["detail_month"], large=large),
        "series",
        "detail_month",
    )
if detail.budget_line:
    chart(
        figure(charts.budget_month_figure, detail.budget_line, st.session_state["detail_month"], large=large),
        "line",
        "detail_month",
    )
if detail.sites:
    chart(
        figure(charts.sites_figure, detail.sites, as_of, st.session_state["detail_category"], large=large),
        "sites",
        "detail_category",
    )
if detail.breakdowns:
    columns = st.columns(1 if large else 2)
    for i, breakdown in enumerate(detail.breakdowns):
        with columns[i % len(columns)]:
            chart(
                figure(charts.breakdown_figure, breakdown, st.session_state["detail_category"], large=large),
                f"breakdown_{i}",
                "detail_category",
            )

st.subheader("明细记录")
month = st.pills(
    "月份", months, key="detail_month", format_func=lambda m: f"{m}月", help="不选则显示截至统计日的全部记录"
)
category = (
    st.selectbox("类别", list(detail.categories), index=None, key="detail_category", placeholder="全部类别")
    if detail.categories
    else None
)
behind = cached(drilldown.rows_behind, project, as_of, seq, month, detail.categories.get(category))
for table in behind:
    record_table(table)

st.subheader("佐证材料")
evidence_section(project, seq, current_user(), [(t.sheet, str(row[0])) for t in behind for row in t.rows])
