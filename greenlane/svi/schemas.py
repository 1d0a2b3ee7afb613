from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from .choices import ShareLevel


class SettingsIn(Schema):
    share: ShareLevel = ShareLevel.STATUS_ONLY
    auto_accept: bool = False
    contact_name: str = Field("", max_length=150)
    contact_email: str = Field("", max_length=254)
    contact_phone: str = Field("", max_length=40)


class LeaveIn(Schema):
    reason: str = Field("", max_length=2000)


class SettingsOut(Schema):
    partner_id: int
    participating: bool
    share: str | None = None
    auto_accept: bool = False
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    joined_at: dt.datetime | None = None
    left_at: dt.datetime | None = None
    may_query: bool
    refusal: str = ""


class ContactOut(Schema):
    name: str
    email: str
    phone: str


class StatusViewOut(Schema):
    partner_id: int
    name: str
    status: str
    tier: int | None
    since: dt.date | None
    contact: ContactOut | None
    svi_member: bool


class MonitoredOut(Schema):
    link_id: int
    monitored_since: dt.datetime | None
    partner: StatusViewOut


class MonitoredListOut(Schema):
    items: list[MonitoredOut]
    count: int
    limit: int
    offset: int


class CompanyBrief(Schema):
    id: int
    reference: str
    legal_name: str


class LinkOut(Schema):
    id: int
    direction: str  # incoming | outgoing
    status: str
    company: CompanyBrief
    message: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    ended_at: dt.datetime | None


class RequestIn(Schema):
    target_id: int | None = Field(None, description="A participant's id (from /svi/participants)")
    identifier_type: str = Field("", max_length=16, description="Or find the participant by identifier")
    identifier_value: str = Field("", max_length=40)
    message: str = Field("", max_length=500)


class ReasonIn(Schema):
    reason: str = Field("", max_length=2000)


class VerifyItemIn(Schema):
    type: str | None = None
    value: str | int | None = None


class VerifyRowOut(Schema):
    row: int
    type: str
    value: str
    result: str = Field(..., description="found | foreign | not_found | error")
    company: str | None = None
    status: str | None = None
    tier: int | None = None
    since: str | None = None
    program: str | None = None
    program_code: str | None = None
    validation_date: str | None = None
    matches: int | None = None
    error: str | None = None


class VerifyOut(Schema):
    id: int
    created_at: dt.datetime
    row_count: int
    matched_count: int
    foreign_count: int
    error_count: int
    results: list[VerifyRowOut]


class LookupOut(Schema):
    type: str
    value: str
    result: str = Field(..., description="found | foreign | not_found")
    partner: StatusViewOut | None
    program: str
    foreign_status: str = ""
    validation_date: str | None = None


class WebhookIn(Schema):
    url: str = Field(..., max_length=500)
    events: list[str] = Field(default_factory=lambda: ["partner.status_changed"], max_length=5)


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    secret_prefix: str
    created_at: dt.datetime
    rotated_at: dt.datetime | None


class WebhookSecretOut(WebhookOut):
    secret: str = Field(..., description="Shown once: keep it to check the X-Greenlane-Signature header")


class DeliveryOut(Schema):
    id: int
    event_id: str
    event: str
    status: str
    attempts: int
    status_code: int | None
    error: str
    created_at: dt.datetime
    last_attempt_at: dt.datetime | None
    next_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None


class DeliveryListOut(Schema):
    items: list[DeliveryOut]
    count: int
    limit: int
    offset: int


class NoticeIn(Schema):
    recipient_company: str = Field(..., max_length=200)
    recipient_email: str = Field(..., max_length=254)


class NoticeOut(Schema):
    id: int
    recipient_company: str
    recipient_email: str
    status_at_send: str
    sent_at: dt.datetime
    verify_count: int


class NoticeListOut(Schema):
    items: list[NoticeOut]
    count: int
    limit: int
    offset: int
