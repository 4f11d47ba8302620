"""操作日志."""

import streamlit as st

from pages.common import require

require("admin")
st.title("操作日志")
