"""指标填报: staff enter the monthly actual of the indicators the performance table marks 人工填报."""

from datetime import date

import pandas as pd
import streamlit as st

from data_model.auth import display_names
from data_model.models import Indicator
from kpi import tables
from kpi.evaluate import target_of
from kpi.formatting import target
from kpi.manual import EntryRejected, enter_value, manual_indicators, monthly_values
from kpi.metrics import REGISTRY
from pages.common import current_project, db, escaped, require
from pages.style import table

me = require("staff")
project = current_project()
st.title("指标填报")
st.caption(f"{escaped(project.name)} · 没有对应上传数据、由工作人员按月填报实际值的指标")

with db() as s:
    indicators = manual_indicators(s, project)
if not indicators:
    st.info(
        "本项目没有需要人工填报的指标，这里无需填写：全部指标都由「上传数据」的月度数据报送表计算。"
        "管理员在绩效目标表中把某个指标的计算口径设为「人工填报」后，它会出现在这里，每月填报一次实际值。"
    )
    st.page_link("pages/views/upload.py", label="去上传数据", icon=":material/upload_file:")
    st.stop()


def label(indicator: Indicator) -> str:
    return f"{indicator.seq}. {indicator.level3}（目标 {target(target_of(indicator))}）"


indicator = st.selectbox("指标", indicators, format_func=label, key="manual_indicator")
metric = REGISTRY[indicator.metric_key]
st.markdown(f"**{metric.name}**：{metric.formula}。")
with st.form("manual_value"):
    month = st.selectbox("月份", range(1, 13), format_func=lambda m: f"{project.year}年{m}月", key="manual_month")
    value = st.number_input(
        f"本月数值（{escaped(indicator.unit)}）" if indicator.unit else "本月数值",
        min_value=0.0,
        step=1.0,
        format="%.2f",
        key="manual_amount",
    )
    if st.form_submit_button("保存", type="primary"):
        try:
            with db() as s:
                enter_value(s, indicator, date(project.year, month, 1), value, by=me.username)
            st.success(f"已保存{project.year}年{month}月的数值；同一月份再次保存即为更正。")
        except EntryRejected as err:
            st.error(escaped(str(err)))

st.subheader("已填报")
with db() as s:
    values, names = monthly_values(s, indicator), display_names(s)
table(pd.DataFrame(tables.manual_values(indicator, values, names), columns=tables.MANUAL_COLUMNS))
