"""上传记录: every batch with who, when, file and counts; open one to see its rows; undo it after a confirmation."""

import pandas as pd
import streamlit as st

from data_model.audit import local_time
from data_model.auth import display_names, named
from data_model.batches import (
    UndoRefused,
    batch_counts,
    batch_rows,
    describe,
    list_batches,
    undo_batch,
    undo_refusal,
    undo_text,
)
from data_model.models import UploadBatch
from data_model.sheets import SHEETS_BY_NAME, Kind
from kpi import tables
from pages.common import MONEY, current_project, db, escaped, require
from pages.style import table

UNDOING = "undo_batch"  # session key: the batch whose confirmation dialog is open


def close_dialog() -> None:
    st.session_state.pop(UNDOING, None)


@st.dialog("撤销上传批次", on_dismiss=close_dialog)
def confirm_undo(batch: UploadBatch) -> None:
    counts = batch_counts(batch).values()
    st.markdown(f"确定撤销{escaped(describe(batch))}吗？")
    st.markdown(
        f"撤销后，该批新增的 **{sum(c.new for c in counts)}** 条记录将被删除，"
        f"被该批更新的 **{sum(c.replaced for c in counts)}** 条记录将恢复为导入前的内容。看板随之更新。"
    )
    yes, no = st.columns(2)
    if yes.button("确认撤销", type="primary", width="stretch", key="undo_confirm"):
        try:
            with db() as s:
                done = undo_batch(s, project, batch.id, username=user.username, role=user.role)
        except UndoRefused as err:
            st.error(escaped(str(err)))
            return
        close_dialog()
        st.session_state["undo_done"] = f"已撤销第 {batch.id} 批：{undo_text(done)}"
        st.rerun()
    if no.button("取消", width="stretch", key="undo_cancel"):
        close_dialog()
        st.rerun()


user = require("staff", "admin")
project = current_project()
st.title("上传记录")
if done := st.session_state.pop("undo_done", None):
    st.success(done)
with db() as s:
    batches, names = list_batches(s, project.id), display_names(s)
if not batches:
    st.info("还没有上传过数据。请在「上传数据」页面下载模板、填写后上传。")
    st.stop()

table(pd.DataFrame(tables.batches(batches, names)))

by_id = {b.id: b for b in batches}
chosen = by_id[
    st.selectbox(
        "查看批次",
        by_id,
        key="batch_choice",
        format_func=lambda i: (
            f"第 {i} 批 · {by_id[i].file_name} · {named(names, by_id[i].uploaded_by)} · "
            f"{local_time(by_id[i].uploaded_at)}"
        ),
    )
]
with db() as s:
    rows = batch_rows(s, chosen)
    refusal = undo_refusal(s, chosen, username=user.username, role=user.role)
if chosen.undone_at:
    st.info(
        f"该批已撤销（{escaped(named(names, chosen.undone_by))}，{local_time(chosen.undone_at)}）："
        "新增的记录已删除，更新过的记录已恢复为导入前的内容。"
    )
elif not rows:
    st.caption("该批没有新增或更新任何记录（文件中的记录与已导入的完全相同）。")
else:
    st.caption(
        "该批写入的记录：“变更”说明是新增还是更新了已有记录，“现状”说明之后是否又被其他批次更新（此处显示该批写入时的内容）。"
    )
    for tab, (sheet, sheet_rows) in zip(st.tabs([f"{name}（{len(r)}）" for name, r in rows.items()]), rows.items()):
        money = {c.header: MONEY for c in SHEETS_BY_NAME[sheet].columns if c.kind is Kind.MONEY}  # 2,600.00
        with tab:
            table(pd.DataFrame(sheet_rows), column_config=money)

if refusal and not chosen.undone_at:
    st.caption(escaped(refusal))
if not chosen.undone_at and st.button("撤销本批", icon=":material/undo:", disabled=refusal is not None, key="undo"):
    st.session_state[UNDOING] = chosen.id
if st.session_state.get(UNDOING) == chosen.id:
    confirm_undo(chosen)
