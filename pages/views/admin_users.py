"""用户管理: create accounts, change a role, reset a password, disable or enable an account."""

import pandas as pd
import streamlit as st

from data_model import admin
from data_model.auth import MIN_PASSWORD, ROLES, AuthError, create_user, locked_until
from kpi import tables
from pages.common import db, escaped, require
from pages.style import table

me = require("admin")
st.title("用户管理")
st.caption("修改角色、重置密码或停用账号后，该用户当前的登录随即失效，需重新登录。")


def passwords(key: str, label: str) -> str | None:
    """The password typed twice, or None (with an error shown) when the two differ."""
    first = st.text_input(label, type="password", key=f"{key}_1", help=f"至少 {MIN_PASSWORD} 位")
    second = st.text_input("再次输入密码", type="password", key=f"{key}_2")
    return first if first == second else None


NOTICE = "users_notice"  # session key: what the last change did, said after its rerun


def attempt(change, success: str, typed: tuple[str, ...] = ()) -> None:
    """Make the change; on success rerun (so every list shows it at once), saying `success` and emptying the form
    fields `typed`. A refusal keeps everything typed, and the role chosen, for a correction."""
    try:
        with db() as s:
            change(s)
    except AuthError as err:
        st.error(escaped(str(err)))
        return
    st.session_state[NOTICE] = escaped(success)
    for key in typed:
        st.session_state.pop(key, None)
    st.rerun()


if notice := st.session_state.pop(NOTICE, None):
    st.success(notice)
with db() as s:
    usernames = [u.username for u in admin.list_users(s)]
create_tab, role_tab, password_tab, status_tab = st.tabs(["新建用户", "修改角色", "重置密码", "停用/启用"])
with create_tab, st.form("create_user"):
    username = st.text_input("用户名", key="new_username")
    name = st.text_input("姓名", key="new_name")
    role = st.selectbox("角色", ROLES, format_func=ROLES.get, key="new_role")
    password = passwords("new_password", "初始密码")
    if st.form_submit_button("创建用户", type="primary"):
        if password is None:
            st.error("两次输入的密码不一致")
        else:
            attempt(
                lambda s: create_user(s, username, password, role, name, by=me.username),
                f"已创建用户「{username.strip()}」（{ROLES[role]}）",
                typed=("new_username", "new_name", "new_role", "new_password_1", "new_password_2"),
            )
with role_tab, st.form("change_role"):
    who = st.selectbox("用户", usernames, key="role_user")
    role = st.selectbox("新角色", ROLES, format_func=ROLES.get, key="role_new")
    if st.form_submit_button("修改角色", type="primary"):
        attempt(lambda s: admin.change_role(s, who, role, by=me.username), f"已将「{who}」的角色改为{ROLES[role]}")
with password_tab, st.form("reset_password"):
    who = st.selectbox("用户", usernames, key="reset_user")
    password = passwords("reset_password", "新密码")
    if st.form_submit_button("重置密码", type="primary"):
        if password is None:
            st.error("两次输入的密码不一致")
        else:
            attempt(
                lambda s: admin.reset_password(s, who, password, by=me.username),
                f"已重置「{who}」的密码，账号锁定同时解除",
                typed=("reset_password_1", "reset_password_2"),
            )
with status_tab:
    who = st.selectbox("用户", usernames, key="status_user")
    disable, enable = st.columns(2)
    if disable.button("停用账号", key="disable", width="stretch"):
        attempt(lambda s: admin.set_disabled(s, who, True, by=me.username), f"「{who}」已停用")
    if enable.button("启用账号", key="enable", width="stretch"):
        attempt(lambda s: admin.set_disabled(s, who, False, by=me.username), f"「{who}」已启用")


st.subheader("全部用户")
with db() as s:
    users = admin.list_users(s)
    locked = [locked_until(s, u.username) for u in users]
table(pd.DataFrame(tables.users(users, locked)))
