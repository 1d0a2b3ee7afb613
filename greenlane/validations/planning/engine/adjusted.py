"""Figures of a plan after changes by hand: trips' travel charged again, and the summary recomputed from the
entries as they stand. Pure: entries in, hours and figures out."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .types import MONTHS, Entry, Parameters, Specialist


@dataclass(frozen=True)
class Placed:
    """An entry as the recomputation needs it: where it is, the hours of the validation itself (no travel),
    and the countries of its foreign sites."""

    entry_id: int
    specialist_id: int
    month: int
    base_hours: int
    countries: tuple[str, ...]


def countries_of(trip_key: str) -> tuple[str, ...]:
    """The countries in a stored trip key list ("<specialist>-<MM>-<country>,...")."""
    return tuple(sorted({k.rsplit("-", 1)[1] for k in trip_key.split(",") if k.count("-") >= 2}))


def retrip(placed: Iterable[Placed], overhead: int) -> dict[int, tuple[int, tuple[str, ...]]]:
    """Hours and trip keys of each entry: a trip (one specialist, one month, one country) costs its travel
    once, charged to the trip's first entry (lowest id); every entry names the trips it belongs to."""
    paid: set[tuple[int, int, str]] = set()
    out: dict[int, tuple[int, tuple[str, ...]]] = {}
    for p in sorted(placed, key=lambda p: p.entry_id):
        hours = p.base_hours
        for country in p.countries:
            trip = (p.specialist_id, p.month, country)
            if trip not in paid:
                paid.add(trip)
                hours += overhead
        keys = tuple(f"{p.specialist_id}-{p.month:02d}-{c}" for c in sorted(p.countries))
        out[p.entry_id] = (hours, keys)
    return out


def move_cost(base_hours: int, countries: Sequence[str], trips_there: Iterable[str], overhead: int) -> int:
    """Hours an entry takes where it is moved: its own hours plus travel for countries not already visited."""
    return base_hours + overhead * len(set(countries) - set(trips_there))


def refigure(
    previous: Mapping[str, Any],
    entries: Sequence[Entry],
    *,
    scores: Mapping[int, float],
    dues: Mapping[int, dt.date | None],
    specialists: Sequence[Specialist],
    params: Parameters,
    adjustments: int,
) -> dict[str, Any]:
    """The figures of `previous` (one method's summary) recomputed from the entries as they stand.

    What a move cannot change is kept: the candidates, the total risk, the deadlines due and those at risk
    (partners not placed), the samples, the seconds. Risk covered, deadlines met and late, hours booked
    against capacity, specialist-months over capacity, trips and the load table are recomputed."""
    out = dict(previous)
    risk_covered = sum(scores.get(e.partner_id, 0.0) for e in entries)
    old_deadlines = dict(previous.get("deadlines") or {})
    met = late = 0
    for e in entries:
        last = params.deadline_month(dues.get(e.partner_id))
        if last is None:
            continue
        if e.month <= last:
            met += 1
        else:
            late += 1
    at_risk = int(old_deadlines.get("at_risk", 0))
    load: dict[int, list[int]] = defaultdict(lambda: [0] * 12)
    for e in entries:
        load[e.specialist_id][e.month - 1] += e.hours
    hours = {s.id: s for s in specialists}
    offices = {s.id: s.office for s in specialists}
    over = [
        {"specialist": sid, "month": m}
        for sid in sorted(load)
        for m in MONTHS
        if load[sid][m - 1] > (hours[sid].available(m) if sid in hours else 0)
    ]
    trips: dict[str, list[int]] = defaultdict(list)
    for e in entries:
        for key in e.trip_keys:
            trips[key].append(e.partner_id)
    capacity = sum(sum(s.hours) for s in specialists)
    booked = sum(e.hours for e in entries)
    risk_total = float(previous.get("risk_total") or 0.0)
    out.update(
        {
            "planned": len(entries),
            "risk_covered": round(risk_covered, 2),
            "risk_share": round(risk_covered / risk_total, 4) if risk_total else 0.0,
            "deadlines": {**old_deadlines, "due": met + late + at_risk, "met": met, "late": late},
            "trips": {
                "count": len(trips),
                "validations_abroad": sum(len(v) for v in trips.values()),
                "mean_validations_per_trip": round(sum(len(v) for v in trips.values()) / len(trips), 2)
                if trips
                else 0.0,
            },
            "hours": {
                "capacity": capacity,
                "booked": booked,
                "utilisation": round(booked / capacity, 4) if capacity else 0.0,
            },
            "over_capacity": over,
            "adjustments": adjustments,
            "load": [
                {
                    "specialist": sid,
                    "office": offices.get(sid, ""),
                    "booked": load[sid],
                    "available": list(hours[sid].hours) if sid in hours else [0] * 12,
                }
                for sid in sorted(set(load) | set(hours))
            ],
            "trip_list": [
                {
                    "key": key,
                    "specialist": int(key.split("-")[0]),
                    "month": int(key.split("-")[1]),
                    "country": key.split("-")[2],
                    "partners": sorted(pids),
                }
                for key, pids in sorted(trips.items())
            ],
        }
    )
    return out
