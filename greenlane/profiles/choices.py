from django.db import models
from django.utils.translation import gettext_lazy as _


class AnswerStatus(models.TextChoices):
    IMPLEMENTED = "implemented", _("Implemented")
    PARTIALLY_IMPLEMENTED = "partially_implemented", _("Partially implemented")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


GAP_STATUSES = frozenset({AnswerStatus.PARTIALLY_IMPLEMENTED, AnswerStatus.NOT_IMPLEMENTED})


class ProfileState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SUPERSEDED = "superseded", _("Superseded by a newer catalog version")


class RevisionFlag(models.TextChoices):
    NONE = "", _("—")
    NEW = "new", _("New criterion: please answer")
    CHANGED = "changed", _("Criterion changed: please review your answer")


class ActionPlanStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Submitted, awaiting the specialist")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")


REVIEW_TRANSITIONS: dict[str, frozenset[str]] = {
    ReviewStatus.OPEN: frozenset({ReviewStatus.SUBMITTED}),
    ReviewStatus.SUBMITTED: frozenset({ReviewStatus.APPROVED, ReviewStatus.RETURNED}),
    ReviewStatus.RETURNED: frozenset({ReviewStatus.SUBMITTED}),
    ReviewStatus.APPROVED: frozenset(),
}


class ReviewItemDecision(models.TextChoices):
    PENDING = "", _("Not yet reviewed")
    CONFIRMED = "confirmed", _("Re-confirmed unchanged")
    UPDATED = "updated", _("Updated")
