"""Bulletins for a member (audience-matched, unread first) and for staff (all, with read receipts)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from greenlane.core.errors import NotFound
from greenlane.core.paging import Page, paginate
from greenlane.partners.models import Membership, Partner

from .. import audience as aud
from ..choices import BULLETIN_LIVE, BulletinKind
from ..models import Bulletin, BulletinRead


def live_bulletins_q(now: dt.datetime | None = None) -> Q:
    now = now or timezone.now()
    return Q(status__in=list(BULLETIN_LIVE), publish_at__lte=now) & (
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def member_partners(user) -> list[Partner]:
    if not getattr(user, "is_authenticated", False) or user.staff_role:
        return []
    return [m.partner for m in Membership.objects.filter(user=user).select_related("partner")]


def bulletins_for(user, *, partners: list[Partner] | None = None, kind: str = "") -> QuerySet[Bulletin]:
    """Live bulletins whose audience admits one of the user's companies (or the given ones), unread first.

    One query: the companies' values are known, so the audience test is a constant condition per row.
    """
    if partners is None:
        partners = member_partners(user)
    if not partners:
        return Bulletin.objects.none()
    qs = Bulletin.objects.filter(live_bulletins_q(), aud.q_for_partners(partners))
    if kind in BulletinKind.values:
        qs = qs.filter(kind=kind)
    return qs.annotate(
        is_read=Exists(BulletinRead.objects.filter(bulletin=OuterRef("pk"), user=user))
    ).order_by("is_read", "-publish_at", "-id")


def member_bulletins(user, *, kind: str = "", q: str = "", limit=None, offset=None) -> Page:
    qs = bulletins_for(user, kind=kind)
    if q.strip():
        qs = qs.filter(Q(title__icontains=q.strip()) | Q(body__icontains=q.strip()))
    return paginate(qs, limit=limit, offset=offset)


def bulletin_for_member(user, bulletin_id) -> Bulletin:
    try:
        pk = int(bulletin_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = bulletins_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def unread_bulletin_count(user, partners: list[Partner]) -> int:
    return bulletins_for(user, partners=partners).filter(is_read=False).count()  # type: ignore[misc]


# Staff -------------------------------------------------------------------------------------------------


def _require_staff(user) -> None:
    if not getattr(user, "is_authenticated", False) or not user.staff_role:
        raise NotFound()


def staff_bulletins(user, *, status: str = "", kind: str = "", q: str = "", limit=None, offset=None) -> Page:
    _require_staff(user)
    qs = (
        Bulletin.objects.select_related("author")
        .annotate(read_count=Count("reads"))
        .order_by("-created_at", "-id")
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q.strip():
        qs = qs.filter(title__icontains=q.strip())
    return paginate(qs, limit=limit, offset=offset)


def staff_bulletin(user, bulletin_id) -> Bulletin:
    _require_staff(user)
    try:
        pk = int(bulletin_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = (
        Bulletin.objects.select_related("author").annotate(read_count=Count("reads")).filter(pk=pk).first()
    )
    if found is None:
        raise NotFound()
    return found


def read_receipts(bulletin: Bulletin, *, limit=None, offset=None) -> Page:
    """Who read it, newest first, each with the companies they belong to (a fixed number of queries)."""
    from django.db.models import Prefetch

    qs = (
        BulletinRead.objects.filter(bulletin=bulletin)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "user__memberships",
                queryset=Membership.objects.select_related("partner").order_by("partner__legal_name"),
            )
        )
        .order_by("-read_at", "-id")
    )
    return paginate(qs, limit=limit, offset=offset)


def reads_by_company(bulletin: Bulletin, *, limit: int = 50) -> list[dict]:
    """Companies whose people read it, with how many of them did (most first)."""
    readers = BulletinRead.objects.filter(bulletin=bulletin).values("user_id")
    return [
        dict(row)
        for row in Membership.objects.filter(user_id__in=readers)
        .values("partner_id", "partner__legal_name", "partner__reference")
        .annotate(readers=Count("user_id"))
        .order_by("-readers", "partner__legal_name")[:limit]
    ]


def companies_reached_with_reads(bulletin: Bulletin) -> int:
    """How many companies of the audience have at least one reader."""
    readers = BulletinRead.objects.filter(bulletin=bulletin).values("user_id")
    return (
        aud.matching_partners(aud.audience_of(bulletin))
        .filter(Exists(Membership.objects.filter(partner=OuterRef("pk"), user_id__in=readers)))
        .count()
    )
