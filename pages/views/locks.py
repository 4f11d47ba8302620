"""期间锁定: an admin closes months so that no upload or undo changes their data any more."""

from datetime import date

import pandas as pd
import streamlit as st

from data_model.auth import display_names
from data_model.locks import locked_months, month_label, set_locks
from kpi import tables
from pages.common import current_project, db, require
from pages.style import table

user = require("admin")
project = current_project()
st.title("期间锁定")
st.caption(
    "锁定某月后，任何上传或撤销都不能再新增、修改或删除该月的数据（按各表决定所属月份的日期列判断，如支出明细的支付日期、"
    "投诉处置的受理日期和办结日期）。如需更正，先在这里解锁。"
)

months = [date(project.year, m, 1) for m in range(1, 13)]
with db() as s:
    locks, names = locked_months(s, project.id), display_names(s)
chosen = st.multiselect(
    "锁定的月份", months, default=list(locks), format_func=month_label, placeholder="没有锁定的月份"
)
if st.button("保存", type="primary", icon=":material/lock:", key="save_locks"):
    with db() as s:
        added, removed = set_locks(s, project, chosen, username=user.username)
        locks = locked_months(s, project.id)
    changes = [
        f"已锁定 {'、'.join(map(month_label, added))}" if added else "",
        f"已解锁 {'、'.join(map(month_label, removed))}" if removed else "",
    ]
    st.success("；".join(c for c in changes if c) or "没有变化")

table(pd.DataFrame(tables.locks(months, locks, names)), height="content")
