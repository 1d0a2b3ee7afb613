"""/api/v1/mra: foreign programs, foreign status lookup for members, staff imports and our export."""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO, cast

from django.http import HttpResponse
from ninja import File, Form, Query, Router, Schema, UploadedFile

from greenlane.partners.selectors import partner_for

from . import exports, selectors, services
from .schemas import (
    ConsentIn,
    ConsentOut,
    ImportListOut,
    ImportOut,
    LookupIn,
    LookupOut,
    MemberListOut,
    ProgramOut,
)

router = Router(tags=["Mutual recognition"])


class Paging(Schema):
    limit: int = 25
    offset: int = 0
    program: str = ""


class MemberQuery(Schema):
    q: str = ""
    program: str = ""
    status: str = ""
    limit: int = 25
    offset: int = 0


class ExportQuery(Schema):
    format: str = "csv"


@router.get("/programs", response=list[ProgramOut], summary="Foreign programs under mutual recognition")
def list_programs(request):
    return selectors.programs()


@router.post(
    "/lookup",
    response=LookupOut,
    summary="Foreign program status of up to 1,000 identifiers (certified members and staff; others 403)",
)
def lookup(request, payload: LookupIn):
    pairs = [(i.type, i.value) for i in payload.identifiers]
    found = selectors.member_lookup(request.auth, pairs)
    results = []
    for id_type, value in pairs:
        status = found.get((id_type, value))
        if status is None:
            results.append({"type": id_type, "value": value, "found": False})
        else:
            results.append(
                {
                    "type": id_type,
                    "value": value,
                    "found": True,
                    "program_code": status.program_code,
                    "program_name": status.program_name,
                    "administration": status.administration,
                    "country": status.country,
                    "company_name": status.company_name,
                    "status": status.status,
                    "validation_date": status.validation_date,
                    "status_date": status.status_date,
                    "as_of": status.as_of,
                }
            )
    return {"results": results}


@router.post(
    "/imports",
    response={201: ImportOut, 200: ImportOut},
    summary="Import a status file (multipart 'program', 'file', optional 'as_of'); bad rows are listed in "
    "'errors' and skipped; 200 with duplicate=true when the same file was imported before",
)
def create_import(request, program: Form[str], file: File[UploadedFile], as_of: Form[dt.date | None] = None):
    result = services.status_import(
        actor=request.auth,
        program_code=program,
        stream=cast(BinaryIO, file.file),
        file_name=file.name or "",
        as_of=as_of,
    )
    log = result.log
    log.duplicate = result.duplicate  # type: ignore[attr-defined]
    return (200 if result.duplicate else 201), log


@router.get("/imports", response=ImportListOut, summary="Status file imports, newest first (staff)")
def list_imports(request, paging: Query[Paging]):
    page = selectors.imports(
        request.auth, program_code=paging.program, limit=paging.limit, offset=paging.offset
    )
    return {"items": page.items, "count": page.count, "limit": page.limit, "offset": page.offset}


@router.get("/imports/{import_id}", response=ImportOut, summary="One import with its row problems (staff)")
def get_import(request, import_id: int):
    return selectors.import_detail(request.auth, import_id)


@router.get("/members", response=MemberListOut, summary="Search foreign members (staff)")
def list_members(request, query: Query[MemberQuery]):
    page = selectors.search_members(
        request.auth,
        q=query.q,
        program_code=query.program,
        status=query.status,
        limit=query.limit,
        offset=query.offset,
    )
    return {"items": page.items, "count": page.count, "limit": page.limit, "offset": page.offset}


@router.get(
    "/programs/{code}/export",
    summary="Our consenting members for a program, as CSV or JSON (?format=); a file download",
    response={200: None},
)
def export(request, code: str, query: Query[ExportQuery]):
    name, content, _n = exports.status_export(actor=request.auth, program_code=code, file_format=query.format)
    content_type = "application/json" if query.format == "json" else "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/partners/{partner_id}/consents", response=list[ConsentOut], summary="A company's MRA consents")
def list_consents(request, partner_id: int):
    access = partner_for(request.auth, partner_id)
    consents = selectors.consents_for(access.partner.pk)
    return [_consent_out(p.code, consents.get(p.pk)) for p in selectors.programs()]


@router.post(
    "/partners/{partner_id}/consents",
    response=ConsentOut,
    summary="Give (consent=true) or withdraw consent to share status with a program (company officer)",
)
def set_consent(request, partner_id: int, payload: ConsentIn):
    if payload.consent:
        c = services.consent_grant(actor=request.auth, partner_id=partner_id, program_code=payload.program)
    else:
        c = services.consent_withdraw(
            actor=request.auth, partner_id=partner_id, program_code=payload.program, reason=payload.reason
        )
    return _consent_out(c.program.code, c)


def _consent_out(code: str, consent) -> dict:
    return {
        "program": code,
        "consented": bool(consent and consent.withdrawn_at is None),
        "consented_at": consent.consented_at if consent else None,
        "withdrawn_at": consent.withdrawn_at if consent else None,
    }
