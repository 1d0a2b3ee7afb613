"""A member's register of its business partners: entries, audit records, re-evaluations, questionnaires."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from greenlane.partners.models import validate_country

from .choices import AuditKind, AuditResult, BusinessPartnerType


class RegisterEntry(models.Model):
    """One business partner in one member's register (the member is the tenant: `owner`)."""

    owner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="register_entries")
    name = models.CharField(max_length=200)
    partner_type = models.CharField(max_length=24, choices=BusinessPartnerType.choices)
    country = models.CharField(max_length=2, validators=[validate_country])
    id_type = models.CharField(max_length=16, blank=True)
    id_value = models.CharField(max_length=40, blank=True)
    # The C-TPAT member the identifier belongs to, found when the entry is saved.
    linked_partner = models.ForeignKey(
        "partners.Partner", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    notes = models.TextField(blank=True, max_length=4000)
    next_review_due = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    search_name = models.CharField(max_length=200, editable=False)

    class Meta:
        ordering = ["search_name", "id"]
        indexes = [
            models.Index(fields=["owner", "search_name"], name="bpreg_owner_name"),
            models.Index(fields=["owner", "next_review_due"], name="bpreg_owner_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "id_type", "id_value"],
                condition=~Q(id_value=""),
                name="bpreg_identifier_once",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_overdue(self, today: dt.date) -> bool:
        return self.next_review_due < today


def _audit_upload(instance: RegisterAudit, filename: str) -> str:
    return f"bpregister/{instance.entry.owner_id}/audits/{filename}"


class RegisterAudit(models.Model):
    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="audits")
    date = models.DateField()
    kind = models.CharField(max_length=24, choices=AuditKind.choices)
    result = models.CharField(max_length=12, choices=AuditResult.choices)
    notes = models.TextField(blank=True, max_length=4000)
    file = models.FileField(upload_to=_audit_upload, blank=True, max_length=300)
    file_name = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]


class Reevaluation(models.Model):
    """A yearly (or earlier) re-evaluation: the risk as computed then, and the next due date it set."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="reevaluations")
    evaluated_on = models.DateField()
    risk_level = models.CharField(max_length=8)
    risk_score = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list)
    notes = models.TextField(blank=True, max_length=4000)
    next_due = models.DateField()
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-evaluated_on", "-id"]


class Questionnaire(models.Model):
    """A security questionnaire sent to a non-member by e-mail, answered once through a login-free link."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="questionnaires")
    email = models.EmailField()
    token_sha256 = models.CharField(max_length=64, unique=True)
    questions = models.JSONField()  # the questions as sent: [{id, text, kind}]
    question_set = models.CharField(max_length=40)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict)  # {question id: {"answer": "yes"|"no"|"n/a", "comment": str}}
    respondent_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def state(self, now: dt.datetime) -> str:
        if self.answered_at:
            return "answered"
        return "expired" if now >= self.expires_at else "sent"
