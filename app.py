"""劳动关系项目绩效评价看板: the frame. Page config, the login gate, navigation built from the role.

Page scripts live in pages/views/, not directly in pages/: Streamlit still auto-discovers scripts
directly under pages/ on a process's first run (and AppTest on every run), and would run a
discovered script by itself, outside this frame, whenever its URL matched.

A login survives a browser refresh through a signed, expiring token (data_model.sessions) kept in an
HttpOnly cookie: the browser sends it with the page request (st.context.cookies); server.py sets it, when the
page has the browser redeem a one-time code for it, so that the token itself never reaches a script.
"""

import streamlit as st

from data_model import worker
from data_model.auth import ROLES
from data_model.sessions import COOKIE, COOKIE_ROUTE, hand_over, read_token, sign_out
from pages import style
from pages.common import SignedIn, database_guard, db, escaped

ALL = tuple(ROLES)
# Every page once, in menu order: script in pages/views/, title, icon, the roles whose menu shows it,
# and the menu section. A role's home page is the first one its menu shows, unless HOME names another.
PAGES = (
    ("overview.py", "总览", ":material/dashboard:", ALL, ""),
    ("indicator.py", "指标详情", ":material/query_stats:", ALL, ""),
    ("budget.py", "预算执行", ":material/account_balance_wallet:", ALL, ""),
    ("manual_entry.py", "指标填报", ":material/edit_note:", ("staff",), ""),
    ("assessment.py", "绩效自评", ":material/fact_check:", ("evaluator", "admin", "leader"), ""),
    ("monitor.py", "运行监控", ":material/monitor_heart:", ("evaluator", "admin", "leader"), ""),
    ("upload.py", "上传数据", ":material/upload_file:", ("staff", "admin"), "数据报送"),
    ("history.py", "上传记录", ":material/receipt_long:", ("staff", "admin"), "数据报送"),
    ("admin_users.py", "用户管理", ":material/manage_accounts:", ("admin",), "管理"),
    ("admin_settings.py", "分值与计分规则", ":material/tune:", ("admin",), "管理"),
    ("admin_projects.py", "项目管理", ":material/folder_open:", ("admin",), "管理"),
    ("locks.py", "期间锁定", ":material/lock:", ("admin",), "管理"),
    ("admin_audit.py", "操作日志", ":material/history:", ("admin",), "管理"),
    ("admin_backup.py", "数据备份", ":material/backup:", ("admin",), "管理"),
)

HOME = {"staff": "upload.py"}  # staff come to report the month's data


def pages_for(role: str) -> dict[str, list]:
    """The role's menu by section. The pages it may not use are registered hidden, so that a typed
    address still runs the page, whose own require() then refuses it."""
    home = HOME.get(role) or next(script for script, _, _, roles, _ in PAGES if role in roles)
    menu: dict[str, list] = {}
    for script, title, icon, roles, section in PAGES:
        shown = role in roles
        page = st.Page(
            f"pages/views/{script}",
            title=title,
            icon=icon,
            default=script == home,
            visibility="visible" if shown else "hidden",
        )
        menu.setdefault(section if shown else "", []).append(page)
    return menu


def login_everywhere() -> list:
    """Signed out, every address shows the login form; once signed in, the same address opens its page."""
    login = "pages/views/login.py"
    return [st.Page(login, title="登录", icon=":material/login:", default=True)] + [
        st.Page(login, title="登录", url_path=script.removesuffix(".py"), visibility="hidden") for script, *_ in PAGES
    ]


def keep_in_cookie(token: str) -> None:
    """Have the browser redeem the login's one-time code for the HttpOnly cookie keeping it (see server.py)."""
    if st.session_state.get("handover", ("",))[0] != token:
        st.session_state["handover"] = (token, hand_over(token))
    code = st.session_state["handover"][1]
    st.html(
        f"<script>fetch('{COOKIE_ROUTE}', {{method: 'POST', body: '{code}', credentials: 'same-origin'}});</script>",
        unsafe_allow_javascript=True,
    )


def signed_in() -> SignedIn | None:
    """The login form's token, else the cookie a refresh sends, checked on every run: a logout elsewhere,
    the expiry or an admin's change to the account ends the session at the next click."""
    token = st.session_state.get("token") or st.context.cookies.get(COOKIE)
    with db() as s:
        account = read_token(s, token) if token else None
    if account is None:
        if st.session_state.pop("token", None):
            st.session_state["notice"] = "登录已失效（已超时、已退出或账号已变更），请重新登录。"
        st.session_state.pop("user", None)
        return None
    st.session_state["token"] = token
    st.session_state["user"] = SignedIn(account.username, account.display_name, account.role)
    return st.session_state["user"]


def main() -> None:
    st.set_page_config(page_title="劳动关系项目绩效评价看板", page_icon="📊", layout="wide")
    style.frame()  # every word Chinese, Streamlit's own included; tables and cards sized for their content
    with database_guard():  # while the database is unreachable: a Chinese notice, not a traceback
        user = signed_in()
        if user is None:  # a cookie left behind is harmless: its token was revoked, has expired, or was never valid
            navigation = st.navigation(login_everywhere(), position="hidden")
        else:
            # Every page listed, no English 「View more」.
            navigation = st.navigation(pages_for(user.role), expanded=True)
            with st.sidebar:
                if st.context.cookies.get(COOKIE) != st.session_state["token"]:
                    keep_in_cookie(st.session_state["token"])
                st.markdown(f"**{escaped(user.name)}**（{user.role_label}）")
                if st.button("退出登录", key="logout"):
                    with db() as s:
                        sign_out(s, user.username)
                    del st.session_state["user"], st.session_state["token"]
                    st.rerun()
        navigation.run()


# Streamlit runs this script as __main__. The upload reader's child processes (data_model/worker.py) run it again as
# __mp_main__, as multiprocessing does with the main script: there it must only import, not draw the app, and its
# imports are already there, in the fork server they come from.
if __name__ == "__main__":
    worker.preload("app")
    main()
