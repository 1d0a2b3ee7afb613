"""Threat assessments and sanitized intelligence: write under a handling marking, publish, withdraw, log opens."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.accounts.choices import StaffRole
from greenlane.accounts.models import User
from greenlane.audit.services import record_event
from greenlane.core import context
from greenlane.core.errors import InvalidInput, NotFound
from greenlane.core.transitions import check_transition
from greenlane.partners.choices import EntityType
from greenlane.partners.models import Partner

from .. import permissions
from ..choices import ASSESSMENT_TRANSITIONS, AssessmentStatus
from ..models import AssessmentAccess, HandlingMarking, ThreatAssessment, tokens
from ._common import optional_text, require_staff, text

A = AssessmentStatus
NO_RIGHT = "Only intelligence analysts and program managers write threat assessments."
MAX_NAMED = 500


@dataclass(frozen=True)
class AssessmentInput:
    title: str = ""
    summary: str = ""
    body: str = ""
    marking: str = ""
    staff_roles: list[str] = field(default_factory=list)
    entity_types: list[str] = field(default_factory=list)
    partner_ids: list[int] = field(default_factory=list)


def _label(value: str) -> str:
    return str(A(value).label) if value in A.values else value


def _clean(data: AssessmentInput) -> tuple[dict, list[Partner]]:
    errors: list[dict] = []

    def attempt(fn):
        try:
            return fn()
        except InvalidInput as exc:
            errors.extend(exc.errors or [{"field": exc.field, "message": exc.message}])
            return None

    title = attempt(
        lambda: text(data.title, field="title", missing=_("Give the assessment a title."), limit=200)
    )
    summary = attempt(lambda: optional_text(data.summary, field="summary", limit=600))
    body = attempt(lambda: text(data.body, field="body", missing=_("Write the assessment."), limit=50000))
    marking = HandlingMarking.objects.filter(code=(data.marking or "").strip()).first()
    if marking is None:
        codes = ", ".join(HandlingMarking.objects.values_list("code", flat=True))
        errors.append(
            {"field": "marking", "message": _("Choose a handling marking (%(codes)s).") % {"codes": codes}}
        )
    roles = sorted({str(r).strip() for r in data.staff_roles if str(r).strip()})
    for r in roles:
        if r not in StaffRole.values:
            errors.append({"field": "staff_roles", "message": _("'%(v)s' is not a staff role.") % {"v": r}})
    types = sorted({str(t).strip() for t in data.entity_types if str(t).strip()})
    for t in types:
        if t not in EntityType.values:
            errors.append(
                {"field": "entity_types", "message": _("'%(v)s' is not an entity type.") % {"v": t}}
            )
    ids: set[int] = set()
    for raw in data.partner_ids:
        try:
            ids.add(int(raw))
        except (TypeError, ValueError):
            errors.append({"field": "partner_ids", "message": _("'%(v)s' is not a company id.") % {"v": raw}})
    if len(ids) > MAX_NAMED:
        errors.append(
            {"field": "partner_ids", "message": _("Name at most %(n)s companies.") % {"n": MAX_NAMED}}
        )
    partners = list(Partner.objects.filter(pk__in=ids)) if ids else []
    missing = sorted(ids - {p.pk for p in partners})
    if missing:
        errors.append(
            {"field": "partner_ids", "message": _("No company with id %(id)s.") % {"id": missing[0]}}
        )
    if marking is not None:
        if not marking.trade_allowed and (partners or types):
            errors.append(
                {
                    "field": "marking",
                    "message": _(
                        "Under '%(m)s' only program staff may be in the audience; remove the companies."
                    )
                    % {"m": marking.label},
                }
            )
        elif not marking.broad_trade_allowed and types:
            errors.append(
                {
                    "field": "entity_types",
                    "message": _("Under '%(m)s' companies are named one by one, not by entity type.")
                    % {"m": marking.label},
                }
            )
        if not marking.open_to_all and not (roles or types or partners):
            errors.append(
                {
                    "field": "staff_roles",
                    "message": _("Name the audience: staff roles, companies or entity types."),
                }
            )
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    return (
        {
            "title": title,
            "summary": summary,
            "body": body,
            "marking": marking,
            "aud_staff_roles": tokens(roles),
            "aud_entity_types": tokens(types),
        },
        partners,
    )


def _snapshot(a: ThreatAssessment, partner_ids: list[int] | None = None) -> dict:
    return {
        "title": a.title,
        "marking": a.marking.code if a.marking_id else "",
        "status": a.status,
        "staff_roles": a.staff_roles,
        "entity_types": a.entity_types,
        "partners": partner_ids
        if partner_ids is not None
        else sorted(a.aud_partners.values_list("pk", flat=True)),
    }


def _locked(actor, assessment_id) -> ThreatAssessment:
    """The assessment for a change by its author or a fellow assessor who can read it; else 404."""
    from ..selectors.assessments import visible_assessments

    try:
        pk = int(assessment_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not visible_assessments(actor, include_drafts=True).filter(pk=pk).exists():
        raise NotFound()
    return ThreatAssessment.objects.select_for_update().select_related("marking").get(pk=pk)


@transaction.atomic
def assessment_create(*, actor: User, data: AssessmentInput) -> ThreatAssessment:
    require_staff(actor, permissions.ASSESSORS, NO_RIGHT)
    fields, partners = _clean(data)
    assessment = ThreatAssessment(author=actor, **fields)
    assessment.full_clean()
    assessment.save()
    assessment.aud_partners.set(partners)
    record_event(
        actor=actor,
        action="assessment.create",
        obj=assessment,
        summary=f"Threat assessment drafted under '{assessment.marking.label}'",
        after=_snapshot(assessment, sorted(p.pk for p in partners)),
    )
    return assessment


@transaction.atomic
def assessment_update(*, actor: User, assessment_id, data: AssessmentInput) -> ThreatAssessment:
    require_staff(actor, permissions.ASSESSORS, NO_RIGHT)
    assessment = _locked(actor, assessment_id)
    if assessment.status != A.DRAFT:
        raise InvalidInput(_("Only a draft can be changed; withdraw it and write a new one."), field="status")
    before = _snapshot(assessment)
    fields, partners = _clean(data)
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.updated_at = timezone.now()
    assessment.full_clean()
    assessment.save()
    assessment.aud_partners.set(partners)
    record_event(
        actor=actor,
        action="assessment.update",
        obj=assessment,
        summary="Threat assessment draft changed",
        before=before,
        after=_snapshot(assessment, sorted(p.pk for p in partners)),
    )
    return assessment


@transaction.atomic
def assessment_publish(*, actor: User, assessment_id) -> ThreatAssessment:
    require_staff(actor, permissions.ASSESSORS, NO_RIGHT)
    assessment = _locked(actor, assessment_id)
    check_transition(ASSESSMENT_TRANSITIONS, assessment.status, A.PUBLISHED, label=_label)
    before = _snapshot(assessment)
    assessment.status = A.PUBLISHED
    assessment.published_at = assessment.updated_at = timezone.now()
    assessment.save(update_fields=["status", "published_at", "updated_at"])
    # The summary names no title: the audit log is read by staff outside the audience.
    record_event(
        actor=actor,
        action="assessment.publish",
        obj=assessment,
        summary=f"Threat assessment #{assessment.pk} published under '{assessment.marking.label}'",
        before={"status": before["status"]},
        after={"status": assessment.status},
    )
    return assessment


@transaction.atomic
def assessment_withdraw(*, actor: User, assessment_id, reason: str = "") -> ThreatAssessment:
    require_staff(actor, permissions.ASSESSORS, NO_RIGHT)
    assessment = _locked(actor, assessment_id)
    check_transition(ASSESSMENT_TRANSITIONS, assessment.status, A.WITHDRAWN, label=_label)
    reason = optional_text(reason, field="reason", limit=2000)
    before = assessment.status
    assessment.status = A.WITHDRAWN
    assessment.withdrawn_at = assessment.updated_at = timezone.now()
    assessment.save(update_fields=["status", "withdrawn_at", "updated_at"])
    record_event(
        actor=actor,
        action="assessment.withdraw",
        obj=assessment,
        summary=f"Threat assessment #{assessment.pk} withdrawn",
        before={"status": before},
        after={"status": assessment.status},
        reason=reason,
    )
    return assessment


def assessment_opened(*, actor: User, assessment: ThreatAssessment, via: str = "web") -> AssessmentAccess:
    """Log one opening (who, when, the client address). The caller has checked the audience."""
    return AssessmentAccess.objects.create(
        assessment=assessment, user=actor, ip=context.current().ip, via=via
    )
