"""备份: an admin downloads the current project as one workbook, or a zip of it and the 佐证材料 files
(python -m data_model export-all)."""

import io
from datetime import datetime

import streamlit as st

from data_model.audit import SHANGHAI
from kpi.backup import write_backup
from pages.common import current_project, db, escaped, require

MIME = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".zip": "application/zip"}

require("admin")
project = current_project()
st.title("数据备份")
st.markdown(
    f"备份文件是一个 Excel 工作簿，含项目「{escaped(project.name)}」的全部数据："
    "绩效目标表（项目信息、预算明细、绩效目标）、"
    "各月度报送工作表的全部记录（表头与月度数据报送表相同，也可直接上传导入）、项目设置（成本指标计分规则、实际完成情况、定稿）、"
    "评定记录、整改措施、人工填报、期间锁定和佐证材料清单。上传记录的历史与操作日志不在其中。"
    "项目有佐证材料时，备份文件是一个 .zip 压缩包，内含上述工作簿和全部佐证材料文件。"
)
st.markdown(
    "恢复到新数据库：在服务器上运行 `python -m data_model restore 备份文件 --db 数据库地址`（.xlsx 或 .zip），"
    "恢复后的评分与备份时完全一致。"
)
if st.button("生成备份文件", type="primary", key="make_backup"):
    out = io.BytesIO()
    with db() as s:
        suffix = write_backup(s, project, out)
    stamp = datetime.now(SHANGHAI)
    st.download_button(
        "下载备份",
        out.getvalue(),
        file_name=f"{project.name}-备份-{stamp:%Y%m%d-%H%M}{suffix}",
        mime=MIME[suffix],
        key="backup",
    )
