"""API schemas of /api/v1/comms."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class Paging(Schema):
    limit: int = 25
    offset: int = 0


class AudienceIO(Schema):
    entity_types: list[str] = []
    tiers: list[int] = []
    countries: list[str] = []
    field_offices: list[int] = []
    statuses: list[str] = []


class BulletinOut(Schema):
    """A bulletin. Members get the reading fields and is_read; staff also get the status, audience and counts."""

    id: int
    kind: str
    title: str
    body: str
    severity: str
    publish_at: dt.datetime | None
    expires_at: dt.datetime | None
    is_read: bool | None = None
    status: str | None = None
    audience: AudienceIO | None = None
    audience_size: int | None = None
    read_count: int | None = None
    author: str | None = None
    created_at: dt.datetime | None = None
    published_at: dt.datetime | None = None
    withdrawn_at: dt.datetime | None = None


class BulletinListOut(Schema):
    items: list[BulletinOut]
    count: int
    limit: int
    offset: int


class BulletinQuery(Schema):
    kind: str = ""
    status: str = ""
    q: str = ""
    limit: int = 25
    offset: int = 0


class BulletinIn(Schema):
    kind: str = "bulletin"
    title: str
    body: str
    severity: str = ""
    audience: AudienceIO = AudienceIO()
    publish_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None


class PublishIn(Schema):
    publish_at: dt.datetime | None = None


class ReasonIn(Schema):
    reason: str = ""


class ReadOut(Schema):
    bulletin_id: int
    read_at: dt.datetime


class AudienceCountOut(Schema):
    companies: int


class ReceiptOut(Schema):
    user: str
    read_at: dt.datetime
    companies: list[str]

    @staticmethod
    def resolve_user(obj) -> str:
        return obj.user.email

    @staticmethod
    def resolve_companies(obj) -> list[str]:
        return [m.partner.legal_name for m in obj.user.memberships.all()]


class ReceiptListOut(Schema):
    items: list[ReceiptOut]
    count: int
    limit: int
    offset: int


# Threads -------------------------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str
    email: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.display_name


class ThreadOut(Schema):
    id: int
    partner_id: int
    subject: str
    criterion_code: str
    validation_id: int | None
    created_at: dt.datetime
    last_message_at: dt.datetime
    message_count: int
    unread: int = 0


class ThreadListOut(Schema):
    items: list[ThreadOut]
    count: int
    limit: int
    offset: int


class ThreadQuery(Schema):
    partner_id: int | None = None
    unread_only: bool = False
    limit: int = 25
    offset: int = 0


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str


class MessageOut(Schema):
    id: int
    author: PersonOut
    from_staff: bool
    body: str
    created_at: dt.datetime
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_attachments(obj) -> list:
        return list(obj.attachments.all())


class ThreadDetailOut(ThreadOut):
    specialist: PersonOut | None
    handover_from: PersonOut | None
    messages: list[MessageOut]


class ThreadIn(Schema):
    partner_id: int
    subject: str
    body: str
    criterion_code: str = ""
    validation_id: int | None = None


class MessageIn(Schema):
    body: str


class ThreadReadOut(Schema):
    thread_id: int
    last_read_id: int
    read_at: dt.datetime


# Threat assessments -------------------------------------------------------------------------------------


class MarkingOut(Schema):
    code: str
    label: str
    description: str


class AssessmentOut(Schema):
    id: int
    title: str
    summary: str
    marking: MarkingOut
    status: str
    published_at: dt.datetime | None


class AssessmentListOut(Schema):
    items: list[AssessmentOut]
    count: int
    limit: int
    offset: int


class AssessmentQuery(Schema):
    q: str = ""
    marking: str = ""
    limit: int = 25
    offset: int = 0


class AssessmentDetailOut(AssessmentOut):
    body: str
    author: str

    @staticmethod
    def resolve_author(obj) -> str:
        return obj.author.display_name


class AccessOut(Schema):
    user: str
    at: dt.datetime
    ip: str | None
    via: str

    @staticmethod
    def resolve_user(obj) -> str:
        return obj.user.email


class AccessListOut(Schema):
    items: list[AccessOut]
    count: int
    limit: int
    offset: int
