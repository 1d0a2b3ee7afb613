"""Writes to annual reviews: opening (daily job or on demand), reminders, overdue notices, re-confirming an
answer, submitting, and the specialist's decision. Each change runs in one transaction and records one audit
event; e-mails go out after commit.

Review statuses move only through REVIEW_TRANSITIONS. Dates come from core.clocks (the window opens 90 days
before the certification anniversary), never from input.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.audit.services import record_event
from greenlane.core import clocks
from greenlane.core.errors import Conflict, Forbidden, InvalidInput
from greenlane.core.transitions import check_transition
from greenlane.partners import permissions
from greenlane.partners.models import Partner
from greenlane.partners.selectors import PartnerAccess, partner_for

from . import review_selectors as rs
from . import selectors
from .choices import REVIEW_TRANSITIONS, ProfileState, ReviewItemDecision, ReviewStatus
from .models import AnnualReview, ReminderSent, ReviewItem
from .review_mail import OPENED, OVERDUE, _notify, send_review_email  # noqa: F401 (re-exported)
from .services import freeze_snapshot

log = logging.getLogger(__name__)

DECISIONS = {"approve": ReviewStatus.APPROVED, "return": ReviewStatus.RETURNED}
COMMENT_MAX = 4000
ITEM_COMMENT_MAX = 2000


def _label(value: str) -> str:
    return str(ReviewStatus(value).label) if value in ReviewStatus.values else value


def _transition(review: AnnualReview, target: str) -> None:
    check_transition(REVIEW_TRANSITIONS, review.status, target, label=_label)


# --- opening ---------------------------------------------------------------------------------------------


def _open_locked(partner: Partner, *, actor, on: dt.date, trigger: str) -> AnnualReview | None:
    """Open the review the partner owes if its window is open and it does not exist yet.

    The caller holds the partner's row lock, so two openers cannot both create it.
    """
    if rs.unfinished_review(partner) is not None:
        return None
    window = rs.next_window(partner)
    if window is None or not window.is_open(on):
        return None
    if AnnualReview.objects.filter(partner=partner, cycle=window.cycle).exists():
        return None
    profile = selectors.current_profile(partner)
    if profile is None:
        log.warning("Partner %s owes annual review %s but has no security profile", partner.pk, window.cycle)
        return None
    review = AnnualReview.objects.create(
        partner=partner, profile=profile, cycle=window.cycle, opens_on=window.opens, due_on=window.due
    )
    answer_ids = list(profile.answers.order_by("pk").values_list("pk", flat=True))
    ReviewItem.objects.bulk_create([ReviewItem(review=review, answer_id=pk) for pk in answer_ids])
    ReminderSent.objects.create(review=review, kind=OPENED)
    record_event(
        actor=actor,
        action="review.open",
        partner=partner,
        obj=review,
        summary=f"Annual review {window.cycle} opened, due {window.due.isoformat()}",
        after={
            "cycle": window.cycle,
            "opens_on": window.opens,
            "due_on": window.due,
            "items": len(answer_ids),
            "profile_revision": profile.revision,
            "trigger": trigger,
        },
    )
    _notify(review.pk, OPENED, on)
    return review


@transaction.atomic
def _open_for(partner_id: int, *, actor, on: dt.date, trigger: str) -> AnnualReview | None:
    partner = Partner.objects.select_for_update().filter(pk=partner_id).first()
    if partner is None:
        return None
    try:
        with transaction.atomic():
            return _open_locked(partner, actor=actor, on=on, trigger=trigger)
    except IntegrityError:
        # Opened concurrently by another process (the unique cycle constraint is the last line of defence).
        return None


def review_open_due(*, today: dt.date | None = None) -> list[AnnualReview]:
    """System job: open each member's review whose window is open and that does not exist yet (idempotent)."""
    on = today or rs.today()
    opened = []
    for partner_id, _window in rs.windows_to_open(on):
        review = _open_for(partner_id, actor=None, on=on, trigger="schedule")
        if review is not None:
            opened.append(review)
    return opened


def review_ensure_open(
    *, actor, partner_id, today: dt.date | None = None
) -> tuple[PartnerAccess, AnnualReview | None]:
    """The partner's review in progress; a company member's visit inside the window opens it on demand."""
    access = partner_for(actor, partner_id)
    review = rs.current_review(access)
    if access.role is None:
        return access, review
    if review is None:
        on = today or rs.today()
        window = rs.next_window(access.partner)
        if window is not None and window.is_open(on):
            _open_for(access.partner.pk, actor=actor, on=on, trigger="visit")
            review = rs.current_review(access)
    elif review.status in rs.PENDING_COMPANY and not _on_current_profile(review):
        with transaction.atomic():
            partner = Partner.objects.select_for_update().get(pk=access.partner.pk)
            locked = rs.unfinished_review(partner)
            if locked is not None:
                _follow_current_profile(locked, actor=actor)
        review = rs.current_review(access)
    return access, review


def _on_current_profile(review: AnnualReview) -> bool:
    profile = selectors.current_profile(review.partner)
    return profile is None or profile.pk == review.profile_id


def _follow_current_profile(review: AnnualReview, *, actor) -> None:
    """After a catalog revision the partner works on a new profile: move the review's items onto its answers.

    Answers to unchanged criteria keep their decision and comment; changed and new criteria must be reviewed
    again; items of removed criteria go. The caller holds the partner's row lock.
    """
    profile = selectors.current_profile(review.partner)
    if profile is None or profile.pk == review.profile_id or review.status not in rs.PENDING_COMPANY:
        return
    old = {
        i.answer.criterion.code: i
        for i in ReviewItem.objects.filter(review=review).select_related("answer__criterion")
    }
    answers = list(profile.answers.select_related("criterion").order_by("pk"))
    rows = []
    for answer in answers:
        before = old.get(answer.criterion.code)
        keep = before is not None and not answer.flag
        rows.append(
            ReviewItem(
                review=review,
                answer=answer,
                decision=before.decision if keep and before else ReviewItemDecision.PENDING,
                decided_at=before.decided_at if keep and before else None,
                staff_comment=before.staff_comment if before else "",
            )
        )
    ReviewItem.objects.filter(review=review).delete()
    ReviewItem.objects.bulk_create(rows)
    from_profile = review.profile_id
    review.profile = profile
    review.save(update_fields=["profile"])
    current = {a.criterion.code for a in answers}
    record_event(
        actor=actor,
        action="review.follow_catalog",
        partner=review.partner,
        obj=review,
        summary=f"Annual review {review.cycle} moved to catalog {profile.catalog_version.version}",
        after={
            "from_profile": from_profile,
            "to_profile": profile.pk,
            "to_review_again": sorted(a.criterion.code for a in answers if a.flag),
            "removed": sorted(set(old) - current),
        },
    )


# --- reminders and overdue notices -----------------------------------------------------------------------


def reminder_due(review: AnnualReview, on: dt.date) -> str | None:
    """The latest reminder (due_in_30, due_in_7) whose date has come, or None."""
    window = clocks.ReviewWindow(review.cycle, review.opens_on, review.due_on)
    reached = [
        (day, kind) for kind, day in clocks.reminder_dates(window).items() if kind != OPENED and day <= on
    ]
    return max(reached)[1] if reached else None


def review_send_reminders(*, today: dt.date | None = None) -> list[tuple[AnnualReview, str]]:
    """Daily job: remind companies 30 and 7 days before the deadline. Each kind goes out once per review."""
    on = today or rs.today()
    horizon = on + dt.timedelta(days=max(clocks.REMINDER_DAYS_BEFORE_DUE))
    pending = AnnualReview.objects.filter(
        status__in=rs.PENDING_COMPANY, due_on__gte=on, due_on__lte=horizon
    ).prefetch_related("reminders")
    sent = []
    for review in pending:
        kind = reminder_due(review, on)
        if kind is None or kind in {r.kind for r in review.reminders.all()}:
            continue
        done = _remind(review.pk, kind, on)
        if done is not None:
            sent.append((done, kind))
    return sent


def _locked_review(review_id: int) -> AnnualReview | None:
    return (
        AnnualReview.objects.select_for_update(of=("self",))
        .select_related("partner")
        .filter(pk=review_id)
        .first()
    )


@transaction.atomic
def _remind(review_id: int, kind: str, on: dt.date) -> AnnualReview | None:
    review = _locked_review(review_id)
    if review is None or review.status not in rs.PENDING_COMPANY:
        return None
    try:
        with transaction.atomic():
            ReminderSent.objects.create(review=review, kind=kind)
    except IntegrityError:
        return None
    days = (review.due_on - on).days
    record_event(
        actor=None,
        action="review.remind",
        partner=review.partner,
        obj=review,
        summary=f"Reminder: annual review {review.cycle} due {review.due_on.isoformat()} ({days} days left)",
        after={"kind": kind, "due_on": review.due_on, "days_left": days},
    )
    _notify(review.pk, kind, on)
    return review


def review_mark_overdue(*, today: dt.date | None = None) -> list[AnnualReview]:
    """Daily job: record each review that passed its deadline unsubmitted, once. It is a suspension cause;
    the suspension itself is decided elsewhere."""
    on = today or rs.today()
    late = (
        AnnualReview.objects.filter(status__in=rs.PENDING_COMPANY, due_on__lt=on)
        .exclude(reminders__kind=OVERDUE)
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )
    marked = []
    for review_id in list(late):
        review = _mark_overdue(review_id, on)
        if review is not None:
            marked.append(review)
    return marked


@transaction.atomic
def _mark_overdue(review_id: int, on: dt.date) -> AnnualReview | None:
    review = _locked_review(review_id)
    if review is None or not rs.is_overdue(review, on):
        return None
    try:
        with transaction.atomic():
            ReminderSent.objects.create(review=review, kind=OVERDUE)
    except IntegrityError:
        return None
    record_event(
        actor=None,
        action="review.overdue",
        partner=review.partner,
        obj=review,
        summary=f"Annual review {review.cycle} overdue since {review.due_on.isoformat()}: a suspension cause",
        after={
            "cause": "missed_annual_review",
            "cycle": review.cycle,
            "due_on": review.due_on,
            "days_overdue": (on - review.due_on).days,
        },
    )
    _notify(review.pk, OVERDUE, on)
    return review


# --- the company's side -----------------------------------------------------------------------------------


def _outside_window(partner: Partner) -> Conflict:
    window = rs.next_window(partner)
    if window is None:
        return Conflict(
            _("There is no annual review for this company: annual reviews start once it is certified."),
            field="review",
        )
    return Conflict(
        _(
            "The annual review window for year %(cycle)d is not open: it opens on %(opens)s, 90 days before "
            "the certification anniversary (%(due)s). Nothing was changed."
        )
        % {"cycle": window.cycle, "opens": window.opens.isoformat(), "due": window.due.isoformat()},
        field="review",
    )


def _company_review(access: PartnerAccess, *, actor, on: dt.date) -> AnnualReview:
    """The review the company can work on now (opened on demand inside the window); the partner is locked."""
    review = rs.unfinished_review(access.partner, for_update=True)
    if review is not None:
        _follow_current_profile(review, actor=actor)
    if review is None:
        window = rs.next_window(access.partner)
        if window is not None and window.is_open(on):
            review = _open_locked(access.partner, actor=actor, on=on, trigger="visit")
    if review is None or on < review.opens_on:
        raise _outside_window(access.partner)
    if review.status == ReviewStatus.SUBMITTED:
        raise Conflict(
            _(
                "The annual review was submitted on %(d)s and awaits the specialist's decision; nothing can "
                "change until it is approved or returned."
            )
            % {"d": timezone.localdate(review.submitted_at).isoformat()},
            field="status",
        )
    return review


@transaction.atomic
def review_item_confirm(
    *, actor, partner_id, criterion_code: str, today: dt.date | None = None
) -> ReviewItem:
    """Re-confirm one answer unchanged. Idempotent: confirming again records nothing."""
    access = partner_for(actor, partner_id, for_update=True)
    if access.role is None or not permissions.can_prepare(access.role):
        raise Forbidden(_("Only people of this company may work on its annual review."))
    review = _company_review(access, actor=actor, on=today or rs.today())
    item = rs.item_for(review, criterion_code)
    if item.decision != ReviewItemDecision.PENDING:
        return item
    item.decision, item.decided_at = ReviewItemDecision.CONFIRMED, timezone.now()
    item.save(update_fields=["decision", "decided_at"])
    record_event(
        actor=actor,
        action="review.confirm",
        partner=access.partner,
        obj=item,
        summary=f"{criterion_code} re-confirmed unchanged (annual review {review.cycle})",
        before={"decision": ReviewItemDecision.PENDING},
        after={"decision": ReviewItemDecision.CONFIRMED, "criterion": criterion_code, "review": review.pk},
    )
    return item


@transaction.atomic
def review_submit(*, actor, partner_id, today: dt.date | None = None) -> AnnualReview:
    """A company officer submits the review once every answer is re-confirmed or updated; freezes a snapshot.

    Late submission (after the due date) is accepted and recorded as late.
    """
    access = partner_for(actor, partner_id, for_update=True)
    if not permissions.can_sign_and_submit(access.role):
        raise Forbidden(
            _(
                "Only a company officer may submit the annual review. Consultants and contributors prepare "
                "it; ask your company officer."
            )
        )
    if access.partner.status not in rs.REVIEWED_STATUSES:
        raise Conflict(
            _("The annual review cannot be submitted while the company's status is '%(s)s'.")
            % {"s": access.partner.get_status_display()}
        )
    on = today or rs.today()
    review = _company_review(access, actor=actor, on=on)
    _transition(review, ReviewStatus.SUBMITTED)
    rows = rs.items(review)
    pending = [r for r in rows if r.decision == ReviewItemDecision.PENDING]
    if pending:
        errors = [
            {
                "field": f"items.{r.answer.criterion.code}",
                "message": _("%(c)s %(t)s: re-confirm it unchanged or update it.")
                % {"c": r.answer.criterion.code, "t": r.answer.criterion.title},
            }
            for r in pending
        ]
        raise InvalidInput(
            _("%(n)d of %(t)d answers are neither re-confirmed nor updated: %(codes)s.")
            % {
                "n": len(pending),
                "t": len(rows),
                "codes": ", ".join(r.answer.criterion.code for r in pending[:10])
                + (" …" if len(pending) > 10 else ""),
            },
            field=errors[0]["field"],
            errors=errors,
        )
    profile = review.profile
    problems = selectors.submission_problems(profile)
    if problems:
        errors = [
            {"field": f"answers.{p.code}", "message": f"{p.code} {p.title}: {p.message}"} for p in problems
        ]
        raise InvalidInput(
            _("%(n)d item(s) of the security profile must be completed before submitting: %(first)s")
            % {"n": len(problems), "first": "; ".join(e["message"] for e in errors[:5])},
            field=errors[0]["field"],
            errors=errors,
        )
    if profile.state == ProfileState.SUBMITTED:
        # Unchanged since the last snapshot: the re-confirmation is still frozen as its own revision.
        profile.state, profile.revision, profile.updated_at = (
            ProfileState.DRAFT,
            profile.revision + 1,
            timezone.now(),
        )
        profile.save(update_fields=["state", "revision", "updated_at"])
    snapshot = freeze_snapshot(profile, actor=actor, reason="annual_review")
    before = review.status
    late = on > review.due_on
    review.status, review.submitted_at, review.submitted_by = ReviewStatus.SUBMITTED, timezone.now(), actor
    review.snapshot = snapshot
    review.save(update_fields=["status", "submitted_at", "submitted_by", "snapshot"])
    tally = rs.progress_of(rows)
    record_event(
        actor=actor,
        action="review.submit",
        partner=access.partner,
        obj=review,
        summary=(
            f"Annual review {review.cycle} {'re' if before == ReviewStatus.RETURNED else ''}submitted"
            + (f" late ({(on - review.due_on).days} days after the due date)" if late else "")
        ),
        before={"status": before},
        after={
            "status": ReviewStatus.SUBMITTED,
            "late": late,
            "days_late": max(0, (on - review.due_on).days),
            "confirmed": tally.confirmed,
            "updated": tally.updated,
            "snapshot_revision": snapshot.revision,
            "sha256": snapshot.sha256,
        },
    )
    _notify(review.pk, "submitted", on)
    return review


# --- the specialist's side -------------------------------------------------------------------------------


@transaction.atomic
def review_decide(
    *,
    actor,
    review_id,
    decision: str,
    comment: str = "",
    item_comments: dict[str, str] | None = None,
) -> AnnualReview:
    """Approve or return a submitted review. A return needs at least one comment (overall or on a criterion);
    the criteria commented on go back to the company to re-confirm or update."""
    found = rs.review_for_staff(actor, review_id)
    review = AnnualReview.objects.select_for_update(of=("self",)).get(pk=found.pk)
    partner = found.partner
    if not rs.can_decide(actor, partner):
        raise Forbidden(
            _(
                "Only the assigned specialist, a supervisory SCS or a program manager may approve or return "
                "this review."
            )
        )
    if decision not in DECISIONS:
        raise InvalidInput(_("The decision is 'approve' or 'return'."), field="decision")
    if review.status != ReviewStatus.SUBMITTED:
        raise Conflict(
            _("Only a submitted review can be approved or returned; this one is '%(s)s'.")
            % {"s": _label(review.status)},
            field="status",
        )
    target = DECISIONS[decision]
    _transition(review, target)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(_("Keep the overall comment under 4,000 characters."), field="comment")
    rows = rs.items(review)
    by_code = {r.answer.criterion.code: r for r in rows}
    comments = {str(code).strip(): (text or "").strip() for code, text in (item_comments or {}).items()}
    for code, text in comments.items():
        if text and code not in by_code:
            raise InvalidInput(
                _("Criterion %(c)s is not part of this review.") % {"c": code}, field=f"items.{code}"
            )
        if len(text) > ITEM_COMMENT_MAX:
            raise InvalidInput(
                _("Keep the comment on %(c)s under 2,000 characters.") % {"c": code}, field=f"items.{code}"
            )
    commented = {code: text for code, text in comments.items() if text}
    if target == ReviewStatus.RETURNED and not comment and not commented:
        raise InvalidInput(
            _(
                "Say what the company must change: add an overall comment or a comment on at least one "
                "criterion."
            ),
            field="comment",
        )
    changed = []
    for code, row in by_code.items():
        new = commented.get(code, "")
        reopen = target == ReviewStatus.RETURNED and bool(new)
        if row.staff_comment != new or reopen:
            row.staff_comment = new
            if reopen:
                row.decision, row.decided_at = ReviewItemDecision.PENDING, None
            changed.append(row)
    ReviewItem.objects.bulk_update(changed, ["staff_comment", "decision", "decided_at"])
    review.status, review.decided_at, review.decided_by = target, timezone.now(), actor
    review.decision_comment = comment
    review.save(update_fields=["status", "decided_at", "decided_by", "decision_comment"])
    verb = "approved" if target == ReviewStatus.APPROVED else "returned"
    record_event(
        actor=actor,
        action=f"review.{decision}",
        partner=partner,
        obj=review,
        summary=f"Annual review {review.cycle} {verb}"
        + (f" with {len(commented)} comment(s) on criteria" if commented else ""),
        before={"status": ReviewStatus.SUBMITTED},
        after={"status": target, "comment": comment, "items": commented},
    )
    _notify(review.pk, verb, rs.today())
    return review
