from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class MeasureOut(Schema):
    id: str
    name: str
    definition: str
    seed_measure: str
    source: str
    unit: str
    kind: str
    numerator_label: str
    denominator_label: str
    dimensions: list[str]
    numerator_sql: str
    denominator_sql: str


class ValueOut(Schema):
    measure_id: str
    period: str
    period_level: str
    dimension: str
    dimension_value: str
    value: float | None
    numerator: float | None
    denominator: float | None
    no_data_reason: str
    snapshot_at: dt.datetime | None
    computed_at: dt.datetime
    run_id: int


class MeasureLatestOut(Schema):
    measure: MeasureOut
    latest: ValueOut | None


class MeasureListOut(Schema):
    period: str | None
    stale: list[str]
    items: list[MeasureLatestOut]


class SeriesOut(Schema):
    measure: MeasureOut
    level: str
    dimension: str
    dimension_value: str
    stale: list[str]
    items: list[ValueOut]


class DrillOut(Schema):
    measure_id: str
    period: str
    side: str
    dimension: str
    dimension_value: str
    columns: list[str]
    items: list[list[Any]]
    count: int
    limit: int
    offset: int


class BenefitsOut(Schema):
    partner_id: int
    available: bool
    reason: str
    period: str
    matched_member_shipments: int
    comparison_shipments: int
    comparison_companies: int
    member_exam_rate: float | None
    comparison_exam_rate: float | None
    member_document_rate: float | None
    comparison_document_rate: float | None
    member_hold_hours: float | None
    comparison_hold_hours: float | None
    exams_avoided: float | None
    hours_saved: float | None
    savings_usd: float | None
    by_mode: list[dict[str, Any]]
    assumptions: dict[str, Any]


class FastIn(Schema):
    arrivals_per_hour: float = 120.0
    fast_share: float = 0.3
    general_booths: int = 6
    fast_booths: int = 2
    general_primary_minutes: float = 2.5
    fast_primary_minutes: float = 1.0
    general_secondary_rate: float = 0.05
    fast_secondary_rate: float = 0.01
    secondary_minutes: float = 45.0
    hours: float = 8.0
    replications: int = 10
    seed: int = 1


class FastOut(Schema):
    params: dict[str, Any]
    replications: int
    fast_transactions: float
    minutes_with_fast: float
    minutes_without_fast: float
    saving_minutes: float
    saving_ci_low: float
    saving_ci_high: float
    wait_saving_minutes: float
    per_replication: list[float]


class ExportIn(Schema):
    kind: str
    fmt: str
    measure_id: str = ""
    period: str = ""
    side: str = "numerator"
    dimension: str = ""
    value: str = ""
    year: str = ""
    level: str = ""


class ExportOut(Schema):
    id: int
    kind: str
    fmt: str
    status: str
    progress: int
    rows: int
    file_name: str
    error: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    download_url: str | None
