"""项目管理: import a new project's performance table (绩效目标表) from a workbook; the projects so far."""

import pandas as pd
import streamlit as st

from data_model.problems import WorkbookRejected
from kpi import settings, tables
from kpi.projects import build_project
from kpi.setup import SEED_TABLE
from pages.common import db, escaped, require
from pages.style import table

me = require("admin")
st.title("项目管理")

st.subheader("导入新项目")
st.markdown(
    "新年度或其他街道的项目，只需按示例格式填写一份绩效目标表工作簿并导入，无需改动程序。工作簿含三张工作表："
    "「项目信息」（字段/内容：项目名称、项目年度、主管部门、实施单位、总体目标、年度目标）、"
    "「预算明细」（序号/项目明细/项目内容/金额，或年初预算数/调整后预算数）和"
    "「绩效目标」（一级指标/二级指标/三级指标/年度指标值/指标来源/计算口径/关联预算明细/分值）。"
    "计算口径选下表之一。没有对应上传数据的指标由工作人员按月填报实际值：人数、场次、金额等逐月相加的选「人工填报（各月累计）」，"
    "比率、进度等取最新值的选「人工填报（取最近一月）」。分值列留空则按默认规则分配。"
    "计算口径可以不填：数值目标按「人工填报（取最近一月）」，定性目标（如 效果明显）按「人工评定」。"
    "年度指标值没有比较符号（如 100%、20万元）时按规则推断：成本指标为 ≤，100% 的比率为 =，其他为 ≥，请在预览中核对。"
)
st.download_button(
    "下载绩效目标表示例",
    SEED_TABLE.read_bytes(),
    file_name="绩效目标表示例.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="template",
)
with st.expander("可选的计算口径"):
    table(pd.DataFrame(tables.metrics()))
upload = st.file_uploader("绩效目标表（.xlsx）", type=["xlsx"], key="performance_table")
if upload is not None:
    try:
        preview = build_project(upload.getvalue())[2]
    except WorkbookRejected:  # 导入项目 lists the problems
        preview = []
    if preview:
        st.markdown("导入预览（尚未写入）：")
        table(pd.DataFrame(tables.table_preview(preview)))
        inferred = [str(i.seq) for i in preview if i.operator_inferred]
        if inferred:
            st.warning(
                f"第 {'、'.join(inferred)} 项的年度指标值没有比较符号，比较方向为推断"
                f"（{tables.INFERRED}）；如不符，请在绩效目标表中写明比较符号后重新上传。"
            )
if upload is not None and st.button("导入项目", type="primary", key="import_project"):
    try:
        with db() as s:
            project = settings.import_project(s, upload.getvalue(), upload.name, by=me.username)
        st.success(f"已导入项目「{escaped(project.name)}」（{project.year} 年度）")
    except WorkbookRejected as err:
        st.error(f"导入失败，未写入任何数据。共 {len(err.problems)} 个问题：")
        st.markdown("\n".join(f"- {escaped(p.text())}" for p in err.problems))

st.subheader("已有项目")
with db() as s:
    summaries = settings.project_summaries(s)
table(
    pd.DataFrame(tables.projects(summaries)),
    column_config={"预算合计（元）": st.column_config.NumberColumn(format="%.2f")},
)
