"""/api/v1/vetting: compliance imports and match review, for program staff (trade users get 404)."""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO, cast

from ninja import File, Form, Query, Router, Schema, UploadedFile

from . import selectors, services

router = Router(tags=["vetting"])


class ImportOut(Schema):
    id: int
    source: str
    file_name: str
    sha256: str
    row_count: int
    created_count: int
    updated_count: int
    unchanged_count: int
    imported_by: str | None
    imported_at: dt.datetime

    @staticmethod
    def resolve_imported_by(obj) -> str | None:
        return obj.imported_by.email if obj.imported_by_id else None


class ImportListOut(Schema):
    items: list[ImportOut]
    count: int
    limit: int
    offset: int


class IdentifierOut(Schema):
    type: str
    value: str
    derived: bool


class RecordOut(Schema):
    id: int
    kind: str
    date: dt.date
    amount: float | None
    name: str
    address: str
    country: str
    details: str
    source: str
    source_ref: str
    identifiers: list[IdentifierOut]

    @staticmethod
    def resolve_identifiers(obj) -> list:
        return list(obj.identifiers.all())

    @staticmethod
    def resolve_amount(obj) -> float | None:
        return None if obj.amount is None else float(obj.amount)


class PartnerBrief(Schema):
    id: int
    reference: str
    legal_name: str
    country: str
    status: str


class MatchOut(Schema):
    id: int
    partner: PartnerBrief
    record: RecordOut
    score: float
    method: str
    status: str
    basis: dict
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    note: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_reviewed_by(obj) -> str | None:
        return obj.reviewed_by.email if obj.reviewed_by_id else None


class MatchListOut(Schema):
    items: list[MatchOut]
    count: int
    limit: int
    offset: int


class MatchQuery(Schema):
    status: str = ""
    partner_id: int | None = None
    method: str = ""
    kind: str = ""
    limit: int = 25
    offset: int = 0


class Paging(Schema):
    limit: int = 25
    offset: int = 0


class NoteIn(Schema):
    note: str = ""


class RunOut(Schema):
    partner_id: int
    new: int
    auto_confirmed: int
    updated: int
    withdrawn: int
    matches: list[MatchOut]


class SummaryOut(Schema):
    penalties_5y: int
    seizures_5y: int
    liquidated_damages_5y: int
    unpaid_debt: bool
    unpaid_debt_amount: float
    prior_suspension: bool
    prior_removal: bool
    watch_list_hit: bool
    confirmed_matches: int
    pending_fuzzy_matches: int
    pending_matches: int


@router.post(
    "/imports",
    response={201: ImportOut},
    summary="Import a compliance CSV (multipart field 'file'); if any row is bad nothing is imported "
    "(422 lists every bad row with line, column and message)",
)
def create_import(request, file: File[UploadedFile], source: Form[str] = ""):
    batch = services.compliance_import(
        actor=request.auth, stream=cast(BinaryIO, file.file), file_name=file.name or "", source=source
    )
    return 201, batch


@router.get("/imports", response=ImportListOut, summary="Compliance imports, newest first")
def list_imports(request, paging: Query[Paging]):
    page = selectors.imports(request.auth, limit=paging.limit, offset=paging.offset)
    return {"items": page.items, "count": page.count, "limit": page.limit, "offset": page.offset}


@router.get(
    "/matches",
    response=MatchListOut,
    summary="Matches, newest first; filter by status, partner, method, kind",
)
def list_matches(request, query: Query[MatchQuery]):
    criteria = selectors.MatchFilter(
        status=query.status, partner_id=query.partner_id, method=query.method, kind=query.kind
    )
    page = selectors.matches(request.auth, criteria, limit=query.limit, offset=query.offset)
    return {"items": page.items, "count": page.count, "limit": page.limit, "offset": page.offset}


@router.get("/matches/{match_id}", response=MatchOut)
def get_match(request, match_id: int):
    return selectors.match_for(request.auth, match_id)


@router.post("/matches/{match_id}/confirm", response=MatchOut, summary="Confirm a match (note optional)")
def confirm(request, match_id: int, payload: NoteIn):
    services.match_confirm(actor=request.auth, match_id=match_id, note=payload.note)
    return selectors.match_for(request.auth, match_id)


@router.post("/matches/{match_id}/dismiss", response=MatchOut, summary="Dismiss a match (note required)")
def dismiss(request, match_id: int, payload: NoteIn):
    services.match_dismiss(actor=request.auth, match_id=match_id, note=payload.note)
    return selectors.match_for(request.auth, match_id)


@router.post("/partners/{partner_id}/run", response=RunOut, summary="Run matching again for one partner")
def run(request, partner_id: int):
    result = services.matching_run(actor=request.auth, partner_id=partner_id)
    vetting = selectors.partner_vetting(request.auth, partner_id)
    return {
        "partner_id": partner_id,
        "new": len(result.created),
        "auto_confirmed": len(result.auto_confirmed),
        "updated": len(result.updated),
        "withdrawn": len(result.removed),
        "matches": vetting.matches,
    }


@router.get(
    "/partners/{partner_id}/summary",
    response=SummaryOut,
    summary="What the confirmed compliance history says about a partner (as the screening rules see it)",
)
def summary(request, partner_id: int):
    return selectors.compliance_summary(selectors.partner_for(request.auth, partner_id))
