"""Validation kinds, statuses and the transition table; finding results, visit kinds, hours activities."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class ValidationKind(models.TextChoices):
    INITIAL = "initial", _("Initial validation")
    REVALIDATION = "revalidation", _("Revalidation")
    FOR_CAUSE = "for_cause", _("For cause")
    OVERSIGHT = "oversight", _("Random oversight")


class ValidationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("In progress")
    REPORT_REVIEW = "report_review", _("Report in review")
    RETURNED = "returned", _("Report returned")
    PUBLISHED = "published", _("Published: responses due")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


S = ValidationStatus

# Allowed (from -> to) pairs, checked by core.transitions.check_transition.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PLANNED: frozenset({S.SCHEDULED, S.IN_PROGRESS, S.CANCELLED}),
    S.SCHEDULED: frozenset({S.IN_PROGRESS, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.REPORT_REVIEW, S.CANCELLED}),
    S.REPORT_REVIEW: frozenset({S.RETURNED, S.PUBLISHED}),
    S.RETURNED: frozenset({S.REPORT_REVIEW, S.CANCELLED}),
    S.PUBLISHED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}

# The per-state timestamp each target status stamps on the validation.
STATUS_TIMESTAMP: dict[str, str] = {
    S.REPORT_REVIEW: "submitted_at",
    S.PUBLISHED: "published_at",
    S.CLOSED: "closed_at",
    S.CANCELLED: "cancelled_at",
}

# Statuses in which the specialist still works on the record (sites, visits, findings, hours, items).
WORKING = frozenset({S.PLANNED, S.SCHEDULED, S.IN_PROGRESS, S.RETURNED})
OPEN = frozenset({S.PLANNED, S.SCHEDULED, S.IN_PROGRESS, S.REPORT_REVIEW, S.RETURNED, S.PUBLISHED})
# Statuses in which the company sees the validation's report.
VISIBLE_REPORT = frozenset({S.PUBLISHED, S.CLOSED})


class Outcome(models.TextChoices):
    NONE = "", _("Not decided")
    MEETS = "meets", _("Meets the criteria (Tier 2)")
    EXCEEDS = "exceeds", _("Exceeds the criteria (Tier 3)")
    FAILS = "fails", _("Fails")


class VisitKind(models.TextChoices):
    ON_SITE = "on_site", _("On-site visit")
    VIRTUAL = "virtual", _("Virtual visit")
    NONE = "none", _("No visit (desk review)")


class FindingResult(models.TextChoices):
    MEETS = "meets", _("Meets")
    DOES_NOT_MEET = "does_not_meet", _("Does not meet")
    EXCEEDS = "exceeds", _("Exceeds")
    NOT_OBSERVED = "not_observed", _("Not observed")


class Activity(models.TextChoices):
    PREPARATION = "preparation", _("Preparation")
    TRAVEL = "travel", _("Travel")
    ON_SITE = "on_site", _("On-site work")
    VIRTUAL = "virtual", _("Virtual meeting")
    REPORT = "report", _("Report writing")
    FOLLOW_UP = "follow_up", _("Follow-up")


class ItemKind(models.TextChoices):
    REQUIRED_ACTION = "required_action", _("Required action")
    RECOMMENDATION = "recommendation", _("Recommendation")
    BEST_PRACTICE = "best_practice", _("Best practice")


class ReviewDecision(models.TextChoices):
    PENDING = "", _("Pending")
    APPROVE = "approve", _("Approved")
    RETURN = "return", _("Returned")


MAX_HOURS_PER_DAY = Decimal("24")
MIN_HOURS = Decimal("0.25")
