from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema


class SeminarOut(Schema):
    id: int
    title: str
    description: str
    format: str
    place: str
    link: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    seats_taken: int
    waiting: int
    registration_deadline: dt.datetime
    waitlist_enabled: bool
    audience_entity_types: list[str]
    status: str


class SeminarListOut(Schema):
    items: list[SeminarOut]
    count: int
    limit: int
    offset: int


class SeminarIn(Schema):
    title: str
    description: str = ""
    format: str
    place: str = ""
    link: str = ""
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    registration_deadline: dt.datetime
    waitlist_enabled: bool = True
    audience_entity_types: list[str] = []
    field_office_id: int | None = None


class StatusIn(Schema):
    status: str
    reason: str = ""


class RegisterIn(Schema):
    partner_id: int


class RegistrationOut(Schema):
    id: int
    seminar_id: int
    partner_id: int
    user: str
    status: str
    queued_at: dt.datetime
    registered_at: dt.datetime
    cancelled_at: dt.datetime | None
    promoted_at: dt.datetime | None
    certificate_code: str | None

    @staticmethod
    def resolve_user(obj) -> str:
        return obj.user.email


class AttendanceIn(Schema):
    present: list[int]


class Paging(Schema):
    limit: int = 25
    offset: int = 0
    status: str = ""


class CourseOut(Schema):
    code: str
    title: str
    rule: str
    hours: Decimal
    roles: list[str]
    due_within_days: int
    valid_months: int


class RecordIn(Schema):
    user_id: int
    course: str
    completed_on: dt.date
    hours: Decimal
    evidence: str


class RecordOut(Schema):
    id: int
    user_id: int
    course: str
    completed_on: dt.date
    hours: Decimal
    evidence: str
    recorded_by: str
    recorded_at: dt.datetime

    @staticmethod
    def resolve_recorded_by(obj) -> str:
        return obj.recorded_by.email


class RecordListOut(Schema):
    items: list[RecordOut]
    count: int
    limit: int
    offset: int


class OwedOut(Schema):
    course: str
    title: str
    due: dt.date
    hours_owed: Decimal
    overdue: bool
    reason: str


class PersonDueOut(Schema):
    user_id: int
    email: str
    name: str
    field_office: str | None
    owed: list[OwedOut]
