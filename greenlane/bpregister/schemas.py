from __future__ import annotations

import datetime as dt

from ninja import Schema


class EntryIn(Schema):
    name: str
    partner_type: str
    country: str
    id_type: str = ""
    id_value: str = ""
    contact_name: str = ""
    contact_email: str = ""
    notes: str = ""


class CtpatOut(Schema):
    status: str
    tier: int | None
    since: dt.date | None
    name: str


class ForeignOut(Schema):
    program_code: str
    program_name: str
    status: str
    validation_date: dt.date | None
    as_of: dt.date


class ReasonOut(Schema):
    code: str
    points: int
    params: dict
    text: str


class RiskOut(Schema):
    level: str
    score: int
    version: str
    reasons: list[ReasonOut]


class EntryOut(Schema):
    id: int
    name: str
    partner_type: str
    country: str
    id_type: str
    id_value: str
    contact_name: str
    contact_email: str
    notes: str
    next_review_due: dt.date
    overdue_days: int
    linked_member: bool
    ctpat: CtpatOut | None
    foreign: ForeignOut | None
    risk: RiskOut
    latest_audit: str | None


class EntryListOut(Schema):
    items: list[EntryOut]
    count: int
    limit: int
    offset: int


class ImportOut(Schema):
    rows: int
    created: int
    skipped: list[dict]
    errors: list[dict]


class AuditIn(Schema):
    date: dt.date
    kind: str
    result: str
    notes: str = ""


class AuditOut(Schema):
    id: int
    date: dt.date
    kind: str
    result: str
    notes: str
    file_name: str
    created_at: dt.datetime


class ReevaluationIn(Schema):
    notes: str = ""


class ReevaluationOut(Schema):
    id: int
    evaluated_on: dt.date
    risk_level: str
    risk_score: int
    reasons: list[dict]
    notes: str
    next_due: dt.date


class QuestionnaireIn(Schema):
    email: str


class QuestionnaireOut(Schema):
    id: int
    email: str
    question_set: str
    questions: list[dict]
    sent_at: dt.datetime
    expires_at: dt.datetime
    answered_at: dt.datetime | None
    respondent_name: str
    answers: dict
