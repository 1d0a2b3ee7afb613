"""Seminar services: the transition table, registration with capacity and waiting list, cancel and promote,
attendance and certificates; each refusal leaves nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound, TransitionRefused
from greenlane.training import services
from greenlane.training.choices import TRANSITIONS, SeminarStatus
from greenlane.training.models import Registration, Seminar

from .support import held, member, open_seminar, seminar_input

pytestmark = pytest.mark.django_db


def state():
    return (
        list(Seminar.objects.values_list("id", "status", "capacity").order_by("id")),
        list(Registration.objects.values_list("id", "status", "user_id").order_by("id")),
        AuditEvent.objects.count(),
    )


# --- seminars -----------------------------------------------------------------------------------------


def test_create_drafts_and_audits(staff):
    seminar = services.seminar_create(actor=staff["scs"], data=seminar_input())
    assert seminar.status == "draft"
    event = AuditEvent.objects.get(action="training.seminar_create")
    assert event.object_id == str(seminar.pk) and event.after["capacity"] == 2


@pytest.mark.parametrize(
    "over, field",
    [
        ({"title": " "}, "title"),
        ({"format": "in_person", "place": ""}, "place"),
        ({"format": "online", "link": "http://insecure.example"}, "link"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 10_001}, "capacity"),
        ({"ends_at": timezone.now()}, "ends_at"),
        ({"registration_deadline": timezone.now() + dt.timedelta(days=60)}, "registration_deadline"),
        ({"audience_entity_types": ["pirates"]}, "audience_entity_types"),
    ],
)
def test_bad_seminar_input_names_the_field_and_stores_nothing(staff, over, field):
    before = state()
    with pytest.raises(InvalidInput) as exc:
        services.seminar_create(actor=staff["scs"], data=seminar_input(**over))
    assert field in {e["field"] for e in exc.value.errors}
    assert state() == before


def test_only_managers_create(staff, user_factory):
    before = state()
    with pytest.raises(Forbidden):
        services.seminar_create(actor=staff["auditor"], data=seminar_input())
    with pytest.raises(NotFound):
        services.seminar_create(actor=user_factory("someone@trade.example"), data=seminar_input())
    assert state() == before


def test_every_transition_pair(staff):
    manager = staff["program_manager"]
    for source in SeminarStatus.values:
        for target in SeminarStatus.values:
            seminar = services.seminar_create(actor=manager, data=seminar_input())
            Seminar.objects.filter(pk=seminar.pk).update(status=source)
            allowed = target in TRANSITIONS[source]
            if target == "held":  # only once started
                past = timezone.now() - dt.timedelta(hours=1)
                Seminar.objects.filter(pk=seminar.pk).update(
                    starts_at=past, ends_at=past + dt.timedelta(hours=2), registration_deadline=past
                )
            if target == "open" and allowed:
                pass
            kwargs = {"reason": "Venue closed"} if target == "cancelled" else {}
            if allowed:
                services.seminar_set_status(actor=manager, seminar_id=seminar.pk, status=target, **kwargs)
                seminar.refresh_from_db()
                assert seminar.status == target
            else:
                with pytest.raises(TransitionRefused):
                    services.seminar_set_status(actor=manager, seminar_id=seminar.pk, status=target, **kwargs)
                assert Seminar.objects.get(pk=seminar.pk).status == source


def test_held_refused_before_start_and_cancel_needs_reason(staff):
    manager = staff["scs"]
    seminar = open_seminar(manager)
    services.seminar_set_status(actor=manager, seminar_id=seminar.pk, status="closed")
    before = state()
    with pytest.raises(Conflict):
        services.seminar_set_status(actor=manager, seminar_id=seminar.pk, status="held")
    with pytest.raises(InvalidInput):
        services.seminar_set_status(actor=manager, seminar_id=seminar.pk, status="cancelled")
    assert state() == before


def test_cancel_seminar_mails_registrants(staff, user_factory, django_capture_on_commit_callbacks):
    manager = staff["scs"]
    seminar = open_seminar(manager)
    partner, (officer,) = member(user_factory)
    services.registration_create(actor=officer, partner_id=partner.pk, seminar_id=seminar.pk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.seminar_set_status(actor=manager, seminar_id=seminar.pk, status="cancelled", reason="Storm")
    assert mail.outbox[0].to == [officer.email] and "Storm" in mail.outbox[0].body


# --- registration -------------------------------------------------------------------------------------


def test_register_then_waitlist_when_full(staff, user_factory, django_capture_on_commit_callbacks):
    seminar = open_seminar(staff["scs"], capacity=1)
    partner, (a, b) = member(user_factory, people=2)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.registration_create(actor=a, partner_id=partner.pk, seminar_id=seminar.pk)
        second = services.registration_create(actor=b, partner_id=partner.pk, seminar_id=seminar.pk)
    assert (first.status, second.status) == ("registered", "waitlisted")
    assert [m.to for m in mail.outbox] == [[a.email], [b.email]]
    assert "waiting list" in mail.outbox[1].body
    assert AuditEvent.objects.filter(action="training.register").count() == 2


def test_beyond_capacity_without_waitlist_is_refused_and_nothing_stored(staff, user_factory):
    seminar = open_seminar(staff["scs"], capacity=1, waitlist_enabled=False)
    partner, (a, b) = member(user_factory, people=2)
    services.registration_create(actor=a, partner_id=partner.pk, seminar_id=seminar.pk)
    before = state()
    with pytest.raises(Conflict, match="full"):
        services.registration_create(actor=b, partner_id=partner.pk, seminar_id=seminar.pk)
    assert state() == before


def test_registration_refusals(staff, user_factory):
    manager = staff["scs"]
    seminar = open_seminar(manager, audience_entity_types=["sea_carrier"])
    partner, (officer,) = member(user_factory)
    other, (stranger,) = member(user_factory)
    draft = services.seminar_create(actor=manager, data=seminar_input())
    everyone = open_seminar(manager)
    before = state()
    with pytest.raises(NotFound):  # not in the audience
        services.registration_create(actor=officer, partner_id=partner.pk, seminar_id=seminar.pk)
    with pytest.raises(NotFound):  # a draft is not published
        services.registration_create(actor=officer, partner_id=partner.pk, seminar_id=draft.pk)
    with pytest.raises(NotFound):  # someone else's company
        services.registration_create(actor=stranger, partner_id=partner.pk, seminar_id=everyone.pk)
    with pytest.raises(NotFound):  # staff do not register
        services.registration_create(actor=manager, partner_id=partner.pk, seminar_id=everyone.pk)
    assert state() == before
    services.registration_create(actor=officer, partner_id=partner.pk, seminar_id=everyone.pk)
    before = state()
    with pytest.raises(Conflict, match="already"):
        services.registration_create(actor=officer, partner_id=partner.pk, seminar_id=everyone.pk)
    services.seminar_set_status(actor=manager, seminar_id=everyone.pk, status="closed")
    before = state()
    with pytest.raises(Conflict, match="closed"):
        services.registration_create(actor=stranger, partner_id=other.pk, seminar_id=everyone.pk)
    assert state() == before


def test_uncertified_company_cannot_register(staff, user_factory):
    from greenlane.screening.tests.test_lifecycle_support import enrolled

    officer = user_factory("draft@draft.example")
    partner = enrolled(officer)
    seminar = open_seminar(staff["scs"])
    before = state()
    with pytest.raises(Forbidden):
        services.registration_create(actor=officer, partner_id=partner.pk, seminar_id=seminar.pk)
    assert state() == before


def test_cancel_promotes_the_first_waiting_and_mails_them(
    staff, user_factory, django_capture_on_commit_callbacks
):
    seminar = open_seminar(staff["scs"], capacity=1)
    partner, (a, b, c) = member(user_factory, people=3)
    seat = services.registration_create(actor=a, partner_id=partner.pk, seminar_id=seminar.pk)
    first = services.registration_create(actor=b, partner_id=partner.pk, seminar_id=seminar.pk)
    services.registration_create(actor=c, partner_id=partner.pk, seminar_id=seminar.pk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=a, partner_id=partner.pk, registration_id=seat.pk)
    first.refresh_from_db()
    assert first.status == "registered" and first.promoted_at is not None
    assert Registration.objects.get(user=c).status == "waitlisted"
    assert {tuple(m.to) for m in mail.outbox} == {(a.email,), (b.email,)}
    event = AuditEvent.objects.get(action="training.cancel")
    assert event.after["promoted"] == [first.pk]


def test_cancel_a_waitlist_place_promotes_nobody_and_reregister_queues_again(staff, user_factory):
    seminar = open_seminar(staff["scs"], capacity=1)
    partner, (a, b) = member(user_factory, people=2)
    services.registration_create(actor=a, partner_id=partner.pk, seminar_id=seminar.pk)
    waiting = services.registration_create(actor=b, partner_id=partner.pk, seminar_id=seminar.pk)
    services.registration_cancel(actor=b, partner_id=partner.pk, registration_id=waiting.pk)
    again = services.registration_create(actor=b, partner_id=partner.pk, seminar_id=seminar.pk)
    assert again.pk == waiting.pk and again.status == "waitlisted"


def test_cancel_refusals(staff, user_factory):
    seminar = open_seminar(staff["scs"], capacity=1)
    partner, (a,) = member(user_factory)
    other, (stranger,) = member(user_factory)
    reg = services.registration_create(actor=a, partner_id=partner.pk, seminar_id=seminar.pk)
    before = state()
    with pytest.raises(NotFound):
        services.registration_cancel(actor=stranger, partner_id=other.pk, registration_id=reg.pk)
    with pytest.raises(NotFound):
        services.registration_cancel(actor=stranger, partner_id=partner.pk, registration_id=reg.pk)
    assert state() == before
    services.registration_cancel(actor=a, partner_id=partner.pk, registration_id=reg.pk)
    before = state()
    with pytest.raises(Conflict):
        services.registration_cancel(actor=a, partner_id=partner.pk, registration_id=reg.pk)
    assert state() == before


def test_raising_capacity_promotes_waiting(staff, user_factory):
    manager = staff["scs"]
    seminar = open_seminar(manager, capacity=1)
    partner, (a, b) = member(user_factory, people=2)
    services.registration_create(actor=a, partner_id=partner.pk, seminar_id=seminar.pk)
    services.registration_create(actor=b, partner_id=partner.pk, seminar_id=seminar.pk)
    services.seminar_update(actor=manager, seminar_id=seminar.pk, data=seminar_input(capacity=2))
    assert Registration.objects.get(user=b).status == "registered"
    before = state()
    with pytest.raises(InvalidInput):
        services.seminar_update(actor=manager, seminar_id=seminar.pk, data=seminar_input(capacity=1))
    assert state() == before


# --- attendance ---------------------------------------------------------------------------------------


def test_attendance_gives_codes_to_those_present(staff, user_factory):
    manager = staff["scs"]
    seminar = open_seminar(manager, capacity=2)
    partner, (a, b) = member(user_factory, people=2)
    ra = services.registration_create(actor=a, partner_id=partner.pk, seminar_id=seminar.pk)
    rb = services.registration_create(actor=b, partner_id=partner.pk, seminar_id=seminar.pk)
    before = state()
    with pytest.raises(Conflict):  # not held yet
        services.attendance_record(actor=manager, seminar_id=seminar.pk, present={ra.pk})
    assert state() == before
    held(seminar, manager)
    with pytest.raises(InvalidInput):
        services.attendance_record(actor=manager, seminar_id=seminar.pk, present={ra.pk, 999_999})
    services.attendance_record(actor=manager, seminar_id=seminar.pk, present={ra.pk})
    ra.refresh_from_db()
    rb.refresh_from_db()
    assert ra.status == "attended" and len(ra.certificate_code) == 12
    assert rb.status == "absent" and rb.certificate_code is None
    event = AuditEvent.objects.get(action="training.attendance")
    assert event.after == {str(ra.pk): "attended", str(rb.pk): "absent"}
    with pytest.raises(Forbidden):
        services.attendance_record(actor=staff["auditor"], seminar_id=seminar.pk, present=set())


def test_certificate_pdf_and_verification(staff, user_factory):
    from greenlane.training import exports, selectors

    manager = staff["scs"]
    seminar = open_seminar(manager)
    partner, (a,) = member(user_factory)
    reg = services.registration_create(actor=a, partner_id=partner.pk, seminar_id=seminar.pk)
    held(seminar, manager)
    services.attendance_record(actor=manager, seminar_id=seminar.pk, present={reg.pk})
    reg.refresh_from_db()
    assert exports.certificate_pdf(reg).startswith(b"%PDF")
    assert selectors.certificate_by_code(exports.format_code(reg.certificate_code)).pk == reg.pk
    assert selectors.certificate_by_code("AAAA-BBBB-CCCC") is None
