"""分值与计分规则."""

import streamlit as st

from pages.common import require

require("admin")
st.title("分值与计分规则")
