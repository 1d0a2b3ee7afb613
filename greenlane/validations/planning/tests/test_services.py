"""Planning services: weights, availability, compute, accept, adjust (with and without a reason), month start."""

from __future__ import annotations

import pytest

from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.validations.planning import engine, inputs, selectors, services
from greenlane.validations.planning.choices import PlanStatus
from greenlane.validations.planning.models import (
    PlanAdjustment,
    PlanEntry,
    SelectionWeights,
    SpecialistAvailability,
    ValidationPlan,
)


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- weights ---------------------------------------------------------------------------------------------------


def test_weights_update_makes_a_new_audited_version(manager):
    w = services.weights_update(actor=manager, data={"regional_threat": 40}, reason="Threat matters more")
    assert w.version == 1 and w.data["regional_threat"] == 40 and w.data["anomalies"] == 20
    w2 = services.weights_update(actor=manager, data={"fast": 0}, reason="FAST data unreliable")
    assert w2.version == 2 and selectors.current_weights_data()["fast"] == 0
    assert events("planning.weights_update") == 2


@pytest.mark.parametrize(
    ("data", "reason", "field"),
    [
        ({"fast": -3}, "x", "fast"),
        ({"bogus": 1}, "x", "bogus"),
        ({"fast": 5}, "  ", "reason"),
        ([1], "x", "weights"),
    ],
)
def test_bad_weights_refused_nothing_changed(manager, data, reason, field):
    with pytest.raises(InvalidInput) as exc:
        services.weights_update(actor=manager, data=data, reason=reason)
    assert exc.value.field == field
    assert SelectionWeights.objects.count() == 0 and events("planning.weights_update") == 0


def test_weights_refused_to_a_specialist_and_hidden_from_trade(scs, officer):
    with pytest.raises(Forbidden):
        services.weights_update(actor=scs, data={}, reason="x")
    with pytest.raises(NotFound):
        services.weights_update(actor=officer, data={}, reason="x")
    assert SelectionWeights.objects.count() == 0


# --- availability ---------------------------------------------------------------------------------------------


def test_availability_set_and_bad_hours(manager, scs):
    row = services.availability_set(
        actor=manager, specialist_id=scs.pk, year=2030, month=7, hours=40, note="Leave"
    )
    assert row.hours == 40
    assert selectors.availability(2030, [scs.pk])[scs.pk][6] == 40
    assert selectors.availability(2030, [scs.pk])[scs.pk][0] == engine.STANDARD_MONTHLY_HOURS
    for hours in (-1, 301, 1.5):
        with pytest.raises(InvalidInput) as exc:
            services.availability_set(actor=manager, specialist_id=scs.pk, year=2030, month=7, hours=hours)
        assert exc.value.field == "hours"
    assert SpecialistAvailability.objects.get().hours == 40


# --- compute ----------------------------------------------------------------------------------------------------


def test_compute_stores_both_plans_with_figures(computed, members):
    assert computed.status == PlanStatus.DRAFT
    for method in ("optimised", "greedy"):
        figures = computed.summary[method]
        assert figures["candidates"] == 3
        assert figures["over_capacity"] == []
        assert PlanEntry.objects.filter(plan=computed, method=method).count() == figures["planned"] == 3
    entry = PlanEntry.objects.filter(plan=computed).first()
    assert entry.reasons and entry.due_on is not None and entry.why == "deadline"
    assert "import_value" in computed.summary["inputs"]["absent"]
    assert events("planning.plan_computed") == 1


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"year": 1999}, "year"),
        ({"time_limit": 0}, "time_limit"),
        ({"cross_office_share": 2}, "cross_office_share"),
        ({"oversight_sample": -1}, "oversight_sample"),
        ({"year": "x"}, "year"),
    ],
)
def test_bad_compute_options_refused_nothing_stored(manager, options, field):
    with pytest.raises(InvalidInput) as exc:
        services.plan_compute(actor=manager, **{"year": 2030, **options})
    assert exc.value.field == field
    assert ValidationPlan.objects.count() == 0


def test_compute_refused_to_a_specialist(scs):
    with pytest.raises(Forbidden):
        services.plan_compute(actor=scs, year=2030)
    assert ValidationPlan.objects.count() == 0


def test_a_failed_computation_is_recorded(manager, monkeypatch, django_capture_on_commit_callbacks):
    def boom(**kwargs):
        raise RuntimeError("no data")

    monkeypatch.setattr(inputs, "gather", boom)
    with django_capture_on_commit_callbacks(execute=True):
        plan = services.plan_compute(actor=manager, year=2030)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FAILED and "no data" in plan.error


# --- accept ------------------------------------------------------------------------------------------------------


def test_accept_keeps_one_method_and_supersedes_the_previous(
    computed, manager, django_capture_on_commit_callbacks
):
    services.plan_accept(actor=manager, plan_id=computed.pk, method="greedy")
    computed.refresh_from_db()
    assert (
        computed.status == PlanStatus.ACCEPTED
        and computed.method == "greedy"
        and computed.accepted_by == manager
    )
    assert set(PlanEntry.objects.filter(plan=computed).values_list("method", flat=True)) == {"greedy"}
    with django_capture_on_commit_callbacks(execute=True):
        second = services.plan_compute(actor=manager, year=computed.year, time_limit=1)
    services.plan_accept(actor=manager, plan_id=second.pk, method="optimised")
    computed.refresh_from_db()
    assert computed.status == PlanStatus.SUPERSEDED


def test_accept_refusals_change_nothing(computed, manager, scs):
    with pytest.raises(InvalidInput):
        services.plan_accept(actor=manager, plan_id=computed.pk, method="best")
    with pytest.raises(Forbidden):
        services.plan_accept(actor=scs, plan_id=computed.pk, method="optimised")
    computed.refresh_from_db()
    assert computed.status == PlanStatus.DRAFT and PlanEntry.objects.filter(plan=computed).count() == 6
    services.plan_accept(actor=manager, plan_id=computed.pk, method="optimised")
    with pytest.raises(Conflict):
        services.plan_accept(actor=manager, plan_id=computed.pk, method="optimised")


# --- adjust ------------------------------------------------------------------------------------------------------


def accepted(plan, manager):
    services.plan_accept(actor=manager, plan_id=plan.pk, method="optimised")
    return PlanEntry.objects.filter(plan=plan).order_by("id").first()


def test_adjust_within_capacity_needs_no_reason(computed, manager, scs2):
    entry = accepted(computed, manager)
    target = scs2 if entry.specialist_id != scs2.pk else entry.specialist
    month = 6 if entry.month != 6 else 7
    services.entry_adjust(actor=manager, entry_id=entry.pk, specialist_id=target.pk, month=month)
    entry.refresh_from_db()
    assert (entry.specialist_id, entry.month, entry.source) == (target.pk, month, "manual")
    adjustment = PlanAdjustment.objects.get()
    assert adjustment.over_capacity is False and adjustment.before["month"] != month
    assert events("planning.entry_adjust") == 1


def test_adjust_beyond_capacity_without_reason_refused_nothing_changed(computed, manager, scs2):
    entry = accepted(computed, manager)
    target = scs2 if entry.specialist_id != scs2.pk else entry.specialist
    services.availability_set(actor=manager, specialist_id=target.pk, year=computed.year, month=3, hours=0)
    before = (entry.specialist_id, entry.month)
    with pytest.raises(InvalidInput) as exc:
        services.entry_adjust(actor=manager, entry_id=entry.pk, specialist_id=target.pk, month=3, reason="")
    assert exc.value.field == "reason" and "beyond capacity" in exc.value.message
    entry.refresh_from_db()
    assert (entry.specialist_id, entry.month) == before
    assert PlanAdjustment.objects.count() == 0 and events("planning.entry_adjust") == 0
    services.entry_adjust(
        actor=manager, entry_id=entry.pk, specialist_id=target.pk, month=3, reason="Urgent: port incident"
    )
    assert PlanAdjustment.objects.get().over_capacity is True
    assert selectors.load(computed, "optimised")  # the load table shows the overbooked month


def test_adjust_refusals(computed, manager, scs):
    entry = PlanEntry.objects.filter(plan=computed, method="optimised").first()
    with pytest.raises(Conflict):  # a draft is not adjusted
        services.entry_adjust(actor=manager, entry_id=entry.pk, specialist_id=scs.pk, month=5, reason="x")
    entry = accepted(computed, manager)
    with pytest.raises(Forbidden):
        services.entry_adjust(actor=scs, entry_id=entry.pk, specialist_id=scs.pk, month=5, reason="x")
    for month in (0, 13):
        with pytest.raises(InvalidInput):
            services.entry_adjust(
                actor=manager, entry_id=entry.pk, specialist_id=scs.pk, month=month, reason="x"
            )
    with pytest.raises(InvalidInput):
        services.entry_adjust(actor=manager, entry_id=entry.pk, specialist_id=manager.pk, month=5, reason="x")
    assert PlanAdjustment.objects.count() == 0


# --- opening a month's validations ----------------------------------------------------------------------------


def test_month_start_opens_validations_through_the_validations_app(computed, manager):
    from greenlane.validations.models import Validation

    entry = accepted(computed, manager)
    month = entry.month
    n = PlanEntry.objects.filter(plan=computed, month=month).count()
    result = services.plan_month_start(actor=manager, plan_id=computed.pk, month=month)
    assert result.created == n and result.skipped == []
    assert Validation.objects.filter(partner_id=entry.partner_id, planned_month__month=month).count() == 1
    entry.refresh_from_db()
    assert entry.validation_id is not None
    again = services.plan_month_start(actor=manager, plan_id=computed.pk, month=month)
    assert again.created == 0
    with pytest.raises(Conflict):
        services.entry_adjust(
            actor=manager,
            entry_id=entry.pk,
            specialist_id=entry.specialist_id,
            month=12 if month != 12 else 11,
            reason="x",
        )


def test_month_start_refused_on_a_draft(computed, manager):
    with pytest.raises(Conflict):
        services.plan_month_start(actor=manager, plan_id=computed.pk, month=1)


def test_open_validation_keeps_a_partner_out_of_the_next_plan(computed, manager, members):
    accepted(computed, manager)
    month = PlanEntry.objects.filter(plan=computed).first().month
    services.plan_month_start(actor=manager, plan_id=computed.pk, month=month)
    data = inputs.gather(year=computed.year)
    assert data.excluded_open >= 1 and len(data.candidates) == 3 - data.excluded_open


def test_demo_seeder_goes_through_the_services(members, scs, django_capture_on_commit_callbacks):
    import random

    from conftest import make_user
    from greenlane.validations.planning import demo

    make_user(demo.MANAGER, staff_role="program_manager")
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed_demo(random.Random(1))
    accepted, draft = ValidationPlan.objects.order_by("id")
    assert draft.status == PlanStatus.DRAFT and draft.summary["optimised"]["planned"] == 3
    assert accepted.status == PlanStatus.ACCEPTED and accepted.adjustments.count() == 1
    assert accepted.summary["optimised"]["adjustments"] == 1
    assert SelectionWeights.objects.get().version == 1
    assert SpecialistAvailability.objects.filter(specialist=scs).count() == 2
