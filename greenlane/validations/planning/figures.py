"""Both plans' figures side by side, as rows for the command and the staff page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def side_by_side(summary: dict[str, Any]) -> list[tuple[str, str, str]]:
    o, g = summary.get("optimised") or {}, summary.get("greedy") or {}
    if not o or not g:
        return []

    def pair(fn) -> tuple[str, str]:
        return fn(o), fn(g)

    rows = [
        (_("Validations planned"), *pair(lambda s: f"{s['planned']:,}")),
        (_("Risk covered (sum of scores)"), *pair(lambda s: f"{s['risk_covered']:,.0f}")),
        (_("Share of all risk"), *pair(lambda s: f"{s['risk_share']:.1%}")),
        (_("Legal deadlines this year"), *pair(lambda s: f"{s['deadlines']['due']:,}")),
        (_("Deadlines met"), *pair(lambda s: f"{s['deadlines']['met']:,}")),
        (_("Planned after the due month"), *pair(lambda s: f"{s['deadlines']['late']:,}")),
        (_("At risk: due, not placed (capacity ran out)"), *pair(lambda s: f"{s['deadlines']['at_risk']:,}")),
        (
            _("Deadlines capacity allows (upper bound)"),
            *pair(lambda s: f"{s['deadlines']['capacity_allows'] or 0:,}"),
        ),
        (_("Samples included"), *pair(lambda s: f"{s['samples']['included']}/{s['samples']['required']}")),
        (_("Trips abroad"), *pair(lambda s: f"{s['trips']['count']:,}")),
        (_("Validations per trip"), *pair(lambda s: f"{s['trips']['mean_validations_per_trip']}")),
        (
            _("Hours booked / available"),
            *pair(lambda s: f"{s['hours']['booked']:,} / {s['hours']['capacity']:,}"),
        ),
        (_("Specialist-months over capacity"), *pair(lambda s: f"{len(s['over_capacity'])}")),
        (_("Seconds to compute"), *pair(lambda s: f"{s['seconds']:.1f}")),
    ]
    return rows
