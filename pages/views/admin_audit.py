"""操作日志: who did what and when, filtered and exported; nothing here can be changed."""

from datetime import datetime, timedelta

import pandas as pd
import streamlit as st

from data_model import audit
from kpi import tables
from pages.common import db, require
from pages.style import table

require("admin")
SHOWN = 500
st.title("操作日志")
st.caption("登录、上传、撤销、评定、调整得分、定稿和各项管理操作都记录在此，只能查看和导出，不能修改。")

with db() as s:
    names, actions = audit.choices(s)
today = datetime.now(audit.SHANGHAI).date()
period, who, what = st.columns([2, 1, 1])
picked = period.date_input("日期范围（北京时间）", (today - timedelta(days=30), today), key="audit_period")
start, end = (list(picked) + [None, None])[:2]  # a range being picked has only its start yet
username = who.selectbox("用户", [None, *names], format_func=lambda n: "全部" if n is None else n, key="audit_user")
action = what.selectbox(
    "操作", [None, *actions], format_func=lambda a: "全部" if a is None else audit.ACTIONS.get(a, a), key="audit_action"
)
filters = {"start": start, "end": end, "username": username, "action": action}

with db() as s:
    total, rows = audit.entries(s, **filters, limit=SHOWN)
st.caption(f"共 {total} 条" + (f"，显示最近 {SHOWN} 条；导出包含全部" if total > SHOWN else ""))
table(pd.DataFrame(tables.audit_entries(rows), columns=tables.AUDIT_COLUMNS))


def export() -> bytes:
    with db() as s:
        return audit.to_xlsx(audit.entries(s, **filters)[1])


st.download_button(
    "导出 Excel",
    export,
    file_name=f"操作日志_{today:%Y%m%d}.xlsx",
    key="audit_export",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    disabled=not total,
)
