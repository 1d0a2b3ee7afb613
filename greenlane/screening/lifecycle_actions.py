"""Staff actions of the lifecycle, shared by the pages (lifecycle_views) and the API (api_lifecycle).

Each action name maps to one service call that takes the fields a form's cleaned data or an API payload
gives (the same names in both). Every entry point checks first that the actor is program staff (anyone
else gets NotFound, so 404) and then calls the service, which checks the role and the state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from greenlane.core.paging import clamp

from . import lifecycle
from . import lifecycle_selectors as sel
from .program_deadlines import ProgramDeadlines, program_deadlines

Call = Callable[[Any, int, Mapping[str, Any]], Any]

REFERRAL: dict[str, Call] = {
    "reassign": lambda user, rid, d: lifecycle.referral_reassign(
        actor=user, referral_id=rid, assignee_id=d["assigned_to"], reason=d["reason"]
    ),
    "info": lambda user, rid, d: lifecycle.referral_request_info(
        actor=user, referral_id=rid, message=d["message"], due_on=d["due_on"]
    ),
    "certify": lambda user, rid, d: lifecycle.referral_certify(
        actor=user, referral_id=rid, reasons=d["reasons"]
    ),
    "deny": lambda user, rid, d: lifecycle.referral_propose_denial(
        actor=user, referral_id=rid, reasons=d["reasons"]
    ),
    "approve": lambda user, rid, d: lifecycle.referral_approve_denial(
        actor=user, referral_id=rid, note=d["note"]
    ),
    "sendback": lambda user, rid, d: lifecycle.referral_send_back(
        actor=user, referral_id=rid, note=d["note"]
    ),
}

PARTNER: dict[str, Call] = {
    "suspend": lambda user, pk, d: lifecycle.suspension_start(
        actor=user, partner_id=pk, cause=d["cause"], benefits=d["benefits"], reason=d["reason"]
    ),
    "reinstate": lambda user, pk, d: lifecycle.suspension_reinstate(
        actor=user, partner_id=pk, reason=d["reason"]
    ),
    "remove": lambda user, pk, d: lifecycle.partner_remove(
        actor=user, partner_id=pk, cause=d["cause"], reason=d["reason"]
    ),
}


def on_referral(action: str, user, referral_id: int, data: Mapping[str, Any]):
    sel.require_staff(user)
    return REFERRAL[action](user, referral_id, data)


def on_partner(action: str, user, partner_id: int, data: Mapping[str, Any]):
    sel.require_staff(user)
    return PARTNER[action](user, partner_id, data)


def decide_appeal(user, appeal_id: int, data: Mapping[str, Any]):
    sel.require_staff(user)
    return lifecycle.appeal_decide(
        actor=user, appeal_id=appeal_id, outcome=data["outcome"], note=data["note"]
    )


def deadlines_page(
    user, *, field_office: int | None, kind: str, limit: int | None, offset: int | None
) -> ProgramDeadlines:
    """One page of the program's overdue and due-soon items (50 by default, at most 100; as core.paging)."""
    sel.require_staff(user)
    limit, offset = clamp(limit, offset, default=50)
    return program_deadlines(field_office=field_office, kind=kind or "", limit=limit, offset=offset)
