"""Validations: the record of one verification of a certified partner's supply-chain security.

A validation is recorded against the partner's frozen profile snapshot: findings name criteria of that
snapshot only. Hours are kept per staff member, activity and day (the law asks for hours per review).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    Activity,
    FindingResult,
    ItemKind,
    Outcome,
    ReviewDecision,
    ValidationKind,
    ValidationStatus,
    VisitKind,
)


class Validation(models.Model):
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="validations")
    kind = models.CharField(_("kind"), max_length=16, choices=ValidationKind.choices)
    status = models.CharField(
        max_length=16, choices=ValidationStatus.choices, default=ValidationStatus.PLANNED
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="validations_led"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="validations_supervised",
    )
    planned_month = models.DateField(_("planned month"), null=True, blank=True)
    field_office = models.ForeignKey(
        "accounts.FieldOffice", null=True, blank=True, on_delete=models.PROTECT, related_name="validations"
    )
    snapshot = models.ForeignKey(
        "profiles.ProfileSnapshot", on_delete=models.PROTECT, related_name="validations"
    )
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, blank=True, default="")
    outcome_reason = models.TextField(_("outcome summary"), blank=True, max_length=4000)
    tier_result = models.PositiveSmallIntegerField(null=True, blank=True)
    report_summary = models.TextField(_("report summary"), blank=True, max_length=10000)
    reason = models.TextField(blank=True, max_length=2000)

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    revalidation_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="validation_status_created"),
            models.Index(fields=["specialist", "status"], name="validation_specialist_status"),
            models.Index(fields=["field_office", "status"], name="validation_office_status"),
            models.Index(fields=["partner", "status"], name="validation_partner_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ValidationStatus]), name="validation_status_known"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=[o.value for o in Outcome]), name="validation_outcome_known"
            ),
            models.CheckConstraint(
                condition=Q(tier_result__isnull=True) | Q(tier_result__gte=0, tier_result__lte=3),
                name="validation_tier_range",
            ),
        ]

    def __str__(self) -> str:
        return f"V-{self.pk} {self.get_kind_display()}"

    @property
    def reference(self) -> str:
        return f"V-{self.pk:06d}"


class ValidationSite(models.Model):
    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="sites")
    site = models.ForeignKey("partners.Site", on_delete=models.PROTECT, related_name="+")
    included = models.BooleanField(default=True)

    class Meta:
        ordering = ["site__kind", "site__name", "id"]
        constraints = [models.UniqueConstraint(fields=["validation", "site"], name="validation_site_unique")]


class Visit(models.Model):
    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="visits")
    site = models.ForeignKey(
        "partners.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=VisitKind.choices)
    country = models.CharField(_("country"), max_length=2, blank=True)
    scheduled_for = models.DateTimeField(_("scheduled for"))
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("note to the company"), blank=True, max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["scheduled_for", "id"]


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    # Never trust the uploaded name on disk: a random name under the partner's folder.
    return f"validations/{instance.validation.partner_id}/{instance.storage_token}"


class Attachment(models.Model):
    """A photo or document held by a validation (a finding's evidence or a document request's answer)."""

    validation = models.ForeignKey(Validation, on_delete=models.PROTECT, related_name="attachments")
    finding = models.ForeignKey(
        "Finding", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    document_request = models.ForeignKey(
        "DocumentRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    storage_token = models.CharField(max_length=64, unique=True)
    file = models.FileField(upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["uploaded_at", "id"]


class DocumentRequest(models.Model):
    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="document_requests")
    text = models.TextField(_("what is requested"), max_length=4000)
    due_on = models.DateField(_("due on"))
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(_("answer"), blank=True, max_length=10000)

    class Meta:
        ordering = ["due_on", "id"]


class Finding(models.Model):
    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="findings")
    criterion_code = models.CharField(max_length=16)
    result = models.CharField(_("result"), max_length=16, choices=FindingResult.choices)
    note = models.TextField(_("note"), blank=True, max_length=4000)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["criterion_code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["validation", "criterion_code"], name="finding_unique_criterion"),
            models.CheckConstraint(
                condition=Q(result__in=[r.value for r in FindingResult]), name="finding_result_known"
            ),
        ]


class HoursEntry(models.Model):
    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="hours")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    activity = models.CharField(_("activity"), max_length=12, choices=Activity.choices)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="hours_entry_range"),
        ]


class ValidationItem(models.Model):
    """A required action, recommendation or best practice written into the report."""

    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    criterion_code = models.CharField(_("criterion"), max_length=16, blank=True)
    text = models.TextField(_("text"), max_length=4000)
    due_on = models.DateField(_("response due"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Required actions: the company's plan, then the specialist's closure.
    response = models.TextField(_("corrective action plan"), blank=True, max_length=10000)
    responded_at = models.DateTimeField(null=True, blank=True)
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closure_note = models.TextField(_("closure note"), blank=True, max_length=4000)
    # Best practices: verified by the specialist on site.
    verified = models.BooleanField(_("verified"), default=False)

    class Meta:
        ordering = ["kind", "criterion_code", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in ItemKind]), name="validation_item_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(verified=False) | Q(kind=ItemKind.BEST_PRACTICE),
                name="validation_item_verified_bp",
            ),
        ]


class ReportReview(models.Model):
    """One submission of the report to a supervisor and the supervisor's decision on it."""

    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="reviews")
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_outcome = models.CharField(max_length=8, choices=Outcome.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=8, choices=ReviewDecision.choices, blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=4000)

    class Meta:
        ordering = ["-submitted_at", "-id"]
