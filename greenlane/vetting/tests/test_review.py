"""Officer review: confirm and dismiss, with notes, audited; refused actions change nothing."""

from __future__ import annotations

import pytest

from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Forbidden, InvalidInput, NotFound, TransitionRefused
from greenlane.vetting import services
from greenlane.vetting.models import VettingMatch

from .support import do_import, partner, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(officer):
    p = partner(officer, name="Atlas Imports LLC")
    do_import([row(source_ref="X", name="Atlas Imports", address="")])
    services.run_matching(p)
    return VettingMatch.objects.get(partner=p)


def state(match) -> tuple:
    match.refresh_from_db()
    events = AuditEvent.objects.filter(action__in=["vetting.match_confirm", "vetting.match_dismiss"]).count()
    return (match.status, match.note, match.reviewed_by_id, match.reviewed_at, events)


def test_confirm_is_audited(match, staff):
    vetter = staff["vetting_officer"]
    services.match_confirm(actor=vetter, match_id=match.pk, note="Same company; EIN checked by phone.")
    match.refresh_from_db()
    assert (match.status, match.reviewed_by, match.note) == (
        "confirmed",
        vetter,
        "Same company; EIN checked by phone.",
    )
    event = AuditEvent.objects.get(action="vetting.match_confirm")
    assert (event.actor, event.partner_id, event.object_id, event.reason) == (
        vetter,
        match.partner_id,
        str(match.pk),
        "Same company; EIN checked by phone.",
    )
    assert (event.before["status"], event.after["status"]) == ("pending", "confirmed")
    assert event.summary.startswith(
        "Confirmed penalty 2024-03-31 (cbp-penalties X, score 100.0, name_address)"
    )


def test_confirm_without_a_note_is_allowed(match, staff):
    assert services.match_confirm(actor=staff["program_manager"], match_id=match.pk).status == "confirmed"


def test_dismiss_needs_a_note_and_is_audited(match, staff):
    vetter = staff["vetting_officer"]
    before = state(match)
    with pytest.raises(InvalidInput) as caught:
        services.match_dismiss(actor=vetter, match_id=match.pk, note="   ")
    assert caught.value.field == "note"
    assert state(match) == before
    services.match_dismiss(actor=vetter, match_id=match.pk, note="Different EIN and city.")
    event = AuditEvent.objects.get(action="vetting.match_dismiss")
    assert (event.before["status"], event.after["status"], event.reason) == (
        "pending",
        "dismissed",
        "Different EIN and city.",
    )


def test_a_decision_can_be_reversed_only_with_a_note(match, staff):
    vetter = staff["vetting_officer"]
    services.match_confirm(actor=vetter, match_id=match.pk)
    before = state(match)
    with pytest.raises(InvalidInput):
        services.match_dismiss(actor=vetter, match_id=match.pk, note="")
    assert state(match) == before
    services.match_dismiss(
        actor=vetter, match_id=match.pk, note="Appeal: the company proved it is a namesake."
    )
    services.match_confirm(actor=vetter, match_id=match.pk, note="Appeal overturned.")
    assert state(match)[0] == "confirmed"
    assert (
        AuditEvent.objects.filter(partner=match.partner, action__startswith="vetting.match_")
        .exclude(action="vetting.match_run")
        .count()
        == 3
    )


def test_the_same_decision_twice_is_refused(match, staff):
    services.match_confirm(actor=staff["vetting_officer"], match_id=match.pk)
    before = state(match)
    with pytest.raises(TransitionRefused):
        services.match_confirm(actor=staff["vetting_officer"], match_id=match.pk, note="again")
    assert state(match) == before


@pytest.mark.parametrize(
    "role", ["scs", "supervisory_scs", "auditor", "intelligence_analyst", "targeting_officer"]
)
def test_other_staff_may_not_decide(match, staff, role):
    before = state(match)
    with pytest.raises(Forbidden):
        services.match_confirm(actor=staff[role], match_id=match.pk)
    with pytest.raises(Forbidden):
        services.match_dismiss(actor=staff[role], match_id=match.pk, note="no")
    assert state(match) == before


def test_a_trade_user_gets_not_found(match, officer):
    before = state(match)
    with pytest.raises(NotFound):
        services.match_confirm(actor=officer, match_id=match.pk)
    assert state(match) == before


def test_a_missing_match_is_not_found(staff):
    with pytest.raises(NotFound):
        services.match_dismiss(actor=staff["vetting_officer"], match_id=424242, note="x")


def test_a_note_is_at_most_2000_characters(match, staff):
    with pytest.raises(InvalidInput):
        services.match_dismiss(actor=staff["vetting_officer"], match_id=match.pk, note="x" * 2001)
