"""Every program date of a partner, computed from the events that start, pause and stop it (core.clocks).

Nothing here is typed in by hand: the certification deadline comes from the submission date and the
information requests (each one pauses the clock from the day it is sent to the day it is answered), the
appeal windows from the denial, suspension or removal and its cause, the validation dates from the
certification and the tier changes, the annual review from the certification and the reviews approved.

Two readers: `partner_dates` (one partner, for the company and its specialist) and `program_deadlines`
(overdue and due-soon items across the program, a constant number of queries whatever the population).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenlane.core import clocks
from greenlane.partners.choices import PartnerStatus, Tier
from greenlane.partners.models import Partner, TierChange
from greenlane.profiles.choices import ReviewStatus
from greenlane.profiles.models import AnnualReview

from .choices import AppealStatus, AppealSubject, Outcome, ReferralStatus, SuspensionCause
from .models import Appeal, Decision, InfoRequest, Referral, Removal, Suspension

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


# --- one partner's dates ------------------------------------------------------------------------------------


@dataclass
class DateItem:
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

    @property
    def state(self) -> str:
        if self.is_window_start:
            return "open" if self.due <= self.on else "later"
        if self.is_overdue:
            return "overdue"
        return "due_soon" if self.is_due_soon else "upcoming"


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
class QueueRow:
    referral: Referral
    due: dt.date
    on: dt.date
    paused: bool

    @property
    def days_left(self) -> int:
        return (self.due - self.on).days

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def is_overdue(self) -> bool:
        return self.due < self.on

    @property
    def is_due_soon(self) -> bool:
        return 0 <= self.days_left <= DUE_SOON_DAYS


def open_referrals(*, field_office: int | None = None, assigned_to: int | None = None) -> QuerySet[Referral]:
    """Referrals still to decide, of partners still under review (a withdrawn company leaves the queue)."""
    qs = Referral.objects.filter(status__in=OPEN_REFERRAL, partner__status=PartnerStatus.UNDER_REVIEW)
    if field_office:
        qs = qs.filter(field_office_id=field_office)
    if assigned_to:
        qs = qs.filter(assigned_to_id=assigned_to)
    return qs


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


# --- overdue and due-soon across the program ----------------------------------------------------------------


@dataclass
class ProgramDeadlines:
    on: dt.date
    rows: list[DateItem]
    counts: dict[str, int]
    total: int
    limit: int
    offset: int

    @property
    def overdue(self) -> int:
        return sum(1 for r in self.rows if r.is_overdue)


def _end_of(day: dt.date) -> dt.datetime:
    """The last instant of a local day, to compare a timestamp's date without a per-row date cast."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)) - dt.timedelta(
        microseconds=1
    )


def _latest_start(horizon: dt.date, due_of, years: int) -> dt.date:
    """The last start date whose deadline (`due_of(start)`) falls on or before the horizon.

    `years` before the horizon, or the day after when that is a 29 February whose deadline (28 February)
    still falls in time.
    """
    latest = clocks.add_years(horizon, -years)
    following = latest + dt.timedelta(days=1)
    return following if due_of(following) <= horizon else latest


def _office(qs: QuerySet, field_office: int | None, path: str) -> QuerySet:
    return qs.filter(**{f"{path}field_office_id": field_office}) if field_office else qs


_PARTNER = ("partner", "partner__assigned_scs", "partner__field_office")
Found = tuple[int, list[DateItem]]  # how many in all, and the first `cut` of them by deadline


def _certifications(on: dt.date, horizon: dt.date, field_office: int | None, cut: int) -> Found:
    # Pauses only push a deadline later, so a referral submitted after this day cannot be due yet.
    latest = horizon - dt.timedelta(days=clocks.CERTIFICATION_DAYS)
    referrals = (
        open_referrals(field_office=field_office)
        .filter(submitted_on__lte=latest)
        .select_related("assigned_to", "field_office", *_PARTNER)
        .prefetch_related("info_requests")
    )
    found = []
    for referral in referrals:
        due = referral_due(referral, on=on)
        if due <= horizon:
            found.append(DateItem(Kind.CERTIFICATION, due, on, partner=referral.partner, obj=referral))
    found.sort(key=lambda item: item.due)
    return len(found), found[:cut]


def _info_requests(on: dt.date, horizon: dt.date, field_office: int | None, cut: int) -> Found:
    requests = _office(
        InfoRequest.objects.filter(
            responded_at__isnull=True,
            due_on__lte=horizon,
            referral__status__in=OPEN_REFERRAL,
            referral__partner__status=PartnerStatus.UNDER_REVIEW,
        ),
        field_office,
        "referral__",
    )
    related = ("referral", "referral__assigned_to", *(f"referral__{p}" for p in _PARTNER))
    page = requests.select_related(*related).order_by("due_on", "id")[:cut]
    return requests.count(), [
        DateItem(Kind.INFO_REQUEST, r.due_on, on, partner=r.referral.partner, obj=r) for r in page
    ]


def _appeal_decisions(on: dt.date, horizon: dt.date, field_office: int | None, cut: int) -> Found:
    latest = horizon - dt.timedelta(days=clocks.APPEAL_DECISION_DAYS)
    appeals = _office(
        Appeal.objects.filter(status=AppealStatus.FILED, filed_at__lte=_end_of(latest)),
        field_office,
        "partner__",
    )
    page = appeals.select_related(*_PARTNER).order_by("filed_at", "id")[:cut]
    return appeals.count(), [
        DateItem(Kind.APPEAL_DECISION, appeal_decision_due(a), on, partner=a.partner, obj=a) for a in page
    ]


def _annual_reviews(on: dt.date, horizon: dt.date, field_office: int | None, cut: int) -> Found:
    reviews = _office(
        AnnualReview.objects.filter(
            status__in=REVIEW_PENDING_COMPANY, due_on__lte=horizon, partner__status__in=MEMBER_STATUSES
        ),
        field_office,
        "partner__",
    )
    page = reviews.select_related(*_PARTNER).order_by("due_on", "id")[:cut]
    return reviews.count(), [
        DateItem(
            Kind.ANNUAL_REVIEW,
            r.due_on,
            on,
            opens=r.opens_on,
            partner=r.partner,
            obj=r,
            detail=_("Year %(n)d: %(s)s") % {"n": r.cycle, "s": r.get_status_display()},
        )
        for r in page
    ]


def _validations(on: dt.date, horizon: dt.date, field_office: int | None, cut: int) -> Found:
    latest = _latest_start(horizon, clocks.first_validation_due, clocks.FIRST_VALIDATION_YEARS)
    members = _office(
        Partner.objects.filter(
            status__in=MEMBER_STATUSES, tier=Tier.TIER_1, certified_at__lte=_end_of(latest)
        ),
        field_office,
        "",
    )
    page = members.select_related("assigned_scs", "field_office").order_by("certified_at", "id")[:cut]
    return members.count(), [
        DateItem(Kind.VALIDATION, clocks.first_validation_due(day_of(p.certified_at)), on, partner=p)
        for p in page
    ]


def _revalidations(on: dt.date, horizon: dt.date, field_office: int | None, cut: int) -> Found:
    latest = _latest_start(horizon, clocks.revalidation_due, clocks.REVALIDATION_YEARS)
    last = (
        TierChange.objects.filter(partner=OuterRef("pk"), to_tier__gte=Tier.TIER_2)
        .order_by("-at")
        .values("at")
    )
    members = _office(
        Partner.objects.filter(status__in=MEMBER_STATUSES, tier__gte=Tier.TIER_2)
        .annotate(last_validated_at=Subquery(last[:1]))
        .filter(last_validated_at__lte=_end_of(latest)),
        field_office,
        "",
    )
    page = members.select_related("assigned_scs", "field_office").order_by("last_validated_at", "id")[:cut]
    found = []
    for partner in page:
        validated = day_of(partner.last_validated_at)  # type: ignore[attr-defined]
        found.append(
            DateItem(
                Kind.REVALIDATION,
                clocks.revalidation_due(validated),
                on,
                partner=partner,
                detail=_("Last validated %(d)s") % {"d": validated.isoformat()},
            )
        )
    return members.count(), found


READERS = {
    Kind.CERTIFICATION: _certifications,
    Kind.INFO_REQUEST: _info_requests,
    Kind.APPEAL_DECISION: _appeal_decisions,
    Kind.ANNUAL_REVIEW: _annual_reviews,
    Kind.VALIDATION: _validations,
    Kind.REVALIDATION: _revalidations,
}


def program_deadlines(
    *,
    field_office: int | None = None,
    kind: str = "",
    on: dt.date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> ProgramDeadlines:
    """Items overdue or due within DUE_SOON_DAYS, soonest first, across every partner.

    Each kind is read by one query ordered by its deadline and cut at offset + limit (the rows of a page
    can only come from the first offset + limit of each kind), and counted by one more: a constant
    number of queries whatever the population. Referrals are read whole: their deadline depends on
    their pauses, and the open ones are a few hundred at most.
    """
    on = on or today()
    horizon = on + dt.timedelta(days=DUE_SOON_DAYS)
    kinds = [kind] if kind in Kind.PROGRAM else list(Kind.PROGRAM)
    cut = offset + limit
    rows: list[DateItem] = []
    counts: dict[str, int] = {}
    for name in kinds:
        counts[name], found = READERS[name](on, horizon, field_office, cut)
        rows += found
    rows.sort(key=lambda r: (r.due, r.kind, r.partner.pk if r.partner else 0))
    return ProgramDeadlines(
        on=on,
        rows=rows[offset:cut],
        counts=counts,
        total=sum(counts.values()),
        limit=limit,
        offset=offset,
    )
