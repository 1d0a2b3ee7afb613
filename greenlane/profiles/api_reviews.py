"""Annual review API: company side under /api/v1/partners/{id}/reviews, staff side under /api/v1/reviews."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from greenlane.core.errors import InvalidInput, NotFound
from greenlane.partners.selectors import partner_for

from . import review_selectors as rs
from . import review_services
from .choices import ReviewStatus

router = Router(tags=["annual reviews"])
staff_router = Router(tags=["annual reviews"])


class ProgressOut(Schema):
    decided: int
    total: int
    confirmed: int
    updated: int


class WindowOut(Schema):
    cycle: int
    opens_on: dt.date
    due_on: dt.date
    is_open: bool


class ReviewItemOut(Schema):
    criterion_id: str
    category: int
    level: str
    title: str
    answer_status: str
    narrative: str
    justification: str
    decision: str = Field(..., description="'' (not yet reviewed), 'confirmed' or 'updated'")
    decided_at: dt.datetime | None
    staff_comment: str

    @staticmethod
    def resolve_criterion_id(obj) -> str:
        return obj.answer.criterion.code

    @staticmethod
    def resolve_category(obj) -> int:
        return obj.answer.criterion.category.number

    @staticmethod
    def resolve_level(obj) -> str:
        return obj.answer.criterion.level

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.answer.criterion.title

    @staticmethod
    def resolve_answer_status(obj) -> str:
        return obj.answer.status

    @staticmethod
    def resolve_narrative(obj) -> str:
        return obj.answer.narrative

    @staticmethod
    def resolve_justification(obj) -> str:
        return obj.answer.justification


class ReviewOut(Schema):
    id: int
    partner_id: int
    cycle: int
    opens_on: dt.date
    due_on: dt.date
    status: str = Field(..., description="open, submitted, returned or approved")
    overdue: bool = Field(..., description="Past the due date and not submitted: a cause for suspension")
    late: bool = Field(..., description="Submitted after the due date")
    submitted_at: dt.datetime | None
    submitted_by: str | None
    decided_at: dt.datetime | None
    decided_by: str | None
    decision_comment: str
    snapshot_revision: int | None
    progress: ProgressOut


class ReviewDetailOut(ReviewOut):
    items: list[ReviewItemOut]


class ReviewListOut(Schema):
    next_window: WindowOut | None = Field(
        ..., description="The window of the next review not yet opened (computed from the certification date)"
    )
    items: list[ReviewOut]


class StaffReviewOut(ReviewOut):
    partner_reference: str
    partner_name: str
    assigned_scs: str | None
    field_office: str | None


class StaffReviewDetailOut(StaffReviewOut):
    items: list[ReviewItemOut]


class StaffReviewListOut(Schema):
    items: list[StaffReviewOut]
    count: int
    limit: int
    offset: int


class StaffQuery(Schema):
    status: str = ""
    overdue: bool | None = None
    limit: int = 25
    offset: int = 0


class DecisionIn(Schema):
    decision: str = Field(..., description="'approve' or 'return'")
    comment: str = Field("", max_length=4000)
    items: dict[str, str] = Field(
        default_factory=dict, description='Comments per criterion id, e.g. {"6.2": "..."}'
    )


def _email(user) -> str | None:
    return user.email if user else None


def _body(review, rows=None, *, staff: bool = False) -> dict:
    if rows is not None:
        tally = rs.progress_of(rows)
    elif hasattr(review, "item_total"):
        tally = rs.Progress(
            review.item_decided, review.item_total, review.item_confirmed, review.item_updated
        )
    else:
        tally = rs.progress(review)
    body = {
        "id": review.pk,
        "partner_id": review.partner_id,
        "cycle": review.cycle,
        "opens_on": review.opens_on,
        "due_on": review.due_on,
        "status": review.status,
        "overdue": rs.is_overdue(review),
        "late": rs.is_late(review),
        "submitted_at": review.submitted_at,
        "submitted_by": _email(review.submitted_by),
        "decided_at": review.decided_at,
        "decided_by": _email(review.decided_by),
        "decision_comment": review.decision_comment,
        "snapshot_revision": review.snapshot.revision if review.snapshot_id else None,
        "progress": {
            "decided": tally.decided,
            "total": tally.total,
            "confirmed": tally.confirmed,
            "updated": tally.updated,
        },
    }
    if staff:
        p = review.partner
        body.update(
            partner_reference=p.reference,
            partner_name=p.legal_name,
            assigned_scs=_email(p.assigned_scs),
            field_office=p.field_office.name if p.field_office else None,
        )
    if rows is not None:
        body["items"] = rows
    return body


def _current_or_404(access, review):
    if review is not None:
        return review
    window = rs.next_window(access.partner)
    if window is None:
        raise NotFound(_("No annual review: annual reviews start once the company is certified."))
    raise NotFound(
        _("No annual review is open. Review %(cycle)d opens on %(opens)s and is due on %(due)s.")
        % {"cycle": window.cycle, "opens": window.opens.isoformat(), "due": window.due.isoformat()}
    )


@router.get(
    "/{partner_id}/reviews", response=ReviewListOut, summary="The partner's annual reviews, newest first"
)
def list_reviews(request, partner_id: int):
    access = partner_for(request.auth, partner_id)
    found = rs.reviews(access)
    window = None
    if not any(r.status in rs.UNFINISHED for r in found):
        w = rs.next_window(access.partner)
        if w is not None:
            window = {
                "cycle": w.cycle,
                "opens_on": w.opens,
                "due_on": w.due,
                "is_open": w.is_open(rs.today()),
            }
    return {"next_window": window, "items": [_body(r) for r in found]}


@router.get(
    "/{partner_id}/reviews/current",
    response=ReviewDetailOut,
    summary="The review in progress with every answer (opened on demand inside the window)",
)
def current_review(request, partner_id: int):
    access, review = review_services.review_ensure_open(actor=request.auth, partner_id=partner_id)
    review = _current_or_404(access, review)
    return _body(review, rs.items(review))


@router.post(
    "/{partner_id}/reviews/current/items/{criterion_id}/confirm",
    response=ReviewItemOut,
    summary="Re-confirm one answer unchanged",
)
def confirm_item(request, partner_id: int, criterion_id: str):
    item = review_services.review_item_confirm(
        actor=request.auth, partner_id=partner_id, criterion_code=criterion_id
    )
    return rs.item_for(item.review, criterion_id)


@router.post(
    "/{partner_id}/reviews/current/submit",
    response=ReviewDetailOut,
    summary="A company officer submits the review (every answer re-confirmed or updated)",
)
def submit_review(request, partner_id: int):
    review_services.review_submit(actor=request.auth, partner_id=partner_id)
    access = partner_for(request.auth, partner_id)
    review = _current_or_404(access, rs.current_review(access))
    return _body(review, rs.items(review))


@staff_router.get("", response=StaffReviewListOut, summary="Staff: annual reviews by status, overdue or not")
def staff_list(request, query: Query[StaffQuery]):
    if not request.auth.staff_role:
        raise NotFound()
    if query.status and query.status not in ReviewStatus.values:
        raise InvalidInput(
            _("Unknown status '%(s)s'. Known: %(k)s.")
            % {"s": query.status, "k": ", ".join(ReviewStatus.values)},
            field="status",
        )
    page = rs.staff_reviews(
        request.auth, status=query.status, overdue=query.overdue, limit=query.limit, offset=query.offset
    )
    return {
        "items": [_body(r, staff=True) for r in page.items],
        "count": page.count,
        "limit": page.limit,
        "offset": page.offset,
    }


@staff_router.get(
    "/{review_id}", response=StaffReviewDetailOut, summary="Staff: one review with every answer"
)
def staff_get(request, review_id: int):
    review = rs.review_for_staff(request.auth, review_id)
    return _body(review, rs.items(review), staff=True)


@staff_router.post(
    "/{review_id}/decision",
    response=StaffReviewDetailOut,
    summary="Staff: approve or return a submitted review, with comments per criterion",
)
def staff_decide(request, review_id: int, payload: DecisionIn):
    review_services.review_decide(
        actor=request.auth,
        review_id=review_id,
        decision=payload.decision,
        comment=payload.comment,
        item_comments=payload.items,
    )
    review = rs.review_for_staff(request.auth, review_id)
    return _body(review, rs.items(review), staff=True)
