"""Maps of Latvia and the incubator comparison for the regions page (pure plotly builders).

The maps are `Choroplethmap` traces on the "white-bg" style with the boundaries shipped in
tracker/reference: nothing is fetched from the internet, in the browser or in a PNG export.
(`px.choropleth`, the "geo" kind, and every other map style download tiles or a world outline.)
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from tracker.analytics.regions import AreaTotals, IncubatorRow
from tracker.charts.locale import localise
from tracker.i18n import format_number, t

REFERENCE = Path(__file__).resolve().parent.parent / "reference"
MAP_METRICS = ("organizations_supported", "activities", "attendees")
METRIC_KEYS = {"organizations_supported": "regions.metric.organizations_supported",
               "activities": "regions.metric.activities",
               "attendees": "regions.metric.attendees"}
MAP_STYLE = "white-bg"  # the only style that needs no tiles from the internet
CENTER = {"lat": 56.88, "lon": 24.6}
ZOOM = 5.6
# Light grey-blue for zero, so places with no data are drawn, not left blank.
COLORSCALE = [[0.0, "#eef3f8"], [0.25, "#b9d3ea"], [0.5, "#6fa8d6"], [0.75, "#2f78b7"],
              [1.0, "#0b3d79"]]


@cache
def boundaries(kind: str) -> dict[str, Any]:
    """The parsed GeoJSON, read once: kind "municipalities" (43 features) or "regions" (5)."""
    with (REFERENCE / f"lv_{kind}.geojson").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _metric(metric: str) -> str:
    if metric not in METRIC_KEYS:
        raise ValueError(f"unknown map metric {metric!r}; one of {MAP_METRICS}")
    return metric


def _map(locations: list[str], values: list[int], hover: list[str], geojson: dict[str, Any],
         featureidkey: str, title: str, metric_label: str) -> go.Figure:
    top = max(values, default=0)
    figure = go.Figure(go.Choroplethmap(
        geojson=geojson, featureidkey=featureidkey, locations=locations, z=values,
        zmin=0, zmax=max(top, 1), colorscale=COLORSCALE, text=hover,
        hovertemplate="%{text}<extra></extra>", marker={"line": {"color": "white",
                                                                 "width": 0.8}},
        colorbar={"title": {"text": metric_label}, "thickness": 14}))
    figure.update_layout(title=title, map={"style": MAP_STYLE, "center": CENTER, "zoom": ZOOM},
                         margin={"t": 50, "l": 0, "r": 0, "b": 0}, height=520)
    return figure


def municipality_map(rows: list[AreaTotals], metric: str, lang: str) -> go.Figure:
    """Every one of the 43 shapes coloured by `metric` (0 where there is no row).

    A shape whose municipality has ended (`merged_into` in the GeoJSON, Varakļānu novads ->
    LV-059) and has no row of its own takes its successor's value, as today's Madonas novads
    covers it.
    """
    label = t(METRIC_KEYS[_metric(metric)], lang)
    by_iso = {r.code: r for r in rows if r.code}
    geojson = boundaries("municipalities")
    locations, values, hover = [], [], []
    for feature in geojson["features"]:
        props = feature["properties"]
        iso, name = str(props["iso"]), str(props["name"])
        row = by_iso.get(iso)
        successor = props.get("merged_into")
        if row is None and successor in by_iso:
            row = by_iso[successor]
            name = t("regions.merged_hover", lang, name=name, successor=row.name(lang))
        value = int(getattr(row, metric)) if row else 0
        locations.append(iso)
        values.append(value)
        hover.append(f"<b>{name}</b><br>{label}: {format_number(value, lang)}")
    return localise(_map(locations, values, hover, geojson, "properties.iso",
                t("regions.map_by_municipality", lang, metric=label), label), lang)


def supported_map(values: dict[str, int], lang: str) -> go.Figure:
    """Organisations supported per municipality (ISO code -> count), every shape drawn; an
    ended municipality's shape takes its successor's value, as in `municipality_map`."""
    label = t(METRIC_KEYS["organizations_supported"], lang)
    geojson = boundaries("municipalities")
    names = {str(f["properties"]["iso"]): str(f["properties"]["name"])
             for f in geojson["features"]}
    locations, numbers, hover = [], [], []
    for feature in geojson["features"]:
        props = feature["properties"]
        iso, name = str(props["iso"]), str(props["name"])
        successor = props.get("merged_into")
        value = values.get(iso)
        if value is None and successor in values:
            value = values[successor]
            name = t("regions.merged_hover", lang, name=name, successor=names[successor])
        locations.append(iso)
        numbers.append(value or 0)
        hover.append(f"<b>{name}</b><br>{label}: {format_number(value or 0, lang)}")
    return localise(_map(locations, numbers, hover, geojson, "properties.iso",
                t("regions.map_by_municipality", lang, metric=label), label), lang)


def region_map(rows: list[AreaTotals], metric: str, lang: str) -> go.Figure:
    """The 5 planning regions coloured by `metric` (0 where there is no row)."""
    label = t(METRIC_KEYS[_metric(metric)], lang)
    by_code = {r.code: r for r in rows if r.code}
    geojson = boundaries("regions")
    locations, values, hover = [], [], []
    for feature in geojson["features"]:
        code = str(feature["properties"]["code"])
        row = by_code.get(code)
        name = row.name(lang) if row else str(feature["properties"]["name"])
        value = int(getattr(row, metric)) if row else 0
        locations.append(code)
        values.append(value)
        hover.append(f"<b>{name}</b><br>{label}: {format_number(value, lang)}")
    return localise(_map(locations, values, hover, geojson, "properties.code",
                t("regions.map_by_region", lang, metric=label), label), lang)


COMPARISON = (("activities", "regions.metric.activities"),
              ("organizations_supported", "regions.metric.organizations_supported"),
              ("attendees", "regions.metric.attendees"),
              ("hours_per_organization", "regions.hours_per_org_short"))


def incubator_comparison(rows: list[IncubatorRow], lang: str) -> go.Figure:
    """One small panel per measure (each on its own scale), a bar per incubator."""
    names = [r.name(lang) for r in rows]
    figure = make_subplots(rows=1, cols=len(COMPARISON), shared_yaxes=True,
                           horizontal_spacing=0.04,
                           subplot_titles=[t(key, lang) for _, key in COMPARISON])
    for col, (field, key) in enumerate(COMPARISON, start=1):
        values = [float(getattr(r, field) or 0) for r in rows]
        digits = 1 if field == "hours_per_organization" else 0
        figure.add_trace(go.Bar(
            x=values, y=names, orientation="h", name=t(key, lang), showlegend=False,
            text=[format_number(v, lang, digits) for v in values], textposition="auto",
            hovertemplate="%{y}: %{text}<extra></extra>"), row=1, col=col)
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(showticklabels=False)
    figure.update_layout(title=t("regions.incubators_compared", lang),
                         margin={"t": 90, "l": 10, "r": 10},
                         height=max(260, 90 + 55 * len(rows)))
    return localise(figure, lang)
