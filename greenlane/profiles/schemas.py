from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from .choices import AnswerStatus


class ActionPlanIn(Schema):
    owner: str = Field(..., max_length=150)
    due_date: dt.date
    steps: str = Field(..., max_length=4000)
    status: str = "open"


class AnswerIn(Schema):
    status: AnswerStatus
    narrative: str = Field("", max_length=10000)
    justification: str = Field("", max_length=4000)
    evidence: list[int] = Field(default_factory=list, max_length=50)
    action_plan: ActionPlanIn | None = None


class BulkAnswerIn(AnswerIn):
    criterion_id: str = Field(..., max_length=10)


class BulkAnswersIn(Schema):
    answers: list[BulkAnswerIn] = Field(..., max_length=500)


class ActionPlanOut(Schema):
    owner: str
    due_date: dt.date
    steps: str
    status: str


class AnswerOut(Schema):
    criterion_id: str
    category: int
    level: str
    title: str
    status: str
    narrative: str
    justification: str
    evidence: list[int]
    action_plan: ActionPlanOut | None
    flag: str = Field(..., description="'new' or 'changed' after a catalog revision: answer again")
    updated_at: dt.datetime | None

    @staticmethod
    def resolve_criterion_id(obj) -> str:
        return obj.criterion.code

    @staticmethod
    def resolve_category(obj) -> int:
        return obj.criterion.category.number

    @staticmethod
    def resolve_level(obj) -> str:
        return obj.criterion.level

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.criterion.title

    @staticmethod
    def resolve_evidence(obj) -> list[int]:
        return [d.pk for d in obj.evidence.all()]

    @staticmethod
    def resolve_action_plan(obj):
        try:
            return obj.action_plan
        except Exception:  # RelatedObjectDoesNotExist
            return None


class TallyOut(Schema):
    total: int
    answered: int
    must_total: int
    must_answered: int
    flagged: int
    percent: int


class CategoryTallyOut(TallyOut):
    category: int
    name: str


class ProfileOut(Schema):
    partner_id: int
    catalog_version: str
    state: str
    revision: int
    submitted_at: dt.datetime | None
    completeness: TallyOut
    categories: list[CategoryTallyOut]
    missing: list[str] = Field(..., description="What blocks submission, one line per criterion")
    answers: list[AnswerOut]


class EvidenceFileOut(Schema):
    id: int
    version: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class EvidenceOut(Schema):
    id: int
    title: str
    description: str
    effective_date: dt.date | None
    expiry_date: dt.date | None
    status: str = Field(..., description="valid, expiring (within 30 days), expired or not_yet_effective")
    files: list[EvidenceFileOut]


class SnapshotOut(Schema):
    id: int
    revision: int
    catalog_version: str
    submitted_at: dt.datetime
    submitted_by: str
    reason: str
    sha256: str

    @staticmethod
    def resolve_catalog_version(obj) -> str:
        return obj.catalog_version.version

    @staticmethod
    def resolve_submitted_by(obj) -> str:
        return obj.submitted_by.email


class SnapshotDetailOut(SnapshotOut):
    data: dict


class CriterionOut(Schema):
    id: str
    category: int
    category_name: str
    focus_area: str
    level: str
    title: str
    requirement: str
    guidance: str
    applies_to: list[str]
    crosswalk: dict

    @staticmethod
    def resolve_id(obj) -> str:
        return obj.code

    @staticmethod
    def resolve_category(obj) -> int:
        return obj.category.number

    @staticmethod
    def resolve_category_name(obj) -> str:
        return obj.category.name

    @staticmethod
    def resolve_focus_area(obj) -> str:
        return obj.category.focus_area_name

    @staticmethod
    def resolve_applies_to(obj) -> list[str]:
        return sorted(a.entity_type for a in obj.applicability.all())


class CriteriaListOut(Schema):
    catalog: str
    version: str
    checksum: str
    entity_type: str | None
    items: list[CriterionOut]
    count: int
