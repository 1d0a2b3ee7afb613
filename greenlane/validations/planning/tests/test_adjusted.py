"""After a move by hand: trips' travel charged again, the plan's figures recomputed, the page says so."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from conftest import verified_client
from greenlane.validations.planning import engine, services
from greenlane.validations.planning.engine.adjusted import Placed, move_cost, refigure, retrip
from greenlane.validations.planning.models import PlanEntry, ValidationPlan

# --- the pure part ---------------------------------------------------------------------------------------------


def test_retrip_charges_each_trip_once_to_its_first_entry():
    out = retrip(
        [
            Placed(2, 7, 3, 40, ("MX",)),
            Placed(1, 7, 3, 56, ("CN", "MX")),
            Placed(3, 8, 3, 40, ("MX",)),
            Placed(4, 7, 3, 24, ()),
        ],
        12,
    )
    assert out[1] == (56 + 24, ("7-03-CN", "7-03-MX"))
    assert out[2] == (40, ("7-03-MX",))  # MX already paid by entry 1
    assert out[3] == (52, ("8-03-MX",))  # another specialist: its own trip
    assert out[4] == (24, ())
    assert move_cost(40, ("MX",), {"MX"}, 12) == 40 and move_cost(40, ("MX", "CN"), {"MX"}, 12) == 52


def test_refigure_recounts_deadlines_load_trips_and_keeps_what_a_move_cannot_change():
    params = engine.Parameters(year=2031)
    previous = {
        "risk_total": 100.0,
        "deadlines": {"due": 3, "met": 2, "late": 0, "at_risk": 1, "capacity_allows": 3},
        "samples": {"required": 0, "included": 0},
        "seconds": 1.5,
    }
    entries = [
        engine.Entry(1, 7, 12, 52, ("7-12-MX",)),  # due in June, now in December: late
        engine.Entry(2, 8, 2, 200, ()),  # beyond 8's 128 h in February
    ]
    specs = [engine.Specialist(7, "a", (128,) * 12), engine.Specialist(8, "a", (128,) * 12)]
    out = refigure(
        previous,
        entries,
        scores={1: 30.0, 2: 20.0},
        dues={1: dt.date(2031, 6, 30), 2: dt.date(2031, 3, 1)},
        specialists=specs,
        params=params,
        adjustments=2,
    )
    assert out["deadlines"] == {"due": 3, "met": 1, "late": 1, "at_risk": 1, "capacity_allows": 3}
    assert out["risk_covered"] == 50.0 and out["risk_share"] == 0.5 and out["planned"] == 2
    assert out["over_capacity"] == [{"specialist": 8, "month": 2}]
    assert out["trips"]["count"] == 1 and out["trip_list"][0]["country"] == "MX"
    assert out["hours"] == {"capacity": 2 * 12 * 128, "booked": 252, "utilisation": round(252 / 3072, 4)}
    assert out["adjustments"] == 2 and out["seconds"] == 1.5 and out["samples"]["required"] == 0


# --- through the service and the page ------------------------------------------------------------------------


def _accepted(plan, manager) -> list[PlanEntry]:
    services.plan_accept(actor=manager, plan_id=plan.pk, method="optimised")
    return list(PlanEntry.objects.filter(plan=plan).select_related("partner").order_by("id"))


def test_a_move_recharges_the_trips_and_recomputes_the_figures(computed, manager, scs, scs2):
    entries = _accepted(computed, manager)
    assert len(entries) >= 2
    a, b = entries[0], entries[1]
    # Two validations of one specialist and month share a trip to Mexico: its travel is counted once, on a.
    base_a = engine.hours_needed(a.partner.entity_type, 1)
    base_b = engine.hours_needed(b.partner.entity_type, 1)
    PlanEntry.objects.filter(pk=a.pk).update(
        specialist=scs,
        month=4,
        trip_key=f"{scs.pk}-04-MX",
        hours=base_a + 12,
        due_on=dt.date(computed.year, 5, 31),
    )
    PlanEntry.objects.filter(pk=b.pk).update(
        specialist=scs, month=4, trip_key=f"{scs.pk}-04-MX", hours=base_b
    )
    plan = ValidationPlan.objects.get(pk=computed.pk)
    computed_met = plan.summary["optimised"]["deadlines"]["met"]

    # a goes to scs2 in August (after its due month): it now pays its own trip, b pays the one a left.
    services.entry_adjust(actor=manager, entry_id=a.pk, specialist_id=scs2.pk, month=8, reason="Site closed")
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.hours, a.trip_key) == (base_a + 12, f"{scs2.pk}-08-MX")
    assert (b.hours, b.trip_key) == (base_b + 12, f"{scs.pk}-04-MX")
    plan.refresh_from_db()
    figures = plan.summary["optimised"]
    assert figures["adjustments"] == 1
    all_entries = PlanEntry.objects.filter(plan=plan)
    keys = {k for e in all_entries for k in e.trip_key.split(",") if k}
    assert figures["trips"]["count"] == len(keys)
    assert {t["key"] for t in figures["trip_list"]} == keys >= {f"{scs.pk}-04-MX", f"{scs2.pk}-08-MX"}
    trips_before = len(keys)
    assert figures["hours"]["booked"] == sum(e.hours for e in all_entries)
    assert figures["deadlines"]["late"] >= 1
    assert plan.summary["as_computed"]["optimised"]["deadlines"]["met"] == computed_met
    assert plan.summary["greedy"] == computed.summary["greedy"]  # the comparison column stays as computed

    # b joins a's trip: no new travel for b, so a trip disappears and b's travel is dropped.
    services.entry_adjust(actor=manager, entry_id=b.pk, specialist_id=scs2.pk, month=8, reason="Same trip")
    b.refresh_from_db()
    assert (b.hours, b.trip_key) == (base_b, f"{scs2.pk}-08-MX")
    plan.refresh_from_db()
    assert (
        plan.summary["optimised"]["trips"]["count"] == trips_before - 1
        and plan.summary["optimised"]["adjustments"] == 2
    )

    page = verified_client(manager).get(reverse("planning:plan", args=[plan.pk])).content.decode()
    assert "reflect 2 manual adjustments" in page and "As computed:" in page
    booked = plan.summary["optimised"]["hours"]["booked"]
    assert f"{booked:,} /" in page


def test_moving_into_an_existing_trip_costs_no_travel_in_the_capacity_check(computed, manager, scs, scs2):
    entries = _accepted(computed, manager)
    a, b = entries[0], entries[1]
    base_a = engine.hours_needed(a.partner.entity_type, 1)
    PlanEntry.objects.filter(pk=a.pk).update(
        specialist=scs, month=4, trip_key=f"{scs.pk}-04-MX", hours=base_a + 12
    )
    base_b = engine.hours_needed(b.partner.entity_type, 1)
    PlanEntry.objects.filter(pk=b.pk).update(
        specialist=scs2, month=9, trip_key=f"{scs2.pk}-09-MX", hours=base_b + 12
    )
    booked = sum(e.hours for e in PlanEntry.objects.filter(plan=computed, specialist=scs2, month=9))
    # Room for a's own hours but not for a second trip's travel: a joining scs2's Mexico trip fits.
    services.availability_set(
        actor=manager, specialist_id=scs2.pk, year=computed.year, month=9, hours=booked + base_a
    )
    services.entry_adjust(actor=manager, entry_id=a.pk, specialist_id=scs2.pk, month=9)
    assert a.adjustments.get().over_capacity is False
    # One trip, one travel charge (on the trip's first entry): the month holds exactly what was free.
    after = sum(e.hours for e in PlanEntry.objects.filter(plan=computed, specialist=scs2, month=9))
    assert after == booked + base_a
