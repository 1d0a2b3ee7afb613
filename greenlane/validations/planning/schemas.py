"""API schemas of validation planning."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field


class ComputeIn(Schema):
    year: int
    time_limit: float = 20.0
    oversight_sample: int = 5
    sector_minimum: int = 1
    cross_office_share: float = 0.0
    seed: int | None = None


class AcceptIn(Schema):
    method: str = Field(description="optimised or greedy")


class AdjustIn(Schema):
    entry_id: int
    specialist_id: int
    month: int
    reason: str = ""


class WeightsIn(Schema):
    weights: dict[str, Any]
    reason: str


class WeightsOut(Schema):
    version: int
    weights: dict[str, Any]
    reason: str
    created_at: dt.datetime | None
    created_by: str | None


class EntryOut(Schema):
    id: int
    partner_id: int
    partner: str
    specialist_id: int
    specialist: str
    month: int
    hours: int
    score: float
    why: str
    due_on: dt.date | None
    trip_key: str
    source: str
    note: str
    validation_id: int | None
    reasons: list[dict[str, Any]]

    @staticmethod
    def resolve_partner(obj) -> str:
        return obj.partner.legal_name

    @staticmethod
    def resolve_specialist(obj) -> str:
        return obj.specialist.email


class PlanOut(Schema):
    id: int
    year: int
    status: str
    method: str
    parameters: dict[str, Any]
    weights_version: int | None
    summary: dict[str, Any]
    error: str
    created_at: dt.datetime
    computed_at: dt.datetime | None
    accepted_at: dt.datetime | None
    accepted_by: str | None

    @staticmethod
    def resolve_weights_version(obj) -> int | None:
        return obj.weights.version if obj.weights_id else None

    @staticmethod
    def resolve_accepted_by(obj) -> str | None:
        return obj.accepted_by.email if obj.accepted_by_id else None


class PlanDetailOut(Schema):
    plan: PlanOut
    entries: list[EntryOut]
    entries_count: int
    limit: int
    offset: int


class PlanListOut(Schema):
    items: list[PlanOut]
    count: int
    limit: int
    offset: int


class ScoreOut(Schema):
    partner_id: int
    year: int
    score: float
    due_on: dt.date | None
    due_kind: str
    reasons: list[dict[str, Any]]
    weights_version: int | None


class MonthStartIn(Schema):
    month: int


class MonthStartOut(Schema):
    created: int
    skipped: list[dict[str, Any]]


class AvailabilityChangeIn(Schema):
    specialist_id: int
    month: int
    hours: int


class AvailabilityIn(Schema):
    year: int
    changes: list[AvailabilityChangeIn]
    reason: str = ""


class SpecialistHoursOut(Schema):
    id: int
    email: str
    name: str
    staff_role: str
    field_office: str | None
    hours: list[int] = Field(description="Hours for months 1..12")
    set: list[bool] = Field(description="False where the standard figure applies")


class AvailabilityOut(Schema):
    year: int
    standard_hours: int
    maximum_hours: int
    specialists: list[SpecialistHoursOut]
    count: int
    limit: int
    offset: int
