"""总览: where the project stands in ten seconds, and the way from a light down to the indicator's detail.

The pictures come first: where the points come from, the total month by month, the budget against 序时进度. A
click on any of them does what a widget beside it does (AppTest drives the widget): a part of the score filters
the indicators (the budget's opens 预算执行), a month sets 统计截至, a budget line opens it in 预算执行.
"""

from datetime import date

import pandas as pd
import streamlit as st

from kpi import charts, drilldown, overview_charts, spending, tables, trend
from kpi.assessment import Standing, open_actions, standing
from kpi.formatting import money, percent
from kpi.monitoring import light_label
from pages.common import cached, chart, dashboard, db, escaped, figure, remember
from pages.style import table

project, as_of, large, ev = dashboard()
parts = trend.composition(ev)
budget_lines = cached(spending.budget_series, project, as_of)


def open_detail(seq: int | None) -> None:
    """Go to 指标详情 for `seq` (预算执行 for the budget) once this run has drawn the page."""
    if seq is None:
        st.session_state["open_page"] = "pages/views/budget.py"
    else:
        st.session_state["detail_seq"] = seq
        st.session_state["open_page"] = "pages/views/indicator.py"


def part_picked() -> None:
    """A part of the score: the budget's opens 预算执行; an 一级指标 filters the indicators below."""
    if st.session_state["overview_part"] == trend.BUDGET:
        st.session_state["overview_part"] = None
        open_detail(None)


def line_picked() -> None:
    """A budget line (or 合计) opens 预算执行 on it."""
    if st.session_state["overview_line"] is not None:
        st.session_state["budget_line"] = st.session_state["overview_line"]
        st.session_state["overview_line"] = None
        open_detail(None)


def table_clicked(key: str, seqs: list[int | None]) -> None:
    rows = st.session_state[key].selection.rows
    if rows:
        open_detail(seqs[rows[0]])


def picked() -> None:
    if st.session_state["overview_pick"] is not None:
        open_detail(st.session_state["overview_pick"])


def clickable(frame: pd.DataFrame, key: str, seqs: list[int | None], **options) -> None:
    table(
        frame,
        key=key,
        on_select=lambda: table_clicked(key, seqs),
        selection_mode="single-row",
        **options,
    )


st.title(escaped(project.name))
st.caption(f"统计截至 {ev.as_of:%Y年%m月%d日} · 序时进度 {percent(ev.elapsed_share)} · 点击任一指标查看明细")

pending = standing(project, ev) is Standing.PENDING
provisional = "（暂定）" if pending else ""
total, grade, budget = st.columns(3)
total.metric(
    f"总分{provisional}",
    f"{ev.total_score:.2f}",
    help="尚有定性指标待评价人员评定，总分与等级为暂定" if pending else None,
    border=True,
)
grade.metric(f"评价等级{provisional}", ev.grade, border=True)
budget.metric(
    "预算执行率",
    percent(ev.budget.execution_rate),
    delta=spending.against_elapsed(ev.budget.execution_rate, ev.elapsed_share),
    help=(
        f"已支出 {money(ev.budget.spent)} 元 / 预算 {money(ev.budget.planned)} 元；序时进度 {percent(ev.elapsed_share)}"
    ),
    border=True,
)

for column, (light, count) in zip(st.columns(4), drilldown.light_counts(ev).items()):
    column.metric(light_label(light), f"{count} 项", help="含待评定的定性指标" if light == "grey" else None)

remember("overview_part", None, [part.name for part in parts])
composition, months = st.columns(2)
with composition:
    chart(
        figure(overview_charts.composition_figure, parts, st.session_state["overview_part"], large=large),
        "composition",
        "overview_part",
        part_picked,
    )
with months:
    chart(
        figure(overview_charts.totals_figure, cached(trend.monthly_totals, project, as_of), as_of.month, large=large),
        "totals",
        "as_of_month",
    )
st.pills("得分构成", [part.name for part in parts], key="overview_part", on_change=part_picked)
chart(
    figure(charts.budget_lines_figure, budget_lines, ev.elapsed_share, large=large),
    "budget",
    "overview_line",
    line_picked,
)
st.selectbox(
    "查看预算明细",
    [line.name for line in budget_lines],
    index=None,
    key="overview_line",
    on_change=line_picked,
    placeholder="选择一项预算明细，查看月度支出和凭证",
)

st.subheader("预警清单：落后于序时进度或未达目标")
warnings = drilldown.behind_pace(ev)
if warnings:
    clickable(pd.DataFrame(tables.warnings(warnings)), "warnings", [w.seq for w in warnings])
else:
    st.success("所有指标均在序时进度之内，暂无预警。")

with db() as s:
    actions = open_actions(s, project.id)
if actions:
    st.subheader(f"未办结的整改措施（{len(actions)} 项）")
    clickable(pd.DataFrame(tables.open_actions(actions, date.today())), "actions", [a.seq for a in actions])

focus = st.session_state["overview_part"]
st.subheader("全部指标" if focus is None else f"全部指标：{escaped(focus)}")
for group in drilldown.groups(ev):
    if focus is not None and group.level1 != focus:
        continue
    st.markdown(f"**{escaped(group.level1)}**　得分 {group.score:.2f} / {group.weight:.2f}")
    clickable(
        pd.DataFrame(tables.group_indicators(group)),
        f"group_{group.level1}",
        [r.seq for r in group.indicators],
        column_config={
            "完成度": st.column_config.ProgressColumn(min_value=0, max_value=1, format="percent"),
            "得分": st.column_config.NumberColumn(format="%.2f"),
            "分值": st.column_config.NumberColumn(format="%.2f"),
        },
    )

by_seq = {r.seq: r for r in ev.indicators}
st.selectbox(
    "打开指标详情",
    list(by_seq),
    index=None,
    key="overview_pick",
    on_change=picked,
    format_func=lambda seq: f"{seq}. {by_seq[seq].level3}",
    placeholder="选择一个指标，查看月度走势和明细记录",
)

if "open_page" in st.session_state:
    st.switch_page(st.session_state.pop("open_page"))
