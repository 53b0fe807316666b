"""On the demo data, in a real browser: the overview's numbers equal a direct SQL count under
the same filter, and the maps of Latvia draw with no internet connection."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from tests.e2e.conftest import StreamlitServer, sign_in
from tracker.demo import DEMO_PASSWORD
from tracker.refdata import INDICATORS

SUPPORTED_NAME = next(i.name_lv for i in INDICATORS if i.code == "ORGS_SUPPORTED")

SUPPORTED = """
SELECT COUNT(DISTINCT p.organization_id) FROM participations p
JOIN activities a ON a.id = p.activity_id
JOIN incubators i ON i.id = a.incubator_id
JOIN regions r ON r.id = i.region_id
WHERE a.deleted_at IS NULL AND r.code = :region {approved}
"""


def _supported(url: str, region: str, approved_only: bool) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        # Funders count approved work; managers submitted work too, drafts and returned
        # activities count for nobody.
        value = conn.execute(text(SUPPORTED.format(
            approved="AND a.status = 'approved'" if approved_only
            else "AND a.status IN ('approved', 'submitted')")),
            {"region": region}).scalar_one()
    engine.dispose()
    return int(value)


def _fmt(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")  # Latvian thousands separator


def test_overview_numbers_equal_sql_and_the_map_draws(demo_server: StreamlitServer,
                                                      demo_database: str, page: Any) -> None:
    for email, approved_only in (("manager@demo.lv", False), ("funder@demo.lv", True)):
        sign_in(page, demo_server, email, password=DEMO_PASSWORD)
        page.goto(f"{demo_server.url}/overview?region=LATGALE")
        expected = _supported(demo_database, "LATGALE", approved_only)
        assert expected > 0
        # The indicator's own row, its whole-programme bar: its whole text, so that 45 is
        # not found inside 145 nor in another indicator's row.
        row = page.locator("[data-testid='stHorizontalBlock']").filter(
            has=page.get_by_text(SUPPORTED_NAME, exact=True))
        whole = row.locator("[data-testid='stProgress']").first
        expect(whole).to_have_text(f"{_fmt(expected)} (mērķis nav noteikts)")
        # The map: plotly draws its WebGL map canvas from the shipped boundaries.
        page.locator(".js-plotly-plot .maplibregl-canvas").first.wait_for(timeout=60_000)
        page.context.clear_cookies()


def test_regions_map_draws_for_a_funder(demo_server: StreamlitServer, page: Any) -> None:
    """The regions page draws its map of Latvia offline (in this file, so that one demo
    server serves both tests)."""
    sign_in(page, demo_server, "funder@demo.lv", password=DEMO_PASSWORD)
    page.goto(f"{demo_server.url}/regions?map=region")
    # plotly draws the map on a WebGL canvas from the shipped boundaries (no tiles).
    canvas = page.locator(".js-plotly-plot .maplibregl-canvas").first
    canvas.wait_for(timeout=60_000)
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 300
    page.get_by_text("Atbalstītās organizācijas pa plānošanas reģioniem").first.wait_for()
    page.get_by_text("CC BY 4.0", exact=False).first.wait_for()
