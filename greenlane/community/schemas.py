"""API schemas of /api/v1/community."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from ninja import Field, Schema


class TopicIn(Schema):
    title: str = Field(max_length=150)
    description: str = Field("", max_length=2000)
    audience_entity_types: list[str] = []


class TopicOut(Schema):
    id: int
    title: str
    description: str
    audience_entity_types: list[str]
    locked: bool
    pinned: bool
    thread_count: int = 0
    last_post_at: dt.datetime | None
    created_at: dt.datetime


class ThreadIn(Schema):
    title: str = Field(max_length=150)
    body: str = Field(max_length=10000)
    partner_id: int | None = None
    display: str = ""


class ThreadOut(Schema):
    id: int
    topic_id: int
    title: str
    locked: bool
    pinned: bool
    post_count: int
    created_at: dt.datetime
    last_post_at: dt.datetime


class PostIn(Schema):
    body: str = Field(max_length=10000)
    partner_id: int | None = None
    display: str = ""


class PostOut(Schema):
    id: int
    thread_id: int
    signature: str
    body: str
    hidden: bool
    hidden_reason: str | None = None
    created_at: dt.datetime


class ModerateIn(Schema):
    action: str
    reason: str = Field("", max_length=500)


class HideIn(Schema):
    hidden: bool
    reason: str = Field("", max_length=500)


class ReportIn(Schema):
    reason: str = Field(max_length=2000)


class ReportOut(Schema):
    id: int
    post_id: int
    status: str
    reason: str
    note: str
    created_at: dt.datetime
    decided_at: dt.datetime | None


class ReportDecisionIn(Schema):
    decision: str
    note: str = Field("", max_length=2000)
    hide_post: bool = False


class Paged(Schema):
    count: int
    limit: int
    offset: int


class ThreadList(Paged):
    items: list[ThreadOut]


class PostList(Paged):
    items: list[PostOut]


class ReportList(Paged):
    items: list[ReportOut]


class VersionOut(Schema):
    version: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    note: str
    uploaded_by: str
    uploaded_at: dt.datetime
    download_url: str

    @staticmethod
    def resolve_uploaded_by(obj) -> str:
        return obj.uploaded_by.display_name

    @staticmethod
    def resolve_download_url(obj) -> str:
        document = obj.document
        if document.partner_id:
            return reverse(
                "community:exchange_download", args=[document.partner_id, document.pk, obj.version]
            )
        return reverse("community:library_download", args=[document.pk, obj.version])


class DocumentOut(Schema):
    id: int
    kind: str
    partner_id: int | None
    title: str
    description: str
    category: str
    tags: list[str]
    latest_version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class DocumentDetail(DocumentOut):
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(obj) -> list:
        return list(obj.versions.all())


class DocumentList(Paged):
    items: list[DocumentOut]


class PracticeIn(Schema):
    partner_id: int
    title: str = Field(max_length=200)
    description: str = Field(max_length=6000)
    category: int
    criteria: list[str] = []
    naics_sector: str
    validation_id: int | None = None


class PracticeOut(Schema):
    id: int
    title: str
    description: str
    category: int
    category_name: str
    criteria: list[str]
    naics_sector: str
    size_band: str
    source: str
    status: str
    company: str
    submitted_at: dt.datetime
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_category(obj) -> int:
        return obj.category.number

    @staticmethod
    def resolve_category_name(obj) -> str:
        return obj.category.name

    @staticmethod
    def resolve_criteria(obj) -> list[str]:
        return [c.code for c in obj.criteria.all()]

    @staticmethod
    def resolve_company(obj) -> str:
        return str(getattr(obj, "shown_company", ""))


class PracticeList(Paged):
    items: list[PracticeOut]


class PracticeDecisionIn(Schema):
    decision: str
    note: str = Field("", max_length=2000)


class ConsentIn(Schema):
    partner_id: int
    consent: bool
