"""Reads of validations on behalf of an actor. Staff read all; a company reads its own only (others: 404)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from greenlane.core.errors import NotFound
from greenlane.core.paging import Page, paginate
from greenlane.partners.selectors import PartnerAccess, partner_for

from . import snapshot as snap
from .choices import VISIBLE_REPORT, ValidationStatus
from .models import Attachment, DocumentRequest, Finding, ReportReview, Validation, ValidationItem, Visit

V = ValidationStatus


def require_staff(actor) -> None:
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "staff_role", ""):
        raise NotFound()


def _base() -> QuerySet[Validation]:
    return Validation.objects.select_related("partner", "specialist", "supervisor", "field_office")


def queue(
    actor,
    *,
    status: str = "",
    specialist: int | None = None,
    field_office: int | None = None,
    partner: int | None = None,
    mine: bool = False,
    open_only: bool = False,
    limit: int | None = None,
    offset: int | None = None,
) -> Page:
    """The staff list of validations, newest first, filtered."""
    require_staff(actor)
    qs = _base()
    if status:
        qs = qs.filter(status=status)
    elif open_only:
        qs = qs.exclude(status__in=[V.CLOSED, V.CANCELLED])
    if specialist:
        qs = qs.filter(specialist_id=specialist)
    if field_office:
        qs = qs.filter(field_office_id=field_office)
    if partner:
        qs = qs.filter(partner_id=partner)
    if mine:
        qs = qs.filter(Q(specialist=actor) | Q(supervisor=actor))
    return paginate(qs.order_by("-created_at", "-id"), limit=limit, offset=offset)


def review_queue(actor, *, limit: int | None = None, offset: int | None = None) -> Page:
    """Reports waiting for a supervisor, oldest submission first."""
    require_staff(actor)
    qs = _base().filter(status=V.REPORT_REVIEW).order_by("submitted_at", "id")
    return paginate(qs, limit=limit, offset=offset)


def validation_for_staff(actor, validation_id) -> Validation:
    require_staff(actor)
    try:
        pk = int(validation_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = (
        _base()
        .select_related("snapshot", "created_by")
        .prefetch_related(
            Prefetch("sites", queryset=_sites()),
            Prefetch("visits", queryset=Visit.objects.select_related("site")),
            Prefetch(
                "document_requests",
                queryset=DocumentRequest.objects.select_related("answered_by").prefetch_related(
                    "attachments"
                ),
            ),
            Prefetch("items", queryset=ValidationItem.objects.select_related("responder", "closed_by")),
            Prefetch("reviews", queryset=ReportReview.objects.select_related("submitted_by", "reviewer")),
            Prefetch("hours", queryset=_hours()),
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _sites():
    from .models import ValidationSite

    return ValidationSite.objects.select_related("site")


def _hours():
    from .models import HoursEntry

    return HoursEntry.objects.select_related("staff").order_by("-on", "-id")


def company_validations(actor, partner_id) -> tuple[PartnerAccess, list[Any]]:
    """A company's validations (not the cancelled ones), newest first; staff may read them too."""
    access = partner_for(actor, partner_id)
    rows = list(
        _base()
        .filter(partner=access.partner)
        .exclude(status=V.CANCELLED)
        .annotate(
            open_requests=Count(
                "document_requests", filter=Q(document_requests__answered_at__isnull=True), distinct=True
            )
        )
        .order_by("-created_at", "-id")
    )
    return access, rows


def validation_for_company(actor, partner_id, validation_id) -> tuple[PartnerAccess, Validation]:
    access = partner_for(actor, partner_id)
    try:
        pk = int(validation_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = (
        _base()
        .prefetch_related(
            Prefetch("visits", queryset=Visit.objects.select_related("site")),
            Prefetch("document_requests", queryset=DocumentRequest.objects.prefetch_related("attachments")),
            Prefetch("items", queryset=ValidationItem.objects.select_related("responder")),
            Prefetch("sites", queryset=_sites()),
        )
        .filter(pk=pk, partner=access.partner)
        .exclude(status=V.CANCELLED)
        .first()
    )
    if found is None:
        raise NotFound()
    return access, found


def report_visible(validation: Validation) -> bool:
    return validation.status in VISIBLE_REPORT


@dataclass
class SheetRow:
    code: str
    title: str
    level: str
    answer: str
    finding: Finding | None


@dataclass
class SheetCategory:
    number: int
    name: str
    rows: list[SheetRow] = field(default_factory=list)

    @property
    def recorded(self) -> int:
        return sum(1 for r in self.rows if r.finding is not None)


@dataclass
class Sheet:
    categories: list[SheetCategory]
    recorded: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.recorded == self.total


def findings_sheet(validation: Validation) -> Sheet:
    """The frozen profile's criteria by category, each with its finding (three queries, whatever the size)."""
    findings = {
        f.criterion_code: f
        for f in Finding.objects.filter(validation=validation).prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
        )
    }
    names = snap.category_names(validation.snapshot)
    cats: dict[int, SheetCategory] = {}
    for c in snap.criteria(validation.snapshot):
        cat = cats.setdefault(c.category, SheetCategory(c.category, names.get(c.category, str(c.category))))
        cat.rows.append(SheetRow(c.code, c.title, c.level, c.status, findings.get(c.code)))
    categories = [cats[k] for k in sorted(cats)]
    total = sum(len(c.rows) for c in categories)
    recorded = sum(c.recorded for c in categories)
    return Sheet(categories, recorded, total)


def hours_total(validation: Validation) -> Decimal:
    return sum((h.hours for h in validation.hours.all()), Decimal("0"))


def attachment_for(actor, attachment_id) -> Attachment:
    """A stored file, for staff or for the company it belongs to (company: only answers and published reports)."""
    try:
        pk = int(attachment_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = Attachment.objects.select_related("validation", "finding").filter(pk=pk).first()
    if found is None or not getattr(actor, "is_authenticated", False):
        raise NotFound()
    if actor.staff_role:
        return found
    partner_for(actor, found.validation.partner_id)
    if found.document_request_id or (found.finding_id and report_visible(found.validation)):
        return found
    raise NotFound()


def validation_for(actor, validation_id) -> Validation:
    """Staff: any validation. A company member: one of its company's (not cancelled). Else 404."""
    if getattr(actor, "staff_role", ""):
        return validation_for_staff(actor, validation_id)
    try:
        pk = int(validation_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    partner_id = (
        Validation.objects.filter(pk=pk, partner__memberships__user=actor)
        .exclude(status=V.CANCELLED)
        .values_list("partner_id", flat=True)
        .first()
    )
    if partner_id is None:
        raise NotFound()
    return validation_for_company(actor, partner_id, pk)[1]


def trade_list(actor, *, partner: int | None, limit: int | None, offset: int | None) -> Page:
    """A company member's validations: of one company (foreign: 404) or of all the member's companies."""
    if not getattr(actor, "is_authenticated", False):
        raise NotFound()
    qs = _base().exclude(status=V.CANCELLED)
    if partner:
        qs = qs.filter(partner=partner_for(actor, partner).partner)
    else:
        qs = qs.filter(partner__memberships__user=actor)
    return paginate(qs.order_by("-created_at", "-id"), limit=limit, offset=offset)
