"""The referral queue and the specialist's work: information requests that pause the clock, certification,
denial with supervisory approval, reassignment. Every refusal leaves the data as it was."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from greenlane.audit.models import AuditEvent
from greenlane.core import clocks
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.screening import deadlines, lifecycle
from greenlane.screening.models import Decision, InfoRequest

from .test_lifecycle_support import URLS, counts, referral, state

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

TODAY = timezone.localdate


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@acme.example")


@pytest.fixture
def scs(staff):
    return staff["scs"]


@pytest.fixture
def supervisor(staff):
    return staff["supervisory_scs"]


@pytest.fixture
def supervisor2(user_factory):
    return user_factory("sup2@cbp.example", staff_role="supervisory_scs")


# --- the queue ----------------------------------------------------------------------------------------------


def test_queue_is_ordered_by_deadline_with_pauses_counted(officer, scs):
    young = referral(officer, submitted_days_ago=10, assigned_to=scs)
    old = referral(officer, submitted_days_ago=80, assigned_to=scs)
    late = referral(officer, submitted_days_ago=95, assigned_to=scs)
    paused = referral(officer, submitted_days_ago=85, assigned_to=scs)
    # Waiting 20 days for the company: its deadline moves from day 90 to day 110 after submission.
    InfoRequest.objects.create(
        referral=paused,
        message="Send the seal log.",
        requested_by=scs,
        requested_at=timezone.now() - dt.timedelta(days=30),
        responded_at=timezone.now() - dt.timedelta(days=10),
        due_on=TODAY() - dt.timedelta(days=5),
    )
    rows = deadlines.referral_queue()
    assert [r.referral.pk for r in rows] == [late.pk, old.pk, paused.pk, young.pk]
    by_pk = {r.referral.pk: r for r in rows}
    assert by_pk[late.pk].due == TODAY() - dt.timedelta(days=5) and by_pk[late.pk].is_overdue
    assert by_pk[old.pk].days_left == 10 and by_pk[old.pk].is_due_soon and not by_pk[old.pk].is_overdue
    assert by_pk[paused.pk].due == TODAY() + dt.timedelta(days=25)
    assert not by_pk[young.pk].is_due_soon


def test_queue_filters_by_field_office_and_assignee(officer, scs, user_factory):
    miami = user_factory("scs.miami@cbp.example", staff_role="scs", office="miami")
    mine = referral(officer, assigned_to=scs)
    theirs = referral(officer, assigned_to=miami)
    assert [r.referral.pk for r in deadlines.referral_queue(assigned_to=scs.pk)] == [mine.pk]
    assert [r.referral.pk for r in deadlines.referral_queue(field_office=miami.field_office_id)] == [
        theirs.pk
    ]


def test_a_withdrawn_company_leaves_the_queue(officer, scs):
    from greenlane.partners import services as partner_services

    r = referral(officer, assigned_to=scs)
    partner_services.partner_withdraw(actor=officer, partner_id=r.partner_id, reason="No longer importing")
    assert deadlines.referral_queue() == []


def test_queue_page_badges_and_filters(officer, scs, login):
    referral(officer, submitted_days_ago=95, assigned_to=scs, name="Late Co")
    referral(officer, submitted_days_ago=80, assigned_to=scs, name="Soon Co")
    referral(officer, submitted_days_ago=1, name="Unassigned Co")
    client = login(scs)
    body = client.get("/staff/referrals/").content.decode()
    assert body.index("Late Co") < body.index("Soon Co") < body.index("Unassigned Co")
    assert "Overdue" in body and "5 days late" in body and "Due soon" in body and "in 10 days" in body
    mine = client.get("/staff/referrals/?mine=on").content.decode()
    assert "Late Co" in mine and "Unassigned Co" not in mine


def test_queue_and_referral_pages_are_404_for_companies(officer, scs, login):
    r = referral(officer, assigned_to=scs)
    client = login(officer)
    assert client.get("/staff/referrals/").status_code == 404
    assert client.get(f"/staff/referrals/{r.pk}/").status_code == 404
    assert client.post(f"/staff/referrals/{r.pk}/certify/", {"certify-reasons": "x"}).status_code == 404
    assert r.partner.status == "under_review"


def test_queue_page_runs_a_constant_number_of_queries(officer, scs, login):
    client = login(scs)
    client.get("/staff/referrals/")  # warm the session and the caches

    def measured() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/staff/referrals/").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        referral(officer, assigned_to=scs)
    few = measured()
    for _ in range(12):
        referral(officer, assigned_to=scs)
    assert measured() == few


# --- information requests pause the clock -------------------------------------------------------------------


def test_an_information_request_pauses_the_clock_until_the_answer(
    officer, scs, django_capture_on_commit_callbacks
):
    r = referral(officer, submitted_days_ago=10, assigned_to=scs)
    before = deadlines.referral_due(r)
    assert before == TODAY() + dt.timedelta(days=80)
    with django_capture_on_commit_callbacks(execute=True):
        request = lifecycle.referral_request_info(
            actor=scs, referral_id=r.pk, message="Send the seal log.", due_on=TODAY() + dt.timedelta(days=14)
        )
    r.refresh_from_db()
    assert r.status == "awaiting_company"
    # Sent eight days ago and still unanswered: the deadline has moved by eight days, and keeps moving.
    InfoRequest.objects.filter(pk=request.pk).update(requested_at=timezone.now() - dt.timedelta(days=8))
    assert deadlines.referral_due(r) == before + dt.timedelta(days=8)
    assert deadlines.referral_due(r, on=TODAY() + dt.timedelta(days=3)) == before + dt.timedelta(days=11)
    lifecycle.info_request_answer(
        actor=officer, partner_id=r.partner_id, request_id=request.pk, response="Attached."
    )
    r.refresh_from_db()
    assert r.status == "open"
    assert deadlines.referral_due(r) == before + dt.timedelta(days=8)
    assert deadlines.referral_due(r, on=TODAY() + dt.timedelta(days=3)) == before + dt.timedelta(days=8)
    assert deadlines.paused_days(r) == 8
    dates = deadlines.partner_dates(r.partner)
    assert [(i.kind, i.due) for i in dates.items] == [("certification", before + dt.timedelta(days=8))]
    assert [e.action for e in AuditEvent.objects.filter(partner=r.partner).order_by("id")][-2:] == [
        "referral.request_info",
        "info_request.answer",
    ]
    assert len(mail.outbox) == 1 and "needs information" in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("message", "days", "field"),
    [
        ("", 10, "message"),
        ("Send it.", 31, "due_on"),
        ("Send it.", 0, "due_on"),
        ("Send it.", None, "due_on"),
    ],
)
def test_a_request_needs_a_message_and_a_due_date_within_30_days(officer, scs, message, days, field):
    r = referral(officer, assigned_to=scs)
    before, totals = state(r, r.partner), counts()
    due = TODAY() + dt.timedelta(days=days) if days is not None else None
    with pytest.raises(InvalidInput) as exc:
        lifecycle.referral_request_info(actor=scs, referral_id=r.pk, message=message, due_on=due)
    assert exc.value.field == field or field in [e["field"] for e in exc.value.errors]
    assert state(r, r.partner) == before and counts() == totals


def test_one_request_at_a_time_and_answers_only_once(officer, scs):
    r = referral(officer, assigned_to=scs)
    request = lifecycle.referral_request_info(
        actor=scs, referral_id=r.pk, message="Send the seal log.", due_on=TODAY() + dt.timedelta(days=7)
    )
    totals = counts()
    with pytest.raises(Conflict) as exc:
        lifecycle.referral_request_info(
            actor=scs, referral_id=r.pk, message="And the CCTV policy.", due_on=TODAY() + dt.timedelta(days=7)
        )
    assert "still waiting" in exc.value.message and counts() == totals
    lifecycle.info_request_answer(
        actor=officer, partner_id=r.partner_id, request_id=request.pk, response="Here."
    )
    before, totals = state(request, r), counts()
    with pytest.raises(Conflict):
        lifecycle.info_request_answer(
            actor=officer, partner_id=r.partner_id, request_id=request.pk, response="Again"
        )
    assert state(request, r) == before and counts() == totals


def test_another_company_cannot_answer(officer, scs, user_factory):
    r = referral(officer, assigned_to=scs)
    request = lifecycle.referral_request_info(
        actor=scs, referral_id=r.pk, message="Send the seal log.", due_on=TODAY() + dt.timedelta(days=7)
    )
    other = user_factory("other@rival.example")
    rival = referral(other, assigned_to=scs)
    before = state(request, r)
    with pytest.raises(NotFound):
        lifecycle.info_request_answer(
            actor=other, partner_id=r.partner_id, request_id=request.pk, response="x"
        )
    with pytest.raises(NotFound):  # own company in the URL, someone else's request
        lifecycle.info_request_answer(
            actor=other, partner_id=rival.partner_id, request_id=request.pk, response="x"
        )
    assert state(request, r) == before


def test_company_answers_on_its_dates_page(officer, scs, login):
    r = referral(officer, assigned_to=scs)
    request = lifecycle.referral_request_info(
        actor=scs, referral_id=r.pk, message="Send the seal log.", due_on=TODAY() + dt.timedelta(days=7)
    )
    client = login(officer)
    page = client.get(f"/companies/{r.partner_id}/dates/").content.decode()
    assert "Send the seal log." in page and "Send the answer" in page
    response = client.post(
        f"/companies/{r.partner_id}/requests/{request.pk}/answer/", {"answer-response": ""}
    )
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = client.post(
        f"/companies/{r.partner_id}/requests/{request.pk}/answer/",
        {"answer-response": "The log is attached."},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.response == "The log is attached." and request.responded_by == officer


def test_company_answers_through_the_api(officer, scs, client, auth_header, user_factory):
    r = referral(officer, assigned_to=scs)
    request = lifecycle.referral_request_info(
        actor=scs, referral_id=r.pk, message="Send the seal log.", due_on=TODAY() + dt.timedelta(days=7)
    )
    url = f"/api/v1/partners/{r.partner_id}/info-requests/{request.pk}/answer"
    other = user_factory("other@rival.example")
    body = json.dumps({"response": "Attached."})
    assert client.post(url, body, content_type="application/json", **auth_header(other)).status_code == 404
    response = client.post(url, body, content_type="application/json", **auth_header(officer))
    assert response.status_code == 200, response.content
    assert response.json()["responded_by"] == officer.display_name
    listed = client.get(f"/api/v1/partners/{r.partner_id}/info-requests", **auth_header(officer)).json()
    assert [i["id"] for i in listed] == [request.pk]


# --- deciding -----------------------------------------------------------------------------------------------


def test_certify_from_the_referral(officer, scs):
    r = referral(officer, submitted_days_ago=20, assigned_to=scs)
    decision = lifecycle.referral_certify(actor=scs, referral_id=r.pk, reasons="The gaps are closed.")
    r.refresh_from_db()
    r.partner.refresh_from_db()
    assert (r.partner.status, r.partner.tier) == ("certified", 1)
    assert (decision.kind, decision.outcome, decision.decided_by) == ("specialist", "certified", scs)
    assert decision.validation_due == clocks.first_validation_due(TODAY())
    assert decision.reasons[0]["message"] == "The gaps are closed."
    assert (r.status, r.final_decision_id) == ("decided", decision.pk) and r.closed_at is not None
    actions = [e.action for e in AuditEvent.objects.filter(partner=r.partner).order_by("id")]
    assert actions[-2:] == ["partner.decision", "screening.decision"]
    assert deadlines.referral_queue() == []


def test_a_decided_referral_cannot_be_decided_again(officer, scs):
    r = referral(officer, assigned_to=scs)
    lifecycle.referral_certify(actor=scs, referral_id=r.pk, reasons="Fine.")
    before, totals = state(r, r.partner), counts()
    with pytest.raises(Conflict):
        lifecycle.referral_propose_denial(actor=scs, referral_id=r.pk, reasons="Changed my mind.")
    assert state(r, r.partner) == before and counts() == totals


def test_only_the_assigned_specialist_or_a_supervisor_decides(officer, scs, user_factory, staff):
    r = referral(officer, assigned_to=scs)
    stranger = user_factory("scs2@cbp.example", staff_role="scs")
    before, totals = state(r, r.partner), counts()
    with pytest.raises(Forbidden):
        lifecycle.referral_certify(actor=stranger, referral_id=r.pk, reasons="Looks fine.")
    for role in ("auditor", "vetting_officer", "targeting_officer", "system_admin"):
        with pytest.raises(Forbidden):
            lifecycle.referral_certify(actor=staff[role], referral_id=r.pk, reasons="Looks fine.")
    with pytest.raises(NotFound):
        lifecycle.referral_certify(actor=officer, referral_id=r.pk, reasons="Certify us.")
    assert state(r, r.partner) == before and counts() == totals


def test_certify_needs_reasons(officer, scs):
    r = referral(officer, assigned_to=scs)
    before, totals = state(r, r.partner), counts()
    with pytest.raises(InvalidInput):
        lifecycle.referral_certify(actor=scs, referral_id=r.pk, reasons="   ")
    assert state(r, r.partner) == before and counts() == totals


def test_denial_needs_a_supervisor_who_did_not_propose_it(officer, scs, supervisor, supervisor2):
    r = referral(officer, assigned_to=scs)
    lifecycle.referral_propose_denial(actor=scs, referral_id=r.pk, reasons="Seals are not controlled.")
    r.refresh_from_db()
    assert (r.status, r.proposed_by, r.partner.status) == ("denial_proposed", scs, "under_review")
    before, totals = state(r, r.partner), counts()
    with pytest.raises(Forbidden):
        lifecycle.referral_approve_denial(actor=scs, referral_id=r.pk)
    with pytest.raises(Conflict):  # no certifying over a pending proposal
        lifecycle.referral_certify(actor=scs, referral_id=r.pk, reasons="Never mind.")
    assert state(r, r.partner) == before and counts() == totals

    # A supervisor's own proposal needs another supervisor.
    lifecycle.referral_send_back(actor=supervisor, referral_id=r.pk, note="Cite the criterion.")
    lifecycle.referral_propose_denial(actor=supervisor, referral_id=r.pk, reasons="Seals (criterion 9.1).")
    before, totals = state(r, r.partner), counts()
    with pytest.raises(Forbidden) as exc:
        lifecycle.referral_approve_denial(actor=supervisor, referral_id=r.pk)
    assert "another supervisor" in exc.value.message
    assert state(r, r.partner) == before and counts() == totals

    decision = lifecycle.referral_approve_denial(actor=supervisor2, referral_id=r.pk, note="Agreed.")
    r.refresh_from_db()
    r.partner.refresh_from_db()
    assert (r.partner.status, r.status, decision.outcome, decision.decided_by) == (
        "denied",
        "decided",
        "denied",
        supervisor2,
    )
    assert decision.appeal_due == TODAY() + dt.timedelta(days=90)
    assert decision.reasons[0]["message"] == "Seals (criterion 9.1)." and decision.inputs["proposed_by"]


def test_send_back_returns_the_referral_to_the_specialist(officer, scs, supervisor):
    r = referral(officer, assigned_to=scs)
    lifecycle.referral_propose_denial(actor=scs, referral_id=r.pk, reasons="Weak.")
    with pytest.raises(InvalidInput):
        lifecycle.referral_send_back(actor=supervisor, referral_id=r.pk, note="")
    lifecycle.referral_send_back(actor=supervisor, referral_id=r.pk, note="Ask them for the seal log first.")
    r.refresh_from_db()
    assert (r.status, r.proposed_by, r.proposed_reasons) == ("open", None, "")
    event = AuditEvent.objects.filter(action="referral.send_back").get()
    assert event.before["proposed_reasons"] == "Weak." and event.reason == "Ask them for the seal log first."


def test_reassign_is_for_supervisors(officer, scs, supervisor, user_factory):
    r = referral(officer, assigned_to=scs)
    miami = user_factory("scs.miami@cbp.example", staff_role="scs", office="miami")
    before, totals = state(r, r.partner), counts()
    with pytest.raises(Forbidden):
        lifecycle.referral_reassign(actor=scs, referral_id=r.pk, assignee_id=miami.pk)
    with pytest.raises(InvalidInput):
        lifecycle.referral_reassign(actor=supervisor, referral_id=r.pk, assignee_id=officer.pk)
    assert state(r, r.partner) == before and counts() == totals
    lifecycle.referral_reassign(actor=supervisor, referral_id=r.pk, assignee_id=miami.pk, reason="Workload")
    r.refresh_from_db()
    r.partner.refresh_from_db()
    assert (r.assigned_to, r.field_office, r.partner.assigned_scs) == (miami, miami.field_office, miami)


def test_referral_page_shows_the_decision_and_the_actions_allowed(officer, scs, supervisor, login):
    r = referral(officer, assigned_to=scs)
    page = login(scs).get(f"/staff/referrals/{r.pk}/").content.decode()
    assert "Several Musts are not implemented." in page and "profile.musts_not_implemented_share" in page
    assert "Certify (Tier 1)" in page and "Propose denial" in page and "Reassign" not in page
    page = login(supervisor).get(f"/staff/referrals/{r.pk}/").content.decode()
    assert "Reassign" in page


def test_referral_actions_through_the_page(officer, scs, supervisor, supervisor2, login):
    r = referral(officer, assigned_to=scs)
    client = login(scs)
    response = client.post(f"/staff/referrals/{r.pk}/deny/", {"deny-reasons": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert client.post(f"/staff/referrals/{r.pk}/nonsense/", {}).status_code == 404
    response = client.post(f"/staff/referrals/{r.pk}/deny/", {"deny-reasons": "No seal control."})
    assert response.status_code == 302
    page = login(supervisor).get(f"/staff/referrals/{r.pk}/").content.decode()
    assert "Approve denial" in page and "No seal control." in page
    response = login(supervisor2).post(f"/staff/referrals/{r.pk}/approve/", {"approve-note": ""})
    assert response.status_code == 302
    r.partner.refresh_from_db()
    assert r.partner.status == "denied"


def test_referral_api(officer, scs, supervisor, client, auth_header):
    r = referral(officer, submitted_days_ago=30, assigned_to=scs)
    listed = client.get("/api/v1/lifecycle/referrals", **auth_header(scs)).json()
    assert listed["count"] == 1 and listed["items"][0]["certification_due"] == str(
        TODAY() + dt.timedelta(days=60)
    )
    detail = client.get(f"/api/v1/lifecycle/referrals/{r.pk}", **auth_header(scs)).json()
    assert detail["decision"]["decision"] == "referred" and detail["inputs"]["profile.submitted"] is True
    due = str(TODAY() + dt.timedelta(days=10))
    response = client.post(
        f"/api/v1/lifecycle/referrals/{r.pk}/info-requests",
        json.dumps({"message": "Send the seal log.", "due_on": due}),
        content_type="application/json",
        **auth_header(scs),
    )
    assert response.status_code == 201, response.content
    response = client.post(
        f"/api/v1/lifecycle/referrals/{r.pk}/info-requests",
        json.dumps({"message": "Again.", "due_on": str(TODAY() + dt.timedelta(days=45))}),
        content_type="application/json",
        **auth_header(scs),
    )
    assert response.status_code == 422 and response.json()["field"] == "due_on"
    response = client.post(
        f"/api/v1/lifecycle/referrals/{r.pk}/certify",
        json.dumps({"reasons": "Fine."}),
        content_type="application/json",
        **auth_header(scs),
    )
    assert response.status_code == 200 and response.json()["decision"] == "certified"
    assert (
        response.json()["decided_by"] == scs.email and Decision.objects.filter(kind="specialist").count() == 1
    )


def test_staff_api_is_404_for_companies(officer, scs, client, auth_header):
    r = referral(officer, assigned_to=scs)
    for url in (
        "/api/v1/lifecycle/referrals",
        f"/api/v1/lifecycle/referrals/{r.pk}",
        "/api/v1/lifecycle/deadlines",
    ):
        assert client.get(url, **auth_header(officer)).status_code == 404
    response = client.post(
        f"/api/v1/lifecycle/referrals/{r.pk}/certify",
        json.dumps({"reasons": "Please."}),
        content_type="application/json",
        **auth_header(officer),
    )
    assert response.status_code == 404
    r.partner.refresh_from_db()
    assert r.partner.status == "under_review"
