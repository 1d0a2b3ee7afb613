from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from .choices import EntityType, PartnerStatus, TransportMode
from .identifiers import IdentifierType


class IdentifierIn(Schema):
    type: IdentifierType
    value: str = Field(..., max_length=40)


class IdentifierOut(Schema):
    type: str
    value: str


class PartnerCreateIn(Schema):
    entity_type: EntityType
    legal_name: str = Field(..., min_length=1, max_length=200)
    country: str = Field(..., min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code")
    identifiers: list[IdentifierIn] = Field(default_factory=list, max_length=20)
    role: str = Field("company_officer", description="company_officer or company_admin")
    dba_name: str = Field("", max_length=200)
    website: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    business_start_date: dt.date | None = None
    employee_count: int | None = Field(None, ge=0, le=5_000_000)
    business_history: str = Field("", max_length=5000)
    modes_of_transport: list[TransportMode] = Field(default_factory=list)
    eligibility: dict[str, bool] = Field(default_factory=dict)


class PartnerPatchIn(Schema):
    legal_name: str | None = Field(None, min_length=1, max_length=200)
    dba_name: str | None = Field(None, max_length=200)
    country: str | None = Field(None, min_length=2, max_length=2)
    website: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=40)
    business_start_date: dt.date | None = None
    employee_count: int | None = Field(None, ge=0, le=5_000_000)
    business_history: str | None = Field(None, max_length=5000)
    modes_of_transport: list[TransportMode] | None = None
    eligibility: dict[str, bool] | None = None
    identifiers: list[IdentifierIn] | None = Field(None, max_length=20)


class SiteOut(Schema):
    id: int
    kind: str
    name: str
    street: str
    city: str
    region: str
    postal_code: str
    country: str


class ContactOut(Schema):
    id: int
    kind: str
    name: str
    title: str
    email: str
    phone: str


class PartnerSummaryOut(Schema):
    id: int
    reference: str
    entity_type: EntityType
    legal_name: str
    dba_name: str
    country: str
    status: PartnerStatus
    tier: int
    assigned_scs: str | None = Field(None, description="E-mail of the assigned specialist")
    field_office: str | None = None
    identifiers: list[IdentifierOut]
    submitted_at: dt.datetime | None
    certified_at: dt.datetime | None

    @staticmethod
    def resolve_assigned_scs(obj) -> str | None:
        return obj.assigned_scs.email if obj.assigned_scs_id else None

    @staticmethod
    def resolve_field_office(obj) -> str | None:
        return obj.field_office.name if obj.field_office_id else None

    @staticmethod
    def resolve_identifiers(obj) -> list[dict]:
        return [{"type": i.type, "value": i.value} for i in obj.identifiers.all()]


class PartnerOut(PartnerSummaryOut):
    website: str
    phone: str
    business_start_date: dt.date | None
    employee_count: int | None
    business_history: str
    modes_of_transport: list[str]
    eligibility: dict[str, bool]
    sites: list[SiteOut]
    contacts: list[ContactOut]
    created_at: dt.datetime
    status_changed_at: dt.datetime
    under_review_at: dt.datetime | None
    denied_at: dt.datetime | None
    suspended_at: dt.datetime | None
    removed_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    your_role: str | None = Field(None, description="Your role in this company; null for program staff")
    missing: list[str] = Field(default_factory=list, description="What the application still lacks")

    @staticmethod
    def resolve_sites(obj) -> list:
        return list(obj.sites.all())

    @staticmethod
    def resolve_contacts(obj) -> list:
        return list(obj.contacts.all())


class PartnerListOut(Schema):
    items: list[PartnerSummaryOut]
    count: int
    limit: int
    offset: int


class AgreementSignIn(Schema):
    name: str = Field(..., max_length=150)
    title: str = Field(..., max_length=120)
    accept: bool


class SignatureOut(Schema):
    version: str
    signer_name: str
    signer_title: str
    signed_at: dt.datetime
    text_sha256: str

    @staticmethod
    def resolve_version(obj) -> str:
        return obj.version.version


class TransitionIn(Schema):
    to_status: PartnerStatus
    reason: str = Field(..., max_length=2000)


class AssignIn(Schema):
    scs_id: int | None
    reason: str = Field("", max_length=2000)


class SiteIn(Schema):
    kind: str
    name: str = Field(..., max_length=200)
    street: str = Field(..., max_length=200)
    city: str = Field(..., max_length=100)
    region: str = Field("", max_length=100)
    postal_code: str = Field("", max_length=20)
    country: str = Field(..., min_length=2, max_length=2)


class ContactIn(Schema):
    kind: str
    name: str = Field(..., max_length=150)
    title: str = Field("", max_length=120)
    email: str = Field(..., max_length=254)
    phone: str = Field("", max_length=40)


class EventOut(Schema):
    id: int
    at: dt.datetime
    actor: str
    action: str
    summary: str
    reason: str
    before: dict
    after: dict
    request_id: str

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_label


class EventListOut(Schema):
    items: list[EventOut]
    count: int
    limit: int
    offset: int
