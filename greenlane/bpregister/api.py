"""/api/v1/register: a member's business-partner register (its own people only; others and staff get 404)."""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO, cast

from ninja import File, Form, Query, Router, Schema, UploadedFile

from . import csv_import, reasons, selectors, services
from .schemas import (
    AuditIn,
    AuditOut,
    EntryIn,
    EntryListOut,
    EntryOut,
    ImportOut,
    QuestionnaireIn,
    QuestionnaireOut,
    ReevaluationIn,
    ReevaluationOut,
)

router = Router(tags=["Business-partner register"])


class EntryQuery(Schema):
    q: str = ""
    partner_type: str = ""
    risk: str = ""
    overdue: bool = False
    limit: int = 25
    offset: int = 0


def _out(view: selectors.EntryView) -> dict:
    e = view.entry
    member = view.member
    foreign = view.foreign
    return {
        "id": e.pk,
        "name": e.name,
        "partner_type": e.partner_type,
        "country": e.country,
        "id_type": e.id_type,
        "id_value": e.id_value,
        "contact_name": e.contact_name,
        "contact_email": e.contact_email,
        "notes": e.notes,
        "next_review_due": e.next_review_due,
        "overdue_days": view.overdue_days,
        "linked_member": e.linked_partner_id is not None,
        "ctpat": None
        if member is None
        else {"status": member.status, "tier": member.tier, "since": member.since, "name": member.name},
        "foreign": None
        if foreign is None
        else {
            "program_code": foreign.program_code,
            "program_name": foreign.program_name,
            "status": foreign.status,
            "validation_date": foreign.validation_date,
            "as_of": foreign.as_of,
        },
        "risk": {
            "level": view.rating.level,
            "score": view.rating.score,
            "version": view.rating.version,
            "reasons": [{**r, "text": reasons.describe(r)} for r in view.rating.as_list()],
        },
        "latest_audit": view.latest_audit.result if view.latest_audit else None,
    }


def _input(payload: EntryIn) -> services.EntryInput:
    return services.EntryInput(**payload.dict())


@router.get("/partners/{partner_id}/entries", response=EntryListOut, summary="The register, by name; filters")
def list_entries(request, partner_id: int, query: Query[EntryQuery]):
    criteria = selectors.EntryFilter(
        q=query.q, partner_type=query.partner_type, overdue=query.overdue, risk_level=query.risk
    )
    page = selectors.entries(request.auth, partner_id, criteria, limit=query.limit, offset=query.offset)
    return {
        "items": [_out(v) for v in page.items],
        "count": page.count,
        "limit": page.limit,
        "offset": page.offset,
    }


@router.post("/partners/{partner_id}/entries", response={201: EntryOut}, summary="Add a business partner")
def create_entry(request, partner_id: int, payload: EntryIn):
    entry = services.entry_create(actor=request.auth, partner_id=partner_id, data=_input(payload))
    return 201, _out(selectors.entry_view(request.auth, partner_id, entry.pk))


@router.post(
    "/partners/{partner_id}/entries/import",
    response=ImportOut,
    summary="Import a CSV list (multipart 'file'); good rows added, bad rows listed with line and field",
)
def import_entries(request, partner_id: int, file: File[UploadedFile]):
    report = csv_import.entries_import(
        actor=request.auth, partner_id=partner_id, stream=cast(BinaryIO, file.file), file_name=file.name or ""
    )
    return {
        "rows": report.rows,
        "created": len(report.created),
        "skipped": report.skipped,
        "errors": report.errors,
    }


@router.get("/partners/{partner_id}/entries/{entry_id}", response=EntryOut)
def get_entry(request, partner_id: int, entry_id: int):
    return _out(selectors.entry_view(request.auth, partner_id, entry_id))


@router.put(
    "/partners/{partner_id}/entries/{entry_id}", response=EntryOut, summary="Replace an entry's details"
)
def update_entry(request, partner_id: int, entry_id: int, payload: EntryIn):
    services.entry_update(actor=request.auth, partner_id=partner_id, entry_id=entry_id, data=_input(payload))
    return _out(selectors.entry_view(request.auth, partner_id, entry_id))


@router.delete("/partners/{partner_id}/entries/{entry_id}", response={204: None})
def delete_entry(request, partner_id: int, entry_id: int, reason: str = ""):
    services.entry_delete(actor=request.auth, partner_id=partner_id, entry_id=entry_id, reason=reason)
    return 204, None


@router.get("/partners/{partner_id}/entries/{entry_id}/audits", response=list[AuditOut])
def list_audits(request, partner_id: int, entry_id: int):
    _access, entry = selectors.entry_for(request.auth, partner_id, entry_id)
    return selectors.audits(entry)


@router.post(
    "/partners/{partner_id}/entries/{entry_id}/audits",
    response={201: AuditOut},
    summary="Record an audit (JSON; files through the page)",
)
def create_audit(request, partner_id: int, entry_id: int, payload: AuditIn):
    audit = services.audit_record(
        actor=request.auth,
        partner_id=partner_id,
        entry_id=entry_id,
        date=payload.date,
        kind=payload.kind,
        result=payload.result,
        notes=payload.notes,
    )
    return 201, audit


@router.post(
    "/partners/{partner_id}/entries/{entry_id}/audits/upload",
    response={201: AuditOut},
    summary="Record an audit with a report file (multipart)",
)
def upload_audit(
    request,
    partner_id: int,
    entry_id: int,
    file: File[UploadedFile],
    date: Form[dt.date],
    kind: Form[str],
    result: Form[str],
    notes: Form[str] = "",
):
    audit = services.audit_record(
        actor=request.auth,
        partner_id=partner_id,
        entry_id=entry_id,
        date=date,
        kind=kind,
        result=result,
        notes=notes,
        file_name=file.name or "",
        file_data=file.read(),
    )
    return 201, audit


@router.post(
    "/partners/{partner_id}/entries/{entry_id}/reevaluations",
    response={201: ReevaluationOut},
    summary="Record a re-evaluation now (risk snapshot; next one due in a year)",
)
def create_reevaluation(request, partner_id: int, entry_id: int, payload: ReevaluationIn):
    return 201, services.entry_reevaluate(
        actor=request.auth, partner_id=partner_id, entry_id=entry_id, notes=payload.notes
    )


@router.get(
    "/partners/{partner_id}/reevaluations/overdue", response=list[EntryOut], summary="Overdue entries"
)
def overdue(request, partner_id: int):
    entries = selectors.overdue(request.auth, partner_id)
    access = selectors.register_access(request.auth, partner_id)
    return [_out(v) for v in selectors.views_for(access.partner.pk, entries)]


@router.get("/partners/{partner_id}/entries/{entry_id}/questionnaires", response=list[QuestionnaireOut])
def list_questionnaires(request, partner_id: int, entry_id: int):
    _access, entry = selectors.entry_for(request.auth, partner_id, entry_id)
    return selectors.questionnaires(entry)


@router.post(
    "/partners/{partner_id}/entries/{entry_id}/questionnaires",
    response={201: QuestionnaireOut},
    summary="E-mail the security questionnaire (login-free link, one use, expires in 30 days)",
)
def send_questionnaire(request, partner_id: int, entry_id: int, payload: QuestionnaireIn):
    questionnaire, _raw = services.questionnaire_send(
        actor=request.auth, partner_id=partner_id, entry_id=entry_id, email=payload.email
    )
    return 201, questionnaire
