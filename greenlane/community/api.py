"""/api/v1/community: message boards, the libraries and the best-practice catalog.

Staff-only operations answer 404 to trade users; another company's document is 404; a member whose companies
are not certified is refused the boards and the catalog (403)."""

from __future__ import annotations

from ninja import File, Form, Query, Router, Schema, UploadedFile

from greenlane.core.errors import NotFound

from . import (
    board_selectors,
    board_services,
    library_selectors,
    library_services,
    permissions,
    practice_selectors,
    practice_services,
)
from . import schemas as s
from .web import upload_bytes

router = Router(tags=["Community and libraries"])


def _staff(request) -> None:
    if not permissions.role(request.auth):
        raise NotFound()


class PageQuery(Schema):
    limit: int | None = None
    offset: int | None = None


def _paged(page, items=None) -> dict:
    return {
        "items": page.items if items is None else items,
        "count": page.count,
        "limit": page.limit,
        "offset": page.offset,
    }


def _post(post, access) -> dict:
    visible = access.is_staff or not post.hidden
    return {
        "id": post.pk,
        "thread_id": post.thread_id,
        "signature": post.signature,
        "body": post.body if visible else "",
        "hidden": post.hidden,
        "hidden_reason": post.hidden_reason if access.is_staff else None,
        "created_at": post.created_at,
    }


# Boards --------------------------------------------------------------------------------------------------


@router.get("/topics", response=list[s.TopicOut], summary="Board topics open to you")
def list_topics(request):
    return board_selectors.topics(board_selectors.board_access(request.auth))


@router.post("/topics", response={201: s.TopicOut}, summary="Open a topic (moderators)")
def create_topic(request, payload: s.TopicIn):
    _staff(request)
    return 201, board_services.topic_create(actor=request.auth, **payload.dict())


@router.post("/topics/{topic_id}/moderate", response=s.TopicOut, summary="Lock, unlock, pin or unpin a topic")
def moderate_topic(request, topic_id: int, payload: s.ModerateIn):
    _staff(request)
    return board_services.topic_moderate(actor=request.auth, topic_id=topic_id, **payload.dict())


@router.get("/topics/{topic_id}/threads", response=s.ThreadList, summary="Threads of a topic, pinned first")
def list_threads(request, topic_id: int, paging: Query[PageQuery]):
    access = board_selectors.board_access(request.auth)
    topic = board_selectors.topic_for(access, topic_id)
    return _paged(board_selectors.threads(access, topic, limit=paging.limit, offset=paging.offset))


@router.post(
    "/topics/{topic_id}/threads",
    response={201: s.ThreadOut},
    summary="Start a thread (refused with 409 in a locked topic)",
)
def create_thread(request, topic_id: int, payload: s.ThreadIn):
    return 201, board_services.thread_create(actor=request.auth, topic_id=topic_id, **payload.dict())


@router.post(
    "/threads/{thread_id}/moderate", response=s.ThreadOut, summary="Lock, unlock, pin or unpin a thread"
)
def moderate_thread(request, thread_id: int, payload: s.ModerateIn):
    _staff(request)
    return board_services.thread_moderate(actor=request.auth, thread_id=thread_id, **payload.dict())


@router.get("/threads/{thread_id}/posts", response=s.PostList, summary="Posts of a thread, oldest first")
def list_posts(request, thread_id: int, paging: Query[PageQuery]):
    access = board_selectors.board_access(request.auth)
    thread = board_selectors.thread_for(access, thread_id)
    page = board_selectors.posts(access, thread, limit=paging.limit, offset=paging.offset)
    return _paged(page, [_post(p, access) for p in page.items])


@router.post(
    "/threads/{thread_id}/posts",
    response={201: s.PostOut},
    summary="Reply in a thread (refused with 409 when the thread or its topic is locked)",
)
def create_post(request, thread_id: int, payload: s.PostIn):
    post = board_services.post_create(actor=request.auth, thread_id=thread_id, **payload.dict())
    access = board_selectors.board_access(request.auth)
    return 201, _post(board_selectors.post_for(access, post.pk), access)


@router.post(
    "/posts/{post_id}/hide", response=s.PostOut, summary="Hide a post with a reason, or show it again"
)
def hide_post(request, post_id: int, payload: s.HideIn):
    _staff(request)
    if payload.hidden:
        board_services.post_hide(actor=request.auth, post_id=post_id, reason=payload.reason)
    else:
        board_services.post_unhide(actor=request.auth, post_id=post_id, reason=payload.reason)
    access = board_selectors.board_access(request.auth)
    return _post(board_selectors.post_for(access, post_id), access)


@router.post(
    "/posts/{post_id}/reports", response={201: s.ReportOut}, summary="Report a post to the moderators"
)
def report_post(request, post_id: int, payload: s.ReportIn):
    return 201, board_services.report_create(actor=request.auth, post_id=post_id, reason=payload.reason)


@router.get("/reports", response=s.ReportList, summary="Abuse reports (staff), oldest first")
def list_reports(request, paging: Query[PageQuery], status: str = "open"):
    _staff(request)
    return _paged(
        board_selectors.reports(request.auth, status=status, limit=paging.limit, offset=paging.offset)
    )


@router.post("/reports/{report_id}/decide", response=s.ReportOut, summary="Resolve or dismiss a report")
def decide_report(request, report_id: int, payload: s.ReportDecisionIn):
    _staff(request)
    return board_services.report_decide(actor=request.auth, report_id=report_id, **payload.dict())


# Libraries -----------------------------------------------------------------------------------------------


class DocumentQuery(PageQuery):
    q: str = ""
    category: str = ""


def _criteria(query: DocumentQuery) -> library_selectors.DocumentFilter:
    return library_selectors.DocumentFilter(q=query.q, category=query.category)


@router.get("/library", response=s.DocumentList, summary="Search the public library")
def list_library(request, query: Query[DocumentQuery]):
    page = library_selectors.library(request.auth, _criteria(query), limit=query.limit, offset=query.offset)
    return _paged(page)


@router.get("/library/{document_id}", response=s.DocumentDetail, summary="A library item and its versions")
def get_library_document(request, document_id: int):
    return library_selectors.library_document(request.auth, document_id)


@router.post(
    "/library",
    response={201: s.DocumentDetail},
    summary="Publish a library item (multipart, field 'file'; librarians)",
)
def publish_library(
    request,
    file: File[UploadedFile],
    title: Form[str],
    description: Form[str] = "",
    category: Form[str] = "",
    tags: Form[str] = "",
    note: Form[str] = "",
):
    _staff(request)
    filename, data = upload_bytes(file)
    document = library_services.library_publish(
        actor=request.auth,
        title=title,
        description=description,
        category=category,
        tags=tags,
        note=note,
        filename=filename,
        data=data,
    )
    return 201, library_selectors.library_document(request.auth, document.pk)


@router.post(
    "/library/{document_id}/versions",
    response={201: s.VersionOut},
    summary="Publish a new version of a library item (multipart; earlier versions stay)",
)
def library_version(request, document_id: int, file: File[UploadedFile], note: Form[str] = ""):
    _staff(request)
    filename, data = upload_bytes(file)
    return 201, library_services.version_upload(
        actor=request.auth, document_id=document_id, filename=filename, data=data, note=note
    )


@router.get(
    "/exchange/{partner_id}/documents", response=s.DocumentList, summary="A company's exchanged documents"
)
def list_exchange(request, partner_id: int, query: Query[DocumentQuery]):
    access = library_selectors.exchange_access(request.auth, partner_id)
    return _paged(
        library_selectors.exchange(access, _criteria(query), limit=query.limit, offset=query.offset)
    )


@router.post(
    "/exchange/{partner_id}/documents",
    response={201: s.DocumentDetail},
    summary="Share a document with the company or its specialist (multipart, field 'file')",
)
def upload_exchange(
    request,
    partner_id: int,
    file: File[UploadedFile],
    title: Form[str],
    description: Form[str] = "",
    category: Form[str] = "",
    tags: Form[str] = "",
    note: Form[str] = "",
):
    filename, data = upload_bytes(file)
    document = library_services.exchange_upload(
        actor=request.auth,
        partner_id=partner_id,
        title=title,
        description=description,
        category=category,
        tags=tags,
        note=note,
        filename=filename,
        data=data,
    )
    access = library_selectors.exchange_access(request.auth, partner_id)
    return 201, library_selectors.exchange_document(access, document.pk)


@router.get(
    "/exchange/{partner_id}/documents/{document_id}",
    response=s.DocumentDetail,
    summary="An exchanged document and its versions (another company's: 404)",
)
def get_exchange_document(request, partner_id: int, document_id: int):
    access = library_selectors.exchange_access(request.auth, partner_id)
    return library_selectors.exchange_document(access, document_id)


@router.post(
    "/exchange/{partner_id}/documents/{document_id}/versions",
    response={201: s.VersionOut},
    summary="Upload a new version of an exchanged document (multipart; earlier versions stay)",
)
def exchange_version(
    request, partner_id: int, document_id: int, file: File[UploadedFile], note: Form[str] = ""
):
    filename, data = upload_bytes(file)
    return 201, library_services.version_upload(
        actor=request.auth,
        partner_id=partner_id,
        document_id=document_id,
        filename=filename,
        data=data,
        note=note,
    )


# Best practices ------------------------------------------------------------------------------------------


class PracticeQuery(PageQuery):
    q: str = ""
    category: int | None = None
    naics_sector: str = ""
    size_band: str = ""


@router.get("/best-practices", response=s.PracticeList, summary="Approved best practices, filtered")
def list_practices(request, query: Query[PracticeQuery]):
    criteria = practice_selectors.PracticeFilter(
        q=query.q, category=query.category, naics_sector=query.naics_sector, size_band=query.size_band
    )
    return _paged(practice_selectors.catalog(request.auth, criteria, limit=query.limit, offset=query.offset))


@router.get("/best-practices/{practice_id}", response=s.PracticeOut, summary="One best practice")
def get_practice(request, practice_id: int):
    return practice_selectors.practice_for(request.auth, practice_id)


@router.post(
    "/best-practices",
    response={201: s.PracticeOut},
    summary="Submit a practice for review (a member for its company; staff from a validation)",
)
def submit_practice(request, payload: s.PracticeIn):
    practice = practice_services.practice_submit(
        actor=request.auth,
        partner_id=payload.partner_id,
        title=payload.title,
        description=payload.description,
        category=payload.category,
        criterion_codes=payload.criteria,
        naics_sector=payload.naics_sector,
        validation_id=payload.validation_id,
    )
    practice_selectors.label_companies([practice])
    return 201, practice


@router.post(
    "/best-practices/{practice_id}/decide",
    response=s.PracticeOut,
    summary="Approve, reject or withdraw a practice (supervisors, program managers)",
)
def decide_practice(request, practice_id: int, payload: s.PracticeDecisionIn):
    _staff(request)
    if payload.decision == "withdrawn":
        practice_services.practice_withdraw(actor=request.auth, practice_id=practice_id, reason=payload.note)
    else:
        practice_services.practice_decide(
            actor=request.auth, practice_id=practice_id, decision=payload.decision, note=payload.note
        )
    return practice_selectors.practice_for(request.auth, practice_id)


@router.post(
    "/best-practices/{practice_id}/consent",
    response=s.PracticeOut,
    summary="The company officer agrees (or no longer agrees) to the company being named",
)
def consent_practice(request, practice_id: int, payload: s.ConsentIn):
    practice = practice_services.practice_consent(
        actor=request.auth, partner_id=payload.partner_id, practice_id=practice_id, consent=payload.consent
    )
    practice_selectors.label_companies([practice])
    return practice
