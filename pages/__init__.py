"""Streamlit views. app.py routes to them with st.navigation; each is thin over kpi and data_model."""
