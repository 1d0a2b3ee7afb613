"""Request and response bodies of the validations API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema


class ValidationOut(Schema):
    id: int
    reference: str
    partner_id: int
    partner_reference: str
    partner_name: str
    kind: str
    status: str
    specialist: str
    supervisor: str | None
    field_office: str | None
    planned_month: dt.date | None
    snapshot_id: int = Field(..., description="the frozen profile the findings are recorded against")
    outcome: str
    tier_result: int | None
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    published_at: dt.datetime | None
    closed_at: dt.datetime | None
    revalidation_due: dt.date | None


class ValidationPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ValidationOut]


class SiteOut(Schema):
    site_id: int
    name: str
    country: str
    included: bool


class VisitOut(Schema):
    id: int
    kind: str
    site_id: int | None
    country: str
    scheduled_for: dt.datetime
    notice_sent_at: dt.datetime | None
    done_at: dt.datetime | None
    note: str


class DocumentRequestOut(Schema):
    id: int
    text: str
    due_on: dt.date
    requested_at: dt.datetime
    answered_at: dt.datetime | None
    answer: str
    files: list[str]


class FindingOut(Schema):
    criterion_code: str
    result: str
    note: str
    recorded_at: dt.datetime


class HoursOut(Schema):
    id: int
    staff: str
    activity: str
    hours: Decimal
    on: dt.date
    note: str


class ItemOut(Schema):
    id: int
    kind: str
    criterion_code: str
    text: str
    due_on: dt.date | None
    verified: bool
    response: str
    responded_at: dt.datetime | None
    closed_at: dt.datetime | None
    closure_note: str


class ReviewOut(Schema):
    id: int
    submitted_at: dt.datetime
    submitted_by: str
    proposed_outcome: str
    reviewer: str | None
    decision: str
    decided_at: dt.datetime | None
    comment: str


class ValidationDetailOut(ValidationOut):
    sites: list[SiteOut]
    visits: list[VisitOut]
    document_requests: list[DocumentRequestOut]
    findings_recorded: int
    criteria_total: int
    hours_total: Decimal | None = Field(None, description="staff only")
    report_summary: str = Field("", description="once the report is published (company)")
    items: list[ItemOut] = Field(default_factory=list, description="once the report is published (company)")
    reviews: list[ReviewOut] = Field(default_factory=list, description="staff only")


class CreateIn(Schema):
    partner_id: int
    kind: Literal["initial", "revalidation", "for_cause", "oversight"]
    specialist_id: int
    planned_month: dt.date | None = None
    reason: str = ""


class SitesIn(Schema):
    site_ids: list[int]


class VisitIn(Schema):
    kind: str
    scheduled_for: dt.datetime
    site_id: int | None = None
    note: str = ""


class DocumentRequestIn(Schema):
    text: str
    due_on: dt.date


class AnswerIn(Schema):
    answer: str


class FindingIn(Schema):
    code: str
    result: str
    note: str = ""


class FindingsIn(Schema):
    findings: list[FindingIn]


class HoursIn(Schema):
    activity: str
    hours: str = Field(..., description="decimal hours, more than 0 and at most 24 for one day, e.g. '2.5'")
    on: dt.date
    staff_id: int | None = None
    note: str = ""


class ItemIn(Schema):
    kind: str
    text: str
    criterion_code: str = ""
    due_on: dt.date | None = None


class VerifyIn(Schema):
    verified: bool


class ResponseIn(Schema):
    response: str


class NoteIn(Schema):
    note: str = ""


class SubmitIn(Schema):
    outcome: str
    summary: str


class ReviewIn(Schema):
    decision: str
    comment: str = ""


class ReasonIn(Schema):
    reason: str = ""
