"""Reads of partners on behalf of an actor. Someone else's partner and a missing one are both 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from greenlane.core.errors import NotFound
from greenlane.core.paging import Page, paginate

from . import identifiers as ids
from .models import AgreementSignature, Identifier, Membership, Partner


def visible_partners(user) -> QuerySet[Partner]:
    if not getattr(user, "is_authenticated", False):
        return Partner.objects.none()
    if user.staff_role:
        return Partner.objects.all()
    return Partner.objects.filter(memberships__user=user)


@dataclass(frozen=True)
class PartnerAccess:
    partner: Partner
    role: str | None  # the user's trade role in this partner; None for staff

    @property
    def is_staff(self) -> bool:
        return self.role is None


def partner_for(user, partner_id, *, for_update: bool = False) -> PartnerAccess:
    """The partner if the user may see it, with the user's role; NotFound otherwise."""
    try:
        pk = int(partner_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    qs = Partner.objects.select_related("assigned_scs", "field_office")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    if user.staff_role:
        partner = qs.filter(pk=pk).first()
        if partner is None:
            raise NotFound()
        return PartnerAccess(partner, None)
    membership = Membership.objects.filter(user=user, partner_id=pk).only("role").first()
    if membership is None:
        raise NotFound()
    partner = qs.filter(pk=pk).first()
    if partner is None:
        raise NotFound()
    return PartnerAccess(partner, membership.role)


def partner_detail(user, partner_id) -> PartnerAccess:
    """The partner with everything its detail page shows, in a fixed number of queries."""
    access = partner_for(user, partner_id)
    partner = (
        Partner.objects.select_related("assigned_scs", "field_office")
        .prefetch_related(
            "identifiers",
            "sites",
            "contacts",
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("user").order_by("role", "user__email"),
            ),
            Prefetch("signatures", queryset=AgreementSignature.objects.select_related("version", "user")),
        )
        .get(pk=access.partner.pk)
    )
    return PartnerAccess(partner, access.role)


def my_companies(user) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user)
        .select_related("partner", "partner__assigned_scs")
        .order_by("partner__legal_name")
    )


@dataclass(frozen=True)
class PartnerSearch:
    q: str = ""
    status: str = ""
    entity_type: str = ""
    country: str = ""
    field_office: int | None = None
    assigned_scs: int | None = None
    unassigned: bool = False


def search_partners(user, criteria: PartnerSearch, *, limit: int | None, offset: int | None) -> Page:
    """Staff search. A constant number of queries whatever the number of rows."""
    qs = visible_partners(user).select_related("assigned_scs", "field_office")
    q = criteria.q.strip()
    if q:
        qs = qs.filter(_text_filter(q))
    if criteria.status:
        qs = qs.filter(status=criteria.status)
    if criteria.entity_type:
        qs = qs.filter(entity_type=criteria.entity_type)
    if criteria.country:
        qs = qs.filter(country=criteria.country.upper())
    if criteria.field_office:
        qs = qs.filter(field_office_id=criteria.field_office)
    if criteria.unassigned:
        qs = qs.filter(assigned_scs__isnull=True)
    elif criteria.assigned_scs:
        qs = qs.filter(assigned_scs_id=criteria.assigned_scs)
    qs = qs.order_by("search_name", "id").prefetch_related("identifiers")
    return paginate(qs, limit=limit, offset=offset)


def _text_filter(q: str) -> Q:
    """Name contains the text, or reference equals it, or an identifier equals it (normalised per type).

    The partners named by reference or identifier are looked up first (one indexed query), so that what
    is left is `search_name LIKE '%q%' OR id IN (...)`: conditions on the partner row alone that PostgreSQL
    answers from the trigram index on search_name (migration 0003) and the primary key, and SQLite from an
    index holding search_name without reading the table, the first page stopping at 25 matches. A
    correlated identifier subquery in the OR made both scan and probe every partner row instead
    (bench/partner_search.py; docs/benchmarks.md).
    """
    # type IN (every type) lets the (type, value) index serve a lookup by value alone.
    by_identifier = (
        Identifier.objects.filter(type__in=ids.IdentifierType.values, value__in=_identifier_candidates(q))
        .order_by()
        .values_list("partner_id", flat=True)
    )
    by_reference = Partner.objects.filter(reference=q.upper()).order_by().values_list("pk", flat=True)
    named = sorted(set(by_identifier.union(by_reference)))
    return Q(search_name__contains=q.lower()) | Q(pk__in=named)


def _identifier_candidates(q: str) -> list[str]:
    """The text as typed (upper-cased) and its normal form under every identifier type it is valid for."""
    candidates = {q.strip().upper()}
    for t in ids.IdentifierType.values:
        try:
            candidates.add(ids.normalize(t, q))
        except ids.IdentifierError:
            continue
    return sorted(candidates)
