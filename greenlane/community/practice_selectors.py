"""Reads of the best-practice catalog. Members and staff read approved practices; company names only where
the company consented; a company reads its own submissions; staff read the review queue."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from greenlane.core.errors import NotFound
from greenlane.core.paging import Page, paginate
from greenlane.criteria import selectors as criteria_selectors
from greenlane.criteria.models import Category, Criterion
from greenlane.partners.selectors import PartnerAccess

from . import permissions
from .board_selectors import board_access
from .choices import PracticeStatus
from .models import BestPractice
from .search import text_search


@dataclass(frozen=True)
class PracticeFilter:
    q: str = ""
    category: int | None = None  # the criteria category number (stable across catalog versions)
    naics_sector: str = ""
    size_band: str = ""
    status: str = ""


def _base() -> QuerySet[BestPractice]:
    return BestPractice.objects.select_related("category", "partner").prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.order_by("category__number", "number"))
    )


def _filtered(qs: QuerySet[BestPractice], criteria: PracticeFilter) -> QuerySet[BestPractice]:
    if criteria.category:
        qs = qs.filter(category__number=criteria.category)
    if criteria.naics_sector:
        qs = qs.filter(naics_sector=criteria.naics_sector)
    if criteria.size_band:
        qs = qs.filter(size_band=criteria.size_band)
    return text_search(qs, criteria.q)


def label_companies(items) -> None:
    for practice in items:
        practice.shown_company = (
            (practice.partner.dba_name or practice.partner.legal_name)
            if practice.shows_company
            else _("A member company (anonymised)")
        )


def catalog(user, criteria: PracticeFilter, *, limit: int | None, offset: int | None) -> Page:
    """Approved practices, for staff and people of certified member companies."""
    board_access(user)
    qs = _filtered(_base().filter(status=PracticeStatus.APPROVED), criteria)
    page = paginate(qs, limit=limit, offset=offset)
    label_companies(page.items)
    return page


def practice_for(user, practice_id) -> BestPractice:
    """An approved practice for members; any practice for staff."""
    access = board_access(user)
    qs = _base().filter(pk=_int(practice_id))
    if not access.is_staff:
        qs = qs.filter(status=PracticeStatus.APPROVED)
    found = qs.first()
    if found is None:
        raise NotFound()
    label_companies([found])
    return found


def review_queue(user, criteria: PracticeFilter, *, limit: int | None, offset: int | None) -> Page:
    if not permissions.role(user):
        raise NotFound()
    qs = _base().select_related("submitted_by", "decided_by")
    qs = qs.filter(status=criteria.status) if criteria.status else qs
    qs = _filtered(qs, criteria).order_by("submitted_at", "id")
    page = paginate(qs, limit=limit, offset=offset)
    label_companies(page.items)
    return page


def company_practices(access: PartnerAccess) -> list[BestPractice]:
    items = list(
        _base().select_related("submitted_by").filter(partner=access.partner).order_by("-submitted_at")
    )
    label_companies(items)
    return items


def company_practice(access: PartnerAccess, practice_id) -> BestPractice:
    found = _base().filter(partner=access.partner, pk=_int(practice_id)).first()
    if found is None:
        raise NotFound()
    return found


def categories() -> list[Category]:
    version = criteria_selectors.active_version()
    if version is None:
        return []
    return list(Category.objects.filter(catalog_version=version).order_by("number"))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
