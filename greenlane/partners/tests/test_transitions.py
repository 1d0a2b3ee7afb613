"""The lifecycle table: every (from, to) pair over all statuses, allowed and refused."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, TransitionRefused
from greenlane.partners import services
from greenlane.partners.choices import COMPANY_TRANSITIONS, STATUS_TIMESTAMP, TRANSITIONS, PartnerStatus, Tier
from greenlane.partners.models import Partner, TierChange
from greenlane.partners.tests.factories import ior_for

pytestmark = pytest.mark.django_db

S = PartnerStatus
STATUSES = list(S.values)
ALL_PAIRS = list(itertools.product(STATUSES, STATUSES))
ALLOWED = [(a, b) for a, b in ALL_PAIRS if b in TRANSITIONS[a]]
REFUSED = [(a, b) for a, b in ALL_PAIRS if b not in TRANSITIONS[a]]
OPERATORS = ["scs", "supervisory_scs", "vetting_officer", "program_manager", "system_admin"]
NON_OPERATORS = ["intelligence_analyst", "targeting_officer", "auditor"]

EARLIER = dt.datetime(2020, 3, 1, 12, 0, tzinfo=dt.UTC)
CERTIFIED_ON = dt.datetime(2019, 6, 15, 9, 30, tzinfo=dt.UTC)
# Statuses a partner only reaches after certification (and so holds a certification date and a tier).
_seq = itertools.count(9_100_000)
MEMBER_STATUSES = {S.CERTIFIED: Tier.TIER_1, S.SUSPENDED: Tier.TIER_1}


def test_the_table_covers_every_status_and_names_only_known_ones():
    assert set(TRANSITIONS) == set(STATUSES)
    for targets in TRANSITIONS.values():
        assert targets <= set(STATUSES)
    assert set(STATUS_TIMESTAMP) == set(STATUSES) - {S.DRAFT}
    assert all(b in TRANSITIONS[a] for a, b in COMPANY_TRANSITIONS)
    assert len(ALLOWED) + len(REFUSED) == 64
    assert not any(a == b for a, b in ALLOWED)


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@acme.example")


def partner_in(officer, status: str) -> Partner:
    """A complete importer put straight into `status` (test set-up only), with dates of record to match."""
    partner = services.partner_create(
        actor=officer,
        entity_type="importer",
        legal_name=f"Acme Imports {next(_seq)}",
        country="US",
        role="company_officer",
        identifiers=[services.IdentifierInput("ior", ior_for(next(_seq)))],
    )
    fields = {"status": status, "status_changed_at": EARLIER, "tier": MEMBER_STATUSES.get(status, Tier.NONE)}
    if status in MEMBER_STATUSES or status == S.REMOVED:
        fields.update(submitted_at=EARLIER - dt.timedelta(days=200), certified_at=CERTIFIED_ON)
    if status != S.DRAFT:
        fields.setdefault("submitted_at", EARLIER - dt.timedelta(days=30))
        fields.setdefault(STATUS_TIMESTAMP[status], EARLIER)
    Partner.objects.filter(pk=partner.pk).update(**fields)
    return Partner.objects.get(pk=partner.pk)


def row(partner: Partner) -> dict:
    return Partner.objects.filter(pk=partner.pk).values().get()


def counts(partner: Partner) -> tuple[int, int, int]:
    return (
        AuditEvent.objects.count(),
        AuditEvent.objects.filter(partner=partner).count(),
        TierChange.objects.filter(partner=partner).count(),
    )


def move(*, actor, partner_id, to_status, reason):
    """Manual moves go through partner_transition.

    The lifecycle pairs (suspend, reinstate, remove) carry a cause and are made by the lifecycle services,
    which apply them through partner_apply_decision.
    """
    current = Partner.objects.get(pk=partner_id).status
    if (current, to_status) in services.LIFECYCLE_PAIRS:
        action = "partner.decision"
        result = services.partner_apply_decision(
            actor=actor, partner_id=partner_id, to_status=to_status, reason=reason.strip()
        )
    else:
        action = "partner.transition"
        result = services.partner_transition(
            actor=actor, partner_id=partner_id, to_status=to_status, reason=reason
        )
    result._action = action
    return result


def test_lifecycle_pairs_are_refused_by_the_manual_transition(staff, officer):
    assert services.LIFECYCLE_PAIRS
    for from_status, to_status in sorted(services.LIFECYCLE_PAIRS):
        partner = partner_in(officer, from_status)
        before, before_counts = row(partner), counts(partner)
        with pytest.raises(Conflict):
            services.partner_transition(
                actor=staff["scs"], partner_id=partner.pk, to_status=to_status, reason="x"
            )
        assert row(partner) == before
        assert counts(partner) == before_counts


def iso(value):
    return value.isoformat() if value is not None else None


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_allowed_pair_moves_stamps_and_records_one_event(staff, officer, from_status, to_status):
    scs = staff["scs"]
    partner = partner_in(officer, from_status)
    before = row(partner)
    audit_before, partner_events_before, tier_changes_before = counts(partner)
    started = timezone.now()

    result = move(
        actor=scs, partner_id=partner.pk, to_status=to_status, reason="  File reviewed by the specialist.  "
    )

    finished = timezone.now()
    after = row(partner)
    assert result.status == to_status
    stamp = STATUS_TIMESTAMP.get(to_status)
    reinstated = from_status == S.SUSPENDED and to_status == S.CERTIFIED
    expected_tier = before["tier"]
    if to_status == S.CERTIFIED and before["tier"] == Tier.NONE:
        expected_tier = Tier.TIER_1
    elif to_status in (S.DENIED, S.REMOVED, S.WITHDRAWN, S.DRAFT):
        expected_tier = Tier.NONE

    # Exactly these columns change, nothing else.
    changed = {k for k in before if before[k] != after[k]}
    expected_changed = {"status", "status_changed_at"}
    if stamp and not reinstated:
        expected_changed.add(stamp)
    if expected_tier != before["tier"]:
        expected_changed.add("tier")
    assert changed == expected_changed
    assert after["status"] == to_status
    assert started <= after["status_changed_at"] <= finished
    if stamp and not reinstated:
        assert started <= after[stamp] <= finished
    if reinstated:
        assert after["certified_at"] == CERTIFIED_ON
    assert after["tier"] == expected_tier

    # Exactly one audit event, with before/after and the (trimmed) reason.
    assert counts(partner)[:2] == (audit_before + 1, partner_events_before + 1)
    event = AuditEvent.objects.filter(partner=partner).latest("id")
    assert event.action == result._action
    assert event.actor == scs
    assert event.actor_label == scs.email
    assert event.reason == "File reviewed by the specialist."
    assert event.object_type == "partners.partner"
    assert event.object_id == str(partner.pk)
    expected_before = {"status": from_status, "tier": before["tier"]}
    expected_after = {"status": to_status, "tier": expected_tier}
    if stamp and not reinstated:
        expected_before[stamp] = iso(before[stamp])
        expected_after[stamp] = iso(after[stamp])
    assert event.before == expected_before
    assert event.after == expected_after
    assert event.summary == f"{S(from_status).label} → {S(to_status).label}"

    # A tier change is recorded with its own history row.
    tier_changes = TierChange.objects.filter(partner=partner)
    if expected_tier != before["tier"]:
        assert tier_changes.count() == tier_changes_before + 1
        change = tier_changes.latest("id")
        assert (change.from_tier, change.to_tier, change.actor, change.reason) == (
            before["tier"],
            expected_tier,
            scs,
            "File reviewed by the specialist.",
        )
        assert started <= change.at <= finished
    else:
        assert tier_changes.count() == tier_changes_before


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED, ids=[f"{a}->{b}" for a, b in REFUSED])
def test_refused_pair_raises_and_changes_nothing(staff, officer, from_status, to_status):
    partner = partner_in(officer, from_status)
    before, before_counts = row(partner), counts(partner)

    with pytest.raises(TransitionRefused) as caught:
        services.partner_transition(
            actor=staff["scs"], partner_id=partner.pk, to_status=to_status, reason="Trying anyway."
        )

    assert caught.value.status == 409
    assert caught.value.field == "status"
    assert f"Cannot move from '{S(from_status).label}' to '{S(to_status).label}'" in caught.value.message
    allowed_labels = sorted(str(S(t).label) for t in TRANSITIONS[from_status])
    assert f"Allowed from here: {', '.join(allowed_labels)}." in caught.value.message
    assert row(partner) == before
    assert counts(partner) == before_counts


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_reason_is_required(staff, officer, reason):
    partner = partner_in(officer, S.SUBMITTED)
    before, before_counts = row(partner), counts(partner)
    with pytest.raises(InvalidInput) as caught:
        services.partner_transition(
            actor=staff["scs"], partner_id=partner.pk, to_status=S.UNDER_REVIEW, reason=reason
        )
    assert caught.value.field == "reason"
    assert caught.value.message == "A reason is required for every status change."
    assert row(partner) == before
    assert counts(partner) == before_counts


def test_reason_over_2000_characters_is_refused(staff, officer):
    partner = partner_in(officer, S.SUBMITTED)
    before, before_counts = row(partner), counts(partner)
    with pytest.raises(InvalidInput) as caught:
        services.partner_transition(
            actor=staff["scs"], partner_id=partner.pk, to_status=S.UNDER_REVIEW, reason="x" * 2001
        )
    assert caught.value.field == "reason"
    assert row(partner) == before
    assert counts(partner) == before_counts


def test_unknown_target_status_is_refused(staff, officer):
    partner = partner_in(officer, S.SUBMITTED)
    before, before_counts = row(partner), counts(partner)
    with pytest.raises(InvalidInput) as caught:
        services.partner_transition(
            actor=staff["scs"], partner_id=partner.pk, to_status="approved", reason="x"
        )
    assert caught.value.field == "to_status"
    assert row(partner) == before
    assert counts(partner) == before_counts


@pytest.mark.parametrize("role", OPERATORS)
def test_operator_roles_may_transition(staff, officer, role):
    partner = partner_in(officer, S.SUBMITTED)
    services.partner_transition(
        actor=staff[role], partner_id=partner.pk, to_status=S.UNDER_REVIEW, reason="Opening the review."
    )
    assert row(partner)["status"] == S.UNDER_REVIEW
    assert AuditEvent.objects.filter(partner=partner).latest("id").actor == staff[role]


@pytest.mark.parametrize("role", NON_OPERATORS)
def test_non_operator_staff_roles_are_forbidden(staff, officer, role):
    partner = partner_in(officer, S.SUBMITTED)
    before, before_counts = row(partner), counts(partner)
    with pytest.raises(Forbidden) as caught:
        services.partner_transition(
            actor=staff[role], partner_id=partner.pk, to_status=S.UNDER_REVIEW, reason="Not mine to decide."
        )
    assert caught.value.message == "Your role cannot change a partner's status."
    assert row(partner) == before
    assert counts(partner) == before_counts


def test_trade_users_cannot_use_the_staff_transition(officer):
    partner = partner_in(officer, S.DRAFT)
    before, before_counts = row(partner), counts(partner)
    with pytest.raises(Forbidden):
        services.partner_transition(actor=officer, partner_id=partner.pk, to_status=S.SUBMITTED, reason="Me")
    assert row(partner) == before
    assert counts(partner) == before_counts


def test_certification_sets_tier_1_with_a_tier_change_row(staff, officer):
    partner = partner_in(officer, S.UNDER_REVIEW)
    assert TierChange.objects.filter(partner=partner).count() == 0
    started = timezone.now()
    services.partner_transition(
        actor=staff["supervisory_scs"],
        partner_id=partner.pk,
        to_status=S.CERTIFIED,
        reason="Meets the minimum security criteria.",
    )
    partner.refresh_from_db()
    assert partner.tier == Tier.TIER_1
    assert partner.certified_at >= started
    change = TierChange.objects.get(partner=partner)
    assert (change.from_tier, change.to_tier) == (Tier.NONE, Tier.TIER_1)
    assert change.actor == staff["supervisory_scs"]
    assert change.reason == "Meets the minimum security criteria."
    assert change.at == partner.certified_at


def test_reinstatement_keeps_the_original_certification_date(staff, officer):
    partner = partner_in(officer, S.CERTIFIED)
    move(
        actor=staff["scs"],
        partner_id=partner.pk,
        to_status=S.SUSPENDED,
        reason="Narcotics seizure in a container.",
    )
    partner.refresh_from_db()
    assert (partner.status, partner.certified_at, partner.tier) == (S.SUSPENDED, CERTIFIED_ON, Tier.TIER_1)
    suspended_at = partner.suspended_at
    assert suspended_at > EARLIER

    move(
        actor=staff["scs"],
        partner_id=partner.pk,
        to_status=S.CERTIFIED,
        reason="Corrective action plan accepted.",
    )
    partner.refresh_from_db()
    assert partner.status == S.CERTIFIED
    assert partner.certified_at == CERTIFIED_ON
    assert partner.suspended_at == suspended_at
    assert partner.tier == Tier.TIER_1
    assert TierChange.objects.filter(partner=partner).count() == 0
    event = AuditEvent.objects.filter(partner=partner).latest("id")
    assert event.before == {"status": S.SUSPENDED, "tier": 1}
    assert event.after == {"status": S.CERTIFIED, "tier": 1}


def test_a_full_life_through_the_services(staff, officer, monkeypatch):
    from greenlane.partners import readiness
    from greenlane.partners.tests.factories import submitted_importer

    # Steps other apps add to the application (the security profile) are theirs to test.
    monkeypatch.setattr(readiness, "_extra_steps", [], raising=False)

    partner = submitted_importer(officer)
    path = [S.UNDER_REVIEW, S.CERTIFIED, S.SUSPENDED, S.REMOVED, S.DRAFT]
    for target in path:
        move(actor=staff["scs"], partner_id=partner.pk, to_status=target, reason="Step")
    partner.refresh_from_db()
    assert partner.status == S.DRAFT
    assert partner.tier == Tier.NONE
    actions = list(AuditEvent.objects.filter(partner=partner).order_by("id").values_list("action", flat=True))
    assert actions[-6:] == [
        "partner.submit",
        "partner.transition",
        "partner.transition",
        "partner.decision",
        "partner.decision",
        "partner.transition",
    ]
    assert list(
        TierChange.objects.filter(partner=partner).order_by("id").values_list("from_tier", "to_tier")
    ) == [(0, 1), (1, 0)]


COMPANY_WITHDRAW_FROM = sorted(a for a, b in COMPANY_TRANSITIONS if b == S.WITHDRAWN)


@pytest.mark.parametrize("from_status", STATUSES)
def test_company_withdrawal_only_from_the_company_transition_states(officer, from_status):
    partner = partner_in(officer, from_status)
    before, before_counts = row(partner), counts(partner)
    if from_status in COMPANY_WITHDRAW_FROM:
        started = timezone.now()
        services.partner_withdraw(actor=officer, partner_id=partner.pk, reason=" Leaving the program. ")
        after = row(partner)
        assert after["status"] == S.WITHDRAWN
        assert after["withdrawn_at"] >= started
        assert after["tier"] == Tier.NONE
        assert counts(partner)[:2] == (before_counts[0] + 1, before_counts[1] + 1)
        event = AuditEvent.objects.filter(partner=partner).latest("id")
        assert (event.action, event.actor, event.reason) == (
            "partner.withdraw",
            officer,
            "Leaving the program.",
        )
        assert event.before["status"] == from_status and event.after["status"] == S.WITHDRAWN
    else:
        with pytest.raises(Conflict) as caught:
            services.partner_withdraw(actor=officer, partner_id=partner.pk, reason="Leaving the program.")
        assert caught.value.message == f"A company with status '{S(from_status).label}' cannot withdraw."
        assert row(partner) == before
        assert counts(partner) == before_counts


def test_company_withdrawal_states_are_the_expected_ones():
    expected = sorted([S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.CERTIFIED, S.SUSPENDED])
    assert expected == COMPANY_WITHDRAW_FROM


@pytest.mark.parametrize("role", ["company_admin", "contributor", "consultant"])
def test_only_a_company_officer_withdraws(officer, user_factory, role):
    partner = partner_in(officer, S.SUBMITTED)
    member = user_factory(f"{role}@acme.example")
    services.membership_add(actor=officer, partner_id=partner.pk, email=member.email, role=role)
    before, before_counts = row(partner), counts(partner)
    with pytest.raises(Forbidden):
        services.partner_withdraw(actor=member, partner_id=partner.pk, reason="Leaving")
    assert row(partner) == before
    assert counts(partner) == before_counts


def test_withdrawal_needs_a_reason(officer):
    partner = partner_in(officer, S.SUBMITTED)
    before, before_counts = row(partner), counts(partner)
    with pytest.raises(InvalidInput) as caught:
        services.partner_withdraw(actor=officer, partner_id=partner.pk, reason="  ")
    assert caught.value.field == "reason"
    assert row(partner) == before
    assert counts(partner) == before_counts
