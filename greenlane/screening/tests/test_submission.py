import json

import pytest
from django.core import mail

from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Conflict, Forbidden
from greenlane.partners import services as partner_services
from greenlane.partners.models import Partner
from greenlane.partners.tests.factories import signed_importer
from greenlane.profiles import services as profile_services
from greenlane.screening import services
from greenlane.screening.models import Decision, Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@acme.example")


@pytest.fixture
def scs(user_factory):
    return user_factory("scs@cbp.example", staff_role="scs")


def test_a_clean_application_is_certified_at_once(officer, scs, django_capture_on_commit_callbacks):
    partner = signed_importer(officer)
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.application_submit(actor=officer, partner_id=partner.pk)
    partner.refresh_from_db()
    assert (decision.outcome, partner.status, partner.tier) == ("certified", "certified", 1)
    assert decision.validation_due.year == partner.certified_at.year + 1
    assert decision.inputs["profile.submitted"] is True
    assert decision.ruleset_version == "2026.1" and decision.profile_snapshot_id
    assert [e.action for e in AuditEvent.objects.filter(partner=partner).order_by("id")][-3:] == [
        "partner.submit",
        "screening.decision",
        "partner.decision",
    ]
    assert len(mail.outbox) == 1 and "Certified" in mail.outbox[0].subject


def test_gaps_in_musts_are_referred_with_reasons_and_a_deadline(officer, scs):
    partner = signed_importer(officer)
    # Reopen the profile: mark several Musts not implemented, with plans, and resubmit it.
    from greenlane.profiles import selectors

    profile = selectors.current_profile(partner)
    musts = [a.criterion.code for a in selectors.answers(profile) if a.criterion.level == "must"][:8]
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
    decision = services.application_submit(actor=officer, partner_id=partner.pk)
    partner.refresh_from_db()
    assert decision.outcome == "referred" and partner.status == "under_review"
    assert "must_not_implemented" in [r["code"] for r in decision.reasons]
    assert (decision.decision_due - partner.submitted_at.date()).days == 90
    referral = Referral.objects.get(decision=decision)
    assert referral.assigned_to == scs and partner.assigned_scs == scs


def test_an_ineligible_application_is_denied_with_the_appeal_path(officer, scs):
    partner = signed_importer(officer)
    Partner.objects.filter(pk=partner.pk).update(
        eligibility={**partner.eligibility, "continuous_bond": False}
    )
    decision = services.application_submit(actor=officer, partner_id=partner.pk)
    partner.refresh_from_db()
    assert (decision.outcome, partner.status) == ("denied", "denied")
    assert decision.reasons[0]["code"] == "ineligible"
    assert (decision.appeal_due - decision.decided_at.date()).days == 90


def test_same_inputs_same_rules_same_decision(officer, scs):
    from greenlane.screening.rules import evaluate

    partner = signed_importer(officer)
    decision = services.application_submit(actor=officer, partner_id=partner.pk)
    _version, ruleset = services.active_ruleset()
    again = evaluate(ruleset, decision.inputs)
    assert (again.outcome, again.score, [r.code for r in again.reasons]) == (
        decision.outcome,
        decision.score,
        [r["code"] for r in decision.reasons],
    )


def test_submitting_twice_is_refused_and_decides_once(officer, scs):
    partner = signed_importer(officer)
    services.application_submit(actor=officer, partner_id=partner.pk)
    with pytest.raises(Conflict):
        services.application_submit(actor=officer, partner_id=partner.pk)
    assert Decision.objects.filter(partner=partner).count() == 1


def test_only_the_officer_submits(officer, user_factory):
    partner = signed_importer(officer)
    consultant = user_factory("c@consult.example")
    partner_services.membership_add(
        actor=officer, partner_id=partner.pk, email=consultant.email, role="consultant"
    )
    with pytest.raises(Forbidden):
        services.application_submit(actor=consultant, partner_id=partner.pk)
    partner.refresh_from_db()
    assert partner.status == "draft" and not Decision.objects.exists()


def test_submit_api_returns_the_decision_body(officer, scs, client, auth_header):
    partner = signed_importer(officer)
    r = client.post(f"/api/v1/partners/{partner.pk}/submit", **auth_header(officer))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["decision"] == "certified" and body["partner_status"] == "certified"
    assert {"score", "reasons", "validation_due", "decision_due", "appeal_due"} <= set(body)
    listed = client.get(f"/api/v1/partners/{partner.pk}/decisions", **auth_header(officer)).json()
    assert [d["id"] for d in listed] == [body["id"]]


def test_ruleset_refused_with_the_line_and_never_activated(staff, client, auth_header):
    manager = staff["program_manager"]
    bad = (
        "ruleset: x\nversion: '9.9'\nthresholds: {certify_below: 1, deny_from: 2}\nindicators:\n"
        "  - id: a\n    when: {input: nope, op: is_true}\n    weight: 1\n    reason: r\n"
    )
    r = client.post(
        "/api/v1/screening/rulesets",
        json.dumps({"text": bad}),
        content_type="application/json",
        **auth_header(manager),
    )
    assert r.status_code == 422 and "line 6" in r.json()["detail"]
    from greenlane.screening.models import RuleSetVersion

    assert RuleSetVersion.objects.filter(version="9.9").count() == 0
    r = client.post(
        "/api/v1/screening/rulesets",
        json.dumps({"text": bad}),
        content_type="application/json",
        **auth_header(staff["scs"]),
    )
    assert r.status_code in (403, 422)
