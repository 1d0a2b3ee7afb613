"""The validation flow through its services: allowed steps, and every refusal leaves nothing changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.partners.models import TierChange
from greenlane.screening import deadlines
from greenlane.screening.models import Suspension
from greenlane.validations import services
from greenlane.validations.models import Finding, HoursEntry, ReportReview, ValidationItem
from greenlane.validations.snapshot import codes

from .support import member, opened, ready_report, record_all, state

pytestmark = pytest.mark.django_db
YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def _events() -> int:
    return AuditEvent.objects.count()


def test_create_uses_the_latest_frozen_profile_and_all_sites(scs, partner):
    v = opened(scs, partner, planned_month=dt.date(2027, 3, 17))
    assert v.status == "planned"
    assert v.snapshot.profile.partner_id == partner.pk
    assert v.planned_month == dt.date(2027, 3, 1)
    assert v.sites.filter(included=True).count() == 2
    assert AuditEvent.objects.filter(action="validation.create", object_id=str(v.pk)).count() == 1


def test_create_refused_for_trade_non_certified_and_twice(scs, officer, partner, user_factory):
    with pytest.raises(NotFound):
        services.validation_create(actor=officer, partner_id=partner.pk, kind="initial", specialist_id=scs.pk)
    auditor = user_factory("aud@cbp.example", staff_role="auditor")
    with pytest.raises(Forbidden):
        services.validation_create(actor=auditor, partner_id=partner.pk, kind="initial", specialist_id=scs.pk)
    with pytest.raises(InvalidInput) as exc:
        services.validation_create(actor=scs, partner_id=partner.pk, kind="weekly", specialist_id=officer.pk)
    assert {e["field"] for e in exc.value.errors} == {"kind", "specialist"}
    opened(scs, partner)
    with pytest.raises(Conflict):
        opened(scs, partner)
    assert partner.validations.count() == 1


def test_finding_on_a_criterion_not_in_the_frozen_profile_is_refused_and_nothing_is_stored(scs, partner):
    v = opened(scs, partner)
    good = sorted(codes(v.snapshot))[0]
    before, n = state(v), _events()
    with pytest.raises(InvalidInput) as exc:
        services.findings_record(
            actor=scs,
            validation_id=v.pk,
            rows=[{"code": good, "result": "meets"}, {"code": "99.99", "result": "meets"}],
        )
    assert exc.value.field == "findings.99.99"
    assert "not in the frozen profile" in exc.value.message
    assert Finding.objects.count() == 0
    assert state(v) == before and _events() == n


def test_findings_record_and_update_start_the_work(scs, partner):
    v = opened(scs, partner)
    code = sorted(codes(v.snapshot))[0]
    services.findings_record(actor=scs, validation_id=v.pk, rows=[{"code": code, "result": "meets"}])
    v.refresh_from_db()
    assert v.status == "in_progress"
    services.findings_record(
        actor=scs, validation_id=v.pk, rows=[{"code": code, "result": "does_not_meet", "note": "No seal log"}]
    )
    assert Finding.objects.get(validation=v).result == "does_not_meet"
    with pytest.raises(InvalidInput):
        services.findings_record(actor=scs, validation_id=v.pk, rows=[{"code": code, "result": "maybe"}])
    assert Finding.objects.get(validation=v).result == "does_not_meet"


@pytest.mark.parametrize("hours", ["-1", "0", "24.5", "1000", "abc", "1.333", "NaN", "Infinity"])
def test_negative_or_absurd_hours_are_refused_and_nothing_changes(scs, partner, hours):
    v = opened(scs, partner)
    before, n = state(v), _events()
    with pytest.raises(InvalidInput) as exc:
        services.hours_record(actor=scs, validation_id=v.pk, activity="on_site", hours=hours, on=YESTERDAY)
    assert exc.value.field == "hours"
    assert HoursEntry.objects.count() == 0
    assert state(v) == before and _events() == n


def test_a_day_never_totals_more_than_24_hours_and_no_future_days(scs, partner):
    v = opened(scs, partner)
    services.hours_record(actor=scs, validation_id=v.pk, activity="travel", hours="20", on=YESTERDAY)
    with pytest.raises(InvalidInput):
        services.hours_record(actor=scs, validation_id=v.pk, activity="on_site", hours="5", on=YESTERDAY)
    with pytest.raises(InvalidInput) as exc:
        services.hours_record(
            actor=scs, validation_id=v.pk, activity="on_site", hours="2", on=YESTERDAY + dt.timedelta(days=3)
        )
    assert exc.value.field == "on"
    assert list(HoursEntry.objects.values_list("hours", flat=True)) == [Decimal("20.00")]


def test_report_approved_by_its_author_is_refused_and_nothing_changes(scs, supervisor, partner):
    v = opened(scs, partner, kind="initial")
    # The supervisor leads this one, then tries to approve their own report.
    v2 = member(partner.memberships.first().user, name="Second Co")
    own = services.validation_create(
        actor=supervisor, partner_id=v2.pk, kind="initial", specialist_id=supervisor.pk
    )
    ready_report(supervisor, own)
    services.report_submit(actor=supervisor, validation_id=own.pk, outcome="meets", summary="All met.")
    before, n = state(own), _events()
    with pytest.raises(Forbidden) as exc:
        services.report_review(actor=supervisor, validation_id=own.pk, decision="approve")
    assert "own author" in exc.value.message
    assert state(own) == before and _events() == n
    assert ReportReview.objects.get(validation=own).decision == ""
    # A plain specialist cannot review at all.
    with pytest.raises(Forbidden):
        services.report_review(actor=scs, validation_id=own.pk, decision="approve")
    assert v.status == "planned"


def test_report_needs_every_finding_hours_and_actions_for_gaps(scs, partner):
    v = opened(scs, partner)
    with pytest.raises(Conflict):
        services.report_submit(actor=scs, validation_id=v.pk, outcome="meets", summary="x")
    first = sorted(codes(v.snapshot))[0]
    services.findings_record(actor=scs, validation_id=v.pk, rows=[{"code": first, "result": "meets"}])
    with pytest.raises(InvalidInput) as exc:
        services.report_submit(actor=scs, validation_id=v.pk, outcome="exceeds", summary="x")
    fields = {e["field"] for e in exc.value.errors}
    assert fields == {"findings", "hours", "outcome"}
    record_all(scs, v)
    services.findings_record(actor=scs, validation_id=v.pk, rows=[{"code": first, "result": "does_not_meet"}])
    services.hours_record(actor=scs, validation_id=v.pk, activity="report", hours="3", on=YESTERDAY)
    with pytest.raises(InvalidInput) as exc:
        services.report_submit(actor=scs, validation_id=v.pk, outcome="meets", summary="x")
    assert exc.value.field == "items"
    services.item_create(
        actor=scs, validation_id=v.pk, kind="required_action", text_="Fix it", criterion_code=first
    )
    review = services.report_submit(actor=scs, validation_id=v.pk, outcome="meets", summary="Mostly met.")
    v.refresh_from_db()
    assert v.status == "report_review" and review.proposed_outcome == "meets"


def test_full_flow_meets_sets_tier_2_and_feeds_the_revalidation_clock(
    scs, supervisor, officer, partner, django_capture_on_commit_callbacks, mailoutbox
):
    v = opened(scs, partner)
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_schedule(
            actor=scs,
            validation_id=v.pk,
            kind="on_site",
            site_id=partner.sites.first().pk,
            scheduled_for=timezone.now() + dt.timedelta(days=10),
        )
    assert mailoutbox and officer.email in mailoutbox[-1].to
    v.refresh_from_db()
    assert v.status == "scheduled"
    ready_report(scs, v)
    first = sorted(codes(v.snapshot))[0]
    item = services.item_create(
        actor=scs, validation_id=v.pk, kind="required_action", text_="Log seals", criterion_code=first
    )
    services.report_submit(actor=scs, validation_id=v.pk, outcome="meets", summary="Met.")
    with pytest.raises(InvalidInput):
        services.report_review(actor=supervisor, validation_id=v.pk, decision="return", comment="")
    services.report_review(actor=supervisor, validation_id=v.pk, decision="return", comment="Add detail.")
    services.report_submit(actor=scs, validation_id=v.pk, outcome="meets", summary="Met, with detail.")
    services.report_review(actor=supervisor, validation_id=v.pk, decision="approve")
    v.refresh_from_db()
    assert v.status == "published" and v.published_at and v.supervisor_id == supervisor.pk
    with pytest.raises(Conflict):
        services.validation_close(actor=scs, validation_id=v.pk)
    with pytest.raises(Conflict):
        services.item_close(actor=scs, validation_id=v.pk, item_id=item.pk)
    with pytest.raises(NotFound):
        services.item_respond(actor=scs, validation_id=v.pk, item_id=item.pk, response="x")
    services.item_respond(
        actor=officer, validation_id=v.pk, item_id=item.pk, response="We will log every seal."
    )
    services.item_close(actor=scs, validation_id=v.pk, item_id=item.pk, note="Plan accepted.")
    services.validation_close(actor=scs, validation_id=v.pk)
    v.refresh_from_db()
    partner.refresh_from_db()
    assert v.status == "closed" and v.tier_result == 2 and partner.tier == 2
    assert v.revalidation_due == timezone.localdate().replace(year=timezone.localdate().year + 4)
    assert TierChange.objects.filter(partner=partner, to_tier=2).count() == 1
    assert deadlines.last_validated(partner) == timezone.localdate()


def test_exceeds_needs_a_verified_best_practice_and_sets_tier_3(scs, supervisor, partner):
    v = opened(scs, partner)
    ready_report(scs, v)
    bp = services.item_create(
        actor=scs, validation_id=v.pk, kind="best_practice", text_="Seal audits by video"
    )
    with pytest.raises(InvalidInput):
        services.report_submit(actor=scs, validation_id=v.pk, outcome="exceeds", summary="Exceeds.")
    services.item_verify(actor=scs, validation_id=v.pk, item_id=bp.pk, verified=True)
    services.report_submit(actor=scs, validation_id=v.pk, outcome="exceeds", summary="Exceeds.")
    services.report_review(actor=supervisor, validation_id=v.pk, decision="approve")
    services.validation_close(actor=scs, validation_id=v.pk)
    partner.refresh_from_db()
    assert partner.tier == 3


def test_failure_opens_a_suspension(scs, supervisor, partner):
    v = opened(scs, partner)
    ready_report(scs, v)
    services.report_submit(actor=scs, validation_id=v.pk, outcome="fails", summary="Fails.")
    services.report_review(actor=supervisor, validation_id=v.pk, decision="approve")
    services.validation_close(actor=scs, validation_id=v.pk)
    partner.refresh_from_db()
    assert partner.status == "suspended"
    s = Suspension.objects.get(partner=partner)
    assert s.cause == "failed_validation" and "fast_lane" in s.benefits_withdrawn


def test_document_request_answered_by_the_company_with_a_checked_file(scs, officer, partner, user_factory):
    v = opened(scs, partner)
    with pytest.raises(InvalidInput):
        services.document_request_create(actor=scs, validation_id=v.pk, text_="Seal log", due_on=YESTERDAY)
    req = services.document_request_create(
        actor=scs, validation_id=v.pk, text_="Seal log", due_on=timezone.localdate() + dt.timedelta(days=14)
    )
    with pytest.raises(InvalidInput) as exc:
        services.document_request_answer(
            actor=officer,
            validation_id=v.pk,
            request_id=req.pk,
            answer="Here",
            filename="log.pdf",
            data=b"MZ\x90",
        )
    assert exc.value.field == "file"
    req.refresh_from_db()
    assert req.answered_at is None
    stranger = user_factory("someone@else.example")
    with pytest.raises(NotFound):
        services.document_request_answer(actor=stranger, validation_id=v.pk, request_id=req.pk, answer="x")
    services.document_request_answer(
        actor=officer,
        validation_id=v.pk,
        request_id=req.pk,
        answer="Attached.",
        filename="log.pdf",
        data=b"%PDF-1.4 test",
    )
    req.refresh_from_db()
    assert req.answered_at and req.attachments.count() == 1


def test_items_need_snapshot_criteria(scs, partner):
    v = opened(scs, partner)
    with pytest.raises(InvalidInput):
        services.item_create(
            actor=scs, validation_id=v.pk, kind="required_action", text_="x", criterion_code="99.1"
        )
    with pytest.raises(InvalidInput):
        services.item_create(actor=scs, validation_id=v.pk, kind="required_action", text_="x")
    assert ValidationItem.objects.count() == 0


def test_close_refused_when_the_member_is_no_longer_certified(scs, supervisor, partner, user_factory):
    from greenlane.screening.lifecycle import suspension_start

    v = opened(scs, partner)
    ready_report(scs, v)
    services.report_submit(actor=scs, validation_id=v.pk, outcome="fails", summary="Fails.")
    services.report_review(actor=supervisor, validation_id=v.pk, decision="approve")
    other = user_factory("scs2@cbp.example", staff_role="scs")
    with pytest.raises(Forbidden):
        services.validation_close(actor=other, validation_id=v.pk)
    suspension_start(
        actor=scs, partner_id=partner.pk, cause="security_incident", benefits=["svi"], reason="Seizure"
    )
    before, n = state(v), _events()
    with pytest.raises(Conflict):
        services.validation_close(actor=scs, validation_id=v.pk)
    assert state(v) == before and _events() == n
    assert Suspension.objects.filter(partner=partner).count() == 1
