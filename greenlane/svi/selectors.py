"""Reads for the SVI, scoped to the acting company and to what each viewed company consented to share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from greenlane.partners.choices import PartnerStatus, Tier
from greenlane.partners.models import Partner

from .choices import (
    BLOCKING_STATUSES,
    SHOWN_CERTIFIED,
    SHOWN_NOT_CERTIFIED,
    SHOWN_NOT_PARTICIPATING,
    SHOWN_SUSPENDED,
    LinkStatus,
)
from .models import MonitoringLink, SviParticipation

S = PartnerStatus
_SHOWN: dict[str, str] = {
    S.CERTIFIED: SHOWN_CERTIFIED,
    S.SUSPENDED: SHOWN_SUSPENDED,
    S.REMOVED: "removed",
    S.WITHDRAWN: "withdrawn",
}
_VIEW_FIELDS = (
    "id",
    "legal_name",
    "status",
    "tier",
    "since_at",
    "svi__id",
    "svi__active",
    "svi__share",
    "svi__contact_name",
    "svi__contact_email",
    "svi__contact_phone",
)


def since_expr(prefix: str = ""):
    """When the current status began: the status's own timestamp, else the last status change."""
    from django.db.models import Case, F, When
    from django.db.models.functions import Coalesce

    return Coalesce(
        Case(
            When(**{f"{prefix}status": S.CERTIFIED}, then=F(f"{prefix}certified_at")),
            When(**{f"{prefix}status": S.SUSPENDED}, then=F(f"{prefix}suspended_at")),
            When(**{f"{prefix}status": S.REMOVED}, then=F(f"{prefix}removed_at")),
            When(**{f"{prefix}status": S.WITHDRAWN}, then=F(f"{prefix}withdrawn_at")),
        ),
        F(f"{prefix}status_changed_at"),
    )


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class StatusView:
    """What one company may see of another: never more than the viewed company shares."""

    partner_id: int
    name: str  # empty when the company does not take part in the SVI
    status: str  # "certified", "suspended", "removed", "withdrawn", "not certified", "not participating"
    tier: int | None  # None unless the company shares its tier (and is certified or suspended)
    since: dt.date | None  # when the shown status began; None when not participating
    contact: Contact | None  # None unless the company shares its contact
    svi_member: bool

    @property
    def tier_label(self) -> str:
        return str(Tier(self.tier).label) if self.tier else ""

    @property
    def is_certified(self) -> bool:
        return self.status == SHOWN_CERTIFIED


def shown_status(status: str) -> str:
    return _SHOWN.get(status, SHOWN_NOT_CERTIFIED)


def _since(row: dict) -> dt.date | None:
    stamp = row.get("since_at")
    return stamp.date() if stamp else None


def view_from_row(row: dict, *, own: bool = False) -> StatusView:
    """Build the consent-limited view from a values() row with _VIEW_FIELDS."""
    member = bool(row["svi__id"]) and bool(row["svi__active"])
    if not member and not own:
        return StatusView(row["id"], "", SHOWN_NOT_PARTICIPATING, None, None, None, False)
    share = row["svi__share"] or ""
    in_program = row["status"] in (S.CERTIFIED, S.SUSPENDED)
    tier = row["tier"] if (own or share in ("status_tier", "status_tier_contact")) and in_program else None
    contact = None
    if (own or share == "status_tier_contact") and (row["svi__contact_name"] or row["svi__contact_email"]):
        contact = Contact(
            row["svi__contact_name"] or "",
            row["svi__contact_email"] or "",
            row["svi__contact_phone"] or "",
        )
    return StatusView(
        row["id"], row["legal_name"], shown_status(row["status"]), tier or None, _since(row), contact, member
    )


def status_view_for(
    viewer_partner: Partner | int | None, partner_ids: Iterable[int]
) -> dict[int, StatusView]:
    """Each company's status as the viewer may see it, in one query; unknown ids are left out.

    A company that is not an active SVI participant shows as "not participating" (no name); a participant
    shows its name and status, its tier only with "share more", its contact only when it shares contact.
    The viewer sees everything of itself.
    """
    viewer_id = viewer_partner.pk if isinstance(viewer_partner, Partner) else viewer_partner
    ids = {int(i) for i in partner_ids}
    if not ids:
        return {}
    views: dict[int, StatusView] = {}
    for chunk in _chunks(sorted(ids), 5000):
        rows = (
            Partner.objects.filter(pk__in=chunk)
            .annotate(since_at=since_expr())
            .order_by()
            .values(*_VIEW_FIELDS)
        )
        for row in rows:
            views[row["id"]] = view_from_row(row, own=row["id"] == viewer_id)
    return views


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def participation(partner: Partner) -> SviParticipation | None:
    return SviParticipation.objects.filter(partner=partner).first()


def is_active_participant(partner_id: int) -> bool:
    return SviParticipation.objects.filter(partner_id=partner_id, active=True).exists()


def monitored(partner: Partner) -> QuerySet[MonitoringLink]:
    """Accepted links where the company is the requester, with the target for the status view."""
    return (
        MonitoringLink.objects.filter(requester=partner, status=LinkStatus.ACCEPTED)
        .select_related("target")
        .order_by("target__legal_name", "id")
    )


def monitors_of(partner_id: int, *, as_of=None) -> list[int]:
    """Companies monitoring this one (accepted links whose requester still takes part).

    With `as_of`, only links accepted by then: a change that happened before a link existed is not news.
    """
    qs = MonitoringLink.objects.filter(
        target_id=partner_id, status=LinkStatus.ACCEPTED, requester__svi__active=True
    )
    if as_of is not None:
        qs = qs.filter(decided_at__lte=as_of)
    return list(qs.values_list("requester_id", flat=True))


def incoming(partner: Partner) -> QuerySet[MonitoringLink]:
    return (
        MonitoringLink.objects.filter(target=partner)
        .exclude(status=LinkStatus.ENDED)
        .select_related("requester")
        .order_by("status", "-requested_at", "-id")
    )


def outgoing(partner: Partner) -> QuerySet[MonitoringLink]:
    return (
        MonitoringLink.objects.filter(requester=partner)
        .exclude(status=LinkStatus.ENDED)
        .select_related("target")
        .order_by("status", "-requested_at", "-id")
    )


def link_for(partner: Partner, link_id, *, as_target: bool | None = None, for_update: bool = False):
    """A link the company is a side of; anything else is NotFound."""
    from greenlane.core.errors import NotFound

    try:
        pk = int(link_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    qs = MonitoringLink.objects.all()
    if for_update:
        qs = qs.select_for_update()
    if as_target is True:
        qs = qs.filter(target=partner)
    elif as_target is False:
        qs = qs.filter(requester=partner)
    else:
        qs = qs.filter(Q(target=partner) | Q(requester=partner))
    link = qs.filter(pk=pk).first()
    if link is None:
        raise NotFound()
    return link


def blocked_by(target_id: int, requester_id: int) -> bool:
    return MonitoringLink.objects.filter(
        target_id=target_id, requester_id=requester_id, status__in=sorted(BLOCKING_STATUSES)
    ).exists()


def search_participants(viewer: Partner, q: str, *, limit: int = 20) -> list[Partner]:
    """Active participants (not the viewer) by reference, identifier or name."""
    from greenlane.partners.selectors import _text_filter

    q = (q or "").strip()
    if len(q) < 2:
        return []
    return list(
        Partner.objects.filter(svi__active=True)
        .exclude(pk=viewer.pk)
        .filter(_text_filter(q))
        .order_by("search_name", "id")[:limit]
    )


# --- page reads (a constant number of queries per page) ------------------------------------------------------


@dataclass(frozen=True)
class MonitoredRow:
    link: MonitoringLink
    view: StatusView


def monitored_page(partner: Partner, *, limit: int, offset: int):
    from greenlane.core.paging import Page, clamp

    limit, offset = clamp(limit, offset)
    qs = monitored(partner)
    count = qs.count()
    links = list(qs[offset : offset + limit])
    views = status_view_for(partner, [link.target_id for link in links])
    rows = [MonitoredRow(link, views[link.target_id]) for link in links if link.target_id in views]
    return Page(items=rows, count=count, limit=limit, offset=offset)


def counts(partner: Partner) -> dict[str, int]:
    from django.db.models import Count

    out = {"monitored": 0, "monitors": 0, "incoming_pending": 0, "outgoing_pending": 0}
    for side, status, n in (
        MonitoringLink.objects.filter(Q(requester=partner) | Q(target=partner))
        .filter(status__in=[LinkStatus.ACCEPTED, LinkStatus.PENDING])
        .values_list("requester_id", "status")
        .annotate(n=Count("id"))
        .values_list("requester_id", "status", "n")
    ):
        mine = side == partner.pk
        if status == LinkStatus.ACCEPTED:
            out["monitored" if mine else "monitors"] += n
        else:
            out["outgoing_pending" if mine else "incoming_pending"] += n
    return out


def recent_runs(partner: Partner, limit: int = 20):
    from .models import BulkVerification

    return list(BulkVerification.objects.filter(partner=partner).defer("results")[:limit])


def run_for(partner: Partner, run_id):
    from greenlane.core.errors import NotFound

    from .models import BulkVerification

    try:
        pk = int(run_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    run = BulkVerification.objects.filter(partner=partner, pk=pk).first()
    if run is None:
        raise NotFound()
    return run


def results_page(run, *, limit: int, offset: int):
    from greenlane.core.paging import Page, clamp

    limit, offset = clamp(limit, offset, default=50)
    rows = run.results or []
    return Page(items=rows[offset : offset + limit], count=len(rows), limit=limit, offset=offset)


def webhooks_of(partner: Partner):
    from django.db.models import Count, Max

    from .models import Webhook

    return list(
        Webhook.objects.filter(partner=partner, active=True)
        .annotate(delivery_count=Count("deliveries"), last_delivery=Max("deliveries__created_at"))
        .order_by("-created_at", "-id")
    )


def deliveries_page(hook, *, limit: int | None, offset: int | None):
    from greenlane.core.paging import paginate

    return paginate(hook.deliveries.order_by("-created_at", "-id"), limit=limit, offset=offset)


def notices_page(partner: Partner, *, limit: int | None, offset: int | None):
    from greenlane.core.paging import paginate

    from .models import CertificationNotice

    return paginate(
        CertificationNotice.objects.filter(sender=partner),
        limit=limit,
        offset=offset,
    )
