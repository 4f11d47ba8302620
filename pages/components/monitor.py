"""The 绩效运行监控表 download, offered on 运行监控 and beside the 自评表 on 绩效自评."""

from datetime import date

import streamlit as st

from data_model.models import Project
from kpi import monitor_entries, monitor_form
from pages.common import db


def download(project: Project, as_of: date, *, container=st) -> None:
    """The form as of `as_of`, built from the database when the button is clicked (no rerun, like the others)."""

    def render() -> bytes:
        with db() as s:
            return monitor_form.workbook(monitor_entries.load(s, project, as_of))

    container.download_button(
        "下载绩效运行监控表（.xlsx）",
        render,
        file_name=monitor_form.FILE_NAME,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="download_monitor",
        on_click="ignore",
    )
