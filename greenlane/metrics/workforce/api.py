"""/api/v1/workforce: the workforce plan as JSON, with its parameters."""

from __future__ import annotations

from ninja import Query, Router

from . import selectors
from .schemas import PlanOut, PlanQuery

router = Router(tags=["Workforce plan"])


@router.get(
    "/plan",
    response=PlanOut,
    summary="Validations due, hours, specialists needed vs on board by field office and year "
    "(supervisors, program managers, auditors, administrators)",
)
def plan(request, query: Query[PlanQuery]):
    return selectors.workforce_plan_for(
        request.auth, years=query.years, growth=query.growth, annual_hours=query.annual_hours
    )
