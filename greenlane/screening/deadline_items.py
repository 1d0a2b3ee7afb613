"""The dated items of the program and the clocks of single records (a referral, an appeal, a removal...).

The building blocks of `deadlines` (one partner's dates, the referral queue) and `program_deadlines`
(overdue and due-soon items across the program); both import from here, never the other way round.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from greenlane.core import clocks
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner
from greenlane.profiles.choices import ReviewStatus

from .choices import AppealStatus, ReferralStatus, SuspensionCause
from .models import Appeal, Decision, Referral, Removal, Suspension

DUE_SOON_DAYS = 14
OPEN_REFERRAL = (ReferralStatus.OPEN, ReferralStatus.AWAITING_COMPANY, ReferralStatus.DENIAL_PROPOSED)
MEMBER_STATUSES = (PartnerStatus.CERTIFIED, PartnerStatus.SUSPENDED)
REVIEW_PENDING_COMPANY = (ReviewStatus.OPEN, ReviewStatus.RETURNED)
LIVE_APPEAL = (AppealStatus.FILED, AppealStatus.UPHELD, AppealStatus.OVERTURNED)


class Kind:
    """The kinds of dated item; the staff page filters on them."""

    CERTIFICATION = "certification"
    INFO_REQUEST = "info_request"
    APPEAL_DECISION = "appeal_decision"
    ANNUAL_REVIEW = "annual_review"
    VALIDATION = "validation"
    REVALIDATION = "revalidation"
    APPEAL_WINDOW = "appeal_window"
    REAPPLY = "reapply"

    LABELS = {
        CERTIFICATION: gettext_lazy("Certification decision (90 days)"),
        INFO_REQUEST: gettext_lazy("Information request answer"),
        APPEAL_DECISION: gettext_lazy("Appeal decision (180 days)"),
        ANNUAL_REVIEW: gettext_lazy("Annual profile review"),
        VALIDATION: gettext_lazy("First validation (1 year)"),
        REVALIDATION: gettext_lazy("Revalidation (4 years)"),
        APPEAL_WINDOW: gettext_lazy("Last day to appeal"),
        REAPPLY: gettext_lazy("Earliest re-application"),
    }
    # What the staff deadlines page lists (the others are the company's own business).
    PROGRAM = (CERTIFICATION, INFO_REQUEST, APPEAL_DECISION, ANNUAL_REVIEW, VALIDATION, REVALIDATION)


def today() -> dt.date:
    return timezone.localdate()


def day_of(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def day_or_none(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


# --- the clocks of single records ---------------------------------------------------------------------------


def referral_pauses(referral: Referral) -> list[clocks.Pause]:
    """Each information request stops the clock from the day it is sent to the day it is answered.

    An unanswered request keeps the clock stopped until the referral is decided (if it was decided while
    waiting). Reads `referral.info_requests.all()`, so prefetch it for lists.
    """
    closed = day_or_none(referral.closed_at)
    pauses = []
    for request in referral.info_requests.all():
        end = day_or_none(request.responded_at) or closed
        pauses.append(clocks.Pause(start=day_of(request.requested_at), end=end))
    return pauses


def paused_days(referral: Referral, *, on: dt.date | None = None) -> int:
    """How many days the certification clock has stood still so far (overlaps counted once)."""
    on = on or today()
    base = clocks.certification_due(referral.submitted_on, today=on)
    return (referral_due(referral, on=on) - base).days


def referral_due(referral: Referral, *, on: dt.date | None = None) -> dt.date:
    """The 90-day certification deadline, moved back by every paused day (an open pause counts to `on`)."""
    return clocks.certification_due(referral.submitted_on, referral_pauses(referral), today=on or today())


def is_paused(referral: Referral) -> bool:
    return referral.closed_at is None and any(r.responded_at is None for r in referral.info_requests.all())


def denial_appeal_due(decision: Decision) -> dt.date:
    return clocks.appeal_due(day_of(decision.decided_at), false_information=False)


def suspension_appeal_due(suspension: Suspension) -> dt.date:
    return clocks.appeal_due(
        day_of(suspension.started_at), false_information=suspension.cause == SuspensionCause.FALSE_INFORMATION
    )


def removal_appeal_due(removal: Removal) -> dt.date:
    return clocks.appeal_due(
        day_of(removal.removed_at), false_information=removal.cause == SuspensionCause.FALSE_INFORMATION
    )


def appeal_decision_due(appeal: Appeal) -> dt.date:
    return clocks.appeal_decision_due(day_of(appeal.filed_at))


def reapply_from(removal: Removal) -> dt.date:
    return clocks.reapply_allowed_from(day_of(removal.removed_at))


def first_validation_due(partner: Partner) -> dt.date | None:
    certified = day_or_none(partner.certified_at)
    return clocks.first_validation_due(certified) if certified else None


# --- a dated item -------------------------------------------------------------------------------------------


class Countdown:
    """Days left to `due` as seen on `on`. A window start (the day something becomes possible) is not a
    deadline: never overdue, never due soon."""

    due: dt.date
    on: dt.date
    is_window_start: bool = False

    @property
    def days_left(self) -> int:
        return (self.due - self.on).days

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def is_overdue(self) -> bool:
        return not self.is_window_start and self.due < self.on

    @property
    def is_due_soon(self) -> bool:
        return not self.is_window_start and 0 <= self.days_left <= DUE_SOON_DAYS


@dataclass
class DateItem(Countdown):
    kind: str
    due: dt.date
    on: dt.date
    detail: str = ""
    opens: dt.date | None = None
    is_window_start: bool = False  # the date is when something becomes possible, not a deadline
    partner: Partner | None = None
    obj: Any = None
    extra: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(Kind.LABELS[self.kind])

    @property
    def state(self) -> str:
        if self.is_window_start:
            return "open" if self.due <= self.on else "later"
        if self.is_overdue:
            return "overdue"
        return "due_soon" if self.is_due_soon else "upcoming"


def open_referrals(*, field_office: int | None = None, assigned_to: int | None = None) -> QuerySet[Referral]:
    """Referrals still to decide, of partners still under review (a withdrawn company leaves the queue)."""
    qs = Referral.objects.filter(status__in=OPEN_REFERRAL, partner__status=PartnerStatus.UNDER_REVIEW)
    if field_office:
        qs = qs.filter(field_office_id=field_office)
    if assigned_to:
        qs = qs.filter(assigned_to_id=assigned_to)
    return qs
