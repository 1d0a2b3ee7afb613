"""/api/v1/validation-plans: plans as JSON, compute, accept, adjust; selection weights; a partner's score."""

from __future__ import annotations

from ninja import Query, Router, Schema

from greenlane.core.errors import InvalidInput, NotFound

from . import engine, inputs, selectors, services
from .choices import PlanStatus
from .schemas import (
    AcceptIn,
    AdjustIn,
    AvailabilityIn,
    AvailabilityOut,
    ComputeIn,
    EntryOut,
    MonthStartIn,
    MonthStartOut,
    PlanDetailOut,
    PlanListOut,
    PlanOut,
    ScoreOut,
    WeightsIn,
    WeightsOut,
)

router = Router(tags=["Validation planning"])


class Paging(Schema):
    limit: int | None = None
    offset: int | None = None


class EntryQuery(Paging):
    method: str | None = None
    month: int | None = None
    specialist: int | None = None


def _weights_out(w) -> dict:
    if w is None:
        return {
            "version": 0,
            "weights": selectors.current_weights_data(),
            "reason": "program defaults",
            "created_at": None,
            "created_by": None,
        }
    return {
        "version": w.version,
        "weights": w.data,
        "reason": w.reason,
        "created_at": w.created_at,
        "created_by": w.created_by.email if w.created_by_id else None,
    }


@router.get("/weights", response=WeightsOut, summary="Selection weights in force")
def get_weights(request):
    selectors.require_view(request.auth)
    return _weights_out(selectors.current_weights())


@router.put("/weights", response=WeightsOut, summary="New version of the selection weights (reason required)")
def put_weights(request, payload: WeightsIn):
    return _weights_out(
        services.weights_update(actor=request.auth, data=payload.weights, reason=payload.reason)
    )


class AvailabilityQuery(Paging):
    year: int | None = None
    office: int | None = None


def _availability_out(
    user,
    year: int,
    office: int | None,
    limit: int | None,
    offset: int | None,
    *,
    ids: list[int] | None = None,
) -> dict:
    page = selectors.availability_grid(user, year, office=office, ids=ids, limit=limit, offset=offset)
    return {
        "year": year,
        "standard_hours": engine.STANDARD_MONTHLY_HOURS,
        "maximum_hours": services.MAX_HOURS_PER_MONTH,
        "specialists": [
            {
                "id": row.specialist.pk,
                "email": row.specialist.email,
                "name": row.specialist.display_name,
                "staff_role": row.specialist.staff_role,
                "field_office": str(row.specialist.field_office) if row.specialist.field_office_id else None,
                "hours": row.hours,
                "set": row.set_months,
            }
            for row in page.items
        ],
        "count": page.count,
        "limit": page.limit,
        "offset": page.offset,
    }


def _check_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise InvalidInput("Year must be between 2000 and 2100.", field="year")
    return year


@router.get(
    "/availability",
    response=AvailabilityOut,
    summary="Specialists' hours for validations by month of a year (the standard figure where none is set)",
)
def get_availability(request, query: Query[AvailabilityQuery]):
    year = _check_year(query.year or inputs.next_year())
    return _availability_out(request.auth, year, query.office, query.limit, query.offset)


@router.put(
    "/availability",
    response=AvailabilityOut,
    summary="Set specialists' hours for months of a year (all or nothing; reason required)",
)
def put_availability(request, payload: AvailabilityIn):
    services.availability_update(
        actor=request.auth,
        year=payload.year,
        changes=[c.dict() for c in payload.changes],
        reason=payload.reason,
    )
    ids = sorted({c.specialist_id for c in payload.changes})
    return _availability_out(request.auth, payload.year, None, None, None, ids=ids)


@router.get("/scores/{partner_id}", response=ScoreOut, summary="A partner's selection score with reasons")
def get_score(request, partner_id: int, year: int | None = None):
    selectors.require_view(request.auth)
    year = year or inputs.next_year()
    if not 2000 <= year <= 2100:
        raise InvalidInput("Year must be between 2000 and 2100.", field="year")
    scored = inputs.partner_score(partner_id, year=year)
    if scored is None:
        raise NotFound()
    current = selectors.current_weights()
    return {
        "partner_id": partner_id,
        "year": year,
        "score": scored.value,
        "due_on": scored.due,
        "due_kind": scored.due_kind,
        "reasons": scored.reasons,
        "weights_version": current.version if current else None,
    }


@router.get("", response=PlanListOut, summary="Validation plans, newest first")
def list_plans(request, paging: Query[Paging]):
    page = selectors.plans(request.auth, limit=paging.limit, offset=paging.offset)
    return {"items": page.items, "count": page.count, "limit": page.limit, "offset": page.offset}


@router.post(
    "", response={202: PlanOut}, summary="Compute a draft plan for a year (runs as a background task)"
)
def compute(request, payload: ComputeIn):
    data = payload.dict()
    if data.get("seed") is None:
        data.pop("seed")
    plan = services.plan_compute(actor=request.auth, **data)
    return 202, selectors.plan_for(request.auth, plan.pk)


@router.get("/{plan_id}", response=PlanDetailOut, summary="A plan: figures of both methods and its entries")
def get_plan(request, plan_id: int, query: Query[EntryQuery]):
    plan = selectors.plan_for(request.auth, plan_id)
    method = query.method or (plan.method if plan.status != PlanStatus.DRAFT else "optimised")
    if method not in ("optimised", "greedy"):
        raise InvalidInput("method must be optimised or greedy.", field="method")
    page = selectors.entries(
        plan,
        method=method,
        month=query.month,
        specialist=query.specialist,
        limit=query.limit,
        offset=query.offset,
    )
    return {
        "plan": plan,
        "entries": page.items,
        "entries_count": page.count,
        "limit": page.limit,
        "offset": page.offset,
    }


@router.post(
    "/{plan_id}/accept", response=PlanOut, summary="Accept the optimised or greedy version of a draft"
)
def accept(request, plan_id: int, payload: AcceptIn):
    selectors.plan_for(request.auth, plan_id)
    services.plan_accept(actor=request.auth, plan_id=plan_id, method=payload.method)
    return selectors.plan_for(request.auth, plan_id)


@router.post(
    "/{plan_id}/adjust", response=EntryOut, summary="Move an entry (a reason is required beyond capacity)"
)
def adjust(request, plan_id: int, payload: AdjustIn):
    plan = selectors.plan_for(request.auth, plan_id)
    entry = selectors.entry_for(request.auth, payload.entry_id)
    if entry.plan_id != plan.pk:
        raise NotFound()
    services.entry_adjust(
        actor=request.auth,
        entry_id=entry.pk,
        specialist_id=payload.specialist_id,
        month=payload.month,
        reason=payload.reason,
    )
    return selectors.entry_for(request.auth, entry.pk)


@router.post("/{plan_id}/start-month", response=MonthStartOut, summary="Open the validations of one month")
def start_month(request, plan_id: int, payload: MonthStartIn):
    selectors.plan_for(request.auth, plan_id)
    result = services.plan_month_start(actor=request.auth, plan_id=plan_id, month=payload.month)
    return {"created": result.created, "skipped": result.skipped}
