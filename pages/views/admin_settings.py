"""分值与计分规则: the indicators' weights (checked to add up to 100) and the reverse-indicator rule."""

import math

import pandas as pd
import streamlit as st

from data_model import admin
from kpi import settings
from kpi.evaluate import target_of
from kpi.formatting import target
from kpi.scoring import WeightError, check_weights
from pages.common import current_project, db, escaped, require
from pages.style import fitted

me = require("admin")
project = current_project()
st.title("分值与计分规则")
st.caption(escaped(project.name))

st.subheader("指标分值")
st.markdown(
    f"预算执行率 {project.budget_weight:g} 分（绩效目标表的预算执行率分值）；各三级指标分值与之合计须为 100 分。"
)
with db() as s:
    indicators = admin.indicators(s, project)
table = pd.DataFrame(
    [
        {
            "序号": i.seq,
            "一级指标": i.level1,
            "二级指标": i.level2,
            "三级指标": i.level3,
            "年度指标值": target(target_of(i)),
            "分值": i.weight,
        }
        for i in indicators
    ]
)
edited = st.data_editor(
    table,
    key=f"weights_{project.id}",
    hide_index=True,
    width="stretch",
    height=35 * (len(table) + 1) + 3,
    disabled=["序号", "一级指标", "二级指标", "三级指标", "年度指标值"],
    **fitted(table, {"分值": st.column_config.NumberColumn("分值", min_value=0.0, step=0.01, format="%.2f")}),
)
weights = {int(seq): (None if math.isnan(w) else float(w)) for seq, w in zip(edited["序号"], edited["分值"])}
try:
    check_weights([w or 0.0 for w in weights.values()], project.budget_weight)
    st.caption("分值合计为 100.00 分。")
except WeightError as err:
    st.warning(str(err))
if st.button("保存分值", type="primary", key="save_weights"):
    try:
        with db() as s:
            settings.set_weights(s, project, weights, by=me.username)
        st.success("分值已保存")
    except WeightError as err:
        st.error(f"分值未保存：{err}")

st.subheader("成本指标计分规则")
st.markdown("成本类（≤、<）指标未达到目标时的得分计算方法；达到目标时得满分。")
rule = st.radio(
    "计分规则",
    list(settings.COST_RULES),
    format_func=lambda key: "{}：{}".format(*settings.COST_RULES[key]),
    index=list(settings.COST_RULES).index(project.cost_rule),
    key=f"cost_rule_{project.id}",
)
if st.button("保存计分规则", key="save_cost_rule"):
    with db() as s:
        settings.set_cost_rule(s, project, rule, by=me.username)
    st.success(f"计分规则已改为{settings.COST_RULES[rule][0]}")
