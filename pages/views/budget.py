"""预算执行: each budget line's spend against its budget and the elapsed share of the year,
then its months and vouchers."""

import pandas as pd
import streamlit as st

from kpi import charts, spending, tables
from kpi.formatting import money, percent
from pages.common import (
    MONEY,
    cached,
    chart,
    dashboard,
    figure,
    record_table,
    remember,
)
from pages.style import table

project, as_of, large, ev = dashboard()
total, *lines = cached(spending.budget_series, project, as_of)
months = [day.month for day in spending.month_ends(project.year, as_of)]
names = [total.name] + [line.name for line in lines]
remember("budget_line", total.name, names)
remember("budget_month", None, months)

st.title("预算执行")
st.caption(f"统计截至 {ev.as_of:%Y年%m月%d日} · 序时进度 {percent(ev.elapsed_share)}")
planned, spent, rate, elapsed = st.columns([3, 3, 3, 2])  # room for 150,000.00 元
planned.metric("预算总额", f"{money(total.planned)} 元", border=True)
spent.metric("已支出", f"{money(total.spent)} 元", border=True)
rate.metric(
    "预算执行率",
    percent(total.execution_rate),
    delta=spending.against_elapsed(total.execution_rate, ev.elapsed_share),
    border=True,
)
elapsed.metric("序时进度", percent(ev.elapsed_share), help="统计截至日已过去的天数占全年的比例", border=True)

chart(
    figure(charts.budget_lines_figure, lines, ev.elapsed_share, st.session_state["budget_line"], large=large),
    "lines",
    "budget_line",
)
table(
    pd.DataFrame(tables.budget_lines([*lines, total])),
    column_config={name: MONEY for name in ("预算（元）", "已支出（元）", "序时应支出（元）")},
)

name = st.selectbox("预算明细", names, key="budget_line")
line = {line.name: line for line in [total, *lines]}[name]
chart(figure(charts.budget_month_figure, line, st.session_state["budget_month"], large=large), "months", "budget_month")
month = st.pills(
    "月份", months, key="budget_month", format_func=lambda m: f"{m}月", help="不选则显示截至统计日的全部支出"
)
record_table(cached(spending.expenses, project, as_of, name, month))
