"""Writes to evidence: upload a document (a new version of one), update its metadata. Files are checked by
content (sniff.py) before anything is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from greenlane.audit.services import diff, record_event
from greenlane.core.errors import Forbidden, InvalidInput, NotFound
from greenlane.partners import permissions
from greenlane.partners.selectors import PartnerAccess, partner_for

from . import sniff
from .models import EvidenceDocument, EvidenceFile


def _preparer(access: PartnerAccess) -> None:
    if access.role is None or not permissions.can_prepare(access.role):
        raise Forbidden(_("Only people of this company may edit its security profile."))


def _clean_dates(effective, expiry) -> None:
    if effective and expiry and expiry < effective:
        raise InvalidInput(_("The expiry date is before the effective date."), field="expiry_date")


@transaction.atomic
def evidence_upload(
    *,
    actor,
    partner_id,
    filename: str,
    data: bytes,
    title: str = "",
    description: str = "",
    effective_date: dt.date | None = None,
    expiry_date: dt.date | None = None,
    document_id: int | None = None,
) -> EvidenceFile:
    """Store a new evidence document, or a new version of an existing one. The bytes decide the type."""
    access = partner_for(actor, partner_id, for_update=True)
    _preparer(access)
    try:
        sniffed = sniff.check(filename, data, max_bytes=settings.EVIDENCE_MAX_BYTES)
    except sniff.UploadRejected as exc:
        raise InvalidInput(exc.message, field="file") from None
    title = (title or "").strip()
    if document_id is not None:
        document = EvidenceDocument.objects.filter(pk=document_id, partner=access.partner).first()
        if document is None:
            raise InvalidInput(
                _("No evidence document %(id)s in this company's library.") % {"id": document_id},
                field="document_id",
            )
        version = (document.files.aggregate(v=Max("version"))["v"] or 0) + 1
    else:
        if not title:
            title = filename.rsplit("/", 1)[-1][:200]
        if len(title) > 200:
            raise InvalidInput(_("Keep the title under 200 characters."), field="title")
        _clean_dates(effective_date, expiry_date)
        document = EvidenceDocument.objects.create(
            partner=access.partner,
            title=title,
            description=(description or "").strip()[:2000],
            effective_date=effective_date,
            expiry_date=expiry_date,
            created_by=actor,
        )
        version = 1
    token = secrets.token_hex(16) + "." + sniffed.extension
    record = EvidenceFile(
        document=document,
        version=version,
        storage_token=token,
        original_name=filename.rsplit("/", 1)[-1][:200],
        content_type=sniffed.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    record.file.save(token, ContentFile(data), save=False)
    try:
        record.save()
        record_event(
            actor=actor,
            action="evidence.upload",
            partner=access.partner,
            obj=record,
            summary=f"Evidence '{document.title}' version {version} uploaded",
            after={
                "document": document.pk,
                "title": document.title,
                "version": version,
                "content_type": sniffed.content_type,
                "size": len(data),
                "sha256": record.sha256,
            },
        )
    except Exception:
        # Nothing half-stored: the database rolls back and the bytes written above are removed.
        record.file.storage.delete(record.file.name or "")
        raise
    return record


@transaction.atomic
def evidence_update(
    *,
    actor,
    partner_id,
    document_id: int,
    title: str,
    description: str,
    effective_date: dt.date | None,
    expiry_date: dt.date | None,
) -> EvidenceDocument:
    access = partner_for(actor, partner_id, for_update=True)
    _preparer(access)
    document = EvidenceDocument.objects.filter(pk=document_id, partner=access.partner).first()
    if document is None:
        raise NotFound()
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise InvalidInput(_("Give the document a title (up to 200 characters)."), field="title")
    _clean_dates(effective_date, expiry_date)
    before = {
        "title": document.title,
        "description": document.description,
        "effective_date": document.effective_date,
        "expiry_date": document.expiry_date,
    }
    document.title, document.description = title, (description or "").strip()[:2000]
    document.effective_date, document.expiry_date = effective_date, expiry_date
    document.save()
    after = {
        "title": document.title,
        "description": document.description,
        "effective_date": document.effective_date,
        "expiry_date": document.expiry_date,
    }
    b, a = diff(before, after)
    if a:
        record_event(
            actor=actor,
            action="evidence.update",
            partner=access.partner,
            obj=document,
            summary=f"Evidence '{document.title}' details changed",
            before=b,
            after=a,
        )
    return document
