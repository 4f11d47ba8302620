"""上传数据: download the template, upload a month's workbook, see it checked and previewed, confirm; 报送进度."""

from datetime import date

import pandas as pd
import streamlit as st

from data_model import worker
from data_model.batches import already_imported
from data_model.importer import counts_text, import_workbook, plan_import
from data_model.locks import locked_months
from data_model.marking import marked_workbook
from data_model.problems import Problem, WorkbookRejected
from data_model.progress import reporting_progress
from data_model.template import build_template
from data_model.validation import how_many
from kpi import tables
from pages import style
from pages.common import cached, current_project, db, escaped, require

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIMIT_MB = st.get_option("server.maxUploadSize")  # .streamlit/config.toml; the browser enforces it too


def show_problems(problems: list[Problem]) -> None:
    table = pd.DataFrame(tables.problems(problems), columns=tables.PROBLEM_COLUMNS).astype({"行": "Int64"})
    style.table(table, placeholder="")


def refused_whole(errors: list[Problem]) -> bool:
    """The file was refused as a whole (not a workbook, too large, …): there is no cell to point at or mark."""
    return len(errors) == 1 and errors[0].row is None


def marked(data: bytes, errors: list[Problem]) -> bytes | None:
    """The workbook with its bad cells marked, made in a capped worker as well (openpyxl reads the whole file)."""
    try:
        return worker.capped(marked_workbook, data, errors)
    except worker.WorkerFailed:
        return None


def template() -> bytes:
    with db() as s:
        return build_template(s, project)


def confirm(data: bytes, file_name: str) -> None:
    try:
        with db() as s:
            result = import_workbook(s, project, data, file_name=file_name, uploaded_by=user.username, isolated=True)
    except WorkbookRejected as err:  # the data changed since the preview, e.g. a month was locked meanwhile
        st.error(f"导入失败，未写入任何数据。共 {how_many(err.problems)} 个问题：")
        show_problems(err.problems)
        return
    if result.batch is None:
        st.info(escaped(already_imported(result.same_as)))
        return
    st.session_state["upload_done"] = (
        f"「{escaped(file_name)}」已导入为第 {result.batch.id} 批：{counts_text(result.counts) or '没有数据行'}"
    )
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1  # a fresh, empty file picker
    st.rerun()


def preview(data: bytes, file_name: str) -> None:
    with st.status("正在校验文件…") as status:
        with db() as s:
            plan = plan_import(s, project, data, isolated=True)
        failed = bool(plan.errors)
        status.update(label="校验未通过" if failed else "校验完成", state="error" if failed else "complete")
    if plan.same_as is not None:
        st.info(escaped(already_imported(plan.same_as)))
        return
    if plan.errors and refused_whole(plan.errors):  # one sentence, read whole, rather than a table row
        [whole] = plan.errors
        st.error(f"文件未通过校验，未写入任何数据。{escaped(whole.text())}（代码 {whole.code}）")
        return
    if plan.errors:
        st.error(f"发现 {how_many(plan.errors)} 个问题，未写入任何数据。请按下表改正后重新上传。")
        show_problems(plan.errors)
        annotated = marked(data, plan.errors)
        if annotated is not None:
            st.download_button(
                "下载标注问题的工作簿",
                annotated,
                file_name=f"问题标注-{file_name}",
                mime=XLSX,
                icon=":material/download:",
                on_click="ignore",
            )
        return
    st.subheader("导入预览")
    st.caption("确认导入前不会写入任何数据。关键列与已导入记录相同的行将更新原记录。")
    style.table(pd.DataFrame(tables.import_counts(plan.counts)))
    if plan.warnings:
        st.warning(f"有 {how_many(plan.warnings)} 条提示（不影响导入）：")
        show_problems(plan.warnings)
    if not any(c.new or c.replaced for c in plan.counts.values()):
        st.info("文件中没有新增或需要更新的记录（都与已导入的相同），无需导入。")
    elif st.button("确认导入", type="primary", icon=":material/check:", key="confirm_import"):
        confirm(data, file_name)


def progress_panel() -> None:
    st.subheader("报送进度")
    progress = cached(reporting_progress, project, date.today())  # a query per sheet: once per change of the data
    with db() as s:
        locks = locked_months(s, project.id)
    grid = pd.DataFrame(
        {f"{m}月": [tables.progress_cell(progress, sheet, m) for sheet in progress.counts] for m in range(1, 13)},
        index=pd.Index(list(progress.counts), name="工作表"),
    )
    grid.loc["期间锁定"] = ["🔒 已锁定" if date(project.year, m, 1) in locks else "" for m in range(1, 13)]
    style.table(grid, hide_index=False, height="content")  # every sheet and the 期间锁定 row at once
    monthly = "、".join(progress.missing) or "无"
    st.caption(
        f"{progress.year} 年各月的记录条数（按各表决定所属月份的日期列统计）。"
        f"每月必报的工作表（{monthly}）在已结束的月份没有数据时显示“缺报”。已锁定的月份不能再上传或撤销，如需更正请联系管理员解锁。"
    )


user = require("staff", "admin")
project = current_project()
st.title("上传数据")
st.caption(f"{escaped(project.name)} · 月度数据报送")
if done := st.session_state.pop("upload_done", None):
    st.success(done)

st.download_button(
    f"下载模板（{project.year}年月度数据报送表）",
    template,
    file_name=f"{project.year}年月度数据报送表.xlsx",
    mime=XLSX,
    icon=":material/download:",
    on_click="ignore",
    help="含填报说明、下拉选项和每列的填写规则；已预填尚未建成的调解阵地和尚未办结的投诉",
)
uploaded = st.file_uploader(
    f"选择填好的月度数据报送表（.xlsx，不超过 {LIMIT_MB} MB）",
    type=["xlsx"],
    key=f"upload_{st.session_state.get('upload_round', 0)}",
)
if uploaded is not None:
    content = uploaded.getvalue()
    if len(content) > LIMIT_MB * 1024 * 1024:
        st.error(
            f"文件大小为 {len(content) / 1024 / 1024:.1f} MB，超过 {LIMIT_MB} MB 的上限，"
            "请删去多余内容或分成几个文件上传。"
        )
    else:
        preview(content, uploaded.name)
progress_panel()
