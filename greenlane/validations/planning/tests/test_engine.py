"""The pure planning engine: score with reasons, capacity, deadlines first, trips, optimised >= greedy."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenlane.validations.planning.engine import (
    DEFAULT_WEIGHTS,
    Candidate,
    Features,
    Parameters,
    Specialist,
    deadline_bound,
    greedy_plan,
    optimise_plan,
    score,
    summarise,
    validate_weights,
)
from greenlane.validations.planning.engine.synthetic import population

YEAR = 2027


def params(**kw) -> Parameters:
    return Parameters(year=YEAR, time_limit=kw.pop("time_limit", 3), **kw)


def cand(pid, *, office="a", hours=40, score_=50.0, due=None, countries=(), sector="importer") -> Candidate:
    return Candidate(pid, sector, office, tuple(countries), score_, hours, due, sector)


def loads(plan, specialists):
    booked = {(s.id, m): 0 for s in specialists for m in range(1, 13)}
    for e in plan.entries:
        booked[(e.specialist_id, e.month)] += e.hours
    return booked


# --- score ---------------------------------------------------------------------------------------------------


def test_score_lists_every_factor_and_adds_up():
    f = Features(
        threat_level=5, threat_country="PK", anomalies=2, fast=True, years_since_validation=4, days_to_due=-10
    )
    value, reasons = score(f, DEFAULT_WEIGHTS)
    assert {r["factor"] for r in reasons} == set(DEFAULT_WEIGHTS) - {"sector_emphasis"}
    assert value == pytest.approx(sum(r["points"] for r in reasons), abs=0.05)
    threat = next(r for r in reasons if r["factor"] == "regional_threat")
    assert threat["value"] == 1.0 and "PK" in threat["note"]


def test_absent_inputs_score_nothing_and_say_so():
    value, reasons = score(
        Features(import_value=None, import_volume=None, absent=("import_value",)), DEFAULT_WEIGHTS
    )
    value_row = next(r for r in reasons if r["factor"] == "import_value")
    assert value_row["points"] == 0 and value_row["absent"] is True and "absent" in value_row["note"]
    assert 0 <= value <= 100


def test_higher_threat_scores_higher():
    low, _ = score(Features(threat_level=1), DEFAULT_WEIGHTS)
    high, _ = score(Features(threat_level=5), DEFAULT_WEIGHTS)
    assert high > low


@pytest.mark.parametrize(
    "weights",
    [
        {"regional_threat": -1},
        {"anomalies": 101},
        {"nope": 3},
        {"fast": "x"},
        {"sector_emphasis": {"importer": 2}},
    ],
)
def test_bad_weights_are_named(weights):
    errors = validate_weights({**DEFAULT_WEIGHTS, **weights})
    assert errors and errors[0]["field"]


def test_all_zero_weights_refused():
    zero = {k: 0 for k in DEFAULT_WEIGHTS if k != "sector_emphasis"}
    assert validate_weights(zero)[0]["field"] == "weights"


# --- plans ---------------------------------------------------------------------------------------------------


def test_capacity_never_exceeded_on_random_instances():
    for seed in range(4):
        candidates, specialists = population(300, 3, year=YEAR, seed=seed, offices=2)
        p = params(oversight_sample=3, sector_minimum=1, seed=seed)
        for plan in (greedy_plan(candidates, specialists, p), optimise_plan(candidates, specialists, p)):
            booked = loads(plan, specialists)
            assert all(booked[(s.id, m)] <= s.available(m) for s in specialists for m in range(1, 13))
            assert summarise(plan, candidates, specialists, p)["over_capacity"] == []
            assert len({e.partner_id for e in plan.entries}) == len(plan.entries)


def test_optimised_covers_at_least_the_greedy_risk_and_deadlines():
    for seed in range(4):
        candidates, specialists = population(300, 3, year=YEAR, seed=seed, offices=2)
        p = params(oversight_sample=2, sector_minimum=1, seed=seed)
        g = summarise(greedy_plan(candidates, specialists, p), candidates, specialists, p)
        o = summarise(optimise_plan(candidates, specialists, p), candidates, specialists, p)
        assert o["deadlines"]["met"] >= g["deadlines"]["met"]
        assert o["risk_covered"] >= g["risk_covered"]


def test_deadlines_come_before_risk():
    # One specialist, room for one validation in January only; a due partner and a riskier one not due.
    staff = [Specialist(1, "a", (40,) + (0,) * 11)]
    due = cand(1, score_=10, due=dt.date(YEAR, 1, 31))
    risky = cand(2, score_=90)
    plan = optimise_plan([due, risky], staff, params())
    assert [e.partner_id for e in plan.entries] == [1]
    assert plan.entries[0].why == "deadline"


def test_at_risk_deadlines_are_reported_when_capacity_runs_out():
    staff = [Specialist(1, "a", (40,) + (0,) * 11)]
    cands = [cand(1, due=dt.date(YEAR, 1, 15)), cand(2, due=dt.date(YEAR, 1, 20))]
    p = params()
    report = summarise(optimise_plan(cands, staff, p), cands, staff, p, bound=deadline_bound(cands, staff, p))
    assert report["deadlines"]["met"] == 1 and report["deadlines"]["at_risk"] == 1
    assert "capacity ran out" in report["deadlines"]["at_risk_note"]
    assert report["deadlines"]["capacity_allows"] == 1


def test_higher_risk_goes_earlier():
    staff = [Specialist(1, "a", (40,) * 12)]
    cands = [cand(1, score_=20), cand(2, score_=80)]
    plan = optimise_plan(cands, staff, params())
    months = {e.partner_id: e.month for e in plan.entries}
    assert months[2] < months[1]


def test_foreign_sites_grouped_into_one_trip():
    staff = [Specialist(1, "a", (200,) * 12), Specialist(2, "a", (200,) * 12)]
    cands = [cand(i, hours=40, countries=("MX",), score_=50 + i) for i in range(1, 4)]
    p = params(trip_overhead=30)
    plan = optimise_plan(cands, staff, p)
    report = summarise(plan, cands, staff, p)
    assert report["planned"] == 3
    assert report["trips"]["count"] == 1  # one specialist, one month, one country: travel counted once
    assert sum(e.hours for e in plan.entries) == 3 * 40 + 30


def test_specialists_stay_in_their_office_unless_allowed():
    staff = [Specialist(1, "a", (40,) * 12)]
    other = cand(1, office="b")
    staff_b = [*staff, Specialist(2, "b", (0,) * 12)]
    assert optimise_plan([other], staff_b, params()).entries == []
    allowed = optimise_plan([other], staff_b, params(cross_office_share=1.0))
    assert [(e.partner_id, e.specialist_id) for e in allowed.entries] == [(1, 1)]


def test_samples_are_forced_in_and_seeded():
    rng = random.Random(3)
    cands = [
        cand(i, score_=rng.uniform(0, 10), sector="highway_carrier" if i < 5 else "importer")
        for i in range(1, 60)
    ]
    staff = [Specialist(1, "a", (120,) * 12)]
    p = params(oversight_sample=3, sector_minimum=2, seed=7)
    a = summarise(optimise_plan(cands, staff, p), cands, staff, p)
    b = summarise(greedy_plan(cands, staff, p), cands, staff, p)
    assert a["samples"]["required"] == 2 + 2 + 3
    assert a["samples"]["included"] == a["samples"]["required"] == b["samples"]["included"]
    assert a["sectors"]["highway_carrier"] >= 2


def test_overdue_partners_count_as_due_in_january():
    p = params()
    assert p.deadline_month(dt.date(YEAR - 1, 6, 1)) == 1
    assert p.is_overdue(dt.date(YEAR - 1, 6, 1))
    assert p.deadline_month(dt.date(YEAR + 1, 1, 1)) is None
    assert p.deadline_month(dt.date(YEAR, 7, 4)) == 7


@pytest.mark.parametrize(
    "bad", [{"year": 1}, {"cross_office_share": 2}, {"oversight_sample": -1}, {"time_limit": 0}]
)
def test_bad_parameters_refused(bad):
    with pytest.raises(ValueError):
        Parameters(**{"year": YEAR, **bad})


# --- properties ------------------------------------------------------------------------------------------------

candidate_st = st.builds(
    lambda pid, office, hours, score_, month, countries: cand(
        pid,
        office=office,
        hours=hours,
        score_=score_,
        due=dt.date(YEAR, month, 1) if month else None,
        countries=tuple(sorted(set(countries))),
    ),
    st.integers(1, 10_000),
    st.sampled_from(["a", "b", "c"]),
    st.sampled_from([16, 24, 32, 40, 56]),
    st.floats(0, 100),
    st.integers(0, 12),
    st.lists(st.sampled_from(["MX", "CN", "DE"]), max_size=2),
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(candidate_st, max_size=40, unique_by=lambda c: c.partner_id),
    st.lists(st.tuples(st.sampled_from(["a", "b"]), st.integers(0, 160)), min_size=1, max_size=4),
    st.floats(0, 1),
)
def test_greedy_never_overbooks_and_keeps_offices(cands, staff_spec, share):
    staff = [Specialist(i + 1, office, (hours,) * 12) for i, (office, hours) in enumerate(staff_spec)]
    p = params(cross_office_share=share)
    plan = greedy_plan(cands, staff, p)
    booked = loads(plan, staff)
    assert all(booked[(s.id, m)] <= s.available(m) for s in staff for m in range(1, 13))
    offices = {s.office for s in staff}
    by_id = {c.partner_id: c for c in cands}
    specs = {s.id: s for s in staff}
    for e in plan.entries:
        c = by_id[e.partner_id]
        if c.office in offices and share == 0:
            assert specs[e.specialist_id].office == c.office
