"""The optimised plan: CP-SAT per field office on pooled monthly hours, then packing onto specialists.

Why pooled: 20,000 partners x 150 specialists x 12 months is 36 million choices; deciding the month per
validation against the office's pooled hours (with one trip's travel counted per office, month and country)
keeps the model to a few thousand variables per office, and a second step packs each office-month onto its
specialists (trips kept together, best fit), so no specialist is ever booked beyond their hours. Whatever
does not pack, and whatever capacity is left, is filled in the greedy way. The greedy plan is the solver's
hint, so the pooled solution is never worse than greedy's on the same objective.

Objective, lexicographic through weights: legal deadlines met (and the forced samples included) first, then
risk covered, then higher risk earlier and fewer trips.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence

from ortools.sat.python import cp_model

from .book import Book, forced_samples, why_of
from .greedy import deadline_first_book
from .types import MONTHS, Candidate, Parameters, Plan, Specialist

PRUNE_FACTOR = 1.3  # optional partners kept in a model: up to this multiple of the hours left for them


def optimise_plan(
    candidates: Sequence[Candidate],
    specialists: Sequence[Specialist],
    params: Parameters,
    *,
    hint: Book | None = None,
) -> Plan:
    started = time.perf_counter()
    forced = forced_samples(candidates, params)
    # Two starts: the greedy plan and a deadline-first one; each office's model starts from the better.
    starts = [deadline_first_book(candidates, specialists, params)]
    if hint is not None:
        starts.append(hint)
    offices = sorted({s.office for s in specialists})
    home = {c.partner_id: (c.office if c.office in offices else _largest(specialists)) for c in candidates}
    per_office: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        per_office[home[c.partner_id]].append(c)
    pools = {(o, m): 0 for o in offices for m in MONTHS}
    for s in specialists:
        for m in MONTHS:
            pools[(s.office, m)] += s.available(m)

    chosen: dict[int, int] = {}  # partner -> month
    statuses = []
    notes = []
    total = max(1, sum(len(v) for v in per_office.values()))
    for office in offices:
        items = _prune(per_office.get(office, []), params, forced, sum(pools[(office, m)] for m in MONTHS))
        if not items:
            continue
        budget = max(1.0, params.time_limit * 0.9 * len(per_office[office]) / total)
        start = max(starts, key=lambda b: _objective(b, items, office, params, forced))
        months, status = _solve_office(items, office, pools, params, forced, start, budget)
        chosen.update(months)
        statuses.append(status)
    solve_seconds = time.perf_counter() - started

    book = Book(specialists, params)
    by_cell: dict[tuple[str, int], list[Candidate]] = defaultdict(list)
    lookup = {c.partner_id: c for c in candidates}
    for pid, month in chosen.items():
        by_cell[(home[pid], month)].append(lookup[pid])
    leftovers: list[Candidate] = []
    for (office, month), items in sorted(by_cell.items()):
        leftovers += _pack(book, items, office, month, params, forced)
    if leftovers:
        notes.append(
            f"{len(leftovers)} validation(s) did not pack onto one specialist in their month and were re-placed"
        )
    # Re-place what did not pack: deadlines by due month, then samples, then risk.
    leftovers.sort(key=lambda c: (params.deadline_month(c.due) or 99, c.partner_id not in forced, -c.score))
    for c in leftovers:
        due = params.deadline_month(c.due)
        order = list(range(1, (due or 12) + 1)) + list(range((due or 12) + 1, 13))
        book.place_earliest(c, why_of(c, params, forced), order)
    # Fill what capacity remains with the highest scores left.
    smallest = min((c.hours for c in candidates), default=0)
    for c in sorted(candidates, key=lambda c: (c.partner_id not in forced, -c.score, c.partner_id)):
        if c.partner_id in book.entries:
            continue
        if book.full_for(smallest):
            break
        book.place_earliest(c, why_of(c, params, forced))
    status = "optimal" if statuses and all(s == "OPTIMAL" for s in statuses) else "feasible"
    if not statuses:
        status = "empty"
    notes.append(
        f"solver {solve_seconds:.1f} s over {len(statuses)} field office(s); status {', '.join(sorted(set(statuses))) or 'none'}"
    )
    placed = book.entries
    return Plan(
        method="optimised",
        entries=sorted(placed.values(), key=lambda e: (e.month, e.specialist_id, e.partner_id)),
        unplanned=[c.partner_id for c in candidates if c.partner_id not in placed],
        seconds=time.perf_counter() - started,
        status=status,
        notes=notes,
    )


def _largest(specialists: Sequence[Specialist]) -> str:
    hours: dict[str, int] = defaultdict(int)
    for s in specialists:
        hours[s.office] += sum(s.hours)
    return max(sorted(hours), key=lambda o: hours[o]) if hours else ""


def _prune(items: list[Candidate], params: Parameters, forced: dict[int, str], hours: int) -> list[Candidate]:
    """Every partner due or forced, plus the highest-scored others up to PRUNE_FACTOR x the hours left."""
    must = [c for c in items if params.deadline_month(c.due) is not None or c.partner_id in forced]
    must_ids = {c.partner_id for c in must}
    rest = sorted((c for c in items if c.partner_id not in must_ids), key=lambda c: (-c.score, c.partner_id))
    room = max(0.0, PRUNE_FACTOR * hours - sum(c.hours for c in must))
    kept = []
    for c in rest:
        if room <= 0:
            break
        kept.append(c)
        room -= c.hours
    return must + kept


def _solve_office(
    items: list[Candidate],
    office: str,
    pools: dict[tuple[str, int], int],
    params: Parameters,
    forced: dict[int, str],
    hint: Book,
    seconds: float,
) -> tuple[dict[int, int], str]:
    model = cp_model.CpModel()
    x = {(c.partner_id, m): model.new_bool_var(f"x{c.partner_id}_{m}") for c in items for m in MONTHS}
    countries = sorted({country for c in items for country in c.countries})
    y = {(k, m): model.new_bool_var(f"y{k}_{m}") for k in countries for m in MONTHS}
    terms = []
    for c in items:
        model.add_at_most_one(x[(c.partner_id, m)] for m in MONTHS)
        for m in MONTHS:
            var = x[(c.partner_id, m)]
            for k in c.countries:
                model.add_implication(var, y[(k, m)])
            terms.append(_weight(c, m, params, forced) * var)
    for m in MONTHS:
        model.add(
            sum(c.hours * x[(c.partner_id, m)] for c in items)
            + params.trip_overhead * sum(y[(k, m)] for k in countries)
            <= pools[(office, m)]
        )
    terms += [-params.trip_penalty * 100 * v for v in y.values()]
    model.maximize(sum(terms))
    for c in items:
        entry = hint.entries.get(c.partner_id)
        in_office = entry is not None and hint.specialists[entry.specialist_id].office == office
        for m in MONTHS:
            model.add_hint(x[(c.partner_id, m)], bool(in_office and entry is not None and entry.month == m))
    used = {(k, e.month) for e in hint.entries.values() for k in _countries_of(e.trip_keys)}
    for key, var in y.items():
        model.add_hint(var, key in used)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = max(1, params.workers)
    solver.parameters.random_seed = params.seed
    code = solver.solve(model)
    name = solver.status_name(code)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}, name
    months = {}
    for c in items:
        for m in MONTHS:
            if solver.boolean_value(x[(c.partner_id, m)]):
                months[c.partner_id] = m
    return months, name


def _weight(c: Candidate, month: int, params: Parameters, forced: dict[int, str]) -> int:
    risk = round(100 * c.score)
    weight = risk - round(params.month_penalty * risk * month)
    due = params.deadline_month(c.due)
    if c.partner_id in forced:
        weight += 2 * params.deadline_weight  # the samples are forced in: above any deadline
    elif due is not None and month <= due:
        weight += params.deadline_weight
    return weight


def _objective(
    book: Book, items: list[Candidate], office: str, params: Parameters, forced: dict[int, str]
) -> int:
    """The office model's objective for a start's placements (trips not counted)."""
    total = 0
    for c in items:
        entry = book.entries.get(c.partner_id)
        if entry is not None and book.specialists[entry.specialist_id].office == office:
            total += _weight(c, entry.month, params, forced)
    return total


def _countries_of(trip_keys: tuple[str, ...]) -> list[str]:
    return [key.rsplit("-", 1)[1] for key in trip_keys]


def _pack(
    book: Book, items: list[Candidate], office: str, month: int, params: Parameters, forced: dict[int, str]
) -> list[Candidate]:
    """Put one office-month's validations on its specialists: trips whole where they fit, then best fit."""
    left = []
    members = book.by_office.get(office, [])
    trips: dict[str, list[Candidate]] = defaultdict(list)
    domestic: list[Candidate] = []
    for c in items:
        (trips[sorted(c.countries)[0]] if c.countries else domestic).append(c)
    for _country, group in sorted(trips.items(), key=lambda kv: -sum(c.hours for c in kv[1])):
        for c in sorted(group, key=lambda c: (-c.hours, c.partner_id)):
            ranked = sorted(
                members,
                key=lambda s: (
                    -len(set(c.countries) & book.trips[(s.id, month)]),
                    -book.remaining(s.id, month),
                    s.id,
                ),
            )
            if not any(book.place(c, s.id, month, why_of(c, params, forced)) for s in ranked):
                left.append(c)
    for c in sorted(domestic, key=lambda c: (-c.hours, c.partner_id)):
        ranked = sorted(members, key=lambda s: (book.remaining(s.id, month), s.id))
        if not any(book.place(c, s.id, month, why_of(c, params, forced)) for s in ranked):
            left.append(c)
    return left
