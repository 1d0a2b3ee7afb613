"""Reads in vetting: for staff (trade users get 404 on everything), and the compliance summaries the
screening engine reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from greenlane.core.clocks import add_years
from greenlane.core.errors import NotFound
from greenlane.core.paging import Page, paginate
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner

from . import permissions
from .choices import MatchMethod, MatchStatus, RecordKind
from .models import ComplianceIdentifier, ComplianceImport, ComplianceRecord, VettingMatch

WINDOW_YEARS = 5
# Partners waiting on a decision come first in the review queue.
IN_REVIEW = (PartnerStatus.SUBMITTED, PartnerStatus.UNDER_REVIEW)


def _require_view(user) -> None:
    if not permissions.can_view(user):
        raise NotFound()


def imports(user, *, limit: int | None, offset: int | None) -> Page:
    _require_view(user)
    return paginate(
        ComplianceImport.objects.select_related("imported_by").order_by("-imported_at", "-id"),
        limit=limit,
        offset=offset,
    )


def _matches_qs() -> QuerySet[VettingMatch]:
    return VettingMatch.objects.select_related("partner", "record", "reviewed_by").prefetch_related(
        Prefetch(
            "record__identifiers", queryset=ComplianceIdentifier.objects.order_by("derived", "type", "value")
        )
    )


@dataclass(frozen=True)
class MatchFilter:
    status: str = ""
    partner_id: int | None = None
    method: str = ""
    kind: str = ""


def matches(user, criteria: MatchFilter, *, limit: int | None, offset: int | None) -> Page:
    _require_view(user)
    qs = _matches_qs()
    if criteria.status:
        qs = qs.filter(status=criteria.status)
    if criteria.partner_id:
        qs = qs.filter(partner_id=criteria.partner_id)
    if criteria.method:
        qs = qs.filter(method=criteria.method)
    if criteria.kind:
        qs = qs.filter(record__kind=criteria.kind)
    return paginate(qs.order_by("-created_at", "-id"), limit=limit, offset=offset)


def match_for(user, match_id) -> VettingMatch:
    _require_view(user)
    try:
        pk = int(match_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    match = _matches_qs().filter(pk=pk).first()
    if match is None:
        raise NotFound()
    return match


@dataclass(frozen=True)
class QueueFilter:
    q: str = ""
    partner_status: str = ""
    method: str = ""
    kind: str = ""
    min_score: float | None = None


def review_queue(user, criteria: QueueFilter, *, limit: int | None, offset: int | None) -> Page:
    """Partners with pending matches: those submitted or under review first, then the longest waiting."""
    _require_view(user)
    pending = Q(vetting_matches__status=MatchStatus.PENDING)
    if criteria.method:
        pending &= Q(vetting_matches__method=criteria.method)
    if criteria.kind:
        pending &= Q(vetting_matches__record__kind=criteria.kind)
    if criteria.min_score is not None:
        pending &= Q(vetting_matches__score__gte=criteria.min_score)
    waiting = VettingMatch.objects.filter(partner=OuterRef("pk"), status=MatchStatus.PENDING)
    qs = Partner.objects.filter(Exists(waiting))
    if criteria.partner_status:
        qs = qs.filter(status=criteria.partner_status)
    if criteria.q.strip():
        text = criteria.q.strip()
        qs = qs.filter(Q(search_name__contains=text.lower()) | Q(reference=text.upper()))
    qs = qs.annotate(
        pending_count=Count("vetting_matches", filter=pending),
        best_score=Max("vetting_matches__score", filter=pending),
        waiting_since=Min("vetting_matches__created_at", filter=pending),
        queue_rank=Case(When(status__in=IN_REVIEW, then=Value(0)), default=Value(1)),
    ).filter(pending_count__gt=0)
    qs = qs.select_related("assigned_scs", "field_office").order_by("queue_rank", "waiting_since", "id")
    return paginate(qs, limit=limit, offset=offset)


@dataclass(frozen=True)
class PartnerVetting:
    partner: Partner
    matches: list[VettingMatch]

    @property
    def pending(self) -> list[VettingMatch]:
        return [m for m in self.matches if m.status == MatchStatus.PENDING]

    @property
    def decided(self) -> list[VettingMatch]:
        return [m for m in self.matches if m.status != MatchStatus.PENDING]


def partner_for(user, partner_id) -> Partner:
    """Any partner, with its identifiers and sites, for staff; 404 for everyone else."""
    _require_view(user)
    try:
        pk = int(partner_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    partner = Partner.objects.prefetch_related("identifiers", "sites").filter(pk=pk).first()
    if partner is None:
        raise NotFound()
    return partner


def partner_vetting(user, partner_id, *, status: str = "") -> PartnerVetting:
    """A partner (names, sites, identifiers) and its matches with their records, best first."""
    partner = partner_for(user, partner_id)
    qs = _matches_qs().filter(partner=partner)
    if status:
        qs = qs.filter(status=status)
    return PartnerVetting(partner, list(qs.order_by("-score", "record__date", "id")))


def record_count() -> int:
    return ComplianceRecord.objects.count()


# --- for the screening engine ------------------------------------------------------------------------------


def empty_summary() -> dict:
    return {
        "penalties_5y": 0,
        "seizures_5y": 0,
        "liquidated_damages_5y": 0,
        "unpaid_debt": False,
        "unpaid_debt_amount": 0.0,
        "prior_suspension": False,
        "prior_removal": False,
        "watch_list_hit": False,
        "confirmed_matches": 0,
        "pending_fuzzy_matches": 0,
        "pending_matches": 0,
    }


def _aggregates(today: dt.date) -> dict:
    since = add_years(today, -WINDOW_YEARS)
    confirmed = Q(status=MatchStatus.CONFIRMED, record__date__lte=today)

    def of_kind(kind: str, *, windowed: bool) -> Q:
        q = confirmed & Q(record__kind=kind)
        return q & Q(record__date__gte=since) if windowed else q

    return {
        "penalties_5y": Count("id", filter=of_kind(RecordKind.PENALTY, windowed=True)),
        "seizures_5y": Count("id", filter=of_kind(RecordKind.SEIZURE, windowed=True)),
        "liquidated_damages_5y": Count("id", filter=of_kind(RecordKind.LIQUIDATED_DAMAGES, windowed=True)),
        "unpaid_debt_n": Count("id", filter=of_kind(RecordKind.UNPAID_DEBT, windowed=False)),
        "unpaid_debt_amount": Sum("record__amount", filter=of_kind(RecordKind.UNPAID_DEBT, windowed=False)),
        "prior_suspension_n": Count("id", filter=of_kind(RecordKind.PRIOR_SUSPENSION, windowed=False)),
        "prior_removal_n": Count("id", filter=of_kind(RecordKind.PRIOR_REMOVAL, windowed=False)),
        "watch_list_n": Count("id", filter=of_kind(RecordKind.WATCH_LIST, windowed=False)),
        "confirmed_matches": Count("id", filter=confirmed),
        "pending_fuzzy_matches": Count(
            "id",
            filter=Q(status=MatchStatus.PENDING, method=MatchMethod.NAME_ADDRESS, record__date__lte=today),
        ),
        "pending_matches": Count("id", filter=Q(status=MatchStatus.PENDING, record__date__lte=today)),
    }


def _summary(row: dict) -> dict:
    return {
        "penalties_5y": row["penalties_5y"],
        "seizures_5y": row["seizures_5y"],
        "liquidated_damages_5y": row["liquidated_damages_5y"],
        "unpaid_debt": row["unpaid_debt_n"] > 0,
        "unpaid_debt_amount": float(row["unpaid_debt_amount"] or 0),
        "prior_suspension": row["prior_suspension_n"] > 0,
        "prior_removal": row["prior_removal_n"] > 0,
        "watch_list_hit": row["watch_list_n"] > 0,
        "confirmed_matches": row["confirmed_matches"],
        "pending_fuzzy_matches": row["pending_fuzzy_matches"],
        "pending_matches": row["pending_matches"],
    }


def compliance_summaries(
    partner_ids: Iterable[int] | None = None, today: dt.date | None = None
) -> dict[int, dict]:
    """compliance_summary for many partners in a few grouped queries (partners without matches get the
    empty summary). `partner_ids` None: every partner that has a match."""
    today = today or timezone.localdate()
    aggregates = _aggregates(today)
    result: dict[int, dict] = {}
    if partner_ids is None:
        chunks: list[list[int] | None] = [None]
    else:
        ids = sorted({int(p) for p in partner_ids})
        result = {pid: empty_summary() for pid in ids}
        chunks = [ids[i : i + 5_000] for i in range(0, len(ids), 5_000)]
    for chunk in chunks:
        qs = VettingMatch.objects.all()
        if chunk is not None:
            qs = qs.filter(partner_id__in=chunk)
        for row in qs.order_by().values("partner_id").annotate(**aggregates):
            result[row["partner_id"]] = _summary(dict(row))
    return result


def compliance_summary(partner: Partner | int, today: dt.date | None = None) -> dict:
    """What the confirmed compliance history says about a partner, as of `today` (default: today).

    Counts cover CONFIRMED matches only: identifier matches are confirmed automatically, name-and-address
    matches once an officer confirms them. Penalties, seizures and liquidated damages count within the five
    years up to `today` (inclusive); the flags and the unpaid amount cover every date up to `today`. Records
    dated after `today` are ignored, so a past `today` reproduces what was known then about the past.
    `pending_fuzzy_matches` counts name-and-address matches still waiting for an officer.
    """
    partner_id = partner.pk if isinstance(partner, Partner) else int(partner)
    return compliance_summaries([partner_id], today)[partner_id]
