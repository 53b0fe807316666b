"""`tracker bench`: the programme at national scale, measured against its targets.

Builds (or reuses) the `--scale national` data set (24,000 organisations, 200,000 activities,
1,000,000 participations, 60,000 people, 600,000 attendances, 30,000 documents monitored,
20,000 opinions) in the database of
TRACKER_DATABASE_URL when that is PostgreSQL, else in the SQLite file bench/national.db (built
again when it holds an earlier version's data set), then measures, each as the median of
several runs:

- the programme overview's numbers (people trained among them) for the default filters with
  the dashboard's cache emptied (cold), the same for one region and one quarter (filtered),
  and again from the cache (warm); the same numbers the naive way (tables read whole with
  pandas, merged and grouped), which must agree with the fast ones;
- the overview page rendered through Streamlit's AppTest, cold;
- a CSV import of 100,000 activities and 300,000 participations into a new database, against
  a slice saved one activity at a time through the service and the ORM;
- saving one activity with 5 participations through the service, 200 times (p95), and a
  training with 30 ticked attendees, 200 times (p95);
- the People page's list (first page; the incomplete ones) and the ESF+ participants' report
  for the whole programme (bench/people.py);
- the three civic-dialogue indicators as the overview counts them and their forecast, each
  against a naive baseline (rows into Python, counted there), and the Civic dialogue page
  through AppTest, cold and warm (bench/dialogue.py);
- the peak resident memory of this process.

Prints a table and writes bench/results.json (the other database's results are kept). The
measurements that need no screen are in bench/measures.py; this module adds the
dashboard's (its cache, its page) and puts them together. Timings depend on the machine:
quote medians and ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import platform
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import streamlit as st
from streamlit import logger
from streamlit.testing.v1 import AppTest

from bench.dialogue import dialogue_forecasts, dialogue_page, dialogue_values
from bench.measures import (
    RESULTS,
    ROOT,
    VIEWER,
    BenchError,
    Report,
    database_url,
    ensure_national,
    forecasts,
    import_speed,
    naive,
    open_database,
    peak_rss_mb,
    programme_period,
    remove_saved,
    saves,
    say,
    sequential,
    table,
    viewer,
    write_results,
)
from bench.people import attendee_saves, participants_report, people_pages, people_trained
from dashboards.components.cache import cached_together
from tracker.analytics import Filters
from tracker.analytics.overview import overview_calls, overview_year
from tracker.auth import Actor


@contextmanager
def quiet_streamlit() -> Iterator[None]:
    """Streamlit warns about running without a server on every cached call."""
    logger.set_log_level(logging.ERROR)
    try:
        yield
    finally:
        logger.set_log_level(logging.WARNING)


def overview(report: Report, actor: Actor, views: dict[str, tuple[Filters, int]],
             repeat: int) -> None:
    """Cold and warm through the dashboard's own cache, as the page asks for its numbers."""
    runs: dict[str, list[float]] = {"overview_cold_s": [], "overview_filtered_s": [],
                                    "overview_warm_s": []}
    for _ in range(repeat + 1):  # the first round opens connections and fills page caches
        for name, (filters, year) in views.items():
            st.cache_data.clear()
            started = time.perf_counter()
            cached_together(overview_calls(filters, year), actor=actor)
            runs[name].append(time.perf_counter() - started)
            if name == "overview_cold_s":
                started = time.perf_counter()
                cached_together(overview_calls(filters, year), actor=actor)
                runs["overview_warm_s"].append(time.perf_counter() - started)
    for name, values in runs.items():
        report.timed(name, values[1:], digits=4 if name == "overview_warm_s" else 3)


def signed_in() -> AppTest:
    """The app through AppTest, signed in as the viewer."""
    at = AppTest.from_file(str(ROOT / "dashboards" / "main.py"), default_timeout=300).run()
    at.text_input[0].input(VIEWER)
    at.text_input[1].input("demo")
    at.button[0].click().run()
    if at.exception or not at.button:
        raise BenchError(f"could not sign in as {VIEWER} with the demo password")
    return at


def page(report: Report, repeat: int) -> None:
    """The overview page through AppTest, signed in as the viewer, with the cache emptied."""
    at = signed_in()
    at.switch_page(str(ROOT / "dashboards" / "views" / "overview.py")).run()
    runs = []
    for _ in range(repeat):
        st.cache_data.clear()
        started = time.perf_counter()
        at.run()
        runs.append(time.perf_counter() - started)
        if at.exception:
            raise BenchError(f"the overview page failed: {at.exception}")
    report.timed("page_render_s", runs)


def run(*, url: str | None = None, repeat: int = 5, import_repeat: int = 3,
        skip_import: bool = False, rebuild: bool = False, region: str = "VIDZEME",
        quarter: tuple[int, int] = (2025, 4),
        import_activities: int = 100_000, naive_rows: int = 2_000,
        progress: Callable[[str], None] = say) -> Report:
    url = database_url(url)
    os.environ["TRACKER_DATABASE_URL"] = url  # the dashboard's cache reads the settings
    if rebuild:
        if url != database_url(None) or not url.startswith("sqlite"):
            raise BenchError("--rebuild empties only the benchmark's own SQLite file; give "
                             "any other database to the benchmark empty instead")
        for suffix in ("", "-wal", "-shm"):
            (ROOT / "bench" / f"national.db{suffix}").unlink(missing_ok=True)
    backend, engine = open_database(url)
    report = Report(backend=backend)
    own = ROOT / "bench" / "national.db" if url == database_url(None) \
        and url.startswith("sqlite") else None
    try:
        built = ensure_national(engine, own_file=own)
        if built is not None:
            report.values["build_s"] = built
        remove_saved(engine)  # a run stopped half-way may have left some
        actor = viewer(engine)
        start, end = programme_period(engine)
        year = overview_year(start, end)
        first = dt.date(quarter[0], 3 * quarter[1] - 2, 1)
        last = (first + dt.timedelta(days=92)).replace(day=1) - dt.timedelta(days=1)
        default = Filters(date_from=start, date_to=end)
        views = {"overview_cold_s": (default, year),
                 "overview_filtered_s": (Filters(region_code=region, date_from=first,
                                                 date_to=last), year)}
        with quiet_streamlit():
            progress(f"{backend}: overview, {repeat} runs of each ...")
            overview(report, actor, views, repeat)
            report.values["rss_after_overview_mb"] = peak_rss_mb()
            fast = sequential(report, engine, actor, default, year, repeat)
            people_trained(report, engine, fast)
            progress(f"{backend}: forecast page's numbers, {repeat} runs ...")
            forecasts(report, engine, actor, min(max(dt.date.today(), start), end),  # noqa: DTZ011
                      repeat)
            progress(f"{backend}: overview page through AppTest ...")
            page(report, repeat)
            report.values["rss_after_page_mb"] = peak_rss_mb()
            progress(f"{backend}: the civic-dialogue indicators, their forecast and the Civic "
                     f"dialogue page, {repeat} runs of each ...")
            dialogue_values(report, engine, actor, default, year, repeat)
            dialogue_forecasts(report, engine, actor,
                               min(max(dt.date.today(), start), end), repeat)  # noqa: DTZ011
            dialogue_page(report, signed_in, ROOT / "dashboards" / "views" / "dialogue.py",
                          repeat)
        progress(f"{backend}: 200 saves through the activity service, and 200 with 30 "
                 "ticked attendees ...")
        saves(report, engine)
        attendee_saves(report, engine)
        report.values["rss_after_saves_mb"] = peak_rss_mb()
        progress(f"{backend}: the People page's list and the participants' report, "
                 f"{repeat} runs ...")
        people_pages(report, engine, actor, repeat)
        participants_report(report, engine, actor, default, repeat)
        report.values["rss_after_people_mb"] = peak_rss_mb()
        if not skip_import:
            progress(f"{backend}: CSV import, {import_repeat} runs into new databases ...")
            import_speed(report, url, import_repeat, import_activities, naive_rows)
        report.values["peak_rss_mb"] = peak_rss_mb()
        progress(f"{backend}: the naive pandas baseline ...")
        naive(report, engine, actor, default, year, max(1, min(repeat, 3)), fast)
        report.values["peak_rss_with_naive_mb"] = peak_rss_mb()
        report.values["speedup_vs_naive"] = round(
            report.values["naive_pandas_s"] / report.values["overview_cold_s"], 1)
    finally:
        engine.dispose()
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """`tracker bench` runs this in a process of its own (the domain needs no screen)."""
    parser = argparse.ArgumentParser(prog="tracker bench", description=__doc__.splitlines()[0])
    parser.add_argument("--database", metavar="URL")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--import-repeat", type=int, default=3)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    url, repeat, import_repeat = args.database, max(1, args.repeat), max(1, args.import_repeat)
    skip_import, rebuild = args.skip_import, args.rebuild
    try:
        report = run(url=url, repeat=repeat, import_repeat=import_repeat, skip_import=skip_import,
                     rebuild=rebuild)
    except BenchError as error:
        say(f"tracker bench: {error}")
        return 2
    print(f"\n{report.backend}: medians of {repeat} runs "
          f"({import_repeat} for the import), {platform.machine()}, {os.cpu_count()} CPUs")
    print(table(report))
    for note in report.notes:
        print(f"note: {note}")
    write_results(report)
    print(f"written {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
