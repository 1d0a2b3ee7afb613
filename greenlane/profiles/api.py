"""/api/v1/partners/{id}/profile: the security profile, evidence, snapshots; /api/v1/criteria."""

from __future__ import annotations

import datetime as dt

from django.conf import settings as django_settings
from ninja import File, Form, Router, UploadedFile
from ninja.errors import HttpError

from greenlane.core.errors import InvalidInput
from greenlane.criteria import selectors as criteria_selectors
from greenlane.partners.choices import EntityType
from greenlane.partners.selectors import partner_for

from . import selectors, services
from .schemas import (
    AnswerIn,
    AnswerOut,
    BulkAnswersIn,
    CriteriaListOut,
    EvidenceOut,
    ProfileOut,
    SnapshotDetailOut,
    SnapshotOut,
)

router = Router(tags=["profiles"])
criteria_router = Router(tags=["criteria"])


def _profile_body(access, profile) -> dict:
    tally = selectors.completeness(profile)
    return {
        "partner_id": access.partner.pk,
        "catalog_version": profile.catalog_version.version,
        "state": profile.state,
        "revision": profile.revision,
        "submitted_at": profile.submitted_at,
        "completeness": _tally(tally.overall),
        "categories": [
            {**_tally(t), "category": n, "name": tally.names[n]} for n, t in tally.by_category.items()
        ],
        "missing": [f"{p.code} {p.title}: {p.message}" for p in selectors.submission_problems(profile)],
        "answers": selectors.answers(profile),
    }


def _tally(t) -> dict:
    return {
        "total": t.total,
        "answered": t.answered,
        "must_total": t.must_total,
        "must_answered": t.must_answered,
        "flagged": t.flagged,
        "percent": t.percent,
    }


@router.get("/{partner_id}/profile", response=ProfileOut, summary="The current security profile")
def get_profile(request, partner_id: int):
    access, profile = services.profile_ensure(actor=request.auth, partner_id=partner_id)
    return _profile_body(access, profile)


@router.put("/{partner_id}/profile/answers/{criterion_id}", response=AnswerOut, summary="Save one answer")
def put_answer(request, partner_id: int, criterion_id: str, payload: AnswerIn):
    answer = services.answer_save(
        actor=request.auth,
        partner_id=partner_id,
        criterion_code=criterion_id,
        status=payload.status,
        narrative=payload.narrative,
        justification=payload.justification,
        evidence_ids=payload.evidence,
        action_plan=payload.action_plan.dict() if payload.action_plan else None,
    )
    return selectors.answer_for(answer.profile, criterion_id)


@router.post(
    "/{partner_id}/profile/answers", response=dict, summary="Save many answers at once (all or nothing)"
)
def post_answers(request, partner_id: int, payload: BulkAnswersIn):
    items = [
        services.AnswerInput(
            a.criterion_id,
            a.status,
            a.narrative,
            a.justification,
            tuple(a.evidence),
            a.action_plan.dict() if a.action_plan else None,
        )
        for a in payload.answers
    ]
    saved = services.answers_bulk_save(actor=request.auth, partner_id=partner_id, items=items, source="api")
    return {"saved": saved}


@router.post("/{partner_id}/profile/submit", response={201: SnapshotOut}, summary="Submit: freeze a snapshot")
def submit_profile(request, partner_id: int):
    return 201, services.profile_submit(actor=request.auth, partner_id=partner_id)


@router.get("/{partner_id}/profile/snapshots", response=list[SnapshotOut])
def list_snapshots(request, partner_id: int):
    access = partner_for(request.auth, partner_id)
    profile = selectors.current_profile(access.partner)
    return selectors.snapshots(profile) if profile else []


@router.get("/{partner_id}/profile/snapshots/{snapshot_id}", response=SnapshotDetailOut)
def get_snapshot(request, partner_id: int, snapshot_id: int):
    return selectors.snapshot_for(partner_for(request.auth, partner_id), snapshot_id)


def _evidence_out(doc) -> dict:
    return {
        "id": doc.pk,
        "title": doc.title,
        "description": doc.description,
        "effective_date": doc.effective_date,
        "expiry_date": doc.expiry_date,
        "status": selectors.evidence_status(doc),
        "files": list(doc.files.all()),
    }


@router.get("/{partner_id}/profile/evidence", response=list[EvidenceOut])
def list_evidence(request, partner_id: int):
    return [_evidence_out(d) for d in selectors.evidence_list(partner_for(request.auth, partner_id))]


@router.post(
    "/{partner_id}/profile/evidence",
    response={201: EvidenceOut},
    summary="Upload evidence (multipart, field 'file'); document_id adds a new version",
)
def upload_evidence(
    request,
    partner_id: int,
    file: File[UploadedFile],
    title: Form[str] = "",
    description: Form[str] = "",
    effective_date: Form[dt.date | None] = None,
    expiry_date: Form[dt.date | None] = None,
    document_id: Form[int | None] = None,
):
    limit = django_settings.EVIDENCE_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise InvalidInput(
            f"The file is {file.size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB.",
            field="file",
        )
    record = services.evidence_upload(
        actor=request.auth,
        partner_id=partner_id,
        filename=file.name or "",
        data=file.read(),
        title=title,
        description=description,
        effective_date=effective_date,
        expiry_date=expiry_date,
        document_id=document_id,
    )
    return 201, _evidence_out(record.document)


@criteria_router.get(
    "", response=CriteriaListOut, summary="The active criteria, optionally for one entity type"
)
def list_criteria(request, entity_type: str | None = None):
    if entity_type and entity_type not in EntityType.values:
        raise InvalidInput(
            f"Unknown entity type '{entity_type}'. Known: {', '.join(EntityType.values)}.",
            field="entity_type",
        )
    version = criteria_selectors.active_version()
    if version is None:
        raise HttpError(503, "No criteria catalog is active yet.")
    items = list(criteria_selectors.criteria_for(version, entity_type))
    return {
        "catalog": version.catalog,
        "version": version.version,
        "checksum": version.checksum,
        "entity_type": entity_type,
        "items": items,
        "count": len(items),
    }
