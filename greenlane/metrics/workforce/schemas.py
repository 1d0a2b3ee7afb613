from __future__ import annotations

from ninja import Schema


class PlanQuery(Schema):
    years: int = 5
    growth: float | None = None
    annual_hours: float = 1720.0


class OfficeYearOut(Schema):
    office: str
    year: int
    first_validations: int
    revalidations: int
    risk_plan: int
    validations: int
    new_members: int
    hours_needed: float
    capacity_hours: float
    needed: int
    on_board: int
    gap: int


class TotalOut(Schema):
    year: int
    validations: int
    hours_needed: float
    needed: int
    on_board: int
    gap: int


class SpecialistOut(Schema):
    id: int
    name: str
    office: str
    role: str
    hours_by_year: dict[str, float]
    availability_source: str
    training_owed: int
    training_overdue: int
    training_hours_owed: float


class HoursOut(Schema):
    source: str
    records: int
    overall: float
    by_entity_type: dict[str, float]
    groups: list[dict]
    note: str


class PlanOut(Schema):
    parameters: dict
    membership: list[dict]
    hours_per_validation: HoursOut
    roster: list[SpecialistOut]
    offices: list[OfficeYearOut]
    totals: list[TotalOut]
    notes: list[str]
