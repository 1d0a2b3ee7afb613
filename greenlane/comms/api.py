"""/api/v1/comms: bulletins and alerts, secure message threads, threat assessments (audience-filtered)."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse
from ninja import File, Form, Query, Router, UploadedFile

from greenlane.core.errors import InvalidInput, NotFound

from . import audience as aud
from . import services
from .schemas import (
    AccessListOut,
    AssessmentDetailOut,
    AssessmentListOut,
    AssessmentQuery,
    AudienceCountOut,
    AudienceIO,
    BulletinIn,
    BulletinListOut,
    BulletinOut,
    BulletinQuery,
    MessageIn,
    MessageOut,
    Paging,
    PublishIn,
    ReadOut,
    ReasonIn,
    ReceiptListOut,
    ThreadDetailOut,
    ThreadIn,
    ThreadListOut,
    ThreadOut,
    ThreadQuery,
    ThreadReadOut,
)
from .selectors import assessments as assessment_selectors
from .selectors import bulletins as bulletin_selectors
from .selectors import threads as thread_selectors

router = Router(tags=["comms"])


def _staff(request) -> None:
    if not request.auth.staff_role:
        raise NotFound()


def _bulletin_input(payload: BulletinIn) -> services.BulletinInput:
    return services.BulletinInput(
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        severity=payload.severity,
        audience=payload.audience.dict(),
        publish_at=payload.publish_at,
        expires_at=payload.expires_at,
    )


# Bulletins -----------------------------------------------------------------------------------------------


def _member_out(b) -> dict:
    return {
        "id": b.pk,
        "kind": b.kind,
        "title": b.title,
        "body": b.body,
        "severity": b.severity,
        "publish_at": b.publish_at,
        "expires_at": b.expires_at,
        "is_read": bool(getattr(b, "is_read", False)),
    }


def _staff_out(b) -> dict:
    a = b.audience
    return {
        **_member_out(b),
        "is_read": None,
        "status": b.status,
        "audience": {
            **a,
            "tiers": [int(t) for t in a["tiers"]],
            "field_offices": [int(o) for o in a["field_offices"]],
        },
        "audience_size": b.audience_size,
        "read_count": getattr(b, "read_count", None),
        "author": b.author.email,
        "created_at": b.created_at,
        "published_at": b.published_at,
        "withdrawn_at": b.withdrawn_at,
    }


@router.get(
    "/bulletins",
    response=BulletinListOut,
    summary="Bulletins: a member's live ones (unread first); staff see every bulletin with its status",
)
def list_bulletins(request, query: Query[BulletinQuery]):
    user = request.auth
    if user.staff_role:
        page = bulletin_selectors.staff_bulletins(
            user, status=query.status, kind=query.kind, q=query.q, limit=query.limit, offset=query.offset
        )
        items = [_staff_out(b) for b in page.items]
    else:
        page = bulletin_selectors.member_bulletins(
            user, kind=query.kind, q=query.q, limit=query.limit, offset=query.offset
        )
        items = [_member_out(b) for b in page.items]
    return {"items": items, "count": page.count, "limit": page.limit, "offset": page.offset}


@router.post("/bulletins", response={201: BulletinOut}, summary="Staff: draft a bulletin or an alert")
def create_bulletin(request, payload: BulletinIn):
    bulletin = services.bulletin_create(actor=request.auth, data=_bulletin_input(payload))
    return 201, _staff_out(bulletin)


@router.get(
    "/bulletins/audience", response=AudienceCountOut, summary="Staff: how many companies an audience reaches"
)
def audience_preview(request, query: Query[AudienceIO]):
    _staff(request)
    return {"companies": aud.audience_count(aud.clean_audience(query.dict()))}


@router.get("/bulletins/{bulletin_id}", response=BulletinOut, summary="One bulletin")
def get_bulletin(request, bulletin_id: int):
    user = request.auth
    if user.staff_role:
        return _staff_out(bulletin_selectors.staff_bulletin(user, bulletin_id))
    return _member_out(bulletin_selectors.bulletin_for_member(user, bulletin_id))


@router.put(
    "/bulletins/{bulletin_id}", response=BulletinOut, summary="Staff: change a draft or scheduled one"
)
def update_bulletin(request, bulletin_id: int, payload: BulletinIn):
    return _staff_out(
        services.bulletin_update(actor=request.auth, bulletin_id=bulletin_id, data=_bulletin_input(payload))
    )


@router.post("/bulletins/{bulletin_id}/read", response=ReadOut, summary="Member: record that I read it")
def read_bulletin(request, bulletin_id: int):
    bulletin = bulletin_selectors.bulletin_for_member(request.auth, bulletin_id)
    receipt = services.bulletin_read(actor=request.auth, bulletin=bulletin)
    return {"bulletin_id": bulletin.pk, "read_at": receipt.read_at}


@router.post(
    "/bulletins/{bulletin_id}/publish",
    response=BulletinOut,
    summary="Staff: publish now, or schedule with publish_at in the future",
)
def publish_bulletin(request, bulletin_id: int, payload: PublishIn):
    return _staff_out(
        services.bulletin_publish(actor=request.auth, bulletin_id=bulletin_id, publish_at=payload.publish_at)
    )


@router.post("/bulletins/{bulletin_id}/withdraw", response=BulletinOut, summary="Staff: withdraw")
def withdraw_bulletin(request, bulletin_id: int, payload: ReasonIn):
    return _staff_out(
        services.bulletin_withdraw(actor=request.auth, bulletin_id=bulletin_id, reason=payload.reason)
    )


@router.get("/bulletins/{bulletin_id}/receipts", response=ReceiptListOut, summary="Staff: who read it")
def bulletin_receipts(request, bulletin_id: int, paging: Query[Paging]):
    bulletin = bulletin_selectors.staff_bulletin(request.auth, bulletin_id)
    return bulletin_selectors.read_receipts(bulletin, limit=paging.limit, offset=paging.offset)


# Threads -------------------------------------------------------------------------------------------------


def _thread_detail(user, thread) -> dict:
    note = thread_selectors.handover(thread)
    return {
        **ThreadOut.from_orm(thread).dict(),
        "specialist": thread.partner.assigned_scs,
        "handover_from": note.previous if note else None,
        "messages": thread_selectors.messages(thread),
    }


@router.get(
    "/threads", response=ThreadListOut, summary="Threads: a company's (partner_id) or, for staff, the inbox"
)
def list_threads(request, query: Query[ThreadQuery]):
    return thread_selectors.threads_page(
        request.auth,
        partner_id=query.partner_id,
        unread_only=query.unread_only,
        limit=query.limit,
        offset=query.offset,
    )


@router.post(
    "/threads", response={201: ThreadDetailOut}, summary="Start a thread with a company (or its staff)"
)
def create_thread(request, payload: ThreadIn):
    thread = services.thread_start(
        actor=request.auth,
        partner_id=payload.partner_id,
        subject=payload.subject,
        body=payload.body,
        criterion_code=payload.criterion_code,
        validation_id=payload.validation_id,
    )
    return 201, _thread_detail(request.auth, thread_selectors.thread_for(request.auth, thread.pk))


@router.get("/threads/{thread_id}", response=ThreadDetailOut, summary="A thread with its messages")
def get_thread(request, thread_id: int):
    return _thread_detail(request.auth, thread_selectors.thread_for(request.auth, thread_id))


@router.post("/threads/{thread_id}/messages", response={201: MessageOut}, summary="Reply (JSON)")
def post_message(request, thread_id: int, payload: MessageIn):
    return 201, services.message_post(actor=request.auth, thread_id=thread_id, body=payload.body)


@router.post(
    "/threads/{thread_id}/messages/upload",
    response={201: MessageOut},
    summary="Reply with attachments (multipart: 'body' and one or more 'file'; the evidence upload rules apply)",
)
def post_message_upload(request, thread_id: int, body: Form[str], file: File[list[UploadedFile]]):
    uploads = []
    for f in file:
        if f.size is not None and f.size > settings.EVIDENCE_MAX_BYTES:
            limit = settings.EVIDENCE_MAX_BYTES
            raise InvalidInput(
                f"{f.name}: the file is {f.size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB.",
                field="file",
            )
        uploads.append(services.Upload(filename=f.name or "", data=f.read()))
    return 201, services.message_post(actor=request.auth, thread_id=thread_id, body=body, files=uploads)


@router.post("/threads/{thread_id}/read", response=ThreadReadOut, summary="Mark the thread read up to now")
def read_thread(request, thread_id: int):
    mark = services.thread_mark_read(actor=request.auth, thread_id=thread_id)
    return {"thread_id": mark.thread_id, "last_read_id": mark.last_read_id, "read_at": mark.read_at}


@router.get("/threads/{thread_id}/attachments/{attachment_id}", summary="Download an attachment")
def download_attachment(request, thread_id: int, attachment_id: int):
    record = thread_selectors.attachment_for(request.auth, thread_id, attachment_id)
    response = FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=record.original_name,
        content_type=record.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Threat assessments -------------------------------------------------------------------------------------


@router.get(
    "/threat-assessments",
    response=AssessmentListOut,
    summary="Threat assessments whose audience includes me (others are not listed, counted or searched)",
)
def list_assessments(request, query: Query[AssessmentQuery]):
    return assessment_selectors.assessments_page(
        request.auth, q=query.q, marking=query.marking, limit=query.limit, offset=query.offset
    )


@router.get(
    "/threat-assessments/{assessment_id}",
    response=AssessmentDetailOut,
    summary="Open one (logged); 404 outside its audience",
)
def get_assessment(request, assessment_id: int):
    assessment = assessment_selectors.assessment_for(request.auth, assessment_id)
    services.assessment_opened(actor=request.auth, assessment=assessment, via="api")
    return assessment


@router.get(
    "/threat-assessments/{assessment_id}/access-log",
    response=AccessListOut,
    summary="Who opened it (assessors in its audience and its author)",
)
def assessment_log(request, assessment_id: int, paging: Query[Paging]):
    _assessment, page = assessment_selectors.access_log(
        request.auth, assessment_id, limit=paging.limit, offset=paging.offset
    )
    return page
