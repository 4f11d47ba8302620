"""登录: the only page before signing in."""

import streamlit as st

from data_model.auth import AuthError, authenticate
from data_model.sessions import issue_token
from pages.common import db


def client_address() -> str:
    """The client's IP address, counted toward the login lockout. uvicorn reads it from X-Forwarded-For only when
    the connection comes from this machine (the nginx front end); "" is a client on this machine itself (and
    AppTest, which has no connection)."""
    address = st.context.ip_address
    return address if isinstance(address, str) else ""


st.title("劳动关系项目绩效评价看板")
st.caption("浦锦街道社区事务受理服务中心 · 绩效运行监控与自评")
if notice := st.session_state.pop("notice", None):
    st.info(notice)
with st.form("login"):
    username = st.text_input("用户名", key="login_username")
    password = st.text_input("密码", type="password", key="login_password")
    submitted = st.form_submit_button("登录", type="primary")
if submitted and not (username.strip() and password):  # nothing to check: not counted as a failed login
    st.error("请输入用户名和密码。")
elif submitted:
    try:
        with db() as s:
            st.session_state["token"] = issue_token(authenticate(s, username, password, address=client_address()))
        st.rerun()
    except AuthError as err:
        st.error(str(err))
