"""Reads of the public library and of a company's document exchange. Another company's document is 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from greenlane.core.errors import NotFound
from greenlane.core.paging import Page, paginate
from greenlane.partners.selectors import PartnerAccess, partner_for

from . import permissions
from .choices import DocumentKind
from .models import Document, DocumentVersion
from .search import text_search


def exchange_access(user, partner_id) -> PartnerAccess:
    """The company if the user belongs to it, or is staff who may reach it; NotFound otherwise."""
    access = partner_for(user, partner_id)
    if access.is_staff and not permissions.staff_reaches(user, access.partner):
        raise NotFound()
    return access


@dataclass(frozen=True)
class DocumentFilter:
    q: str = ""
    category: str = ""
    tag: str = ""


def _filtered(qs: QuerySet[Document], criteria: DocumentFilter) -> QuerySet[Document]:
    if criteria.category:
        qs = qs.filter(category=criteria.category)
    if criteria.tag:
        qs = qs.filter(search_text__contains=criteria.tag.strip().lower())
    return text_search(qs, criteria.q)


def _list(qs: QuerySet[Document], criteria: DocumentFilter, limit, offset) -> Page:
    qs = _filtered(qs.select_related("created_by"), criteria)
    return paginate(qs, limit=limit, offset=offset)


def library(user, criteria: DocumentFilter, *, limit: int | None, offset: int | None) -> Page:
    """The public library: every signed-in user reads it."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    return _list(Document.objects.filter(kind=DocumentKind.LIBRARY, partner=None), criteria, limit, offset)


def exchange(
    access: PartnerAccess, criteria: DocumentFilter, *, limit: int | None, offset: int | None
) -> Page:
    qs = Document.objects.filter(kind=DocumentKind.EXCHANGE, partner=access.partner)
    return _list(qs, criteria, limit, offset)


def _with_versions(qs: QuerySet[Document]) -> QuerySet[Document]:
    return qs.select_related("created_by", "partner").prefetch_related(
        Prefetch(
            "versions", queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-version")
        )
    )


def library_document(user, document_id) -> Document:
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    found = _with_versions(Document.objects.filter(kind=DocumentKind.LIBRARY, pk=_int(document_id))).first()
    if found is None:
        raise NotFound()
    return found


def exchange_document(access: PartnerAccess, document_id) -> Document:
    found = _with_versions(
        Document.objects.filter(kind=DocumentKind.EXCHANGE, partner=access.partner, pk=_int(document_id))
    ).first()
    if found is None:
        raise NotFound()
    return found


def version_of(document: Document, number) -> DocumentVersion:
    for version in document.versions.all():
        if version.version == _int(number):
            return version
    raise NotFound()


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
