"""From a real submission to the end of the lifecycle: the automated decision refers the application, the
specialist asks for information, the company answers, the specialist certifies; later the member is
suspended, submits a plan, is reinstated. And a denial appealed and overturned back into review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from greenlane.audit.models import AuditEvent
from greenlane.partners.models import Partner
from greenlane.partners.tests.factories import signed_importer
from greenlane.profiles import selectors as profile_selectors
from greenlane.profiles import services as profile_services
from greenlane.screening import deadlines, lifecycle, services
from greenlane.screening.models import Referral

from .test_lifecycle_support import URLS

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@acme.example")


def _with_gaps(officer):
    partner = signed_importer(officer)
    profile = profile_selectors.current_profile(partner)
    musts = [a.criterion.code for a in profile_selectors.answers(profile) if a.criterion.level == "must"][:8]
    plan = {"owner": "Pat", "due_date": "2027-06-30", "steps": "Write and roll out the procedure."}
    for code in musts:
        profile_services.answer_save(
            actor=officer,
            partner_id=partner.pk,
            criterion_code=code,
            status="not_implemented",
            action_plan=plan,
        )
    profile_services.profile_submit(actor=officer, partner_id=partner.pk)
    return partner


def test_referred_application_worked_to_certification_then_suspended_and_reinstated(officer, staff, login):
    scs = staff["scs"]
    partner = _with_gaps(officer)
    decision = services.application_submit(actor=officer, partner_id=partner.pk)
    assert decision.outcome == "referred"
    referral = Referral.objects.get(decision=decision)
    row = deadlines.referral_queue(assigned_to=scs.pk)[0]
    assert row.referral == referral and row.due == decision.decision_due

    page = login(scs).get(f"/staff/referrals/{referral.pk}/").content.decode()
    assert "must_not_implemented" in page
    request = lifecycle.referral_request_info(
        actor=scs,
        referral_id=referral.pk,
        message="Send the plan for the open Musts.",
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    lifecycle.info_request_answer(
        actor=officer, partner_id=partner.pk, request_id=request.pk, response="Plans attached."
    )
    certified = lifecycle.referral_certify(actor=scs, referral_id=referral.pk, reasons="Plans are credible.")
    partner.refresh_from_db()
    assert (partner.status, partner.tier, certified.kind) == ("certified", 1, "specialist")

    lifecycle.suspension_start(
        actor=scs,
        partner_id=partner.pk,
        cause="missed_annual_review",
        benefits=["svi"],
        reason="Review missed.",
    )
    plan = lifecycle.action_plan_submit(
        actor=officer, partner_id=partner.pk, text="Review by Friday.", consent=True
    )
    lifecycle.action_plan_review(actor=scs, plan_id=plan.pk, accept=True, note="Fine.")
    lifecycle.suspension_reinstate(actor=scs, partner_id=partner.pk, reason="Review done.")
    partner.refresh_from_db()
    assert partner.status == "certified"
    actions = list(AuditEvent.objects.filter(partner=partner).order_by("id").values_list("action", flat=True))
    for expected in (
        "screening.decision",
        "referral.request_info",
        "info_request.answer",
        "suspension.start",
        "action_plan.submit",
        "action_plan.accept",
        "suspension.reinstate",
    ):
        assert expected in actions


def test_denied_application_appealed_and_overturned_back_into_review(officer, staff):
    partner = signed_importer(officer)
    Partner.objects.filter(pk=partner.pk).update(
        eligibility={**partner.eligibility, "continuous_bond": False}
    )
    decision = services.application_submit(actor=officer, partner_id=partner.pk)
    assert decision.outcome == "denied"
    appeal = lifecycle.appeal_file(
        actor=officer, partner_id=partner.pk, subject="denial", grounds="Our bond was active."
    )
    assert appeal.decision_id == decision.pk and appeal.filing_deadline == decision.appeal_due
    lifecycle.appeal_decide(
        actor=staff["program_manager"], appeal_id=appeal.pk, outcome="overturned", note="Bond verified."
    )
    partner.refresh_from_db()
    assert partner.status == "under_review"
    assert [r.referral.partner_id for r in deadlines.referral_queue()] == [partner.pk]
