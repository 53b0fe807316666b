"""Time the programme overview page through AppTest on the configured database.

    TRACKER_DATABASE_URL=sqlite:///data/national.db .venv/bin/python scripts/time_overview.py

Signs in as manager@demo.lv (the demo accounts), renders the overview once (imports, first
queries), then N times with the dashboard cache emptied ("cold": every number is queried
again, as after any write) and N times from the cache ("warm"). Prints a table and writes
bench/overview.json. The full benchmark with its baselines is `tracker bench` (issue 7).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    at = AppTest.from_file(str(ROOT / "dashboards" / "main.py"), default_timeout=300).run()
    at.text_input[0].input("manager@demo.lv")
    at.text_input[1].input("demo")
    at.button[0].click().run()
    if at.exception or not at.button:
        raise SystemExit("could not sign in as manager@demo.lv (load `tracker demo` first)")
    at.switch_page(str(ROOT / "dashboards" / "views" / "overview.py")).run()
    cold, warm = [], []
    for _ in range(args.repeat):
        st.cache_data.clear()
        started = time.perf_counter()
        at.run()
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - started)
        if at.exception:
            raise SystemExit(str(at.exception))
    result = {"overview_cold_s": round(statistics.median(cold), 3),
              "overview_warm_s": round(statistics.median(warm), 3),
              "cold_runs_s": [round(c, 3) for c in cold],
              "warm_runs_s": [round(w, 3) for w in warm]}
    print(f"{'measure':<18}{'median':>10}  runs")
    for name, runs in (("overview cold", cold), ("overview warm", warm)):
        print(f"{name:<18}{statistics.median(runs):>9.2f}s  "
              + " ".join(f"{r:.2f}" for r in runs))
    out = ROOT / "bench" / "overview.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
