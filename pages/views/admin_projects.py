"""项目管理."""

import streamlit as st

from pages.common import require

require("admin")
st.title("项目管理")
