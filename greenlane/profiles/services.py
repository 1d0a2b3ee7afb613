"""Writes to security profiles: start, answer, submit (freeze a snapshot), evidence uploads."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.audit.services import diff, record_event
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.criteria.models import Criterion
from greenlane.criteria.selectors import active_version
from greenlane.partners import permissions
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.selectors import PartnerAccess, partner_for

from . import selectors
from .choices import GAP_STATUSES, AnswerStatus, ProfileState
from .evidence_services import _preparer, evidence_update, evidence_upload  # noqa: F401 (re-exported)
from .models import ActionPlan, Answer, EvidenceDocument, EvidenceFile, ProfileSnapshot, SecurityProfile
from .review_hooks import answer_updated

# The company edits its profile while drafting and while a member; it is frozen during review.
PROFILE_EDITABLE = frozenset({PartnerStatus.DRAFT, PartnerStatus.CERTIFIED, PartnerStatus.SUSPENDED})


def _officer(access: PartnerAccess, what: str) -> None:
    if not permissions.can_sign_and_submit(access.role):
        raise Forbidden(
            _(
                "Only a company officer may %(what)s. Consultants and contributors prepare; ask your "
                "company officer."
            )
            % {"what": what}
        )


def _editable(access: PartnerAccess) -> None:
    if access.partner.status not in PROFILE_EDITABLE:
        raise Conflict(
            _("The security profile is locked while the company's status is '%(s)s'.")
            % {"s": access.partner.get_status_display()}
        )


def create_profile(partner, *, actor) -> SecurityProfile:
    """A profile on the active catalog with one empty answer per criterion for the entity type."""
    version = active_version()
    if version is None:
        raise Conflict(_("No criteria catalog is active yet; the program office must load one."))
    profile = SecurityProfile.objects.create(partner=partner, catalog_version=version)
    criteria = Criterion.objects.filter(
        catalog_version=version, applicability__entity_type=partner.entity_type
    )
    Answer.objects.bulk_create([Answer(profile=profile, criterion=c) for c in criteria])
    record_event(
        actor=actor,
        action="profile.start",
        partner=partner,
        obj=profile,
        summary=f"Security profile started on catalog {version.version}",
        after={"catalog_version": version.version, "criteria": criteria.count()},
    )
    return profile


@transaction.atomic
def profile_ensure(*, actor, partner_id) -> tuple[PartnerAccess, SecurityProfile]:
    """The partner's current profile, started on first use (idempotent)."""
    access = partner_for(actor, partner_id)
    profile = selectors.current_profile(access.partner)
    if profile is not None:
        return access, profile
    access = partner_for(actor, partner_id, for_update=True)
    profile = selectors.current_profile(access.partner)
    if profile is None:
        if access.role is None:
            raise NotFound(_("This company has not started its security profile."))
        profile = create_profile(access.partner, actor=actor)
    return access, profile


def _answer_state(answer: Answer) -> dict[str, Any]:
    plan = getattr(answer, "action_plan", None) if _has_plan(answer) else None
    return {
        "status": answer.status,
        "narrative": answer.narrative,
        "justification": answer.justification,
        "evidence": sorted(d.pk for d in answer.evidence.all()),
        "action_plan": (
            {
                "owner": plan.owner,
                "due_date": plan.due_date.isoformat(),
                "steps": plan.steps,
                "status": plan.status,
            }
            if plan
            else None
        ),
        "flag": answer.flag,
    }


def _has_plan(answer: Answer) -> bool:
    try:
        return answer.action_plan is not None
    except ActionPlan.DoesNotExist:
        return False


def _clean_plan(plan: dict | None) -> dict | None:
    if not plan:
        return None
    owner = (plan.get("owner") or "").strip()
    steps = (plan.get("steps") or "").strip()
    due = plan.get("due_date")
    if isinstance(due, str):
        try:
            due = dt.date.fromisoformat(due)
        except ValueError:
            raise InvalidInput(
                _("Give the action plan's due date as YYYY-MM-DD."), field="action_plan.due_date"
            ) from None
    if not owner or len(owner) > 150:
        raise InvalidInput(
            _("Name the action plan's owner (up to 150 characters)."), field="action_plan.owner"
        )
    if not isinstance(due, dt.date):
        raise InvalidInput(_("Give the action plan a due date."), field="action_plan.due_date")
    if not steps or len(steps) > 4000:
        raise InvalidInput(
            _("Describe the action plan's steps (up to 4,000 characters)."), field="action_plan.steps"
        )
    status = plan.get("status") or "open"
    if status not in ("open", "done"):
        raise InvalidInput(_("An action plan is open or done."), field="action_plan.status")
    return {"owner": owner, "due_date": due, "steps": steps, "status": status}


def _start_new_revision(profile: SecurityProfile) -> None:
    """Editing a submitted profile starts the next draft revision; the snapshot stays as it was."""
    if profile.state == ProfileState.SUBMITTED:
        profile.state = ProfileState.DRAFT
        profile.revision += 1


@dataclass(frozen=True)
class AnswerInput:
    criterion_code: str
    status: str
    narrative: str = ""
    justification: str = ""
    evidence_ids: tuple[int, ...] = ()
    action_plan: dict | None = None


def _validate(item: AnswerInput, partner) -> tuple[str, str, list[EvidenceDocument], dict | None]:
    code = item.criterion_code
    if item.status not in AnswerStatus.values:
        raise InvalidInput(
            _("Status must be one of: %(s)s.") % {"s": ", ".join(AnswerStatus.values)}, field="status"
        )
    narrative, justification = (item.narrative or "").strip(), (item.justification or "").strip()
    if len(narrative) > 10000:
        raise InvalidInput(_("Keep the narrative under 10,000 characters."), field="narrative")
    if len(justification) > 4000:
        raise InvalidInput(_("Keep the justification under 4,000 characters."), field="justification")
    if item.status == AnswerStatus.NOT_APPLICABLE and not justification:
        raise InvalidInput(
            _("Explain why criterion %(c)s does not apply to your operations.") % {"c": code},
            field="justification",
        )
    evidence_ids = sorted(set(item.evidence_ids or ()))
    docs = list(EvidenceDocument.objects.filter(partner=partner, pk__in=evidence_ids)) if evidence_ids else []
    missing = sorted(set(evidence_ids) - {d.pk for d in docs})
    if missing:
        raise InvalidInput(
            _("No evidence document %(ids)s in this company's library.")
            % {"ids": ", ".join(map(str, missing))},
            field="evidence",
        )
    plan = _clean_plan(item.action_plan) if item.status in GAP_STATUSES else None
    return narrative, justification, docs, plan


def _apply(
    answer: Answer, item: AnswerInput, cleaned, *, actor, defer: bool = False
) -> tuple[dict, dict] | None:
    """Write one validated answer; returns (before, after) of what changed, or None if nothing did.

    With `defer` the answer row itself is left for the caller to bulk-update (imports of many answers).
    """
    narrative, justification, docs, plan = cleaned
    before = _answer_state(answer)
    after = {
        **before,
        "status": item.status,
        "narrative": narrative,
        "justification": justification,
        "evidence": sorted(d.pk for d in docs),
        "flag": "",
        "action_plan": ({**plan, "due_date": plan["due_date"].isoformat()} if plan else None),
    }
    if after == before:
        return None
    answer.status, answer.narrative, answer.justification, answer.flag = (
        item.status,
        narrative,
        justification,
        "",
    )
    answer.updated_at, answer.updated_by = timezone.now(), actor
    if not defer:
        answer.save()
        answer_updated([answer.pk])
    if before["evidence"] != after["evidence"]:
        answer.evidence.set(docs)
    if plan:
        ActionPlan.objects.update_or_create(answer=answer, defaults=plan)
    elif before["action_plan"]:
        ActionPlan.objects.filter(answer=answer).delete()
    return diff(before, after)


def _answer_or_explain(profile: SecurityProfile, code: str) -> Answer:
    try:
        return selectors.answer_for(profile, code)
    except NotFound:
        if Criterion.objects.filter(catalog_version=profile.catalog_version, code=code).exists():
            raise InvalidInput(
                _("Criterion %(c)s does not apply to %(t)s, so it is not part of this profile.")
                % {"c": code, "t": profile.partner.get_entity_type_display()},
                field="criterion_id",
            ) from None
        raise NotFound(
            _("There is no criterion %(c)s in catalog %(v)s.")
            % {"c": code, "v": profile.catalog_version.version}
        ) from None


def _touch(profile: SecurityProfile) -> None:
    _start_new_revision(profile)
    profile.updated_at = timezone.now()
    profile.save(update_fields=["state", "revision", "updated_at"])


@transaction.atomic
def answer_save(
    *,
    actor,
    partner_id,
    criterion_code: str,
    status: str,
    narrative: str = "",
    justification: str = "",
    evidence_ids: list[int] | None = None,
    action_plan: dict | None = None,
) -> Answer:
    """Save one answer (idempotent: saving the same content again records nothing new)."""
    access = partner_for(actor, partner_id, for_update=True)
    _preparer(access)
    _editable(access)
    profile = selectors.current_profile(access.partner) or create_profile(access.partner, actor=actor)
    answer = _answer_or_explain(profile, criterion_code)
    item = AnswerInput(
        criterion_code, status, narrative, justification, tuple(evidence_ids or ()), action_plan
    )
    changed = _apply(answer, item, _validate(item, access.partner), actor=actor)
    if changed is not None:
        _touch(profile)
        record_event(
            actor=actor,
            action="profile.answer",
            partner=access.partner,
            obj=answer,
            summary=f"Answer to {criterion_code} saved ({status})",
            before=changed[0],
            after=changed[1],
        )
    return answer


@transaction.atomic
def answers_bulk_save(*, actor, partner_id, items: list[AnswerInput], source: str = "bulk") -> int:
    """Save many answers at once (an import); all are validated before any is written. One audit event."""
    access = partner_for(actor, partner_id, for_update=True)
    _preparer(access)
    _editable(access)
    profile = selectors.current_profile(access.partner) or create_profile(access.partner, actor=actor)
    by_code = {a.criterion.code: a for a in selectors.answers(profile)}
    errors, cleaned = [], []
    for index, item in enumerate(items):
        if item.criterion_code not in by_code:
            errors.append(
                {
                    "field": f"answers[{index}].criterion",
                    "message": _("Criterion %(c)s does not apply to this entity type.")
                    % {"c": item.criterion_code},
                }
            )
            continue
        try:
            cleaned.append((item, _validate(item, access.partner)))
        except InvalidInput as exc:
            errors.append(
                {"field": f"answers[{index}].{exc.field}", "message": f"{item.criterion_code}: {exc.message}"}
            )
    if errors:
        raise InvalidInput(
            _("%(n)d answer(s) are invalid; nothing was saved. First: %(m)s")
            % {"n": len(errors), "m": errors[0]["message"]},
            field=errors[0]["field"],
            errors=errors,
        )
    changed = [
        item.criterion_code
        for item, c in cleaned
        if _apply(by_code[item.criterion_code], item, c, actor=actor, defer=True)
    ]
    if changed:
        rows = [by_code[code] for code in changed]
        # Plain per-row UPDATEs: Django's bulk_update builds a CASE per field and row, slower at this size.
        for row in rows:
            row.save(
                update_fields=["status", "narrative", "justification", "flag", "updated_at", "updated_by"]
            )
        answer_updated([a.pk for a in rows])
        _touch(profile)
        record_event(
            actor=actor,
            action="profile.answers_import",
            partner=access.partner,
            obj=profile,
            summary=f"{len(changed)} answers saved ({source})",
            after={"criteria": changed},
        )
    return len(changed)


def build_snapshot_data(profile: SecurityProfile) -> dict[str, Any]:
    """The frozen payload: catalog version, every answer, the evidence versions it points at."""
    rows = selectors.answers(profile)
    doc_ids = {d.pk for a in rows for d in a.evidence.all()}
    latest: dict[int, EvidenceFile] = {}
    for f in EvidenceFile.objects.filter(document_id__in=doc_ids).order_by("document_id", "-version"):
        latest.setdefault(f.document_id, f)
    out = []
    for a in rows:
        c = a.criterion
        plan = a.action_plan if _has_plan(a) else None
        out.append(
            {
                "code": c.code,
                "title": c.title,
                "level": c.level,
                "category": c.category.number,
                "status": a.status,
                "narrative": a.narrative,
                "justification": a.justification,
                "evidence": [
                    {
                        "document": d.pk,
                        "title": d.title,
                        "version": latest[d.pk].version if d.pk in latest else None,
                        "sha256": latest[d.pk].sha256 if d.pk in latest else None,
                    }
                    for d in a.evidence.all()
                ],
                "action_plan": (
                    {
                        "owner": plan.owner,
                        "due_date": plan.due_date.isoformat(),
                        "steps": plan.steps,
                        "status": plan.status,
                    }
                    if plan
                    else None
                ),
            }
        )
    v = profile.catalog_version
    return {
        "partner": profile.partner.reference,
        "entity_type": profile.partner.entity_type,
        "catalog": {"catalog": v.catalog, "version": v.version, "checksum": v.checksum},
        "revision": profile.revision,
        "answers": out,
    }


def summarize(data: dict[str, Any]) -> dict[str, Any]:
    """The counts decisions need, kept beside the frozen payload so simulations need not read it."""
    answers = data.get("answers", [])
    musts = [a for a in answers if a.get("level") == "must"]
    n_must = len(musts) or 1
    return {
        "answers": len(answers),
        "must_total": len(musts),
        "must_not_implemented_share": round(sum(a["status"] == "not_implemented" for a in musts) / n_must, 4),
        "must_gap_share": round(
            sum(a["status"] in ("not_implemented", "partially_implemented") for a in musts) / n_must, 4
        ),
        "not_applicable_share": round(
            sum(a["status"] == "not_applicable" for a in answers) / (len(answers) or 1), 4
        ),
    }


def freeze_snapshot(profile: SecurityProfile, *, actor, reason: str) -> ProfileSnapshot:
    data = build_snapshot_data(profile)
    payload = json.dumps(data, sort_keys=True, separators=(",", ":"))
    snapshot = ProfileSnapshot.objects.create(
        summary=summarize(data),
        profile=profile,
        revision=profile.revision,
        catalog_version=profile.catalog_version,
        submitted_at=timezone.now(),
        submitted_by=actor,
        reason=reason,
        data=data,
        sha256=hashlib.sha256(payload.encode()).hexdigest(),
    )
    profile.state = ProfileState.SUBMITTED
    profile.submitted_at = snapshot.submitted_at
    profile.save(update_fields=["state", "submitted_at"])
    return snapshot


@transaction.atomic
def profile_submit(*, actor, partner_id, reason: str = "profile") -> ProfileSnapshot:
    """Freeze the profile. Refused, with every missing item listed, until each Must is answered."""
    access = partner_for(actor, partner_id, for_update=True)
    _officer(access, _("submit the security profile"))
    _editable(access)
    profile = selectors.current_profile(access.partner)
    if profile is None:
        raise Conflict(_("Start the security profile before submitting it."))
    if profile.state == ProfileState.SUBMITTED:
        raise Conflict(
            _(
                "Revision %(r)d of the security profile was already submitted on %(d)s; change an answer "
                "to start the next revision."
            )
            % {"r": profile.revision, "d": (profile.submitted_at or timezone.now()).date().isoformat()}
        )
    problems = selectors.submission_problems(profile)
    if problems:
        errors = [
            {"field": f"answers.{p.code}", "message": f"{p.code} {p.title}: {p.message}"} for p in problems
        ]
        raise InvalidInput(
            _("%(n)d item(s) must be completed before submitting: %(first)s")
            % {"n": len(problems), "first": "; ".join(e["message"] for e in errors[:5])},
            field=errors[0]["field"],
            errors=errors,
        )
    snapshot = freeze_snapshot(profile, actor=actor, reason=reason)
    record_event(
        actor=actor,
        action="profile.submit",
        partner=access.partner,
        obj=snapshot,
        summary=f"Security profile revision {snapshot.revision} submitted",
        after={
            "revision": snapshot.revision,
            "catalog_version": profile.catalog_version.version,
            "sha256": snapshot.sha256,
        },
    )
    return snapshot
