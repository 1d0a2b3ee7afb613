"""/api/v1/partners/{id}/submit and /decisions; /api/v1/screening for the rules (program managers)."""

from __future__ import annotations

from ninja import Router

from greenlane.core.errors import InvalidInput, NotFound

from . import selectors, services
from .rules import RuleSetError, parse_ruleset
from .schemas import ActivateIn, DecisionDetailOut, DecisionOut, RuleSetIn, RuleSetOut, SimulateIn
from .simulation import simulate

router = Router(tags=["decisions"])
staff_router = Router(tags=["screening rules"])


@router.post(
    "/{partner_id}/submit",
    response=DecisionOut,
    summary="Company officer submits the application; the decision comes back at once",
)
def submit(request, partner_id: int):
    return services.application_submit(actor=request.auth, partner_id=partner_id)


@router.get("/{partner_id}/decisions", response=list[DecisionOut], summary="Decisions on this application")
def decisions(request, partner_id: int):
    return selectors.decisions_for(request.auth, partner_id)


@router.get(
    "/{partner_id}/decisions/{decision_id}",
    response=DecisionDetailOut,
    summary="One decision with the inputs it judged",
)
def decision(request, partner_id: int, decision_id: int):
    return selectors.decision_for(request.auth, partner_id, decision_id)


def _staff(user) -> None:
    if not user.staff_role:
        raise NotFound()


@staff_router.get("/rulesets", response=list[RuleSetOut])
def list_rulesets(request):
    return selectors.rulesets(request.auth)


@staff_router.post("/rulesets", response={201: RuleSetOut}, summary="Draft a new rule set (program managers)")
def create_ruleset(request, payload: RuleSetIn):
    _staff(request.auth)
    return 201, services.ruleset_create(actor=request.auth, text=payload.text, notes=payload.notes)


@staff_router.post("/rulesets/{version_id}/activate", response=RuleSetOut)
def activate_ruleset(request, version_id: int, payload: ActivateIn):
    _staff(request.auth)
    return services.ruleset_activate(actor=request.auth, version_id=version_id, reason=payload.reason)


@staff_router.post("/simulate", response=dict, summary="What-if: a candidate rule set against the active one")
def simulate_ruleset(request, payload: SimulateIn):
    _staff(request.auth)
    try:
        candidate = parse_ruleset(payload.text)
    except RuleSetError as exc:
        raise InvalidInput(str(exc), field="text") from None
    _version, current = services.active_ruleset()
    return simulate(current, candidate, examples=payload.examples).as_dict()
