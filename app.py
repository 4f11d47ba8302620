"""劳动关系项目绩效评价看板: the frame. Page config, the login gate, navigation built from the role.

Page scripts live in pages/views/, not directly in pages/: Streamlit still auto-discovers scripts
directly under pages/ on a process's first run (and AppTest on every run), and would run a
discovered script by itself, outside this frame, whenever its URL matched.
"""

import streamlit as st

from pages.common import current_user

st.set_page_config(page_title="劳动关系项目绩效评价看板", page_icon="📊", layout="wide")


def pages_for(role: str) -> list:
    overview = st.Page("pages/views/overview.py", title="总览", icon=":material/dashboard:", default=True)
    return {
        "leader": [overview],
        "staff": [overview],
        "evaluator": [overview],
        "admin": [overview],
    }[role]


user = current_user()
if user is None:
    navigation = st.navigation([st.Page("pages/views/login.py", title="登录", icon=":material/login:")], position="hidden")
else:
    navigation = st.navigation(pages_for(user.role))
    with st.sidebar:
        st.markdown(f"**{user.name}**（{user.role_label}）")
        if st.button("退出登录", key="logout"):
            del st.session_state["user"]
            st.rerun()
navigation.run()
