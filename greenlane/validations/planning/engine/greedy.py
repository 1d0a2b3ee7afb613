"""The baseline: the forced samples first, then highest score first, each in the earliest month with room."""

from __future__ import annotations

import heapq
import time
from collections import defaultdict
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


def deadline_first_book(
    candidates: Sequence[Candidate], specialists: Sequence[Specialist], params: Parameters
) -> Book:
    """A deadline-aware start for the optimiser: samples, then the most deadlines an office's hours allow
    (Moore-Hodgson on cumulative hours, placed earliest-due first), then the rest by score."""
    forced = forced_samples(candidates, params)
    book = Book(specialists, params)
    for c in greedy_order([c for c in candidates if c.partner_id in forced], forced):
        book.place_earliest(c, why_of(c, params, forced))
    due = [c for c in candidates if c.partner_id not in forced and params.deadline_month(c.due) is not None]
    keep = _most_deadlines(due, book, params)
    for c in sorted(keep, key=lambda c: (params.deadline_month(c.due) or 12, -c.score, c.partner_id)):
        book.place_earliest(c, "deadline", range(1, (params.deadline_month(c.due) or 12) + 1))
    smallest = min((c.hours for c in candidates), default=0)
    for c in greedy_order(candidates, forced):
        if c.partner_id in book.entries:
            continue
        if book.full_for(smallest):
            break
        book.place_earliest(c, why_of(c, params, forced))
    return book


def _most_deadlines(due: list[Candidate], book: Book, params: Parameters) -> list[Candidate]:
    """Per office, the largest set of due partners whose hours fit the office's cumulative free hours."""
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c in due:
        groups[c.office if c.office in book.by_office else ""].append(c)
    kept: list[Candidate] = []
    for office, items in groups.items():
        members = book.by_office[office] if office else list(book.specialists.values())
        free = [sum(book.remaining(s.id, m) for s in members) for m in range(1, 13)]
        cumulative = [sum(free[:m]) for m in range(1, 13)]
        heap: list[tuple[int, float, int]] = []
        total = 0
        for c in sorted(items, key=lambda c: (params.deadline_month(c.due) or 12, -c.score, c.partner_id)):
            heapq.heappush(heap, (-c.hours, c.score, c.partner_id))
            total += c.hours
            while total > cumulative[(params.deadline_month(c.due) or 12) - 1] and heap:
                hours, _score, _pid = heapq.heappop(heap)
                total += hours
        ids = {pid for _h, _s, pid in heap}
        kept += [c for c in items if c.partner_id in ids]
    return kept
