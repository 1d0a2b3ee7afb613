"""The capacity book both planners fill: hours booked per specialist and month, trips, cross-office hours.

`place` is the one primitive that books a validation; it never exceeds a specialist's hours, counts a trip's
travel once per (specialist, month, country), and keeps other offices' work within the allowed share.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence

from .types import MONTHS, Candidate, Entry, Parameters, Specialist


class Book:
    def __init__(self, specialists: Sequence[Specialist], params: Parameters) -> None:
        self.params = params
        self.specialists = {s.id: s for s in specialists}
        grouped: dict[str, list[Specialist]] = defaultdict(list)
        for s in specialists:
            grouped[s.office].append(s)
        self.by_office: dict[str, list[Specialist]] = dict(grouped)
        self.offices = sorted(self.by_office)
        self.load: dict[tuple[int, int], int] = defaultdict(int)
        self.cross: dict[tuple[int, int], int] = defaultdict(int)
        self.trips: dict[tuple[int, int], set[str]] = defaultdict(set)
        self.entries: dict[int, Entry] = {}
        # The most hours any one specialist of an office still has in a month: lets a scan skip a month.
        self.room: dict[tuple[str, int], int] = {
            (office, m): max(s.available(m) for s in members)
            for office, members in self.by_office.items()
            for m in MONTHS
        }

    def remaining(self, sid: int, month: int) -> int:
        return self.specialists[sid].available(month) - self.load[(sid, month)]

    def cost(self, c: Candidate, sid: int, month: int) -> int:
        new_trips = len(set(c.countries) - self.trips[(sid, month)])
        return c.hours + self.params.trip_overhead * new_trips

    def fits(self, c: Candidate, sid: int, month: int) -> int | None:
        """The hours booking `c` would take on (sid, month), or None when it does not fit."""
        spec = self.specialists[sid]
        left = self.remaining(sid, month)
        if c.hours > left:
            return None
        need = self.cost(c, sid, month)
        if need > left:
            return None
        if c.office in self.by_office and spec.office != c.office:
            allowed = int(spec.available(month) * self.params.cross_office_share)
            if self.cross[(sid, month)] + need > allowed:
                return None
        return need

    def place(self, c: Candidate, sid: int, month: int, why: str) -> bool:
        need = self.fits(c, sid, month)
        if need is None or c.partner_id in self.entries:
            return False
        self.load[(sid, month)] += need
        spec = self.specialists[sid]
        if c.office in self.by_office and spec.office != c.office:
            self.cross[(sid, month)] += need
        self.trips[(sid, month)].update(c.countries)
        office = spec.office
        self.room[(office, month)] = max(self.remaining(s.id, month) for s in self.by_office[office])
        keys = tuple(f"{sid}-{month:02d}-{country}" for country in sorted(c.countries))
        self.entries[c.partner_id] = Entry(c.partner_id, sid, month, need, keys, why)
        return True

    def offices_for(self, c: Candidate) -> list[str]:
        """Own office first; others only with a cross-office share (or when the partner's office has no specialist)."""
        own = [c.office] if c.office in self.by_office else []
        if not own or self.params.cross_office_share > 0:
            return own + [o for o in self.offices if o != c.office]
        return own

    def place_earliest(self, c: Candidate, why: str, months: Iterable[int] = MONTHS) -> bool:
        """Earliest month with room; within it the specialist already travelling there, else the least loaded."""
        offices = self.offices_for(c)
        for month in months:
            for office in offices:
                if self.room[(office, month)] < c.hours:
                    continue
                best: tuple[int, int, int] | None = None
                for spec in self.by_office[office]:
                    need = self.fits(c, spec.id, month)
                    if need is None:
                        continue
                    key = (need, -self.remaining(spec.id, month), spec.id)
                    if best is None or key < best:
                        best = key
                if best is not None:
                    return self.place(c, best[2], month, why)
        return False

    def full_for(self, hours: int) -> bool:
        """No specialist anywhere has `hours` left in any month."""
        return all(room < hours for room in self.room.values())


def forced_samples(candidates: Sequence[Candidate], params: Parameters) -> dict[int, str]:
    """Partners that must be in the plan besides the legally due: the sector minimum and random oversight.

    Seeded, so the same inputs give the same sample. Partners due by law already count towards their sector.
    """
    rng = random.Random(params.seed)
    forced: dict[int, str] = {}
    by_sector: dict[str, list[Candidate]] = defaultdict(list)
    for c in sorted(candidates, key=lambda c: c.partner_id):
        by_sector[c.sector_key].append(c)
    if params.sector_minimum:
        for sector in sorted(by_sector):
            members = by_sector[sector]
            due = sum(1 for c in members if params.deadline_month(c.due) is not None)
            short = params.sector_minimum - due
            if short > 0:
                pool = [c for c in members if params.deadline_month(c.due) is None]
                for c in rng.sample(pool, min(short, len(pool))):
                    forced[c.partner_id] = "sample"
    if params.oversight_sample:
        pool = [
            c
            for c in sorted(candidates, key=lambda c: c.partner_id)
            if c.partner_id not in forced and params.deadline_month(c.due) is None
        ]
        for c in rng.sample(pool, min(params.oversight_sample, len(pool))):
            forced[c.partner_id] = "oversight"
    return forced


def why_of(c: Candidate, params: Parameters, forced: dict[int, str]) -> str:
    if params.deadline_month(c.due) is not None:
        return "deadline"
    return forced.get(c.partner_id, "risk")
