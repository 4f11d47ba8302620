"""用户管理."""

import streamlit as st

from pages.common import require

require("admin")
st.title("用户管理")
