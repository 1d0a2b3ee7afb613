"""Validations API (mounted at /api/v1/validations). Staff read and work every validation; a company member
reads its own company's (a foreign one is 404) and answers document requests and required actions."""

from __future__ import annotations

from django.conf import settings
from ninja import File, Form, Query, Router, Schema, UploadedFile

from . import selectors as sel
from . import services
from .choices import VISIBLE_REPORT
from .models import Validation
from .schemas import (
    AnswerIn,
    CreateIn,
    DocumentRequestIn,
    DocumentRequestOut,
    FindingOut,
    FindingsIn,
    HoursIn,
    HoursOut,
    ItemIn,
    ItemOut,
    NoteIn,
    ReasonIn,
    ResponseIn,
    ReviewIn,
    SitesIn,
    SubmitIn,
    ValidationDetailOut,
    ValidationPageOut,
    VerifyIn,
    VisitIn,
    VisitOut,
)

router = Router(tags=["validations"])


# --- shaping ------------------------------------------------------------------------------------------------


def _summary(v: Validation, *, staff: bool = True) -> dict:
    return {
        "id": v.pk,
        "reference": v.reference,
        "partner_id": v.partner_id,
        "partner_reference": v.partner.reference,
        "partner_name": v.partner.legal_name,
        "kind": v.kind,
        "status": v.status,
        "specialist": v.specialist.display_name,
        "supervisor": v.supervisor.display_name if v.supervisor else None,
        "field_office": v.field_office.name if v.field_office else None,
        "planned_month": v.planned_month,
        "snapshot_id": v.snapshot_id,
        "outcome": v.outcome if staff or v.status in VISIBLE_REPORT else "",
        "tier_result": v.tier_result,
        "created_at": v.created_at,
        "submitted_at": v.submitted_at,
        "published_at": v.published_at,
        "closed_at": v.closed_at,
        "revalidation_due": v.revalidation_due,
    }


def _item(i) -> dict:
    return {
        "id": i.pk,
        "kind": i.kind,
        "criterion_code": i.criterion_code,
        "text": i.text,
        "due_on": i.due_on,
        "verified": i.verified,
        "response": i.response,
        "responded_at": i.responded_at,
        "closed_at": i.closed_at,
        "closure_note": i.closure_note,
    }


def _request(r) -> dict:
    return {
        "id": r.pk,
        "text": r.text,
        "due_on": r.due_on,
        "requested_at": r.requested_at,
        "answered_at": r.answered_at,
        "answer": r.answer,
        "files": [a.original_name for a in r.attachments.all()],
    }


def _detail(actor, v: Validation) -> dict:
    staff = bool(actor.staff_role)
    sheet = sel.findings_sheet(v)
    published = v.status in VISIBLE_REPORT
    out = {
        **_summary(v, staff=staff),
        "sites": [
            {"site_id": s.site_id, "name": s.site.name, "country": s.site.country, "included": s.included}
            for s in v.sites.all()
        ],
        "visits": list(v.visits.all()),
        "document_requests": [_request(r) for r in v.document_requests.all()],
        "findings_recorded": sheet.recorded,
        "criteria_total": sheet.total,
        "hours_total": sel.hours_total(v) if staff else None,
        "report_summary": v.report_summary if staff or published else "",
        "items": [_item(i) for i in v.items.all()] if staff or published else [],
        "reviews": [
            {
                "id": r.pk,
                "submitted_at": r.submitted_at,
                "submitted_by": r.submitted_by.display_name,
                "proposed_outcome": r.proposed_outcome,
                "reviewer": r.reviewer.display_name if r.reviewer else None,
                "decision": r.decision,
                "decided_at": r.decided_at,
                "comment": r.comment,
            }
            for r in v.reviews.all()
        ]
        if staff
        else [],
    }
    if not staff and not published:
        out["outcome"] = ""
    return out


def _fresh(request, validation_id: int) -> dict:
    return _detail(request.auth, sel.validation_for(request.auth, validation_id))


# --- reads --------------------------------------------------------------------------------------------------


class ListFilter(Schema):
    partner: int | None = None
    status: str = ""
    specialist: int | None = None
    field_office: int | None = None
    mine: bool = False
    limit: int | None = None
    offset: int | None = None


@router.get(
    "",
    response=ValidationPageOut,
    summary="Validations (staff: all, filtered; company: its own, ?partner=ID)",
)
def validation_list(request, filters: Query[ListFilter]):
    user = request.auth
    if user.staff_role:
        page = sel.queue(
            user,
            status=filters.status,
            specialist=filters.specialist,
            field_office=filters.field_office,
            partner=filters.partner,
            mine=filters.mine,
            limit=filters.limit,
            offset=filters.offset,
        )
    else:
        page = sel.trade_list(user, partner=filters.partner, limit=filters.limit, offset=filters.offset)
    return {
        "count": page.count,
        "limit": page.limit,
        "offset": page.offset,
        "items": [_summary(v, staff=bool(user.staff_role)) for v in page.items],
    }


@router.get("/{validation_id}", response=ValidationDetailOut, summary="One validation")
def validation_detail(request, validation_id: int):
    return _fresh(request, validation_id)


@router.get(
    "/{validation_id}/findings", response=list[FindingOut], summary="Findings (company: once published)"
)
def finding_list(request, validation_id: int):
    v = sel.validation_for(request.auth, validation_id)
    if not request.auth.staff_role and v.status not in VISIBLE_REPORT:
        return []
    return list(v.findings.all())


@router.get("/{validation_id}/hours", response=list[HoursOut], summary="Staff hours (staff only)")
def hours_list(request, validation_id: int):
    sel.require_staff(request.auth)
    v = sel.validation_for_staff(request.auth, validation_id)
    return [
        {
            "id": h.pk,
            "staff": h.staff.display_name,
            "activity": h.activity,
            "hours": h.hours,
            "on": h.on,
            "note": h.note,
        }
        for h in v.hours.all()
    ]


# --- staff writes -------------------------------------------------------------------------------------------


@router.post("", response={201: ValidationDetailOut}, summary="Open a validation of a certified member")
def validation_create(request, payload: CreateIn):
    v = services.validation_create(
        actor=request.auth,
        partner_id=payload.partner_id,
        kind=payload.kind,
        specialist_id=payload.specialist_id,
        planned_month=payload.planned_month,
        reason=payload.reason,
    )
    return 201, _fresh(request, v.pk)


@router.put("/{validation_id}/sites", response=ValidationDetailOut, summary="Choose the sites covered")
def sites_set(request, validation_id: int, payload: SitesIn):
    services.validation_sites_set(actor=request.auth, validation_id=validation_id, site_ids=payload.site_ids)
    return _fresh(request, validation_id)


@router.post(
    "/{validation_id}/visits", response={201: VisitOut}, summary="Schedule a visit (notice e-mailed)"
)
def visit_create(request, validation_id: int, payload: VisitIn):
    return 201, services.visit_schedule(
        actor=request.auth,
        validation_id=validation_id,
        kind=payload.kind,
        scheduled_for=payload.scheduled_for,
        site_id=payload.site_id,
        note=payload.note,
    )


@router.post(
    "/{validation_id}/document-requests", response={201: DocumentRequestOut}, summary="Request a document"
)
def document_request_create(request, validation_id: int, payload: DocumentRequestIn):
    r = services.document_request_create(
        actor=request.auth, validation_id=validation_id, text_=payload.text, due_on=payload.due_on
    )
    return 201, _request(r)


@router.put(
    "/{validation_id}/findings",
    response=list[FindingOut],
    summary="Record findings (all or nothing; criteria of the frozen profile only)",
)
def findings_put(request, validation_id: int, payload: FindingsIn):
    return services.findings_record(
        actor=request.auth, validation_id=validation_id, rows=[f.dict() for f in payload.findings]
    )


@router.post("/{validation_id}/hours", response={201: HoursOut}, summary="Record staff hours")
def hours_create(request, validation_id: int, payload: HoursIn):
    h = services.hours_record(
        actor=request.auth,
        validation_id=validation_id,
        activity=payload.activity,
        hours=payload.hours,
        on=payload.on,
        staff_id=payload.staff_id,
        note=payload.note,
    )
    return 201, {
        "id": h.pk,
        "staff": h.staff.display_name,
        "activity": h.activity,
        "hours": h.hours,
        "on": h.on,
        "note": h.note,
    }


@router.post(
    "/{validation_id}/items",
    response={201: ItemOut},
    summary="Write a required action, recommendation or best practice",
)
def item_create(request, validation_id: int, payload: ItemIn):
    i = services.item_create(
        actor=request.auth,
        validation_id=validation_id,
        kind=payload.kind,
        text_=payload.text,
        criterion_code=payload.criterion_code,
        due_on=payload.due_on,
    )
    return 201, _item(i)


@router.post("/{validation_id}/items/{item_id}/verify", response=ItemOut, summary="Verify a best practice")
def item_verify(request, validation_id: int, item_id: int, payload: VerifyIn):
    return _item(
        services.item_verify(
            actor=request.auth, validation_id=validation_id, item_id=item_id, verified=payload.verified
        )
    )


@router.post("/{validation_id}/items/{item_id}/close", response=ItemOut, summary="Close a required action")
def item_close(request, validation_id: int, item_id: int, payload: NoteIn):
    return _item(
        services.item_close(
            actor=request.auth, validation_id=validation_id, item_id=item_id, note=payload.note
        )
    )


@router.post(
    "/{validation_id}/report/submit", response=ValidationDetailOut, summary="Send the report for review"
)
def report_submit(request, validation_id: int, payload: SubmitIn):
    services.report_submit(
        actor=request.auth, validation_id=validation_id, outcome=payload.outcome, summary=payload.summary
    )
    return _fresh(request, validation_id)


@router.post(
    "/{validation_id}/report/review",
    response=ValidationDetailOut,
    summary="Supervisor approves (publishes) or returns the report; never its author",
)
def report_review(request, validation_id: int, payload: ReviewIn):
    services.report_review(
        actor=request.auth, validation_id=validation_id, decision=payload.decision, comment=payload.comment
    )
    return _fresh(request, validation_id)


@router.post("/{validation_id}/close", response=ValidationDetailOut, summary="Close and apply the outcome")
def validation_close(request, validation_id: int, payload: ReasonIn):
    services.validation_close(actor=request.auth, validation_id=validation_id, reason=payload.reason)
    return _fresh(request, validation_id)


@router.post("/{validation_id}/cancel", response=ValidationDetailOut, summary="Cancel a validation")
def validation_cancel(request, validation_id: int, payload: ReasonIn):
    services.validation_cancel(actor=request.auth, validation_id=validation_id, reason=payload.reason)
    return _detail(request.auth, sel.validation_for_staff(request.auth, validation_id))


# --- company writes -----------------------------------------------------------------------------------------


@router.post(
    "/{validation_id}/document-requests/{request_id}/answer",
    response=DocumentRequestOut,
    summary="Company answers a document request (text; with a file: answer-upload)",
)
def document_request_answer(request, validation_id: int, request_id: int, payload: AnswerIn):
    r = services.document_request_answer(
        actor=request.auth, validation_id=validation_id, request_id=request_id, answer=payload.answer
    )
    return _request(r)


@router.post(
    "/{validation_id}/document-requests/{request_id}/answer-upload",
    response=DocumentRequestOut,
    summary="Company answers a document request with a file (multipart: answer, file)",
    description=(
        "The same rules as the portal page: the file's type is read from its bytes (PDF, images, office "
        "documents, text) and it may not exceed the evidence size limit; a refused file stores nothing."
    ),
)
def document_request_answer_upload(
    request, validation_id: int, request_id: int, answer: Form[str], file: File[UploadedFile]
):
    # One byte past the limit is enough for the check to refuse an oversized file without reading it all.
    data = file.read(settings.EVIDENCE_MAX_BYTES + 1)
    r = services.document_request_answer(
        actor=request.auth,
        validation_id=validation_id,
        request_id=request_id,
        answer=answer,
        filename=file.name or "",
        data=data,
    )
    return _request(r)


@router.post(
    "/{validation_id}/items/{item_id}/response",
    response=ItemOut,
    summary="Company officer answers a required action with its plan",
)
def item_respond(request, validation_id: int, item_id: int, payload: ResponseIn):
    return _item(
        services.item_respond(
            actor=request.auth, validation_id=validation_id, item_id=item_id, response=payload.response
        )
    )
