"""What every page shares: the database, the signed-in user, the project, the as-of month, cached loaders."""

from dataclasses import dataclass
from datetime import date, timedelta

import streamlit as st
from sqlmodel import Session

from data_model.auth import ROLES
from data_model.db import database_url, make_engine, session
from data_model.models import Project
from data_model.projects import find_project, list_projects
from kpi.evaluate import Evaluation, default_as_of, evaluate
from kpi.monitoring import AMBER, GREEN, GREY, RED

LIGHT_COLOURS = {GREEN: "#2e9d5b", AMBER: "#f0a020", RED: "#d64541", GREY: "#9aa0a6"}
LIGHT_LABELS = {GREEN: "达成", AMBER: "关注", RED: "预警", GREY: "无数据"}
LIGHT_DOTS = {GREEN: "🟢", AMBER: "🟡", RED: "🔴", GREY: "⚪"}


@dataclass(frozen=True)
class SignedIn:
    username: str
    name: str
    role: str

    @property
    def role_label(self) -> str:
        return ROLES[self.role]


@st.cache_resource
def _engine(url: str):
    return make_engine(url)


def db() -> Session:
    return session(_engine(database_url()))


def current_user() -> SignedIn | None:
    return st.session_state.get("user")


def require(*roles: str) -> SignedIn:
    """The signed-in user if their role may see this page; otherwise a refusal and nothing else."""
    user = current_user()
    if user is None or user.role not in roles:
        st.error("您没有权限访问此页面。如需访问，请联系管理员。")
        st.stop()
    return user


def current_project() -> Project:
    """The project the user works on: chosen in the sidebar when there is more than one."""
    with db() as s:
        projects = list_projects(s)
    if not projects:
        st.error("数据库中还没有项目。请先运行：python -m data_model init --sample")
        st.stop()
    if len(projects) == 1:
        return projects[0]
    chosen = st.sidebar.selectbox("项目", projects, format_func=lambda p: p.name, key="project_choice")
    return chosen


def month_end(year: int, month: int) -> date:
    return (date(year, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def as_of_selector(project: Project) -> date:
    """The as-of month (统计截至) in the sidebar; it drives every page. Defaults to the latest month."""
    latest = default_as_of(project)
    picked = st.sidebar.selectbox(
        "统计截至", range(1, latest.month + 1), index=latest.month - 1, key="as_of_month",
        format_func=lambda m: f"{project.year}年{m}月",
    )
    return latest if picked == latest.month else month_end(project.year, picked)


@st.cache_data(show_spinner="正在计算指标…", max_entries=64)
def load_evaluation(project_id: int, as_of: date, url: str) -> Evaluation:
    with session(_engine(url)) as s:
        return evaluate(s, find_project(s, project_id), as_of)


def evaluation(project: Project, as_of: date) -> Evaluation:
    return load_evaluation(project.id, as_of, database_url())


def data_changed() -> None:
    """Call after an import, an undo or a judgment: cached results are recomputed on next view."""
    load_evaluation.clear()
