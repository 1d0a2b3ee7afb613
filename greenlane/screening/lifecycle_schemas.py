"""Request and response bodies of the lifecycle API."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from .schemas import DecisionOut


class InfoRequestOut(Schema):
    id: int
    referral_id: int
    message: str
    requested_at: dt.datetime
    requested_by: str
    due_on: dt.date
    response: str
    responded_at: dt.datetime | None
    responded_by: str | None

    @staticmethod
    def resolve_requested_by(obj) -> str:
        return obj.requested_by.display_name

    @staticmethod
    def resolve_responded_by(obj) -> str | None:
        return obj.responded_by.display_name if obj.responded_by_id else None


class ReferralOut(Schema):
    id: int
    partner_id: int
    partner_reference: str
    partner_name: str
    status: str
    assigned_to: str | None
    field_office: str | None
    submitted_on: dt.date
    certification_due: dt.date = Field(..., description="90 days from submission, moved by every paused day")
    paused: bool = Field(..., description="waiting for the company's answer: the clock is stopped")
    overdue: bool
    due_soon: bool
    decision_id: int
    proposed_outcome: str
    proposed_reasons: str
    proposed_by: str | None


class ReferralDetailOut(ReferralOut):
    paused_days: int
    decision: DecisionOut
    inputs: dict
    profile_snapshot_id: int | None
    info_requests: list[InfoRequestOut]
    final_decision_id: int | None


class ReassignIn(Schema):
    assigned_to: int
    reason: str = Field("", max_length=4000)


class InfoRequestIn(Schema):
    message: str = Field(..., max_length=4000)
    due_on: dt.date = Field(..., description="after today, at most 30 days from today")


class ReasonsIn(Schema):
    reasons: str = Field(..., max_length=4000)


class NoteIn(Schema):
    note: str = Field("", max_length=4000)


class AnswerIn(Schema):
    response: str = Field(..., max_length=10000)


class SuspendIn(Schema):
    cause: str = Field(..., description="security_incident, failed_validation, missed_annual_review, ...")
    benefits: list[str] = Field(..., description="at least one benefit withdrawn")
    reason: str = Field(..., max_length=4000)


class RemoveIn(Schema):
    cause: str
    reason: str = Field(..., max_length=4000)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=4000)


class PlanIn(Schema):
    text: str = Field(..., max_length=10000)
    consent_unannounced_visits: bool = Field(..., description="must be true")


class PlanReviewIn(Schema):
    accept: bool
    note: str = Field(..., max_length=4000)


class PlanOut(Schema):
    id: int
    suspension_id: int
    text: str
    status: str
    submitted_at: dt.datetime
    consents_to_unannounced_visits: bool
    reviewed_at: dt.datetime | None
    review_note: str


class SuspensionOut(Schema):
    id: int
    partner_id: int
    cause: str
    benefits_withdrawn: list[str]
    reason: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    end_kind: str
    appeal_due: dt.date | None
    action_plans: list[PlanOut] = []

    @staticmethod
    def resolve_action_plans(obj) -> list:
        return list(obj.action_plans.all())


class RemovalOut(Schema):
    id: int
    partner_id: int
    cause: str
    reason: str
    removed_at: dt.datetime
    suspension_id: int | None
    appeal_due: dt.date | None
    reapply_from: dt.date
    overturned_at: dt.datetime | None


class AppealIn(Schema):
    subject: Literal["denial", "suspension", "removal"]
    grounds: str = Field(..., max_length=10000)


class AppealDecideIn(Schema):
    outcome: Literal["upheld", "overturned"]
    note: str = Field(..., max_length=4000)


class AppealOut(Schema):
    id: int
    partner_id: int
    subject: str
    decision_id: int | None
    suspension_id: int | None
    removal_id: int | None
    grounds: str
    filed_at: dt.datetime
    filing_deadline: dt.date
    decision_due: dt.date
    status: str
    decided_at: dt.datetime | None
    decision_note: str


class DateOut(Schema):
    kind: str
    label: str
    date: dt.date
    state: str = Field(..., description="overdue, due_soon, upcoming; for a window start: open or later")
    days_left: int
    opens: dt.date | None = None
    detail: str = ""
    subject: str | None = None
    object_id: int | None = None


class PartnerDatesOut(Schema):
    partner_id: int
    status: str
    today: dt.date
    dates: list[DateOut]
    open_requests: list[InfoRequestOut]
    benefits_withdrawn: list[str]


class DeadlineOut(DateOut):
    partner_id: int
    partner_reference: str
    partner_name: str
    field_office: str | None


class DeadlinesOut(Schema):
    today: dt.date
    counts: dict[str, int]
    total: int
    limit: int
    offset: int
    items: list[DeadlineOut]
