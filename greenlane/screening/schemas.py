from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class ReasonOut(Schema):
    code: str
    kind: str
    message: str
    input: str
    value: Any = None
    weight: float = 0
    outcome: str = ""


class DecisionOut(Schema):
    id: int
    decision: str = Field(..., description="certified, denied or referred")
    kind: str
    score: float | None
    reasons: list[ReasonOut]
    ruleset_version: str
    decided_at: dt.datetime
    decided_by: str | None = Field(None, description="null for the automated decision")
    validation_due: dt.date | None = Field(None, description="first validation due (certified)")
    decision_due: dt.date | None = Field(None, description="when a specialist decides (referred)")
    appeal_due: dt.date | None = Field(None, description="last day to appeal (denied)")
    partner_status: str

    @staticmethod
    def resolve_decision(obj) -> str:
        return obj.outcome

    @staticmethod
    def resolve_decision_due(obj):
        # A referral's due date moves with the pauses of its information requests.
        return getattr(obj, "current_decision_due", obj.decision_due)

    @staticmethod
    def resolve_decided_by(obj) -> str | None:
        return obj.decided_by.email if obj.decided_by_id else None

    @staticmethod
    def resolve_partner_status(obj) -> str:
        return obj.partner.status


class DecisionDetailOut(DecisionOut):
    inputs: dict


class RuleSetIn(Schema):
    text: str = Field(..., max_length=200_000)
    notes: str = Field("", max_length=4000)


class RuleSetOut(Schema):
    id: int
    name: str
    version: str
    status: str
    checksum: str
    created_at: dt.datetime
    activated_at: dt.datetime | None


class ActivateIn(Schema):
    reason: str = Field(..., max_length=2000)


class SimulateIn(Schema):
    text: str = Field(..., max_length=200_000, description="A candidate rule set (YAML)")
    examples: int = Field(20, ge=0, le=200)
