"""Every program date of a partner, computed from the events that start, pause and stop it (core.clocks).

Nothing here is typed in by hand: the certification deadline comes from the submission date and the
information requests (each one pauses the clock from the day it is sent to the day it is answered), the
appeal windows from the denial, suspension or removal and its cause, the validation dates from the
certification and the tier changes, the annual review from the certification and the reviews approved.

Readers: `partner_dates` (one partner, for the company and its specialist), `referral_queue` (here), and
`program_deadlines` (overdue and due-soon items across the program, in `program_deadlines.py`). The clocks
of single records and the dated item are in `deadline_items.py`. This module re-exports both, so callers
import `deadlines` only; the imports run one way: deadline_items <- program_deadlines <- deadlines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from greenlane.core import clocks
from greenlane.partners.choices import PartnerStatus, Tier
from greenlane.partners.models import Partner, TierChange
from greenlane.profiles.choices import ReviewStatus
from greenlane.profiles.models import AnnualReview

from .choices import AppealStatus, AppealSubject, Outcome
from .deadline_items import (
    DUE_SOON_DAYS,
    LIVE_APPEAL,
    MEMBER_STATUSES,
    OPEN_REFERRAL,
    REVIEW_PENDING_COMPANY,
    Countdown,
    DateItem,
    Kind,
    appeal_decision_due,
    day_of,
    day_or_none,
    denial_appeal_due,
    first_validation_due,
    is_paused,
    open_referrals,
    paused_days,
    reapply_from,
    referral_due,
    referral_pauses,
    removal_appeal_due,
    suspension_appeal_due,
    today,
)
from .models import Appeal, Decision, InfoRequest, Referral, Removal, Suspension
from .program_deadlines import ProgramDeadlines, _latest_start, program_deadlines

__all__ = [
    "DUE_SOON_DAYS",
    "LIVE_APPEAL",
    "MEMBER_STATUSES",
    "OPEN_REFERRAL",
    "REVIEW_PENDING_COMPANY",
    "AppealTarget",
    "Countdown",
    "DateItem",
    "Kind",
    "PartnerDates",
    "ProgramDeadlines",
    "QueueRow",
    "_latest_start",
    "annual_review_item",
    "appeal_decision_due",
    "appeal_target",
    "day_of",
    "day_or_none",
    "denial_appeal_due",
    "first_validation_due",
    "is_paused",
    "last_validated",
    "open_referral",
    "open_referrals",
    "partner_dates",
    "paused_days",
    "program_deadlines",
    "reapply_from",
    "referral_due",
    "referral_pauses",
    "referral_queue",
    "removal_appeal_due",
    "removal_in_force",
    "suspension_appeal_due",
    "suspension_in_force",
    "today",
]


# --- one partner's dates ------------------------------------------------------------------------------------


@dataclass
class PartnerDates:
    partner: Partner
    on: dt.date
    items: list[DateItem]
    open_requests: list[InfoRequest]
    referral: Referral | None
    suspension: Suspension | None  # the suspension in force
    plans: list
    removal: Removal | None  # the removal in force
    appeals: list[Appeal]
    appealable: dict[str, tuple[Any, dt.date]]  # subject -> (object, last day), when no live appeal exists

    @property
    def can_reapply(self) -> bool:
        return self.removal is not None and reapply_from(self.removal) <= self.on


def _latest_denial(partner: Partner) -> Decision | None:
    if partner.status != PartnerStatus.DENIED:
        return None
    return (
        Decision.objects.filter(partner=partner, outcome=Outcome.DENIED)
        .order_by("-decided_at", "-id")
        .first()
    )


def suspension_in_force(partner: Partner) -> Suspension | None:
    if partner.status != PartnerStatus.SUSPENDED:
        return None
    return Suspension.objects.filter(partner=partner, ended_at__isnull=True).order_by("-started_at").first()


def removal_in_force(partner: Partner) -> Removal | None:
    if partner.status != PartnerStatus.REMOVED:
        return None
    return Removal.objects.filter(partner=partner, overturned_at__isnull=True).order_by("-removed_at").first()


def open_referral(partner: Partner) -> Referral | None:
    if partner.status != PartnerStatus.UNDER_REVIEW:
        return None
    return (
        Referral.objects.filter(partner=partner, status__in=OPEN_REFERRAL)
        .prefetch_related("info_requests")
        .order_by("-opened_at")
        .first()
    )


def last_validated(partner: Partner) -> dt.date | None:
    """The last validation: until the validations app records visits, the last move to Tier 2 or 3."""
    change = TierChange.objects.filter(partner=partner, to_tier__gte=Tier.TIER_2).order_by("-at").first()
    return day_of(change.at) if change else None


def annual_review_item(partner: Partner, on: dt.date) -> DateItem | None:
    certified = day_or_none(partner.certified_at)
    if certified is None or partner.status not in MEMBER_STATUSES:
        return None
    pending = (
        AnnualReview.objects.filter(partner=partner)
        .exclude(status=ReviewStatus.APPROVED)
        .order_by("due_on")
        .first()
    )
    if pending is not None:
        return DateItem(
            Kind.ANNUAL_REVIEW,
            pending.due_on,
            on,
            opens=pending.opens_on,
            obj=pending,
            detail=_("Year %(n)d: %(s)s") % {"n": pending.cycle, "s": pending.get_status_display()},
        )
    approved = AnnualReview.objects.filter(partner=partner, status=ReviewStatus.APPROVED).count()
    window = clocks.annual_review_window(certified, approved)
    return DateItem(
        Kind.ANNUAL_REVIEW,
        window.due,
        on,
        opens=window.opens,
        detail=_("Year %(n)d: the window opens %(d)s") % {"n": window.cycle, "d": window.opens.isoformat()},
    )


@dataclass(frozen=True)
class AppealTarget:
    """What an appeal of `subject` would be against now: the record, its field on Appeal, the window."""

    obj: Decision | Suspension | Removal
    field: str
    started: dt.date
    last_day: dt.date


def appeal_target(partner: Partner, subject: str) -> AppealTarget | None:
    """The denial, suspension or removal in force that the company may appeal (None when there is none)."""
    if subject == AppealSubject.DENIAL:
        denial = _latest_denial(partner)
        if denial is not None:
            return AppealTarget(denial, "decision", day_of(denial.decided_at), denial_appeal_due(denial))
    elif subject == AppealSubject.SUSPENSION:
        suspension = suspension_in_force(partner)
        if suspension is not None:
            return AppealTarget(
                suspension, "suspension", day_of(suspension.started_at), suspension_appeal_due(suspension)
            )
    elif subject == AppealSubject.REMOVAL:
        removal = removal_in_force(partner)
        if removal is not None:
            return AppealTarget(removal, "removal", day_of(removal.removed_at), removal_appeal_due(removal))
    return None


def _live_appeal_on(appeals: Iterable[Appeal], **match) -> bool:
    key, value = next(iter(match.items()))
    return any(getattr(a, f"{key}_id") == value.pk and a.status in LIVE_APPEAL for a in appeals)


def partner_dates(partner: Partner, *, on: dt.date | None = None) -> PartnerDates:
    """Every date that matters for this partner now, soonest first, plus what it may still act on."""
    on = on or today()
    items: list[DateItem] = []
    referral = open_referral(partner)
    open_requests: list[InfoRequest] = []
    if referral is not None:
        due = referral_due(referral, on=on)
        paused = paused_days(referral, on=on)
        detail = (
            _("The clock has been paused %(n)d day(s) while waiting for the company.") % {"n": paused}
            if paused
            else ""
        )
        items.append(DateItem(Kind.CERTIFICATION, due, on, obj=referral, detail=detail))
        open_requests = [r for r in referral.info_requests.all() if r.responded_at is None]
        for request in open_requests:
            items.append(DateItem(Kind.INFO_REQUEST, request.due_on, on, obj=request))
    if partner.status in MEMBER_STATUSES:
        if partner.tier == Tier.TIER_1 and (validation := first_validation_due(partner)):
            items.append(DateItem(Kind.VALIDATION, validation, on))
        elif partner.tier >= Tier.TIER_2 and (validated := last_validated(partner)):
            items.append(
                DateItem(
                    Kind.REVALIDATION,
                    clocks.revalidation_due(validated),
                    on,
                    detail=_("Last validated %(d)s") % {"d": validated.isoformat()},
                )
            )
        review = annual_review_item(partner, on)
        if review is not None:
            items.append(review)
    appeals = list(
        Appeal.objects.filter(partner=partner).select_related("decided_by").order_by("-filed_at", "-id")
    )
    for appeal in appeals:
        if appeal.status == AppealStatus.FILED:
            items.append(DateItem(Kind.APPEAL_DECISION, appeal_decision_due(appeal), on, obj=appeal))
    appealable: dict[str, tuple[Any, dt.date]] = {}
    denial = _latest_denial(partner)
    if denial is not None and not _live_appeal_on(appeals, decision=denial):
        appealable["denial"] = (denial, denial_appeal_due(denial))
    suspension = suspension_in_force(partner)
    if suspension is not None and not _live_appeal_on(appeals, suspension=suspension):
        appealable["suspension"] = (suspension, suspension_appeal_due(suspension))
    removal = removal_in_force(partner)
    if removal is not None:
        if not _live_appeal_on(appeals, removal=removal):
            appealable["removal"] = (removal, removal_appeal_due(removal))
        items.append(DateItem(Kind.REAPPLY, reapply_from(removal), on, obj=removal, is_window_start=True))
    for subject, (obj, last_day) in appealable.items():
        items.append(
            DateItem(
                Kind.APPEAL_WINDOW,
                last_day,
                on,
                obj=obj,
                detail=str(AppealSubject(subject).label),
                extra={"subject": subject},
            )
        )
    plans = list(suspension.action_plans.select_related("reviewed_by").all()) if suspension else []
    items.sort(key=lambda i: (i.due, i.kind))
    return PartnerDates(
        partner=partner,
        on=on,
        items=items,
        open_requests=open_requests,
        referral=referral,
        suspension=suspension,
        plans=plans,
        removal=removal,
        appeals=appeals,
        appealable=appealable,
    )


# --- the referral queue -------------------------------------------------------------------------------------


@dataclass
class QueueRow(Countdown):
    referral: Referral
    due: dt.date
    on: dt.date
    paused: bool


def referral_queue(
    *,
    field_office: int | None = None,
    assigned_to: int | None = None,
    status: str = "",
    on: dt.date | None = None,
) -> list[QueueRow]:
    """Open referrals, soonest certification deadline first. Two queries whatever the number of rows."""
    on = on or today()
    qs = open_referrals(field_office=field_office, assigned_to=assigned_to)
    if status:
        qs = qs.filter(status=status)
    qs = qs.select_related("partner", "assigned_to", "field_office", "proposed_by").prefetch_related(
        "info_requests"
    )
    rows = [QueueRow(r, referral_due(r, on=on), on, is_paused(r)) for r in qs]
    rows.sort(key=lambda row: (row.due, row.referral.opened_at, row.referral.pk))
    return rows
