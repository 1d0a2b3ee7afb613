"""Reads of annual reviews for an actor: the company's own (through partner_for, foreign is 404) and the
staff queue (trade users get 404)."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from greenlane.accounts.choices import StaffRole
from greenlane.core import clocks
from greenlane.core.errors import NotFound
from greenlane.core.paging import Page, clamp, paginate
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Membership, Partner
from greenlane.partners.selectors import PartnerAccess

from .choices import ReviewItemDecision, ReviewStatus
from .models import AnnualReview, ReviewItem

# Partners that owe annual reviews: members, including suspended ones (the review may be why).
REVIEWED_STATUSES = (PartnerStatus.CERTIFIED, PartnerStatus.SUSPENDED)
# A review the company still has to act on.
PENDING_COMPANY = (ReviewStatus.OPEN, ReviewStatus.RETURNED)
# A review not yet approved (the company or the specialist still has to act).
UNFINISHED = (ReviewStatus.OPEN, ReviewStatus.SUBMITTED, ReviewStatus.RETURNED)
# Staff who may approve or return any review; an SCS only the reviews of partners assigned to them.
DECIDERS_ANY = frozenset({StaffRole.SUPERVISORY_SCS, StaffRole.PROGRAM_MANAGER})
DUE_SOON_DAYS = 30


def today() -> dt.date:
    return timezone.localdate()


def certified_on(partner: Partner) -> dt.date | None:
    return timezone.localdate(partner.certified_at) if partner.certified_at else None


def approved_count(partner: Partner) -> int:
    return AnnualReview.objects.filter(partner=partner, status=ReviewStatus.APPROVED).count()


def next_window(partner: Partner) -> clocks.ReviewWindow | None:
    """The window of the review the partner owes next (computed; None before certification)."""
    certified = certified_on(partner)
    if certified is None or partner.status not in REVIEWED_STATUSES:
        return None
    return clocks.annual_review_window(certified, approved_count(partner))


def unfinished_review(partner: Partner, *, for_update: bool = False) -> AnnualReview | None:
    """The review in progress (open, submitted or returned), if any."""
    qs = AnnualReview.objects.filter(partner=partner, status__in=UNFINISHED)
    if for_update:
        qs = qs.select_for_update()
    return qs.order_by("-cycle").first()


def current_review(access: PartnerAccess) -> AnnualReview | None:
    return (
        AnnualReview.objects.select_related("partner", "submitted_by", "decided_by", "snapshot")
        .filter(partner=access.partner, status__in=UNFINISHED)
        .order_by("-cycle")
        .first()
    )


def reviews(access: PartnerAccess) -> list[AnnualReview]:
    """Every review of the partner, newest first, with its progress counts."""
    return list(
        _with_progress(AnnualReview.objects.filter(partner=access.partner))
        .select_related("partner", "submitted_by", "decided_by")
        .order_by("-cycle")
    )


def _with_progress(qs: QuerySet[AnnualReview]) -> QuerySet[AnnualReview]:
    return qs.annotate(
        item_total=Count("items", distinct=True),
        item_decided=Count("items", filter=~Q(items__decision=ReviewItemDecision.PENDING), distinct=True),
        item_confirmed=Count("items", filter=Q(items__decision=ReviewItemDecision.CONFIRMED), distinct=True),
        item_updated=Count("items", filter=Q(items__decision=ReviewItemDecision.UPDATED), distinct=True),
    )


def items(review: AnnualReview) -> list[ReviewItem]:
    """The review's items with answer, criterion and category, in catalog order (two queries)."""
    return list(
        ReviewItem.objects.filter(review=review)
        .select_related("answer__criterion__category", "answer__action_plan")
        .prefetch_related("answer__evidence")
        .order_by("answer__criterion__category__number", "answer__criterion__number")
    )


def item_for(review: AnnualReview, code: str) -> ReviewItem:
    found = (
        ReviewItem.objects.select_related("answer__criterion__category")
        .filter(review=review, answer__criterion__code=code)
        .first()
    )
    if found is None:
        raise NotFound(f"Criterion {code} is not part of this review.")
    return found


@dataclass(frozen=True)
class Progress:
    decided: int
    total: int
    confirmed: int
    updated: int

    @property
    def complete(self) -> bool:
        return self.decided == self.total

    @property
    def percent(self) -> int:
        return round(100 * self.decided / self.total) if self.total else 100


def progress_of(rows: list[ReviewItem]) -> Progress:
    confirmed = sum(1 for r in rows if r.decision == ReviewItemDecision.CONFIRMED)
    updated = sum(1 for r in rows if r.decision == ReviewItemDecision.UPDATED)
    return Progress(confirmed + updated, len(rows), confirmed, updated)


def progress(review: AnnualReview) -> Progress:
    counts = {
        row["decision"]: row["n"]
        for row in ReviewItem.objects.filter(review=review)
        .values("decision")
        .annotate(n=Count("id"))
        .order_by()
    }
    confirmed = counts.get(ReviewItemDecision.CONFIRMED, 0)
    updated = counts.get(ReviewItemDecision.UPDATED, 0)
    return Progress(confirmed + updated, sum(counts.values()), confirmed, updated)


def by_category(rows: list[ReviewItem]) -> list[tuple[int, str, list[ReviewItem]]]:
    groups: OrderedDict[int, tuple[str, list[ReviewItem]]] = OrderedDict()
    for row in rows:
        category = row.answer.criterion.category
        groups.setdefault(category.number, (category.name, []))[1].append(row)
    return [(number, name, rows) for number, (name, rows) in groups.items()]


def is_late(review: AnnualReview) -> bool:
    """Submitted after the due date (the first submission counts)."""
    return review.submitted_at is not None and timezone.localdate(review.submitted_at) > review.due_on


def is_overdue(review: AnnualReview, on: dt.date | None = None) -> bool:
    return review.status in PENDING_COMPANY and (on or today()) > review.due_on


def company_officers(partner: Partner) -> list:
    return [
        m.user
        for m in Membership.objects.filter(partner=partner, role="company_officer", user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    ]


# --- opening: which partners owe a review that does not exist yet -------------------------------------


def partners_without_pending_review(*, statuses=REVIEWED_STATUSES):
    """Members whose every review is approved (or who have none): the next one is computed, not stored."""
    return (
        Partner.objects.filter(status__in=statuses, certified_at__isnull=False)
        .annotate(
            approved_reviews=Count("annual_reviews", filter=Q(annual_reviews__status=ReviewStatus.APPROVED)),
            last_cycle=Max("annual_reviews__cycle"),
        )
        .filter(Q(last_cycle__isnull=True) | Q(last_cycle__lte=F("approved_reviews")))
    )


def windows_to_open(on: dt.date) -> list[tuple[int, clocks.ReviewWindow]]:
    """(partner id, window) for every member whose next window is open on `on` and has no review yet."""
    out = []
    rows = partners_without_pending_review().values_list("pk", "certified_at", "approved_reviews")
    for pk, certified_at, approved in rows:
        window = clocks.annual_review_window(timezone.localdate(certified_at), approved)
        if window.is_open(on):
            out.append((pk, window))
    return out


# --- staff ---------------------------------------------------------------------------------------------


def _require_staff(user) -> None:
    if not getattr(user, "staff_role", ""):
        raise NotFound()


def can_decide(user, partner: Partner) -> bool:
    role = getattr(user, "staff_role", "")
    if role in DECIDERS_ANY:
        return True
    return role == StaffRole.SCS and partner.assigned_scs_id == user.pk


def review_for_staff(user, review_id) -> AnnualReview:
    _require_staff(user)
    try:
        pk = int(review_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = (
        AnnualReview.objects.select_related(
            "partner__assigned_scs", "partner__field_office", "submitted_by", "decided_by", "snapshot"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


TABS = ("awaiting", "overdue", "due_soon")


@dataclass(frozen=True)
class QueueFilter:
    tab: str = "awaiting"
    field_office: int | None = None
    assigned_scs: int | None = None
    unassigned: bool = False


@dataclass(frozen=True)
class QueueRow:
    partner: Partner
    review: AnnualReview | None  # None: the window opens soon and no review exists yet
    cycle: int
    opens_on: dt.date
    due_on: dt.date
    on: dt.date

    @property
    def days_left(self) -> int:
        return (self.due_on - self.on).days

    @property
    def days_overdue(self) -> int:
        return (self.on - self.due_on).days

    @property
    def is_overdue(self) -> bool:
        return self.review is not None and is_overdue(self.review, self.on)

    @property
    def opens_later(self) -> bool:
        return self.review is None


def _partner_filter(qs, flt: QueueFilter, prefix: str = ""):
    if flt.field_office:
        qs = qs.filter(**{f"{prefix}field_office_id": flt.field_office})
    if flt.unassigned:
        qs = qs.filter(**{f"{prefix}assigned_scs__isnull": True})
    elif flt.assigned_scs:
        qs = qs.filter(**{f"{prefix}assigned_scs_id": flt.assigned_scs})
    return qs


def _review_rows(qs, on: dt.date) -> list[QueueRow]:
    return [QueueRow(r.partner, r, r.cycle, r.opens_on, r.due_on, on) for r in qs]


def _queue_reviews(flt: QueueFilter, on: dt.date, tab: str) -> QuerySet[AnnualReview]:
    qs = _partner_filter(AnnualReview.objects.all(), flt, "partner__")
    if tab == "awaiting":
        qs = qs.filter(status=ReviewStatus.SUBMITTED)
    elif tab == "overdue":
        qs = qs.filter(status__in=PENDING_COMPANY, due_on__lt=on)
    else:
        qs = qs.filter(
            status__in=PENDING_COMPANY, due_on__gte=on, due_on__lte=on + dt.timedelta(days=DUE_SOON_DAYS)
        )
    return (
        _with_progress(qs)
        .select_related("partner__assigned_scs", "partner__field_office")
        .order_by("due_on", "partner__legal_name", "id")
    )


def _opening_soon(flt: QueueFilter, on: dt.date) -> list[QueueRow]:
    """Members with no review yet whose next window opens within the coming 30 days."""
    horizon = on + dt.timedelta(days=DUE_SOON_DAYS)
    candidates = _partner_filter(partners_without_pending_review(), flt)
    ids: dict[int, clocks.ReviewWindow] = {}
    for pk, certified_at, approved in candidates.values_list("pk", "certified_at", "approved_reviews"):
        window = clocks.annual_review_window(timezone.localdate(certified_at), approved)
        if on < window.opens <= horizon:
            ids[pk] = window
    partners = Partner.objects.select_related("assigned_scs", "field_office").in_bulk(list(ids))
    return [
        QueueRow(partners[pk], None, w.cycle, w.opens, w.due, on) for pk, w in ids.items() if pk in partners
    ]


def staff_queue(user, flt: QueueFilter, *, on: dt.date | None = None, limit=None, offset=None) -> Page:
    """One tab of the review queue, ordered by deadline. Trade users: 404."""
    _require_staff(user)
    on = on or today()
    tab = flt.tab if flt.tab in TABS else "awaiting"
    if tab != "due_soon":
        page = paginate(_queue_reviews(flt, on, tab), limit=limit, offset=offset)
        return Page(_review_rows(page.items, on), page.count, page.limit, page.offset)
    rows = _review_rows(_queue_reviews(flt, on, tab), on) + _opening_soon(flt, on)
    rows.sort(key=lambda r: (r.due_on, r.partner.legal_name, r.partner.pk))
    lim, off = clamp(limit, offset)
    return Page(rows[off : off + lim], len(rows), lim, off)


def queue_counts(user, flt: QueueFilter, *, on: dt.date | None = None) -> dict[str, int]:
    _require_staff(user)
    on = on or today()
    return {
        "awaiting": _queue_reviews(flt, on, "awaiting").count(),
        "overdue": _queue_reviews(flt, on, "overdue").count(),
        "due_soon": _queue_reviews(flt, on, "due_soon").count() + len(_opening_soon(flt, on)),
    }


def staff_reviews(
    user, *, status: str = "", overdue: bool | None = None, on: dt.date | None = None, limit=None, offset=None
) -> Page:
    """Staff list for the API: by status, and overdue or not."""
    _require_staff(user)
    on = on or today()
    qs = AnnualReview.objects.all()
    if status:
        qs = qs.filter(status=status)
    late_q = Q(status__in=PENDING_COMPANY, due_on__lt=on)
    if overdue is True:
        qs = qs.filter(late_q)
    elif overdue is False:
        qs = qs.exclude(late_q)
    qs = (
        _with_progress(qs)
        .select_related("partner__assigned_scs", "partner__field_office", "submitted_by", "decided_by")
        .order_by("due_on", "id")
    )
    return paginate(qs, limit=limit, offset=offset)
