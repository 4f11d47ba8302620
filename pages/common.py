"""What every page shares: the database, the signed-in user, the project, the as-of month, cached loaders."""

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import NamedTuple

import pandas as pd
import streamlit as st
from sqlmodel import Session

from data_model.auth import ROLES
from data_model.db import database_url, make_engine, session, unreachable
from data_model.models import Project
from data_model.problems import DATABASE_UNAVAILABLE
from data_model.projects import list_projects
from data_model.version import data_version
from kpi.evaluate import Evaluation, default_as_of, evaluate
from kpi.sources import Rows
from kpi.spending import month_end
from pages import style
from pages.style import MEETING_CSS

# What starts Markdown (or Streamlit's :color[…] and :icon:) anywhere in a line: emphasis, code, HTML, tables,
# math, entities, headings, directives, and a "]" that would close a link or an image.
_MARKUP = re.compile(r"[\\`*_~<>|$&:@#]|\](?=[(\[:])")
# Streamlit links web and e-mail addresses in the text even when escaped: an invisible word joiner after http,
# https, www and @ keeps them text.
_ADDRESS = re.compile(r"(?i)https?(?=:)|www(?=\.)|@")


def _line(line: str) -> str:
    body = line.lstrip(" \t")
    indent = "\u00a0" * (len(line) - len(body))  # no indented code block
    if re.fullmatch(r"[-=\s]+", body) or re.match(r"[-+](\s|$)", body):
        return indent + "\\" + body  # no bullet, rule or underlined heading
    return indent + re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", body)  # no numbered list


def escaped(text: str) -> str:
    """User text for st.markdown, st.title, st.caption, st.info, labels and the like: shown literally, nothing in it
    interpreted. Plain text such as 2024-12.xlsx or =3.00(家) stays as it is; only what would be markup is escaped."""
    text = _MARKUP.sub(lambda m: "\\" + m.group(), _ADDRESS.sub(lambda m: m.group() + "\u2060", text))
    return "\n".join(map(_line, text.split("\n")))


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


@contextmanager
def database_guard() -> Iterator[None]:
    """Around a whole page run: while the database is unreachable the page says so in Chinese, instead of a
    traceback, and keeps the session (the user stays signed in); the next click tries again."""
    try:
        yield
    except Exception as error:
        if not unreachable(error):
            raise
        logging.getLogger(__name__).warning("database unreachable: %s", error)
        st.error(DATABASE_UNAVAILABLE)


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


def remember(key: str, default, allowed=None) -> None:
    """Before the widget `key` is drawn: keep its value (also over a page switch, where Streamlit would forget
    it), start it at `default`, and go back to `default` once the value is no longer among `allowed`."""
    value = st.session_state.get(key, default)
    st.session_state[key] = value if allowed is None or value in allowed else default


def as_of_selector(project: Project) -> date:
    """The as-of month (统计截至) in the sidebar; it drives every page. Defaults to the latest month."""
    latest = default_as_of(project)
    months = range(1, latest.month + 1)
    remember("as_of_month", latest.month, months)
    picked = st.sidebar.selectbox(
        "统计截至",
        months,
        key="as_of_month",
        format_func=lambda m: f"{project.year}年{m}月",
    )
    return latest if picked == latest.month else month_end(project.year, picked)


@st.cache_data(show_spinner="正在计算指标…", max_entries=256)
def _load(_loader: Callable, name: str, project_id: int, as_of: date, url: str, version: int, *args):
    with session(_engine(url)) as s:
        # By primary key: find_project would first ask the catalog whether the tables exist, a query more each time.
        return _loader(s, s.get_one(Project, project_id), as_of, *args)


def cached(loader: Callable, project: Project, as_of: date, *args):
    """`loader(session, project, as_of, *args)`, computed once per loader, database, project, as-of date, arguments
    and data version: a change to the project's data, made by this process or another (a command-line import),
    is seen at the next run, and until then the result is reused however large the data."""
    url = database_url()
    with session(_engine(url)) as s:
        version = data_version(s, project.id)
    return _load(loader, f"{loader.__module__}.{loader.__qualname__}", project.id, as_of, url, version, *args)


def evaluation(project: Project, as_of: date) -> Evaluation:
    return cached(evaluate, project, as_of)


class Dashboard(NamedTuple):
    """What a leadership page (总览, 指标详情, 预算执行) stands on."""

    project: Project
    as_of: date
    large: bool  # 会议模式
    ev: Evaluation


def dashboard() -> Dashboard:
    """The frame every leadership page opens with: the roles that may see it, the project, the 统计截至 month,
    the 会议模式 toggle, and the evaluation they all show."""
    require("leader", "staff", "evaluator", "admin")
    project = current_project()
    as_of = as_of_selector(project)
    large = meeting_mode()
    return Dashboard(project, as_of, large, evaluation(project, as_of))


def meeting_mode() -> bool:
    """The 会议模式 toggle every page shows at its top right: for a projector, wide charts, large fonts, no sidebar."""
    remember("meeting_mode", False)
    on = st.session_state["meeting_mode"]
    with st.container(horizontal=True, horizontal_alignment="right", key="meeting_bar"):
        label = "退出会议模式" if on else "会议模式"
        st.toggle(label, key="meeting_mode", help="投影汇报用：隐藏侧边栏，放大字号和图表")
    if on:
        st.html(MEETING_CSS)
    return on


@st.cache_resource(max_entries=256, show_spinner=False)
def _figure(_build: Callable, name: str, *args, large: bool):
    return _build(*args, large=large)


def figure(build: Callable, *args, large: bool = False):
    """`build(*args, large=large)`, built once for the same arguments and shared by every session: a Plotly figure
    costs milliseconds to build and validate, and st.plotly_chart only reads it (it serialises a copy)."""
    return _figure(build, f"{build.__module__}.{build.__qualname__}", *args, large=large)


def _picked(chart_key: str, pick_key: str, on_pick: Callable[[], None] | None) -> None:
    points = st.session_state[chart_key].selection.points
    if points and points[0].get("customdata"):
        st.session_state[pick_key] = points[0]["customdata"][0]
        if on_pick:
            on_pick()


def chart(fig, key: str, pick_key: str, on_pick: Callable[[], None] | None = None) -> None:
    """Show a figure whose click on a point or bar sets the widget `pick_key` to the point's customdata[0],
    so that a click and the widget offering the same choice stay in step; `on_pick` then does what the widget's
    own on_change does."""
    # A new key once the choice changes clears Plotly's own selection: the figure marks the choice itself.
    chart_key = f"{key}_{st.session_state.get(pick_key)}"
    st.plotly_chart(
        fig,
        theme=None,
        config={"displayModeBar": False},
        key=chart_key,
        on_select=partial(_picked, chart_key, pick_key, on_pick),
        selection_mode="points",
    )


MONEY = st.column_config.NumberColumn(format="accounting")  # 1,234.00


def record_table(table: Rows) -> None:
    """The records behind a number: a heading with how many there are, then the rows (the first ones when many)."""
    st.markdown(f"**{table.title}**　{table.total:,} 条")
    if not table.rows:
        st.caption("没有符合条件的记录。")
        return
    style.table(pd.DataFrame(table.rows, columns=table.columns), column_config={"金额": MONEY})
    if table.total > len(table.rows):
        st.caption(f"仅列出前 {len(table.rows):,} 条，可按月份或类别缩小范围。")
