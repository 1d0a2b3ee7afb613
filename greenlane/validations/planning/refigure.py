"""After a change by hand: charge the affected trips' travel again and recompute the accepted plan's figures
from its entries as they stand (engine.adjusted does the arithmetic). Called inside entry_adjust's
transaction, with the plan row locked."""

from __future__ import annotations

import copy
from typing import Any

from . import engine
from .inputs import specialists
from .models import PlanAdjustment, PlanEntry, ValidationPlan


def base_hours(entry: PlanEntry) -> int:
    """The validation's own hours (no travel), as the plan computed them: by entity type and foreign countries."""
    return engine.hours_needed(entry.partner.entity_type, len(engine.countries_of(entry.trip_key)))


def placed(entry: PlanEntry) -> engine.Placed:
    return engine.Placed(
        entry_id=entry.pk,
        specialist_id=entry.specialist_id,
        month=entry.month,
        base_hours=base_hours(entry),
        countries=engine.countries_of(entry.trip_key),
    )


def trip_countries(plan: ValidationPlan, specialist_id: int, month: int, *, exclude: int) -> set[str]:
    """Countries the specialist already visits that month in the plan (other entries' trips)."""
    keys = (
        PlanEntry.objects.filter(plan=plan, method=plan.method, specialist_id=specialist_id, month=month)
        .exclude(pk=exclude)
        .exclude(trip_key="")
        .values_list("trip_key", flat=True)
    )
    return {c for key in keys for c in engine.countries_of(key)}


def refigure(plan: ValidationPlan, groups: set[tuple[int, int]]) -> dict[str, Any]:
    """Re-charge travel in the (specialist, month) groups a move touched, then store the accepted method's
    figures recomputed from all its entries. The figures as computed are kept once under `as_computed`."""
    params = engine.Parameters(year=plan.year)
    entries = list(
        PlanEntry.objects.filter(plan=plan, method=plan.method)
        .select_related("partner")
        .only(
            "id",
            "partner_id",
            "partner__entity_type",
            "specialist_id",
            "month",
            "hours",
            "trip_key",
            "score",
            "due_on",
        )
    )
    affected = [placed(e) for e in entries if (e.specialist_id, e.month) in groups]
    recharged = engine.retrip(affected, params.trip_overhead)
    changed = []
    for e in entries:
        if e.pk not in recharged:
            continue
        hours, keys = recharged[e.pk]
        key = ",".join(keys)[:120]
        if (hours, key) != (e.hours, e.trip_key):
            e.hours, e.trip_key = hours, key
            changed.append(e)
    PlanEntry.objects.bulk_update(changed, ["hours", "trip_key"])
    summary = copy.deepcopy(plan.summary or {})
    previous = summary.get(plan.method) or {}
    summary.setdefault("as_computed", {}).setdefault(plan.method, copy.deepcopy(previous))
    summary[plan.method] = engine.refigure(
        previous,
        [
            engine.Entry(
                e.partner_id,
                e.specialist_id,
                e.month,
                e.hours,
                tuple(k for k in e.trip_key.split(",") if k),
            )
            for e in entries
        ],
        scores={e.partner_id: e.score for e in entries},
        dues={e.partner_id: e.due_on for e in entries},
        specialists=specialists(plan.year),
        params=params,
        adjustments=PlanAdjustment.objects.filter(plan=plan).count(),
    )
    plan.summary = summary
    plan.save(update_fields=["summary"])
    return summary[plan.method]
