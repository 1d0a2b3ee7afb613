"""Annual review services: window, opening, reminders, overdue, re-confirm, submit, decide."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound, TransitionRefused
from greenlane.partners import services as partner_services
from greenlane.partners.models import Partner
from greenlane.profiles import review_selectors as rs
from greenlane.profiles import review_services, selectors, services
from greenlane.profiles.models import AnnualReview, ProfileSnapshot, ReminderSent, ReviewItem

from .test_reviews_support import (
    CERTIFIED,
    DUE,
    OPENS,
    certified_member,
    state,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@acme.example")


@pytest.fixture
def member(officer, staff):
    """A certified importer on the fixed calendar; its specialist is staff['scs']."""
    return certified_member(officer, staff)


DAY = dt.timedelta(days=1)


def open_review(partner, on=OPENS) -> AnnualReview:
    review_services.review_open_due(today=on)
    return AnnualReview.objects.get(partner=partner, status="open")


def confirm_all(actor, partner, on=OPENS, *, skip: tuple[str, ...] = ()) -> list[str]:
    review = rs.unfinished_review(partner)
    codes = [i.answer.criterion.code for i in rs.items(review) if not i.decision]
    for code in codes:
        if code not in skip:
            review_services.review_item_confirm(
                actor=actor, partner_id=partner.pk, criterion_code=code, today=on
            )
    return codes


def save_answer(actor, partner, code: str, narrative: str):
    return services.answer_save(
        actor=actor, partner_id=partner.pk, criterion_code=code, status="implemented", narrative=narrative
    )


# --- window ------------------------------------------------------------------------------------------------


def test_window_is_computed_from_the_certification_date_and_approved_reviews(member, officer, staff):
    window = rs.next_window(member)
    assert (window.cycle, window.opens, window.due) == (1, OPENS, DUE)
    assert not window.is_open(OPENS - DAY) and window.is_open(OPENS)
    review = open_review(member)
    assert (review.cycle, review.opens_on, review.due_on) == (1, OPENS, DUE)
    confirm_all(officer, member)
    review_services.review_submit(actor=officer, partner_id=member.pk, today=OPENS)
    review_services.review_decide(actor=staff["scs"], review_id=review.pk, decision="approve")
    window = rs.next_window(member)
    assert (window.cycle, window.opens, window.due) == (2, dt.date(2026, 12, 1), dt.date(2027, 3, 1))


def test_a_leap_day_certification_is_due_on_28_february(officer, staff):
    partner = certified_member(officer, staff, on=dt.date(2024, 2, 29))
    window = rs.next_window(partner)
    assert (window.opens, window.due) == (dt.date(2024, 11, 30), dt.date(2025, 2, 28))


def test_no_window_before_certification(officer, staff):
    from greenlane.partners.tests.factories import submitted_importer

    partner = submitted_importer(officer)
    assert rs.next_window(partner) is None
    assert review_services.review_open_due(today=dt.date(2040, 1, 1)) == []


# --- opening -----------------------------------------------------------------------------------------------


def test_opening_creates_one_item_per_answer_and_mails_the_officers_once(
    member, officer, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert review_services.review_open_due(today=OPENS - DAY) == []
    assert AnnualReview.objects.count() == 0 and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        opened = review_services.review_open_due(today=OPENS)
    assert [r.partner_id for r in opened] == [member.pk]
    review = opened[0]
    profile = selectors.current_profile(member)
    assert review.profile_id == profile.pk and review.status == "open"
    assert sorted(ReviewItem.objects.filter(review=review).values_list("answer_id", flat=True)) == sorted(
        profile.answers.values_list("pk", flat=True)
    )
    assert set(ReviewItem.objects.filter(review=review).values_list("decision", flat=True)) == {""}
    assert list(ReminderSent.objects.filter(review=review).values_list("kind", flat=True)) == ["opened"]
    event = AuditEvent.objects.get(action="review.open")
    assert event.actor is None and event.actor_label == "system" and event.partner_id == member.pk
    assert event.after["due_on"] == "2026-03-01" and event.after["trigger"] == "schedule"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [officer.email]
    assert "2026-03-01" in mail.outbox[0].subject
    assert f"/companies/{member.pk}/review/" in mail.outbox[0].body

    before = state(member)
    with django_capture_on_commit_callbacks(execute=True):
        assert review_services.review_open_due(today=OPENS + 5 * DAY) == []
    assert state(member) == before
    assert len(mail.outbox) == 1


def test_suspended_members_owe_the_review_too_and_drafts_do_not(member, officer, staff):
    # Suspension has its own lifecycle service (cause, benefits, plan); only the status matters here.
    Partner.objects.filter(pk=member.pk).update(status="suspended")
    other = certified_member(officer, staff, name="Other Co")
    Partner.objects.filter(pk=other.pk).update(status="withdrawn")
    opened = review_services.review_open_due(today=OPENS)
    assert [r.partner_id for r in opened] == [member.pk]


def test_on_demand_opening_by_a_member_is_idempotent_and_staff_visits_open_nothing(
    member, officer, staff, monkeypatch
):
    monkeypatch.setattr(rs, "today", lambda: OPENS + 3 * DAY)
    _access, review = review_services.review_ensure_open(actor=staff["scs"], partner_id=member.pk)
    assert review is None and AnnualReview.objects.count() == 0
    _access, first = review_services.review_ensure_open(actor=officer, partner_id=member.pk)
    _access, again = review_services.review_ensure_open(actor=officer, partner_id=member.pk)
    assert first.pk == again.pk and AnnualReview.objects.count() == 1
    event = AuditEvent.objects.get(action="review.open")
    assert event.actor == officer and event.after["trigger"] == "visit"
    assert review_services.review_open_due(today=OPENS + 3 * DAY) == []


def test_a_foreign_company_is_not_found(member, user_factory):
    stranger = user_factory("stranger@elsewhere.example")
    with pytest.raises(NotFound):
        review_services.review_ensure_open(actor=stranger, partner_id=member.pk)
    open_review(member)
    before = state(member)
    with pytest.raises(NotFound):
        review_services.review_item_confirm(
            actor=stranger, partner_id=member.pk, criterion_code="1.1", today=OPENS
        )
    with pytest.raises(NotFound):
        review_services.review_submit(actor=stranger, partner_id=member.pk, today=OPENS)
    assert state(member) == before


# --- reminders and overdue ----------------------------------------------------------------------------------


def test_reminders_go_out_once_per_kind_30_and_7_days_before_the_deadline(
    member, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = open_review(member)
    mail.outbox.clear()

    def run(day):
        with django_capture_on_commit_callbacks(execute=True):
            return [kind for _r, kind in review_services.review_send_reminders(today=day)]

    assert run(DUE - 31 * DAY) == []
    assert run(DUE - 30 * DAY) == ["due_in_30"]
    assert run(DUE - 30 * DAY) == []
    assert run(DUE - 20 * DAY) == []
    assert run(DUE - 7 * DAY) == ["due_in_7"]
    assert run(DUE - 6 * DAY) == []
    assert run(DUE) == []
    assert len(mail.outbox) == 2
    assert [m.to for m in mail.outbox] == [[officer.email], [officer.email]]
    assert "30 days" in mail.outbox[0].subject and "7 days" in mail.outbox[1].subject
    assert sorted(ReminderSent.objects.filter(review=review).values_list("kind", flat=True)) == [
        "due_in_30",
        "due_in_7",
        "opened",
    ]
    assert AuditEvent.objects.filter(action="review.remind", partner=member).count() == 2


def test_a_missed_daily_run_still_sends_the_reminder_and_submitted_reviews_get_none(
    member, officer, staff, django_capture_on_commit_callbacks
):
    open_review(member)
    with django_capture_on_commit_callbacks(execute=True):
        sent = review_services.review_send_reminders(today=DUE - 28 * DAY)
    assert [k for _r, k in sent] == ["due_in_30"]
    confirm_all(officer, member)
    review_services.review_submit(actor=officer, partner_id=member.pk, today=DUE - 10 * DAY)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert review_services.review_send_reminders(today=DUE - 7 * DAY) == []
    assert mail.outbox == []


def test_overdue_is_recorded_once_as_a_suspension_cause(member, officer, django_capture_on_commit_callbacks):
    review = open_review(member)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert review_services.review_mark_overdue(today=DUE) == []
    with django_capture_on_commit_callbacks(execute=True):
        marked = review_services.review_mark_overdue(today=DUE + DAY)
    assert [r.pk for r in marked] == [review.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert review_services.review_mark_overdue(today=DUE + 2 * DAY) == []
    event = AuditEvent.objects.get(action="review.overdue")
    assert event.after == {
        "cause": "missed_annual_review",
        "cycle": 1,
        "due_on": "2026-03-01",
        "days_overdue": 1,
    }
    assert len(mail.outbox) == 1 and "overdue" in mail.outbox[0].subject
    assert "cause for suspension" in mail.outbox[0].body
    review.refresh_from_db()
    assert review.status == "open" and rs.is_overdue(review, DUE + DAY)


# --- company side ------------------------------------------------------------------------------------------


def test_submitting_before_the_window_opens_is_refused_and_changes_nothing(member, officer):
    before = state(member)
    with pytest.raises(Conflict) as exc:
        review_services.review_submit(actor=officer, partner_id=member.pk, today=OPENS - DAY)
    assert "opens on 2025-12-01" in exc.value.message and exc.value.field == "review"
    with pytest.raises(Conflict):
        review_services.review_item_confirm(
            actor=officer, partner_id=member.pk, criterion_code="1.1", today=OPENS - DAY
        )
    assert state(member) == before


def test_a_review_opened_ahead_of_the_calendar_cannot_be_worked_on_before_it_opens(member, officer):
    open_review(member)
    before = state(member)
    with pytest.raises(Conflict) as exc:
        review_services.review_item_confirm(
            actor=officer, partner_id=member.pk, criterion_code="1.1", today=OPENS - 10 * DAY
        )
    assert "not open" in exc.value.message
    assert state(member) == before


def test_submitting_with_undecided_items_is_refused_with_each_one_listed(member, officer):
    open_review(member)
    codes = confirm_all(officer, member, skip=("6.2", "7.37"))
    before = state(member)
    with pytest.raises(InvalidInput) as exc:
        review_services.review_submit(actor=officer, partner_id=member.pk, today=OPENS)
    assert [e["field"] for e in exc.value.errors] == ["items.6.2", "items.7.37"]
    assert exc.value.message.startswith(
        f"2 of {len(codes)} answers are neither re-confirmed nor updated: 6.2, 7.37"
    )
    assert state(member) == before


def test_confirming_is_idempotent_and_a_criterion_outside_the_review_is_not_found(member, officer):
    open_review(member)
    item = review_services.review_item_confirm(
        actor=officer, partner_id=member.pk, criterion_code="1.1", today=OPENS
    )
    assert item.decision == "confirmed" and item.decided_at is not None
    before = state(member)
    again = review_services.review_item_confirm(
        actor=officer, partner_id=member.pk, criterion_code="1.1", today=OPENS
    )
    assert again.decision == "confirmed" and state(member) == before
    with pytest.raises(NotFound):
        review_services.review_item_confirm(
            actor=officer, partner_id=member.pk, criterion_code="99.1", today=OPENS
        )
    assert state(member) == before


def test_a_consultant_prepares_but_cannot_submit(member, officer, user_factory):
    consultant = user_factory("consultant@advisers.example")
    partner_services.membership_add(
        actor=officer, partner_id=member.pk, email=consultant.email, role="consultant"
    )
    open_review(member)
    confirm_all(consultant, member)
    before = state(member)
    with pytest.raises(Forbidden) as exc:
        review_services.review_submit(actor=consultant, partner_id=member.pk, today=OPENS)
    assert "Only a company officer" in exc.value.message
    assert state(member) == before


def test_staff_cannot_work_on_the_company_side(member, staff):
    open_review(member)
    before = state(member)
    with pytest.raises(Forbidden):
        review_services.review_item_confirm(
            actor=staff["scs"], partner_id=member.pk, criterion_code="1.1", today=OPENS
        )
    with pytest.raises(Forbidden):
        review_services.review_submit(actor=staff["scs"], partner_id=member.pk, today=OPENS)
    assert state(member) == before


def test_submission_freezes_an_annual_review_snapshot(member, officer):
    review = open_review(member)
    profile = selectors.current_profile(member)
    revision = profile.revision
    save_answer(officer, member, "6.2", "New seal log, kept by the security manager.")
    assert ReviewItem.objects.get(review=review, answer__criterion__code="6.2").decision == "updated"
    confirm_all(officer, member)
    submitted = review_services.review_submit(actor=officer, partner_id=member.pk, today=OPENS + 10 * DAY)
    assert submitted.status == "submitted" and submitted.submitted_by == officer
    snapshot = ProfileSnapshot.objects.get(pk=submitted.snapshot_id)
    assert snapshot.reason == "annual_review" and snapshot.revision == revision + 1
    assert {a["code"]: a["narrative"] for a in snapshot.data["answers"]}["6.2"].startswith("New seal log")
    event = AuditEvent.objects.get(action="review.submit")
    assert event.actor == officer
    assert event.after["late"] is False and event.after["updated"] == 1
    assert event.after["confirmed"] == ReviewItem.objects.filter(review=review).count() - 1
    before = state(member)
    with pytest.raises(Conflict) as exc:
        review_services.review_item_confirm(
            actor=officer, partner_id=member.pk, criterion_code="1.1", today=OPENS + 10 * DAY
        )
    assert "awaits the specialist" in exc.value.message
    assert state(member) == before


def test_an_unchanged_profile_is_frozen_as_a_new_revision(member, officer):
    open_review(member)
    revision = selectors.current_profile(member).revision
    confirm_all(officer, member)
    submitted = review_services.review_submit(actor=officer, partner_id=member.pk, today=OPENS)
    assert submitted.snapshot.revision == revision + 1
    assert selectors.current_profile(member).state == "submitted"


def test_an_incomplete_profile_cannot_be_submitted(member, officer):
    open_review(member)
    services.answer_save(
        actor=officer,
        partner_id=member.pk,
        criterion_code="6.2",
        status="not_implemented",
        narrative="No seals yet",
    )
    confirm_all(officer, member)
    before = state(member)
    with pytest.raises(InvalidInput) as exc:
        review_services.review_submit(actor=officer, partner_id=member.pk, today=OPENS)
    assert exc.value.field == "answers.6.2" and "action plan" in exc.value.message
    assert state(member) == before


def test_a_late_submission_is_accepted_and_recorded_as_late(member, officer):
    open_review(member)
    confirm_all(officer, member, on=DUE + 5 * DAY)
    review_services.review_submit(actor=officer, partner_id=member.pk, today=DUE + 5 * DAY)
    event = AuditEvent.objects.get(action="review.submit")
    assert event.after["late"] is True and event.after["days_late"] == 5
    assert "late (5 days after the due date)" in event.summary


# --- specialist side ---------------------------------------------------------------------------------------


@pytest.fixture
def submitted(member, officer):
    review = open_review(member)
    confirm_all(officer, member)
    review_services.review_submit(actor=officer, partner_id=member.pk, today=OPENS)
    review.refresh_from_db()
    return review


@pytest.mark.parametrize("role", ["scs", "supervisory_scs", "program_manager"])
def test_the_assigned_specialist_a_supervisor_or_a_program_manager_approves(
    role, submitted, member, staff, django_capture_on_commit_callbacks, officer
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review = review_services.review_decide(
            actor=staff[role], review_id=submitted.pk, decision="approve", comment="Thorough."
        )
    assert review.status == "approved" and review.decided_by == staff[role]
    assert review.decision_comment == "Thorough."
    event = AuditEvent.objects.get(action="review.approve")
    assert event.after == {"status": "approved", "comment": "Thorough.", "items": {}}
    assert [m.to for m in mail.outbox] == [[officer.email]]


@pytest.mark.parametrize("role", ["vetting_officer", "auditor", "intelligence_analyst", "system_admin"])
def test_other_staff_may_not_decide(role, submitted, member, staff):
    before = state(member)
    with pytest.raises(Forbidden) as exc:
        review_services.review_decide(actor=staff[role], review_id=submitted.pk, decision="approve")
    assert "Only the assigned specialist" in exc.value.message
    assert state(member) == before


def test_a_specialist_not_assigned_to_the_partner_may_not_decide(submitted, member, user_factory):
    other = user_factory("other.scs@cbp.example", staff_role="scs")
    before = state(member)
    with pytest.raises(Forbidden):
        review_services.review_decide(actor=other, review_id=submitted.pk, decision="approve")
    assert state(member) == before


def test_trade_users_do_not_see_the_staff_side(submitted, member, officer):
    before = state(member)
    with pytest.raises(NotFound):
        review_services.review_decide(actor=officer, review_id=submitted.pk, decision="approve")
    with pytest.raises(NotFound):
        rs.review_for_staff(officer, submitted.pk)
    assert state(member) == before


def test_a_review_that_is_not_submitted_cannot_be_decided(member, staff):
    review = open_review(member)
    before = state(member)
    with pytest.raises(Conflict) as exc:
        review_services.review_decide(actor=staff["scs"], review_id=review.pk, decision="approve")
    assert "Only a submitted review" in exc.value.message
    assert state(member) == before


def test_bad_decisions_are_refused_and_change_nothing(submitted, member, staff):
    scs = staff["scs"]
    before = state(member)
    cases = [
        ({"decision": "maybe"}, "decision"),
        ({"decision": "return"}, "comment"),
        ({"decision": "return", "comment": "   ", "item_comments": {"6.2": "  "}}, "comment"),
        ({"decision": "return", "item_comments": {"99.9": "What is this?"}}, "items.99.9"),
        ({"decision": "return", "comment": "x" * 4001}, "comment"),
        ({"decision": "approve", "item_comments": {"6.2": "x" * 2001}}, "items.6.2"),
    ]
    for kwargs, field in cases:
        with pytest.raises(InvalidInput) as exc:
            review_services.review_decide(actor=scs, review_id=submitted.pk, **kwargs)
        assert exc.value.field == field, kwargs
    assert state(member) == before


def test_the_transition_table_refuses_a_second_decision(submitted, staff):
    review_services.review_decide(actor=staff["scs"], review_id=submitted.pk, decision="approve")
    with pytest.raises(Conflict):
        review_services.review_decide(
            actor=staff["scs"], review_id=submitted.pk, decision="return", comment="x"
        )
    from greenlane.core.transitions import check_transition
    from greenlane.profiles.choices import REVIEW_TRANSITIONS

    with pytest.raises(TransitionRefused):
        check_transition(REVIEW_TRANSITIONS, "approved", "submitted")


def test_return_then_update_then_resubmit_then_approve(submitted, member, officer, staff):
    scs = staff["scs"]
    review = review_services.review_decide(
        actor=scs,
        review_id=submitted.pk,
        decision="return",
        comment="Two answers need more detail.",
        item_comments={"6.2": "Say who keeps the seal log.", "7.37": "Which records?", "1.1": ""},
    )
    assert review.status == "returned"
    items = {i.answer.criterion.code: i for i in rs.items(review)}
    assert (items["6.2"].decision, items["6.2"].staff_comment) == ("", "Say who keeps the seal log.")
    assert (items["7.37"].decision, items["7.37"].staff_comment) == ("", "Which records?")
    assert (items["1.1"].decision, items["1.1"].staff_comment) == ("confirmed", "")
    event = AuditEvent.objects.get(action="review.return")
    assert event.after["items"] == {"6.2": "Say who keeps the seal log.", "7.37": "Which records?"}

    with pytest.raises(InvalidInput):
        review_services.review_submit(actor=officer, partner_id=member.pk, today=OPENS + 20 * DAY)
    save_answer(officer, member, "6.2", "The security manager keeps the seal log.")
    review_services.review_item_confirm(
        actor=officer, partner_id=member.pk, criterion_code="7.37", today=OPENS + 20 * DAY
    )
    items = {i.answer.criterion.code: i for i in rs.items(review)}
    assert items["6.2"].decision == "updated" and items["7.37"].decision == "confirmed"
    resubmitted = review_services.review_submit(actor=officer, partner_id=member.pk, today=OPENS + 20 * DAY)
    assert resubmitted.status == "submitted"
    assert resubmitted.snapshot_id != submitted.snapshot_id
    assert AuditEvent.objects.get(
        action="review.submit", after__snapshot_revision=resubmitted.snapshot.revision
    )
    assert (
        "resubmitted" in AuditEvent.objects.filter(action="review.submit").order_by("-at", "-id")[0].summary
    )

    approved = review_services.review_decide(
        actor=staff["supervisory_scs"], review_id=review.pk, decision="approve"
    )
    assert approved.status == "approved"
    assert set(ReviewItem.objects.filter(review=review).values_list("staff_comment", flat=True)) == {""}
    assert rs.next_window(member).cycle == 2


# --- queue -------------------------------------------------------------------------------------------------


def test_the_staff_queue_tabs(member, officer, staff):
    late = certified_member(officer, staff, on=CERTIFIED - 20 * DAY, name="Late Co")
    soon = certified_member(officer, staff, on=CERTIFIED + 100 * DAY, name="Soon Co")
    review_services.review_open_due(today=OPENS)
    on = (
        DUE - 10 * DAY
    )  # member due in 10 days; Late Co was due 10 days ago; Soon Co's window opens in 20 days
    confirm_all(officer, member, on=on)
    flt = rs.QueueFilter
    supervisor = staff["supervisory_scs"]
    assert [r.partner for r in rs.staff_queue(supervisor, flt("awaiting"), on=on).items] == []
    assert [r.partner for r in rs.staff_queue(supervisor, flt("overdue"), on=on).items] == [late]
    rows = rs.staff_queue(supervisor, flt("due_soon"), on=on).items
    assert [(r.partner, r.review is None) for r in rows] == [(member, False), (soon, True)]
    assert rows[1].opens_on == on + 20 * DAY
    review_services.review_submit(actor=officer, partner_id=member.pk, today=on)
    assert [r.partner for r in rs.staff_queue(supervisor, flt("awaiting"), on=on).items] == [member]
    assert rs.queue_counts(supervisor, flt(), on=on) == {"awaiting": 1, "overdue": 1, "due_soon": 1}
    other_scs = staff["supervisory_scs"]
    assert rs.staff_queue(supervisor, flt("overdue", assigned_scs=other_scs.pk), on=on).items == []
    assert rs.staff_queue(supervisor, flt("overdue", unassigned=True), on=on).items == []
    office = staff["scs"].field_office_id
    assert len(rs.staff_queue(supervisor, flt("overdue", field_office=office), on=on).items) == 1
    assert rs.staff_queue(supervisor, flt("overdue", field_office=office + 1), on=on).items == []
    with pytest.raises(NotFound):
        rs.staff_queue(officer, flt("overdue"), on=on)


# --- catalog revision during a review ----------------------------------------------------------------------


def test_a_catalog_revision_during_the_review_moves_it_to_the_new_profile(
    member, officer, staff, monkeypatch
):
    from greenlane.criteria.models import CatalogVersion

    revision = pytest.importorskip("greenlane.profiles.revision", reason="catalog revision not installed")

    monkeypatch.setattr(rs, "today", lambda: OPENS)
    review = open_review(member)
    old_profile = review.profile
    confirm_all(officer, member)
    v2 = CatalogVersion.objects.get(version="2026.2")
    revision.catalog_activate_and_migrate(actor=staff["program_manager"], version_id=v2.pk)
    new_profile = selectors.current_profile(member)
    flagged = sorted(a.criterion.code for a in selectors.answers(new_profile) if a.flag)
    assert flagged

    _access, current = review_services.review_ensure_open(actor=officer, partner_id=member.pk)
    assert current.pk == review.pk and current.profile_id == new_profile.pk
    items = rs.items(current)
    assert sorted(i.answer_id for i in items) == sorted(new_profile.answers.values_list("pk", flat=True))
    assert sorted(i.answer.criterion.code for i in items if not i.decision) == flagged
    event = AuditEvent.objects.get(action="review.follow_catalog")
    assert event.after["to_review_again"] == flagged

    with pytest.raises(InvalidInput):
        review_services.review_submit(actor=officer, partner_id=member.pk, today=OPENS)
    for code in flagged:
        save_answer(officer, member, code, f"Reviewed against the revised {code}.")
    submitted = review_services.review_submit(actor=officer, partner_id=member.pk, today=OPENS)
    assert submitted.snapshot.profile_id == new_profile.pk
    old_profile.refresh_from_db()
    assert old_profile.state == "superseded"
