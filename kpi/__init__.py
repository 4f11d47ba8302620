"""Pure evaluation: target parsing, metrics, scoring, monitoring and export. No Streamlit here."""
