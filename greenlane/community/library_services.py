"""Writes in the libraries: staff publish to the public library; a company and its specialist exchange
documents. Every upload passes the evidence upload rules (profiles.sniff.check) and keeps earlier versions."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.audit.services import record_event
from greenlane.core.errors import Forbidden, InvalidInput, NotFound
from greenlane.profiles import sniff

from . import notices, permissions
from .choices import DocumentCategory, DocumentKind
from .library_selectors import exchange_access
from .models import Document, DocumentVersion
from .search import refresh_vectors, search_text

MAX_TAGS = 12


def _clean_tags(tags) -> list[str]:
    if isinstance(tags, str):
        tags = tags.split(",")
    cleaned: list[str] = []
    for tag in tags or []:
        tag = " ".join(str(tag).split()).lower()
        if not tag:
            continue
        if len(tag) > 40:
            raise InvalidInput(_("Keep each tag under 40 characters."), field="tags")
        if tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise InvalidInput(_("Use at most %(n)d tags.") % {"n": MAX_TAGS}, field="tags")
    return cleaned


def _details(title: str, description: str, category: str, tags) -> tuple[str, str, str, list[str]]:
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("Enter a title."), field="title")
    if len(title) > 200:
        raise InvalidInput(_("Keep the title under 200 characters."), field="title")
    description = (description or "").strip()
    if len(description) > 4000:
        raise InvalidInput(_("Keep the description under 4,000 characters."), field="description")
    category = category or DocumentCategory.OTHER
    if category not in DocumentCategory.values:
        raise InvalidInput(
            _("Unknown category '%(c)s'. Choose one of: %(v)s.")
            % {"c": category, "v": ", ".join(DocumentCategory.values)},
            field="category",
        )
    return title, description, category, _clean_tags(tags)


def _checked(filename: str, data: bytes) -> sniff.Sniffed:
    try:
        return sniff.check(filename, data, max_bytes=settings.EVIDENCE_MAX_BYTES)
    except sniff.UploadRejected as exc:
        raise InvalidInput(exc.message, field="file") from None


def _store(document: Document, *, actor, filename: str, data: bytes, sniffed, note: str) -> DocumentVersion:
    """Write the bytes and the version row; on any failure the bytes are removed (nothing half-stored)."""
    note = (note or "").strip()
    if len(note) > 500:
        raise InvalidInput(_("Keep the note under 500 characters."), field="note")
    number = document.latest_version + 1
    token = secrets.token_hex(16) + "." + sniffed.extension
    version = DocumentVersion(
        document=document,
        version=number,
        storage_token=token,
        original_name=filename.rsplit("/", 1)[-1][:200],
        content_type=sniffed.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        note=note,
        uploaded_by=actor,
    )
    version.file.save(token, ContentFile(data), save=False)
    try:
        version.save()
        Document.objects.filter(pk=document.pk).update(latest_version=number, updated_at=timezone.now())
        document.latest_version = number
    except Exception:
        version.file.storage.delete(version.file.name or "")
        raise
    return version


def _after(document: Document, version: DocumentVersion) -> dict:
    return {
        "document": document.pk,
        "title": document.title,
        "version": version.version,
        "content_type": version.content_type,
        "size": version.size,
        "sha256": version.sha256,
    }


@transaction.atomic
def library_publish(
    *,
    actor,
    title: str,
    filename: str,
    data: bytes,
    description: str = "",
    category: str = "",
    tags=None,
    note: str = "",
) -> Document:
    """Publish a new item to the public library (version 1)."""
    if not permissions.can_publish_library(actor):
        raise Forbidden(_("Only supervisors, program managers and administrators publish to the library."))
    title, description, category, tags = _details(title, description, category, tags)
    sniffed = _checked(filename, data)
    document = Document.objects.create(
        kind=DocumentKind.LIBRARY,
        title=title,
        description=description,
        category=category,
        tags=tags,
        search_text=search_text(title, description, category, *tags),
        created_by=actor,
    )
    refresh_vectors(Document, [document.pk])
    version = _store(document, actor=actor, filename=filename, data=data, sniffed=sniffed, note=note)
    record_event(
        actor=actor,
        action="community.library_publish",
        obj=document,
        summary=f"Library item '{title}' published",
        after={**_after(document, version), "category": category, "tags": tags},
    )
    return document


@transaction.atomic
def exchange_upload(
    *,
    actor,
    partner_id,
    title: str,
    filename: str,
    data: bytes,
    description: str = "",
    category: str = "",
    tags=None,
    note: str = "",
) -> Document:
    """A company member, or staff who reach the company, adds a document to the company's exchange."""
    access = exchange_access(actor, partner_id)
    _exchange_writer(actor, access)
    title, description, category, tags = _details(title, description, category, tags)
    sniffed = _checked(filename, data)
    document = Document.objects.create(
        kind=DocumentKind.EXCHANGE,
        partner=access.partner,
        title=title,
        description=description,
        category=category,
        tags=tags,
        search_text=search_text(title, description, category, *tags),
        created_by=actor,
    )
    refresh_vectors(Document, [document.pk])
    version = _store(document, actor=actor, filename=filename, data=data, sniffed=sniffed, note=note)
    record_event(
        actor=actor,
        action="community.exchange_upload",
        partner=access.partner,
        obj=document,
        summary=f"Document '{title}' added to the exchange",
        after={**_after(document, version), "category": category, "tags": tags},
    )
    notices.exchange_shared(actor=actor, document=document, version_number=version.version)
    return document


@transaction.atomic
def version_upload(
    *, actor, document_id, filename: str, data: bytes, note: str = "", partner_id=None
) -> DocumentVersion:
    """A new version of a library item (librarians) or of an exchange document (its company, its staff).
    The earlier versions stay and remain downloadable."""
    if partner_id is None:
        document = (
            Document.objects.select_for_update().filter(pk=document_id, kind=DocumentKind.LIBRARY).first()
        )
        if document is None or not getattr(actor, "is_authenticated", False):
            raise NotFound()
        if not permissions.can_publish_library(actor):
            raise Forbidden(
                _("Only supervisors, program managers and administrators publish to the library.")
            )
        partner = None
    else:
        access = exchange_access(actor, partner_id)
        _exchange_writer(actor, access)
        document = (
            Document.objects.select_for_update()
            .filter(pk=document_id, kind=DocumentKind.EXCHANGE, partner=access.partner)
            .first()
        )
        if document is None:
            raise NotFound()
        partner = access.partner
    sniffed = _checked(filename, data)
    version = _store(document, actor=actor, filename=filename, data=data, sniffed=sniffed, note=note)
    record_event(
        actor=actor,
        action="community.version_upload",
        partner=partner,
        obj=version,
        summary=f"'{document.title}' version {version.version} uploaded",
        before={"version": version.version - 1},
        after=_after(document, version),
        reason=version.note,
    )
    if partner is not None:
        notices.exchange_shared(actor=actor, document=document, version_number=version.version)
    return version


def _exchange_writer(actor, access) -> None:
    if access.is_staff and not permissions.staff_writes_exchange(actor, access.partner):
        raise Forbidden(_("Your role reads this company's documents but does not add to them."))
