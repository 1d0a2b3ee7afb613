"""Threat assessments only their audience can find, count or open; everything else behaves as if absent."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from greenlane.core.errors import NotFound
from greenlane.core.paging import Page, paginate
from greenlane.partners.models import Membership

from .. import permissions
from ..choices import AssessmentStatus
from ..models import AssessmentAccess, ThreatAssessment


def visible_assessments(user, *, include_drafts: bool = True) -> QuerySet[ThreatAssessment]:
    """Published assessments whose audience admits the user, and the user's own (drafts included)."""
    if not getattr(user, "is_authenticated", False):
        return ThreatAssessment.objects.none()
    published = Q(status=AssessmentStatus.PUBLISHED)
    open_to_all = Q(marking__open_to_all=True)
    if user.staff_role:
        audience = open_to_all | Q(aud_staff_roles__contains=f",{user.staff_role},")
    else:
        memberships = Membership.objects.filter(user=user).select_related("partner")
        partners = [m.partner for m in memberships]
        named = Exists(
            ThreatAssessment.aud_partners.through.objects.filter(
                threatassessment_id=OuterRef("pk"), partner_id__in=[p.pk for p in partners]
            )
        )
        by_type = Q(pk__in=[])
        for entity_type in sorted({p.entity_type for p in partners}):
            by_type |= Q(aud_entity_types__contains=f",{entity_type},")
        audience = open_to_all | (
            Q(marking__trade_allowed=True) & (named | (Q(marking__broad_trade_allowed=True) & by_type))
        )
        if not partners:
            audience = open_to_all
    condition = published & audience
    if include_drafts:
        condition |= Q(author=user)
    else:
        condition |= Q(author=user, status=AssessmentStatus.PUBLISHED)
    return ThreatAssessment.objects.filter(condition)


def assessments_page(user, *, q: str = "", marking: str = "", limit=None, offset=None) -> Page:
    qs = (
        visible_assessments(user)
        .select_related("marking", "author")
        .order_by("-published_at", "-created_at", "-id")
    )
    if q.strip():
        qs = qs.filter(Q(title__icontains=q.strip()) | Q(summary__icontains=q.strip()))
    if marking:
        qs = qs.filter(marking__code=marking)
    return paginate(qs, limit=limit, offset=offset)


def assessment_for(user, assessment_id) -> ThreatAssessment:
    """The assessment if the user is in its audience (or wrote it); NotFound otherwise, never Forbidden."""
    try:
        pk = int(assessment_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = visible_assessments(user).select_related("marking", "author").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def can_see_log(user, assessment: ThreatAssessment) -> bool:
    """Assessors who can open it (its audience) and its author see who opened it."""
    return assessment.author_id == user.pk or permissions.can_author_assessments(user)


def can_edit(user, assessment: ThreatAssessment) -> bool:
    return assessment.author_id == user.pk and permissions.can_author_assessments(user)


def access_log(user, assessment_id, *, limit=None, offset=None) -> tuple[ThreatAssessment, Page]:
    assessment = assessment_for(user, assessment_id)
    if not can_see_log(user, assessment):
        raise NotFound()
    qs = AssessmentAccess.objects.filter(assessment=assessment).select_related("user").order_by("-at", "-id")
    return assessment, paginate(qs, limit=limit, offset=offset)


def audience_partners(assessment: ThreatAssessment) -> list:
    return list(assessment.aud_partners.order_by("legal_name").only("pk", "legal_name", "reference"))
