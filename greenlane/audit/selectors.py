"""Reads of the audit trail for an actor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from greenlane.core.errors import NotFound
from greenlane.core.paging import Page, paginate

from .models import AuditEvent


def partner_events(access, *, limit: int | None, offset: int | None) -> Page:
    """The event history of a partner the actor may already see (pass a PartnerAccess)."""
    qs = AuditEvent.objects.filter(partner=access.partner).order_by("-at", "-id")
    return paginate(qs, limit=limit, offset=offset, default=50)


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    partner_reference: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_log(user, flt: AuditFilter, *, limit: int | None, offset: int | None) -> Page:
    """The staff audit log. Trade users have no such view: 404."""
    if not getattr(user, "staff_role", ""):
        raise NotFound()
    qs: QuerySet[AuditEvent] = AuditEvent.objects.select_related("partner").order_by("-at", "-id")
    if flt.actor:
        qs = qs.filter(actor_label__icontains=flt.actor.strip())
    if flt.action:
        qs = qs.filter(action__startswith=flt.action.strip())
    if flt.partner_reference:
        qs = qs.filter(partner__reference=flt.partner_reference.strip().upper())
    if flt.date_from:
        qs = qs.filter(at__date__gte=flt.date_from)
    if flt.date_to:
        qs = qs.filter(at__date__lte=flt.date_to)
    return paginate(qs, limit=limit, offset=offset, default=50)


def known_actions() -> list[str]:
    return list(AuditEvent.objects.order_by().values_list("action", flat=True).distinct()[:200])
