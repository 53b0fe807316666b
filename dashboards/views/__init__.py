"""The pages of the app; `dashboards/main.py` shows each role only its own."""
