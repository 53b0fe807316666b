"""On the demo data, in a real browser: the regions page draws its map of Latvia offline."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import StreamlitServer, sign_in
from tracker.demo import DEMO_PASSWORD


def test_regions_map_draws_for_a_funder(demo_server: StreamlitServer, page: Any) -> None:
    sign_in(page, demo_server, "funder@demo.lv", password=DEMO_PASSWORD)
    page.goto(f"{demo_server.url}/regions?map=region")
    # plotly draws the map on a WebGL canvas from the shipped boundaries (no tiles).
    canvas = page.locator(".js-plotly-plot .maplibregl-canvas").first
    canvas.wait_for(timeout=60_000)
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 300
    page.get_by_text("Atbalstītās organizācijas pa plānošanas reģioniem").first.wait_for()
    page.get_by_text("CC BY 4.0", exact=False).first.wait_for()
