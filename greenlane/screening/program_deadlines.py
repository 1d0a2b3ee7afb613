"""Overdue and due-soon items across the program, for the staff deadlines page and API.

A constant number of queries whatever the population: each kind of item is read by one query ordered by
its deadline and cut at the page's end, and counted by one more. Re-exported by `deadlines`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.core import clocks
from greenlane.partners.choices import PartnerStatus, Tier
from greenlane.partners.models import Partner, TierChange
from greenlane.profiles.models import AnnualReview

from .choices import AppealStatus
from .deadline_items import (
    DUE_SOON_DAYS,
    MEMBER_STATUSES,
    OPEN_REFERRAL,
    REVIEW_PENDING_COMPANY,
    DateItem,
    Kind,
    appeal_decision_due,
    day_of,
    open_referrals,
    referral_due,
    today,
)
from .models import Appeal, InfoRequest


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
