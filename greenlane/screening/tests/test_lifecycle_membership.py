"""Suspension (cause and benefits), corrective action plans, reinstatement, removal and the one-year wait
before re-applying, withdrawal. Every refusal leaves the data as it was."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from greenlane.audit.models import AuditEvent
from greenlane.core import clocks
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.partners import services as partner_services
from greenlane.screening import deadlines, lifecycle
from greenlane.screening.models import CorrectiveActionPlan, Removal, Suspension

from .test_lifecycle_support import URLS, ago, certified, counts, enrolled, state

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

TODAY = timezone.localdate
BENEFITS = ["fast_lane", "fewer_exams"]


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@acme.example")


@pytest.fixture
def member(officer):
    return certified(officer, days_ago=200, name="Acme Member")


def suspend(actor, partner, *, cause="security_incident", benefits=BENEFITS):
    return lifecycle.suspension_start(
        actor=actor, partner_id=partner.pk, cause=cause, benefits=benefits, reason="Narcotics found in a box."
    )


def plan(officer, partner, text="Re-train staff by March; seal audits weekly."):
    return lifecycle.action_plan_submit(actor=officer, partner_id=partner.pk, text=text, consent=True)


# --- suspension ---------------------------------------------------------------------------------------------


def test_suspension_names_the_cause_and_the_benefits_withdrawn(staff, member):
    suspension = suspend(staff["scs"], member, benefits=["svi", "fast_lane", "fast_lane"])
    member.refresh_from_db()
    assert member.status == "suspended"
    assert (suspension.cause, suspension.benefits_withdrawn) == ("security_incident", ["fast_lane", "svi"])
    assert suspension.appeal_due == TODAY() + dt.timedelta(days=90)
    event = AuditEvent.objects.get(action="suspension.start")
    assert (
        event.after["benefits_withdrawn"] == ["fast_lane", "svi"]
        and event.reason == "Narcotics found in a box."
    )


@pytest.mark.parametrize(
    ("cause", "benefits", "fields"),
    [
        ("", BENEFITS, ["cause"]),
        ("bad_luck", BENEFITS, ["cause"]),
        ("security_incident", [], ["benefits"]),
        ("security_incident", ["free_lunch"], ["benefits"]),
        ("", None, ["cause", "benefits"]),
    ],
)
def test_suspension_requires_a_cause_and_benefits(staff, member, cause, benefits, fields):
    before, totals = state(member), counts()
    with pytest.raises(InvalidInput) as exc:
        suspend(staff["scs"], member, cause=cause, benefits=benefits)
    assert [e["field"] for e in exc.value.errors] == fields
    assert state(member) == before and counts() == totals


def test_only_specialists_suspend_and_only_certified_members(staff, officer, member):
    draft = enrolled(officer)
    before, totals = state(member, draft), counts()
    for role in ("auditor", "vetting_officer", "intelligence_analyst", "system_admin"):
        with pytest.raises(Forbidden):
            suspend(staff[role], member)
    with pytest.raises(NotFound):
        suspend(officer, member)
    with pytest.raises(Conflict):
        suspend(staff["scs"], draft)
    assert state(member, draft) == before and counts() == totals


def test_false_information_gives_a_30_day_appeal_window(staff, member):
    suspension = suspend(staff["program_manager"], member, cause="false_information")
    assert suspension.appeal_due == TODAY() + dt.timedelta(days=30)
    assert deadlines.suspension_appeal_due(suspension) == TODAY() + dt.timedelta(days=30)


def test_a_suspended_member_shows_as_suspended_with_its_benefits(staff, officer, member, login):
    suspend(staff["scs"], member)
    page = login(officer).get(f"/companies/{member.pk}/dates/").content.decode()
    assert "Suspended" in page and "FAST lane eligibility" in page and "Fewer compliance examinations" in page
    assert "Submit the plan" in page


# --- corrective action plans and reinstatement --------------------------------------------------------------


def test_reinstatement_is_refused_without_an_accepted_plan(staff, officer, member):
    scs = staff["scs"]
    suspension = suspend(scs, member)

    def refused():
        before, totals = state(member, suspension), counts()
        with pytest.raises(Conflict) as exc:
            lifecycle.suspension_reinstate(actor=scs, partner_id=member.pk, reason="All fixed.")
        assert "accepted corrective action plan" in exc.value.message
        assert state(member, suspension) == before and counts() == totals

    refused()  # no plan
    first = plan(officer, member)
    refused()  # submitted, not reviewed
    lifecycle.action_plan_review(actor=scs, plan_id=first.pk, accept=False, note="No timeframes.")
    refused()  # rejected


def test_reinstatement_with_an_accepted_plan_keeps_the_certification_date(staff, officer, member):
    scs = staff["scs"]
    certified_at = member.certified_at
    suspension = suspend(scs, member)
    submitted = plan(officer, member)
    assert submitted.consents_to_unannounced_visits is True
    lifecycle.action_plan_review(actor=scs, plan_id=submitted.pk, accept=True, note="Good plan.")
    lifecycle.suspension_reinstate(actor=scs, partner_id=member.pk, reason="Plan accepted; visit done.")
    member.refresh_from_db()
    suspension.refresh_from_db()
    assert (member.status, member.certified_at, member.tier) == ("certified", certified_at, 1)
    assert (suspension.end_kind, suspension.ended_by) == ("reinstated", scs) and suspension.ended_at


def test_plan_rules(staff, officer, member, user_factory):
    consultant = user_factory("consultant@help.example")
    partner_services.membership_add(
        actor=officer, partner_id=member.pk, email=consultant.email, role="consultant"
    )
    with pytest.raises(Conflict):  # not suspended
        plan(officer, member)
    suspend(staff["scs"], member)
    totals = counts()
    with pytest.raises(Forbidden):
        plan(consultant, member)
    with pytest.raises(InvalidInput) as exc:
        lifecycle.action_plan_submit(actor=officer, partner_id=member.pk, text="", consent=False)
    assert [e["field"] for e in exc.value.errors] == ["text", "consent"]
    assert counts() == totals
    first = plan(officer, member)
    with pytest.raises(Conflict):  # one plan under review at a time
        plan(officer, member, text="Another plan.")
    with pytest.raises(Forbidden):
        lifecycle.action_plan_review(actor=staff["auditor"], plan_id=first.pk, accept=True, note="ok")
    with pytest.raises(InvalidInput):
        lifecycle.action_plan_review(actor=staff["scs"], plan_id=first.pk, accept=True, note="")
    first.refresh_from_db()
    assert first.status == "submitted" and CorrectiveActionPlan.objects.count() == 1


def test_plan_and_reinstatement_through_the_pages(staff, officer, member, login):
    suspend(staff["scs"], member)
    company = login(officer)
    response = company.post(f"/companies/{member.pk}/action-plan/", {"plan-text": "Fix it all by June."})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = company.post(
        f"/companies/{member.pk}/action-plan/", {"plan-text": "Fix it all by June.", "plan-consent": "on"}
    )
    assert response.status_code == 302
    pending = CorrectiveActionPlan.objects.get()
    scs = login(staff["scs"])
    page = scs.get(f"/staff/partners/{member.pk}/lifecycle/").content.decode()
    assert "Fix it all by June." in page and "Record the review" in page
    response = scs.post(
        f"/staff/partners/{member.pk}/lifecycle/plan/",
        {"plan-plan_id": pending.pk, "plan-decision": "accept", "plan-note": "Fine."},
    )
    assert response.status_code == 302
    response = scs.post(
        f"/staff/partners/{member.pk}/lifecycle/reinstate/", {"reinstate-reason": "Plan accepted."}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == "certified"


def test_suspension_and_reinstatement_through_the_api(staff, officer, member, client, auth_header):
    scs = auth_header(staff["scs"])
    url = f"/api/v1/lifecycle/partners/{member.pk}/suspend"
    bad = client.post(
        url,
        json.dumps({"cause": "security_incident", "benefits": [], "reason": "x"}),
        content_type="application/json",
        **scs,
    )
    assert bad.status_code == 422 and bad.json()["field"] == "benefits"
    response = client.post(
        url,
        json.dumps({"cause": "failed_validation", "benefits": ["mra"], "reason": "Validation failed."}),
        content_type="application/json",
        **scs,
    )
    assert response.status_code == 201, response.content
    assert response.json()["benefits_withdrawn"] == ["mra"]
    refused = client.post(
        f"/api/v1/lifecycle/partners/{member.pk}/reinstate",
        json.dumps({"reason": "Done."}),
        content_type="application/json",
        **scs,
    )
    assert refused.status_code == 409
    response = client.post(
        f"/api/v1/partners/{member.pk}/action-plans",
        json.dumps({"text": "Plan.", "consent_unannounced_visits": True}),
        content_type="application/json",
        **auth_header(officer),
    )
    assert response.status_code == 201, response.content
    plan_id = response.json()["id"]
    response = client.post(
        f"/api/v1/lifecycle/action-plans/{plan_id}/review",
        json.dumps({"accept": True, "note": "Fine."}),
        content_type="application/json",
        **scs,
    )
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    listed = client.get(f"/api/v1/partners/{member.pk}/suspensions", **auth_header(officer)).json()
    assert listed[0]["action_plans"][0]["status"] == "accepted"
    # A company cannot reach the staff operations, on its own company or another.
    for path in (
        f"/api/v1/lifecycle/partners/{member.pk}/reinstate",
        f"/api/v1/lifecycle/action-plans/{plan_id}/review",
    ):
        body = json.dumps({"reason": "x", "accept": True, "note": "x"})
        assert (
            client.post(path, body, content_type="application/json", **auth_header(officer)).status_code
            == 404
        )


# --- removal and re-application -----------------------------------------------------------------------------


def test_removal_is_for_supervisors_and_program_managers(staff, member):
    before, totals = state(member), counts()
    for role in ("scs", "auditor", "vetting_officer", "system_admin"):
        with pytest.raises(Forbidden):
            lifecycle.partner_remove(
                actor=staff[role], partner_id=member.pk, cause="security_incident", reason="x"
            )
    with pytest.raises(InvalidInput) as exc:
        lifecycle.partner_remove(actor=staff["supervisory_scs"], partner_id=member.pk, cause="", reason="")
    assert [e["field"] for e in exc.value.errors] == ["cause", "reason"]
    assert state(member) == before and counts() == totals


def test_removing_a_suspended_member_ends_the_suspension(staff, member):
    suspension = suspend(staff["scs"], member)
    removal = lifecycle.partner_remove(
        actor=staff["supervisory_scs"],
        partner_id=member.pk,
        cause="false_information",
        reason="Forged papers.",
    )
    member.refresh_from_db()
    suspension.refresh_from_db()
    assert member.status == "removed" and member.tier == 0
    assert (suspension.end_kind, removal.suspension_id) == ("removed", suspension.pk)
    assert removal.appeal_due == TODAY() + dt.timedelta(days=30)
    assert deadlines.reapply_from(removal) == clocks.reapply_allowed_from(TODAY())
    with pytest.raises(Conflict):
        lifecycle.partner_remove(
            actor=staff["program_manager"], partner_id=member.pk, cause="security_incident", reason="x"
        )


def test_reapplying_within_a_year_is_refused(staff, officer, member):
    removal = lifecycle.partner_remove(
        actor=staff["program_manager"], partner_id=member.pk, cause="security_incident", reason="Seizure."
    )
    member.refresh_from_db()
    before, totals = state(member), counts()
    with pytest.raises(Conflict) as exc:
        lifecycle.removal_reapply(actor=officer, partner_id=member.pk)
    allowed = clocks.reapply_allowed_from(TODAY())
    assert allowed.isoformat() in exc.value.message
    with pytest.raises(Conflict):
        lifecycle.check_reapply_allowed(member)
    with pytest.raises(Conflict):
        lifecycle.check_reapply_allowed(member, on=allowed - dt.timedelta(days=1))
    lifecycle.check_reapply_allowed(member, on=allowed)
    assert state(member) == before and counts() == totals
    # A year later the company officer re-opens the application.
    Removal.objects.filter(pk=removal.pk).update(removed_at=ago(366))
    partner = lifecycle.removal_reapply(actor=officer, partner_id=member.pk)
    assert partner.status == "draft"
    assert AuditEvent.objects.filter(action="partner.reapply", partner=member).count() == 1


def test_enrolling_a_new_partner_with_a_removed_identifier_is_refused_for_a_year(
    staff, officer, user_factory
):
    mid = [partner_services.IdentifierInput("mid", "CNACMSHO123SHA")]
    removed = certified(officer, entity_type="foreign_manufacturer", identifiers=mid)
    lifecycle.partner_remove(
        actor=staff["program_manager"], partner_id=removed.pk, cause="security_incident", reason="Seizure."
    )
    with pytest.raises(Conflict) as exc:
        lifecycle.check_enrollment_allowed(
            entity_type="foreign_manufacturer", identifiers=[("mid", "cnacmsho123sha")]
        )
    assert "may re-apply from" in exc.value.message
    # Another entity type, other identifiers, unparseable identifiers: not this rule's business.
    lifecycle.check_enrollment_allowed(entity_type="importer", identifiers=[("mid", "CNACMSHO123SHA")])
    lifecycle.check_enrollment_allowed(
        entity_type="foreign_manufacturer", identifiers=[("mid", "CNOTHER1SHA")]
    )
    lifecycle.check_enrollment_allowed(entity_type="foreign_manufacturer", identifiers=[("nope", "x")])
    later = clocks.reapply_allowed_from(TODAY())
    lifecycle.check_enrollment_allowed(
        entity_type="foreign_manufacturer", identifiers=[("mid", "CNACMSHO123SHA")], on=later
    )


def test_enrolling_again_within_a_year_is_refused(staff, officer, user_factory):
    mid = [partner_services.IdentifierInput("mid", "CNACMSHO123SHA")]
    removed = certified(officer, entity_type="foreign_manufacturer", identifiers=mid)
    lifecycle.partner_remove(
        actor=staff["program_manager"], partner_id=removed.pk, cause="security_incident", reason="Seizure."
    )
    newcomer = user_factory("new@acme.example")
    totals = counts()
    with pytest.raises(Conflict) as exc:
        enrolled(newcomer, entity_type="foreign_manufacturer", identifiers=mid)
    assert "may re-apply from" in exc.value.message and counts() == totals


def test_removal_through_the_page_and_the_dates_it_leaves(staff, officer, member, login):
    client = login(staff["supervisory_scs"])
    response = client.post(
        f"/staff/partners/{member.pk}/lifecycle/remove/", {"remove-cause": "", "remove-reason": ""}
    )
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = client.post(
        f"/staff/partners/{member.pk}/lifecycle/remove/",
        {"remove-cause": "security_incident", "remove-reason": "Seizure at the border."},
    )
    assert response.status_code == 302
    dates = deadlines.partner_dates(member.__class__.objects.get(pk=member.pk))
    kinds = {i.kind: i for i in dates.items}
    assert kinds["reapply"].due == clocks.reapply_allowed_from(TODAY()) and kinds["reapply"].state == "later"
    assert kinds["appeal_window"].due == TODAY() + dt.timedelta(days=90)
    page = login(officer).get(f"/companies/{member.pk}/dates/").content.decode()
    assert "Earliest re-application" in page and "Re-open the application" not in page


def test_scs_sees_no_removal_form(staff, member, login):
    page = login(staff["scs"]).get(f"/staff/partners/{member.pk}/lifecycle/").content.decode()
    assert "Suspend the member" in page and "Remove the member" not in page
    assert (
        login(staff["scs"])
        .post(
            f"/staff/partners/{member.pk}/lifecycle/remove/",
            {"remove-cause": "security_incident", "remove-reason": "x"},
        )
        .status_code
        == 200
    )
    member.refresh_from_db()
    assert member.status == "certified" and not Removal.objects.exists() and not Suspension.objects.exists()


# --- withdrawal (partners) is surfaced ----------------------------------------------------------------------


def test_withdrawal_is_offered_to_the_officer(officer, member, login, user_factory):
    page = login(officer).get(f"/companies/{member.pk}/dates/").content.decode()
    assert f"/companies/{member.pk}/withdraw/" in page
    contributor = user_factory("c@acme.example")
    partner_services.membership_add(
        actor=officer, partner_id=member.pk, email=contributor.email, role="contributor"
    )
    page = login(contributor).get(f"/companies/{member.pk}/dates/").content.decode()
    assert f"/companies/{member.pk}/withdraw/" not in page
