"""Vega-Lite specs generated on the server with Altair; the browser only renders them (vega-embed)."""

from __future__ import annotations

from typing import Any

import altair as alt

from .engine import Measure


def series_spec(m: Measure, points: list, title: str) -> dict[str, Any]:
    rows = [
        {"period": p.period, "value": round(p.value, 4) if p.value is not None else None}
        for p in points
        if p.value is not None
    ]
    y_title = {"percent": "%", "ratio": "ratio", "hours": "hours", "minutes": "minutes", "count": "count"}[
        m.unit
    ]
    chart = (
        alt.Chart(alt.Data(values=rows), title=title, width=520, height=260)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:O", title="Period", sort=None),
            y=alt.Y("value:Q", title=y_title),
            tooltip=[
                alt.Tooltip("period:O", title="Period"),
                alt.Tooltip("value:Q", title=y_title, format=".3~f"),
            ],
        )
    )
    spec = chart.to_dict(validate=False)  # the spec is built here, not typed by a user: skip the slow check
    spec["description"] = f"{m.name}: {len(rows)} periods with a value"
    return spec
