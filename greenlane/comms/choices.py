"""Kinds, statuses and transition tables of bulletins, threat assessments; the handling markings' codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinKind(models.TextChoices):
    BULLETIN = "bulletin", _("Bulletin")
    ALERT = "alert", _("Cargo security alert")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


B = BulletinStatus
BULLETIN_TRANSITIONS: dict[str, frozenset[str]] = {
    B.DRAFT: frozenset({B.SCHEDULED, B.PUBLISHED, B.WITHDRAWN}),
    B.SCHEDULED: frozenset({B.DRAFT, B.PUBLISHED, B.WITHDRAWN}),
    B.PUBLISHED: frozenset({B.WITHDRAWN}),
    B.WITHDRAWN: frozenset(),
}
# Statuses in which the text and the audience may still change.
BULLETIN_EDITABLE = frozenset({B.DRAFT, B.SCHEDULED})
# Statuses a member may see (a scheduled one once its time has come, before the release job runs).
BULLETIN_LIVE = frozenset({B.SCHEDULED, B.PUBLISHED})


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


A = AssessmentStatus
ASSESSMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    A.DRAFT: frozenset({A.PUBLISHED, A.WITHDRAWN}),
    A.PUBLISHED: frozenset({A.WITHDRAWN}),
    A.WITHDRAWN: frozenset(),
}
