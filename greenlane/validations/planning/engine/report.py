"""The figures of a plan: risk covered, deadlines met and at risk, samples, load by specialist and month, trips."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from .book import forced_samples
from .types import MONTHS, Candidate, Parameters, Plan, Specialist


def deadline_bound(
    candidates: Sequence[Candidate], specialists: Sequence[Specialist], params: Parameters
) -> int:
    """How many legal deadlines capacity allows at most (Moore-Hodgson on each office's cumulative hours).

    An upper bound: it treats an office's hours as one divisible pool and ignores trip travel. With a
    cross-office share, or for partners without a known office, the offices are pooled together.
    """
    offices = {s.office for s in specialists}
    merged = params.cross_office_share > 0
    pools: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    for s in specialists:
        for key in (s.office, "*"):
            for m in MONTHS:
                pools[key][m - 1] += s.available(m)
    groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for c in candidates:
        due = params.deadline_month(c.due)
        if due is None:
            continue
        key = c.office if (c.office in offices and not merged) else "*"
        groups[key].append((due, c.hours))
    met = 0
    for key, items in groups.items():
        cumulative = [sum(pools[key][:m]) for m in MONTHS]
        heap: list[int] = []
        total = 0
        for due, hours in sorted(items):
            heapq.heappush(heap, -hours)
            total += hours
            while total > cumulative[due - 1] and heap:
                total += heapq.heappop(heap)
        met += len(heap)
    return met


def summarise(
    plan: Plan,
    candidates: Sequence[Candidate],
    specialists: Sequence[Specialist],
    params: Parameters,
    *,
    bound: int | None = None,
    detail: bool = True,
) -> dict[str, Any]:
    by_id = {c.partner_id: c for c in candidates}
    placed = {e.partner_id: e for e in plan.entries}
    forced = forced_samples(candidates, params)
    risk_total = sum(c.score for c in candidates)
    risk_covered = sum(by_id[p].score for p in placed)
    due = [c for c in candidates if params.deadline_month(c.due) is not None]
    met = [
        c
        for c in due
        if c.partner_id in placed and placed[c.partner_id].month <= (params.deadline_month(c.due) or 0)
    ]
    met_ids = {c.partner_id for c in met}
    late = [c for c in due if c.partner_id in placed and c.partner_id not in met_ids]
    at_risk = [c for c in due if c.partner_id not in placed]
    load: dict[int, list[int]] = {s.id: [0] * 12 for s in specialists}
    for e in plan.entries:
        load[e.specialist_id][e.month - 1] += e.hours
    over = [
        {"specialist": s.id, "month": m}
        for s in specialists
        for m in MONTHS
        if load[s.id][m - 1] > s.available(m)
    ]
    trips: dict[str, list[int]] = defaultdict(list)
    for e in plan.entries:
        for key in e.trip_keys:
            trips[key].append(e.partner_id)
    capacity = sum(sum(s.hours) for s in specialists)
    biggest = max((h for s in specialists for h in s.hours), default=0)
    too_large = [
        c.partner_id for c in candidates if c.hours + params.trip_overhead * len(c.countries) > biggest
    ]
    booked = sum(e.hours for e in plan.entries)
    out: dict[str, Any] = {
        "method": plan.method,
        "status": plan.status,
        "seconds": round(plan.seconds, 3),
        "candidates": len(candidates),
        "planned": len(placed),
        "risk_total": round(risk_total, 2),
        "risk_covered": round(risk_covered, 2),
        "risk_share": round(risk_covered / risk_total, 4) if risk_total else 0.0,
        "deadlines": {
            "due": len(due),
            "met": len(met),
            "late": len(late),
            "at_risk": len(at_risk),
            "overdue_at_start": sum(1 for c in due if params.is_overdue(c.due)),
            "capacity_allows": bound,
            "at_risk_note": ("due within the year but not placed: capacity ran out" if at_risk else ""),
        },
        "too_large_for_a_month": len(too_large),
        "samples": {
            "required": len(forced),
            "included": sum(1 for p in forced if p in placed),
            "by_kind": dict(Counter(forced.values())),
        },
        "sectors": dict(sorted(Counter(by_id[p].sector_key for p in placed).items())),
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
        "notes": plan.notes,
    }
    if detail:
        out["load"] = [
            {"specialist": s.id, "office": s.office, "booked": load[s.id], "available": list(s.hours)}
            for s in specialists
        ]
        out["trip_list"] = [
            {
                "key": key,
                "specialist": int(key.split("-")[0]),
                "month": int(key.split("-")[1]),
                "country": key.split("-")[2],
                "partners": sorted(pids),
            }
            for key, pids in sorted(trips.items())
        ]
        out["at_risk_partners"] = sorted(c.partner_id for c in at_risk)
    return out
