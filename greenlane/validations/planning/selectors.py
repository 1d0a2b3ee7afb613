"""Reads for staff: weights in force and their history, plans, a plan's entries and load, adjustments."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet, Sum

from greenlane.core.errors import NotFound
from greenlane.core.paging import Page, paginate

from . import permissions
from .engine import DEFAULT_WEIGHTS, STANDARD_MONTHLY_HOURS
from .models import PlanAdjustment, PlanEntry, SelectionWeights, SpecialistAvailability, ValidationPlan


def require_view(user) -> None:
    if not permissions.can_view(user):
        raise NotFound()


def current_weights() -> SelectionWeights | None:
    return SelectionWeights.objects.order_by("-version").first()


def current_weights_data() -> dict[str, Any]:
    current = current_weights()
    return dict(current.data) if current is not None else dict(DEFAULT_WEIGHTS)


def weights_history(user, *, limit: int | None = None, offset: int | None = None) -> Page:
    require_view(user)
    return paginate(
        SelectionWeights.objects.select_related("created_by").order_by("-version"), limit=limit, offset=offset
    )


def plans(user, *, limit: int | None = None, offset: int | None = None) -> Page:
    require_view(user)
    qs = ValidationPlan.objects.select_related("created_by", "accepted_by").order_by("-created_at", "-id")
    return paginate(qs, limit=limit, offset=offset, default=10)


def plan_for(user, plan_id) -> ValidationPlan:
    require_view(user)
    try:
        return ValidationPlan.objects.select_related("created_by", "accepted_by", "weights").get(
            pk=int(plan_id)
        )
    except (ValidationPlan.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def entries(
    plan: ValidationPlan,
    *,
    method: str,
    month: int | None = None,
    specialist: int | None = None,
    limit: int | None = None,
    offset: int | None = None,
) -> Page:
    qs: QuerySet[PlanEntry] = PlanEntry.objects.filter(plan=plan, method=method).select_related(
        "partner", "specialist"
    )
    if month:
        qs = qs.filter(month=month)
    if specialist:
        qs = qs.filter(specialist_id=specialist)
    return paginate(
        qs.order_by("month", "specialist_id", "-score", "id"), limit=limit, offset=offset, default=50
    )


def entry_for(user, entry_id) -> PlanEntry:
    require_view(user)
    try:
        return PlanEntry.objects.select_related("plan", "partner", "specialist").get(pk=int(entry_id))
    except (PlanEntry.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


@dataclass
class LoadRow:
    specialist: Any
    booked: list[int]
    available: list[int]

    @property
    def cells(self) -> list[tuple[int, int, bool]]:
        return [(b, a, b > a) for b, a in zip(self.booked, self.available, strict=True)]

    @property
    def total(self) -> int:
        return sum(self.booked)

    @property
    def capacity(self) -> int:
        return sum(self.available)


def availability(year: int, specialist_ids: list[int]) -> dict[int, list[int]]:
    hours = {sid: [STANDARD_MONTHLY_HOURS] * 12 for sid in specialist_ids}
    for sid, month, h in SpecialistAvailability.objects.filter(
        year=year, specialist_id__in=specialist_ids
    ).values_list("specialist_id", "month", "hours"):
        hours[sid][month - 1] = h
    return hours


def load(plan: ValidationPlan, method: str) -> list[LoadRow]:
    """Hours booked per specialist and month, from the entries as they stand (adjustments included)."""
    booked: dict[int, list[int]] = defaultdict(lambda: [0] * 12)
    for sid, month, hours in (
        PlanEntry.objects.filter(plan=plan, method=method)
        .values("specialist_id", "month")
        .annotate(h=Sum("hours"))
        .values_list("specialist_id", "month", "h")
    ):
        booked[sid][month - 1] = hours or 0
    users = {
        u.pk: u for u in get_user_model().objects.filter(pk__in=list(booked)).select_related("field_office")
    }
    hours = availability(plan.year, list(booked))
    rows = [LoadRow(users[sid], booked[sid], hours[sid]) for sid in booked if sid in users]
    rows.sort(key=lambda r: (str(r.specialist.field_office or ""), r.specialist.email))
    return rows


def booked_hours(plan: ValidationPlan, method: str, specialist_id: int, month: int) -> int:
    total = PlanEntry.objects.filter(
        plan=plan, method=method, specialist_id=specialist_id, month=month
    ).aggregate(h=Sum("hours"))["h"]
    return int(total or 0)


def adjustments(plan: ValidationPlan, *, limit: int | None = None, offset: int | None = None) -> Page:
    qs = PlanAdjustment.objects.filter(plan=plan).select_related("actor", "partner")
    return paginate(qs, limit=limit, offset=offset, default=25)


def partner_for_score(user, partner_id):
    """Any partner, for staff (the score page); NotFound for anyone else or an unknown id."""
    from greenlane.partners.models import Partner

    require_view(user)
    partner = Partner.objects.filter(pk=partner_id).first()
    if partner is None:
        raise NotFound()
    return partner


def specialists():
    from .inputs import PLANNERS_LEAD

    return (
        get_user_model()
        .objects.filter(staff_role__in=PLANNERS_LEAD, is_active=True)
        .select_related("field_office")
        .order_by("email")
    )


@dataclass
class AvailabilityRow:
    specialist: Any
    hours: list[int]
    set_months: list[bool]  # False where the standard figure applies (no row)

    @property
    def cells(self) -> list[tuple[int, int, bool]]:
        return [(m, h, s) for m, h, s in zip(range(1, 13), self.hours, self.set_months, strict=True)]

    @property
    def total(self) -> int:
        return sum(self.hours)


def availability_grid(
    user,
    year: int,
    *,
    office: int | None = None,
    ids: list[int] | None = None,
    limit: int | None = None,
    offset: int | None = None,
) -> Page:
    """Specialists (SCS and supervisory SCS, by field office) x 12 months of available hours, paged. Two queries
    for the page and one to count, whatever the number of specialists."""
    require_view(user)
    qs = specialists().order_by("field_office__name", "email")
    if office:
        qs = qs.filter(field_office_id=office)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    page = paginate(qs, limit=limit, offset=offset, default=50)
    ids = [u.pk for u in page.items]
    hours = {sid: [STANDARD_MONTHLY_HOURS] * 12 for sid in ids}
    flags = {sid: [False] * 12 for sid in ids}
    for sid, month, h in SpecialistAvailability.objects.filter(year=year, specialist_id__in=ids).values_list(
        "specialist_id", "month", "hours"
    ):
        hours[sid][month - 1] = h
        flags[sid][month - 1] = True
    rows = [AvailabilityRow(u, hours[u.pk], flags[u.pk]) for u in page.items]
    return Page(items=rows, count=page.count, limit=page.limit, offset=page.offset)


def specialist_offices():
    """Field offices that have at least one active specialist, for the availability filter."""
    from greenlane.accounts.models import FieldOffice

    return FieldOffice.objects.filter(
        pk__in=specialists().exclude(field_office=None).values("field_office_id")
    ).order_by("name")
