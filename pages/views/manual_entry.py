"""指标填报."""

import streamlit as st

from pages.common import require

require("staff")
st.title("指标填报")
