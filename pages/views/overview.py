"""总览: where the project stands in ten seconds, and the way from a light down to the indicator's detail."""

from datetime import date

import pandas as pd
import streamlit as st

from kpi import drilldown, spending, tables
from kpi.assessment import Standing, open_actions, standing
from kpi.formatting import money, percent
from kpi.monitoring import light_label
from pages.common import dashboard, db, escaped
from pages.style import table

project, as_of, _, ev = dashboard()


def open_detail(seq: int | None) -> None:
    """Go to 指标详情 for `seq` (预算执行 for the budget) once this run has drawn the page."""
    if seq is None:
        st.session_state["open_page"] = "pages/views/budget.py"
    else:
        st.session_state["detail_seq"] = seq
        st.session_state["open_page"] = "pages/views/indicator.py"


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

st.subheader("全部指标")
for group in drilldown.groups(ev):
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
st.page_link("pages/views/budget.py", label="查看预算执行明细", icon=":material/account_balance_wallet:")

if "open_page" in st.session_state:
    st.switch_page(st.session_state.pop("open_page"))
