"""Appeals: filed by the company officer within the window (90 days, 30 for false information), refused
after it with the date it closed, decided within 180 days by a supervisor; what overturning does."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from greenlane.core import clocks
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.partners import services as partner_services
from greenlane.screening import deadlines, lifecycle
from greenlane.screening.models import Appeal, Referral, Removal, Suspension

from .test_lifecycle_support import URLS, ago, certified, counts, denied, state

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

TODAY = timezone.localdate


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@acme.example")


def file(officer, partner, subject="denial", grounds="The bond was renewed before the decision."):
    return lifecycle.appeal_file(actor=officer, partner_id=partner.pk, subject=subject, grounds=grounds)


def suspended(staff, officer, *, cause="security_incident", days_ago=0):
    member = certified(officer, days_ago=300)
    suspension = lifecycle.suspension_start(
        actor=staff["scs"], partner_id=member.pk, cause=cause, benefits=["fast_lane"], reason="Incident."
    )
    Suspension.objects.filter(pk=suspension.pk).update(started_at=ago(days_ago))
    member.refresh_from_db()
    suspension.refresh_from_db()
    return member, suspension


# --- filing and its windows ---------------------------------------------------------------------------------


def test_a_denial_is_appealed_within_90_days_and_decided_within_180(officer):
    partner, decision = denied(officer, days_ago=90)
    appeal = file(officer, partner)
    assert (appeal.subject, appeal.decision_id, appeal.status) == ("denial", decision.pk, "filed")
    assert appeal.filing_deadline == TODAY()
    assert appeal.decision_due == TODAY() + dt.timedelta(days=180) == deadlines.appeal_decision_due(appeal)


def test_a_late_appeal_is_refused_with_the_date_the_window_closed(officer):
    partner, _decision = denied(officer, days_ago=91)
    before, totals = state(partner), counts()
    with pytest.raises(Conflict) as exc:
        file(officer, partner)
    closed = TODAY() - dt.timedelta(days=1)
    assert f"closed on {closed.isoformat()}" in exc.value.message and "90 days" in exc.value.message
    assert state(partner) == before and counts() == totals


@pytest.mark.parametrize(
    ("cause", "days_ago", "accepted"),
    [
        ("false_information", 30, True),
        ("false_information", 31, False),
        ("security_incident", 31, True),
        ("security_incident", 90, True),
        ("failed_validation", 91, False),
    ],
)
def test_suspension_appeal_windows(staff, officer, cause, days_ago, accepted):
    member, suspension = suspended(staff, officer, cause=cause, days_ago=days_ago)
    if accepted:
        appeal = file(officer, member, subject="suspension")
        assert appeal.suspension_id == suspension.pk
        assert appeal.filing_deadline == deadlines.suspension_appeal_due(suspension)
    else:
        totals = counts()
        with pytest.raises(Conflict) as exc:
            file(officer, member, subject="suspension")
        assert deadlines.suspension_appeal_due(suspension).isoformat() in exc.value.message
        assert counts() == totals


def test_a_removal_is_appealed(staff, officer):
    member = certified(officer, days_ago=400)
    removal = lifecycle.partner_remove(
        actor=staff["program_manager"],
        partner_id=member.pk,
        cause="false_information",
        reason="Forged papers.",
    )
    Removal.objects.filter(pk=removal.pk).update(removed_at=ago(31))
    totals = counts()
    with pytest.raises(Conflict):
        file(officer, member, subject="removal")
    assert counts() == totals
    Removal.objects.filter(pk=removal.pk).update(removed_at=ago(30))
    appeal = file(officer, member, subject="removal")
    assert appeal.removal_id == removal.pk


def test_filing_rules(officer, user_factory, staff):
    partner, _decision = denied(officer)
    consultant = user_factory("consultant@help.example")
    partner_services.membership_add(
        actor=officer, partner_id=partner.pk, email=consultant.email, role="consultant"
    )
    stranger = user_factory("stranger@rival.example")
    totals = counts()
    with pytest.raises(Forbidden):
        file(consultant, partner)
    with pytest.raises(NotFound):
        file(stranger, partner)
    with pytest.raises(Forbidden):
        file(staff["supervisory_scs"], partner)
    with pytest.raises(InvalidInput) as exc:
        lifecycle.appeal_file(actor=officer, partner_id=partner.pk, subject="tax", grounds="")
    assert [e["field"] for e in exc.value.errors] == ["subject", "grounds"]
    with pytest.raises(Conflict):  # nothing suspended to appeal
        file(officer, partner, subject="suspension")
    assert counts() == totals
    appeal = file(officer, partner)
    totals = counts()
    with pytest.raises(Conflict) as exc:
        file(officer, partner)
    assert "already filed" in exc.value.message and counts() == totals
    lifecycle.appeal_withdraw(actor=officer, partner_id=partner.pk, appeal_id=appeal.pk)
    again = file(officer, partner, grounds="Better grounds.")
    assert again.pk != appeal.pk and Appeal.objects.filter(status="withdrawn").count() == 1


# --- deciding -----------------------------------------------------------------------------------------------


def test_only_supervisors_decide_and_with_a_note(staff, officer):
    partner, _decision = denied(officer)
    appeal = file(officer, partner)
    before, totals = state(appeal, partner), counts()
    for role in ("scs", "auditor", "vetting_officer", "system_admin"):
        with pytest.raises(Forbidden):
            lifecycle.appeal_decide(actor=staff[role], appeal_id=appeal.pk, outcome="overturned", note="x")
    with pytest.raises(NotFound):
        lifecycle.appeal_decide(actor=officer, appeal_id=appeal.pk, outcome="overturned", note="x")
    with pytest.raises(InvalidInput) as exc:
        lifecycle.appeal_decide(actor=staff["supervisory_scs"], appeal_id=appeal.pk, outcome="maybe", note="")
    assert [e["field"] for e in exc.value.errors] == ["outcome", "note"]
    assert state(appeal, partner) == before and counts() == totals


def test_upholding_changes_nothing_else(staff, officer):
    partner, _decision = denied(officer)
    appeal = file(officer, partner)
    lifecycle.appeal_decide(
        actor=staff["program_manager"], appeal_id=appeal.pk, outcome="upheld", note="Stands."
    )
    appeal.refresh_from_db()
    partner.refresh_from_db()
    assert (appeal.status, appeal.decision_note, partner.status) == ("upheld", "Stands.", "denied")
    with pytest.raises(Conflict):
        lifecycle.appeal_decide(
            actor=staff["program_manager"], appeal_id=appeal.pk, outcome="overturned", note="x"
        )


def test_overturning_a_denial_reopens_review_with_a_new_referral(staff, officer):
    partner, _decision = denied(officer, days_ago=20)
    appeal = file(officer, partner)
    lifecycle.appeal_decide(
        actor=staff["supervisory_scs"], appeal_id=appeal.pk, outcome="overturned", note="The bond was valid."
    )
    partner.refresh_from_db()
    referral = Referral.objects.get(partner=partner)
    assert partner.status == "under_review" and referral.status == "open"
    assert referral.decision.kind == "specialist" and referral.decision.outcome == "referred"
    assert referral.submitted_on == TODAY() and referral.assigned_to == staff["scs"]
    assert deadlines.referral_due(referral) == TODAY() + dt.timedelta(days=90)


def test_overturning_a_suspension_reinstates(staff, officer):
    member, suspension = suspended(staff, officer)
    certified_at = member.certified_at
    appeal = file(officer, member, subject="suspension")
    lifecycle.appeal_decide(
        actor=staff["program_manager"], appeal_id=appeal.pk, outcome="overturned", note="No."
    )
    member.refresh_from_db()
    suspension.refresh_from_db()
    assert (member.status, member.certified_at, suspension.end_kind) == (
        "certified",
        certified_at,
        "overturned",
    )


def test_overturning_a_removal_returns_the_company_to_draft_without_the_wait(staff, officer):
    member = certified(officer, days_ago=400)
    removal = lifecycle.partner_remove(
        actor=staff["program_manager"], partner_id=member.pk, cause="security_incident", reason="Seizure."
    )
    appeal = file(officer, member, subject="removal")
    lifecycle.appeal_decide(
        actor=staff["supervisory_scs"], appeal_id=appeal.pk, outcome="overturned", note="Wrong box."
    )
    member.refresh_from_db()
    removal.refresh_from_db()
    assert member.status == "draft" and removal.overturned_at is not None
    lifecycle.check_reapply_allowed(member)  # no waiting year after an overturned removal
    lifecycle.check_enrollment_allowed(entity_type="importer", identifiers=[("ior", "12-0000000AA")])


# --- pages and API ------------------------------------------------------------------------------------------


def test_company_appeal_page(officer, login):
    partner, _decision = denied(officer, days_ago=95)
    client = login(officer)
    page = client.get(f"/companies/{partner.pk}/appeals/").content.decode()
    closed = (TODAY() - dt.timedelta(days=5)).isoformat()
    assert f"until {closed}" in page
    response = client.post(
        f"/companies/{partner.pk}/appeals/", {"appeal-subject": "denial", "appeal-grounds": "Late but right."}
    )
    assert response.status_code == 200 and f"closed on {closed}" in response.content.decode()
    assert not Appeal.objects.exists()


def test_appeal_round_trip_in_pages(staff, officer, login):
    partner, _decision = denied(officer, days_ago=3)
    company = login(officer)
    response = company.post(
        f"/companies/{partner.pk}/appeals/", {"appeal-subject": "denial", "appeal-grounds": "Bond renewed."}
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    supervisor = login(staff["supervisory_scs"])
    queue = supervisor.get("/staff/appeals/").content.decode()
    assert partner.legal_name in queue
    page = supervisor.get(f"/staff/appeals/{appeal.pk}/").content.decode()
    assert "Bond renewed." in page and "Record the decision" in page
    assert (
        "Record the decision" not in login(staff["scs"]).get(f"/staff/appeals/{appeal.pk}/").content.decode()
    )
    response = supervisor.post(
        f"/staff/appeals/{appeal.pk}/decide/",
        {"decide-outcome": "upheld", "decide-note": "The denial stands."},
    )
    assert response.status_code == 302
    page = company.get(f"/companies/{partner.pk}/appeals/").content.decode()
    assert "The denial stands." in page
    assert company.get(f"/staff/appeals/{appeal.pk}/").status_code == 404


def test_appeal_api(staff, officer, client, auth_header, user_factory):
    partner, _decision = denied(officer, days_ago=10)
    url = f"/api/v1/partners/{partner.pk}/appeals"
    stranger = user_factory("stranger@rival.example")
    body = json.dumps({"subject": "denial", "grounds": "Bond renewed."})
    assert client.post(url, body, content_type="application/json", **auth_header(stranger)).status_code == 404
    bad = client.post(
        url,
        json.dumps({"subject": "tax", "grounds": "x"}),
        content_type="application/json",
        **auth_header(officer),
    )
    assert bad.status_code == 422
    response = client.post(url, body, content_type="application/json", **auth_header(officer))
    assert response.status_code == 201, response.content
    appeal = response.json()
    assert appeal["decision_due"] == str(TODAY() + dt.timedelta(days=180))
    assert appeal["filing_deadline"] == str(
        clocks.appeal_due(TODAY() - dt.timedelta(days=10), false_information=False)
    )
    assert client.post(url, body, content_type="application/json", **auth_header(officer)).status_code == 409
    assert [a["id"] for a in client.get(url, **auth_header(officer)).json()] == [appeal["id"]]
    listed = client.get("/api/v1/lifecycle/appeals?status=filed", **auth_header(staff["scs"])).json()
    assert [a["id"] for a in listed["items"]] == [appeal["id"]]
    decide = f"/api/v1/lifecycle/appeals/{appeal['id']}/decide"
    body = json.dumps({"outcome": "overturned", "note": "Valid bond."})
    assert (
        client.post(decide, body, content_type="application/json", **auth_header(officer)).status_code == 404
    )
    assert (
        client.post(decide, body, content_type="application/json", **auth_header(staff["scs"])).status_code
        == 403
    )
    response = client.post(
        decide, body, content_type="application/json", **auth_header(staff["program_manager"])
    )
    assert response.status_code == 200 and response.json()["status"] == "overturned"
