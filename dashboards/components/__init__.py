"""Reusable pieces of the Streamlit pages (language, sign-in state, form helpers)."""
