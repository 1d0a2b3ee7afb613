"""Security profiles: answers to the criteria that apply to the partner's entity type, evidence, action
plans, frozen submission snapshots and the annual review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    ActionPlanStatus,
    AnswerStatus,
    ProfileState,
    ReviewItemDecision,
    ReviewStatus,
    RevisionFlag,
)


class SecurityProfile(models.Model):
    """One per partner per catalog version; the one for the active catalog is current."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="profiles")
    catalog_version = models.ForeignKey("criteria.CatalogVersion", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=12, choices=ProfileState.choices, default=ProfileState.DRAFT)
    is_current = models.BooleanField(default=True)
    revision = models.PositiveIntegerField(default=1, help_text=_("The draft revision being edited."))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    migrated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "catalog_version"], name="profile_per_catalog_version"
            ),
            models.UniqueConstraint(
                fields=["partner"], condition=Q(is_current=True), name="one_current_profile"
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.partner_id} ({self.catalog_version_id})"


def evidence_upload_to(instance: EvidenceFile, filename: str) -> str:
    # Never trust the uploaded name on disk: a random name under the partner's folder.
    return f"evidence/{instance.document.partner_id}/{instance.storage_token}"


class EvidenceDocument(models.Model):
    """A document a partner keeps as evidence; its files are versions. One document can back many answers."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="evidence")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    effective_date = models.DateField(_("effective from"), null=True, blank=True)
    expiry_date = models.DateField(_("expires on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expiry_date__isnull=True)
                | Q(effective_date__isnull=True)
                | Q(expiry_date__gte=models.F("effective_date")),
                name="evidence_validity_window",
            )
        ]

    def __str__(self) -> str:
        return self.title


class EvidenceFile(models.Model):
    document = models.ForeignKey(EvidenceDocument, on_delete=models.PROTECT, related_name="files")
    version = models.PositiveIntegerField()
    storage_token = models.CharField(max_length=64, unique=True)
    file = models.FileField(upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["document", "version"], name="evidence_version_unique")
        ]


class Answer(models.Model):
    profile = models.ForeignKey(SecurityProfile, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey("criteria.Criterion", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=24, choices=AnswerStatus.choices, blank=True)
    narrative = models.TextField(blank=True, max_length=10000)
    justification = models.TextField(blank=True, max_length=4000)
    evidence = models.ManyToManyField(EvidenceDocument, blank=True, related_name="answers")
    flag = models.CharField(max_length=8, choices=RevisionFlag.choices, blank=True, default="")
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "criterion"], name="answer_per_criterion")]

    @property
    def is_answered(self) -> bool:
        return bool(self.status) and not self.flag


class ActionPlan(models.Model):
    """What the partner will do to close a gap (a partially or not implemented criterion)."""

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="action_plan")
    owner = models.CharField(_("owner"), max_length=150)
    due_date = models.DateField(_("due date"))
    steps = models.TextField(_("steps"), max_length=4000)
    status = models.CharField(max_length=8, choices=ActionPlanStatus.choices, default=ActionPlanStatus.OPEN)


class ProfileSnapshot(models.Model):
    """The read-only record of a submitted profile that decisions and validations refer to."""

    profile = models.ForeignKey(SecurityProfile, on_delete=models.PROTECT, related_name="snapshots")
    revision = models.PositiveIntegerField()
    catalog_version = models.ForeignKey("criteria.CatalogVersion", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=40, default="application")
    data = models.JSONField()
    summary = models.JSONField(
        default=dict, help_text="Counts the screening rules read (no need to load data)."
    )
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-revision"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "revision"], name="snapshot_revision_unique")
        ]


class AnnualReview(models.Model):
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="annual_reviews")
    profile = models.ForeignKey(SecurityProfile, on_delete=models.PROTECT, related_name="reviews")
    cycle = models.PositiveSmallIntegerField()
    opens_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_comment = models.TextField(blank=True, max_length=4000)
    snapshot = models.ForeignKey(
        ProfileSnapshot, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["partner", "cycle"], name="review_per_cycle")]
        indexes = [models.Index(fields=["status", "due_on"], name="review_status_due")]


class ReviewItem(models.Model):
    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="items")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="review_items")
    decision = models.CharField(max_length=10, choices=ReviewItemDecision.choices, blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    staff_comment = models.TextField(blank=True, max_length=2000)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "answer"], name="review_item_unique")]


class ReminderSent(models.Model):
    """One row per reminder e-mail, so the daily reminder run never sends the same one twice."""

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "kind"], name="reminder_once")]
