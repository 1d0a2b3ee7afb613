"""Lifecycle API. `router` (mounted at /api/v1/partners): a partner's dates, information requests,
suspensions and corrective action plans, removals and appeals. `staff_router` (mounted at
/api/v1/lifecycle): the referral queue and its actions, suspension, reinstatement, removal, plan review,
appeal decisions and program deadlines; anyone but program staff gets 404."""

from __future__ import annotations

from ninja import Query, Router, Schema

from greenlane.core.paging import Page

from . import deadlines, lifecycle
from . import lifecycle_actions as actions
from . import lifecycle_selectors as sel
from .lifecycle_schemas import (
    AnswerIn,
    AppealDecideIn,
    AppealIn,
    AppealOut,
    DeadlinesOut,
    InfoRequestIn,
    InfoRequestOut,
    NoteIn,
    PartnerDatesOut,
    PlanIn,
    PlanOut,
    PlanReviewIn,
    ReasonIn,
    ReasonsIn,
    ReassignIn,
    ReferralDetailOut,
    ReferralOut,
    RemovalOut,
    RemoveIn,
    SuspendIn,
    SuspensionOut,
)
from .schemas import DecisionOut

router = Router(tags=["lifecycle (company)"])
staff_router = Router(tags=["lifecycle (staff)"])


# --- shaping ------------------------------------------------------------------------------------------------


def _referral(row: deadlines.QueueRow) -> dict:
    r = row.referral
    return {
        "id": r.pk,
        "partner_id": r.partner_id,
        "partner_reference": r.partner.reference,
        "partner_name": r.partner.legal_name,
        "status": r.status,
        "assigned_to": r.assigned_to.email if r.assigned_to else None,
        "field_office": r.field_office.name if r.field_office else None,
        "submitted_on": r.submitted_on,
        "certification_due": row.due,
        "paused": row.paused,
        "overdue": row.is_overdue,
        "due_soon": row.is_due_soon,
        "decision_id": r.decision_id,
        "proposed_outcome": r.proposed_outcome,
        "proposed_reasons": r.proposed_reasons,
        "proposed_by": r.proposed_by.email if r.proposed_by else None,
    }


def _referral_detail(row: deadlines.QueueRow) -> dict:
    r = row.referral
    return {
        **_referral(row),
        "paused_days": deadlines.paused_days(r, on=row.on),
        "decision": r.decision,
        "inputs": r.decision.inputs,
        "profile_snapshot_id": r.decision.profile_snapshot_id,
        "info_requests": list(r.info_requests.all()),
        "final_decision_id": r.final_decision_id,
    }


def _date(item: deadlines.DateItem) -> dict:
    return {
        "kind": item.kind,
        "label": item.label,
        "date": item.due,
        "state": item.state,
        "days_left": item.days_left,
        "opens": item.opens,
        "detail": item.detail,
        "subject": item.extra.get("subject"),
        "object_id": getattr(item.obj, "pk", None),
    }


def _page(page: Page, items: list) -> dict:
    return {"count": page.count, "limit": page.limit, "offset": page.offset, "items": items}


def _removal(removal) -> dict:
    return {
        "id": removal.pk,
        "partner_id": removal.partner_id,
        "cause": removal.cause,
        "reason": removal.reason,
        "removed_at": removal.removed_at,
        "suspension_id": removal.suspension_id,
        "appeal_due": removal.appeal_due,
        "reapply_from": deadlines.reapply_from(removal),
        "overturned_at": removal.overturned_at,
    }


# --- company (and staff reading a partner) ------------------------------------------------------------------


@router.get(
    "/{partner_id}/dates", response=PartnerDatesOut, summary="Every date that matters for this partner"
)
def partner_dates(request, partner_id: int):
    life = sel.lifecycle_for(request.auth, partner_id)
    dates = life.dates
    return {
        "partner_id": life.partner.pk,
        "status": life.partner.status,
        "today": dates.on,
        "dates": [_date(i) for i in dates.items],
        "open_requests": dates.open_requests,
        "benefits_withdrawn": dates.suspension.benefits_withdrawn if dates.suspension else [],
    }


@router.get("/{partner_id}/info-requests", response=list[InfoRequestOut], summary="The specialist's requests")
def info_requests(request, partner_id: int):
    return sel.info_requests_for(request.auth, partner_id)


@router.post(
    "/{partner_id}/info-requests/{request_id}/answer",
    response=InfoRequestOut,
    summary="Answer a request; the certification clock runs again",
)
def answer_info_request(request, partner_id: int, request_id: int, payload: AnswerIn):
    return lifecycle.info_request_answer(
        actor=request.auth, partner_id=partner_id, request_id=request_id, response=payload.response
    )


@router.get("/{partner_id}/suspensions", response=list[SuspensionOut], summary="Suspensions and their plans")
def suspensions(request, partner_id: int):
    return sel.suspensions_for(request.auth, partner_id)


@router.post(
    "/{partner_id}/action-plans",
    response={201: PlanOut},
    summary="Company officer submits a corrective action plan for the suspension in force",
)
def submit_plan(request, partner_id: int, payload: PlanIn):
    return 201, lifecycle.action_plan_submit(
        actor=request.auth,
        partner_id=partner_id,
        text=payload.text,
        consent=payload.consent_unannounced_visits,
    )


@router.get(
    "/{partner_id}/removals", response=list[RemovalOut], summary="Removals, with the re-application date"
)
def removals(request, partner_id: int):
    return [_removal(r) for r in sel.lifecycle_for(request.auth, partner_id).removals]


@router.post(
    "/{partner_id}/reapply",
    response=dict,
    summary="Company officer re-opens a removed company's application (one year after the removal)",
)
def reapply(request, partner_id: int):
    partner = lifecycle.removal_reapply(actor=request.auth, partner_id=partner_id)
    return {"partner_id": partner.pk, "status": partner.status}


@router.get("/{partner_id}/appeals", response=list[AppealOut], summary="This partner's appeals")
def appeals(request, partner_id: int):
    return sel.appeals_for(request.auth, partner_id)


@router.post(
    "/{partner_id}/appeals",
    response={201: AppealOut},
    summary="Company officer appeals the denial, suspension or removal in force, within its window",
)
def file_appeal(request, partner_id: int, payload: AppealIn):
    return 201, lifecycle.appeal_file(
        actor=request.auth, partner_id=partner_id, subject=payload.subject, grounds=payload.grounds
    )


@router.post(
    "/{partner_id}/appeals/{appeal_id}/withdraw", response=AppealOut, summary="Withdraw a filed appeal"
)
def withdraw_appeal(request, partner_id: int, appeal_id: int):
    return lifecycle.appeal_withdraw(actor=request.auth, partner_id=partner_id, appeal_id=appeal_id)


# --- staff --------------------------------------------------------------------------------------------------


class _PageOut(Schema):
    count: int
    limit: int
    offset: int


class QueueFilter(Schema):
    field_office: int | None = None
    mine: bool = False
    status: str = ""
    limit: int | None = None
    offset: int | None = None


class ReferralPageOut(_PageOut):
    items: list[ReferralOut]


@staff_router.get("/referrals", response=ReferralPageOut, summary="Open referrals by certification deadline")
def referral_list(request, filters: Query[QueueFilter]):
    page: Page = sel.referral_page(request.auth, **filters.dict())
    return _page(page, [_referral(r) for r in page.items])


@staff_router.get("/referrals/{referral_id}", response=ReferralDetailOut, summary="One referral")
def referral_detail(request, referral_id: int):
    return _referral_detail(sel.referral_for(request.auth, referral_id))


def _refreshed(user, referral_id: int, action: str, payload: Schema) -> dict:
    """Run a referral action, then answer with the referral as it now stands."""
    actions.on_referral(action, user, referral_id, payload.dict())
    return _referral_detail(sel.referral_for(user, referral_id))


@staff_router.post("/referrals/{referral_id}/reassign", response=ReferralDetailOut, summary="Supervisors")
def referral_reassign(request, referral_id: int, payload: ReassignIn):
    return _refreshed(request.auth, referral_id, "reassign", payload)


@staff_router.post(
    "/referrals/{referral_id}/info-requests",
    response={201: InfoRequestOut},
    summary="Ask the company for information (pauses the certification clock)",
)
def referral_request_info(request, referral_id: int, payload: InfoRequestIn):
    return 201, actions.on_referral("info", request.auth, referral_id, payload.dict())


@staff_router.post("/referrals/{referral_id}/certify", response=DecisionOut, summary="Certify (Tier 1)")
def referral_certify(request, referral_id: int, payload: ReasonsIn):
    return actions.on_referral("certify", request.auth, referral_id, payload.dict())


@staff_router.post(
    "/referrals/{referral_id}/propose-denial", response=ReferralDetailOut, summary="Propose a denial"
)
def referral_propose_denial(request, referral_id: int, payload: ReasonsIn):
    return _refreshed(request.auth, referral_id, "deny", payload)


@staff_router.post(
    "/referrals/{referral_id}/approve-denial",
    response=DecisionOut,
    summary="Supervisor approves the proposed denial (not the proposer)",
)
def referral_approve_denial(request, referral_id: int, payload: NoteIn):
    return actions.on_referral("approve", request.auth, referral_id, payload.dict())


@staff_router.post(
    "/referrals/{referral_id}/send-back",
    response=ReferralDetailOut,
    summary="Supervisor returns the proposal",
)
def referral_send_back(request, referral_id: int, payload: NoteIn):
    return _refreshed(request.auth, referral_id, "sendback", payload)


@staff_router.post(
    "/partners/{partner_id}/suspend", response={201: SuspensionOut}, summary="Suspend a member"
)
def suspend(request, partner_id: int, payload: SuspendIn):
    return 201, actions.on_partner("suspend", request.auth, partner_id, payload.dict())


@staff_router.post(
    "/partners/{partner_id}/reinstate",
    response=SuspensionOut,
    summary="Reinstate (needs an accepted corrective action plan)",
)
def reinstate(request, partner_id: int, payload: ReasonIn):
    return actions.on_partner("reinstate", request.auth, partner_id, payload.dict())


@staff_router.post(
    "/partners/{partner_id}/remove",
    response={201: RemovalOut},
    summary="Remove (supervisory SCS, program manager)",
)
def remove(request, partner_id: int, payload: RemoveIn):
    return 201, _removal(actions.on_partner("remove", request.auth, partner_id, payload.dict()))


@staff_router.post("/action-plans/{plan_id}/review", response=PlanOut, summary="Accept or reject a plan")
def review_plan(request, plan_id: int, payload: PlanReviewIn):
    sel.require_staff(request.auth)
    return lifecycle.action_plan_review(
        actor=request.auth, plan_id=plan_id, accept=payload.accept, note=payload.note
    )


class AppealFilter(Schema):
    status: str = ""
    field_office: int | None = None
    limit: int | None = None
    offset: int | None = None


class AppealPageOut(_PageOut):
    items: list[AppealOut]


@staff_router.get("/appeals", response=AppealPageOut, summary="Appeals (status=filed: awaiting a decision)")
def appeal_list(request, filters: Query[AppealFilter]):
    page = sel.appeal_page(request.auth, **filters.dict())
    return _page(page, page.items)


@staff_router.get("/appeals/{appeal_id}", response=AppealOut, summary="One appeal")
def appeal_detail(request, appeal_id: int):
    return sel.appeal_for(request.auth, appeal_id)


@staff_router.post(
    "/appeals/{appeal_id}/decide",
    response=AppealOut,
    summary="Uphold or overturn (supervisory SCS, program manager)",
)
def appeal_decide(request, appeal_id: int, payload: AppealDecideIn):
    return actions.decide_appeal(request.auth, appeal_id, payload.dict())


class DeadlineFilter(Schema):
    field_office: int | None = None
    kind: str = ""
    limit: int = 50
    offset: int = 0


@staff_router.get(
    "/deadlines", response=DeadlinesOut, summary="Overdue and due-soon items across the program"
)
def program_deadlines(request, filters: Query[DeadlineFilter]):
    result = actions.deadlines_page(request.auth, **filters.dict())
    items = []
    for item in result.rows:
        partner = item.partner
        if partner is None:  # every program item names its partner
            continue
        items.append(
            {
                **_date(item),
                "partner_id": partner.pk,
                "partner_reference": partner.reference,
                "partner_name": partner.legal_name,
                "field_office": partner.field_office.name if partner.field_office else None,
            }
        )
    return {
        "today": result.on,
        "counts": result.counts,
        "total": result.total,
        "limit": result.limit,
        "offset": result.offset,
        "items": items,
    }
