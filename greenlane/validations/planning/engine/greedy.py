"""The baseline: the forced samples first, then highest score first, each in the earliest month with room."""

from __future__ import annotations

import time
from collections.abc import Sequence

from .book import Book, forced_samples, why_of
from .types import Candidate, Parameters, Plan, Specialist


def greedy_order(candidates: Sequence[Candidate], forced: dict[int, str]) -> list[Candidate]:
    return sorted(candidates, key=lambda c: (c.partner_id not in forced, -c.score, c.partner_id))


def greedy_book(
    candidates: Sequence[Candidate], specialists: Sequence[Specialist], params: Parameters
) -> tuple[Book, dict[int, str]]:
    forced = forced_samples(candidates, params)
    book = Book(specialists, params)
    smallest = min((c.hours for c in candidates), default=0)
    for c in greedy_order(candidates, forced):
        if not book.place_earliest(c, why_of(c, params, forced)) and book.full_for(smallest):
            break
    return book, forced


def greedy_plan(
    candidates: Sequence[Candidate], specialists: Sequence[Specialist], params: Parameters
) -> Plan:
    started = time.perf_counter()
    book, _forced = greedy_book(candidates, specialists, params)
    placed = book.entries
    return Plan(
        method="greedy",
        entries=sorted(placed.values(), key=lambda e: (e.month, e.specialist_id, e.partner_id)),
        unplanned=[c.partner_id for c in candidates if c.partner_id not in placed],
        seconds=time.perf_counter() - started,
        status="heuristic",
    )
