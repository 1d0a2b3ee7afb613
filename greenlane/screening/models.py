"""Automated decisions, the rule sets behind them, referrals, suspensions and appeals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .choices import (
    AppealStatus,
    AppealSubject,
    Benefit,
    DecisionKind,
    Outcome,
    PlanStatus,
    ReferralStatus,
    RuleSetStatus,
    SuspensionCause,
    SuspensionEnd,
)

USER = settings.AUTH_USER_MODEL


class RuleSetVersion(models.Model):
    """A screening rule set as data (YAML). Activated versions are never edited; a change is a new version."""

    name = models.CharField(max_length=80)
    version = models.CharField(max_length=20, unique=True)
    text = models.TextField()
    checksum = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT)
    notes = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="active"), name="one_active_ruleset"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class CountryThreat(models.Model):
    """Threat level (1 low - 5 severe) of a country, set by intelligence analysts. Unlisted countries are 2."""

    country = models.CharField(max_length=2, unique=True)
    level = models.PositiveSmallIntegerField()
    note = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["country"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=5), name="threat_level_1_5")
        ]

    def __str__(self) -> str:
        return f"{self.country}: {self.level}"


class Decision(models.Model):
    """One decision on an application: what was judged (inputs), by which rules, with what result and why."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=12, choices=DecisionKind.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list)
    inputs = models.JSONField(default=dict)
    ruleset = models.ForeignKey(
        RuleSetVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ruleset_version = models.CharField(max_length=20, blank=True)
    ruleset_checksum = models.CharField(max_length=64, blank=True)
    profile_snapshot = models.ForeignKey(
        "profiles.ProfileSnapshot", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    validation_due = models.DateField(null=True, blank=True)
    decision_due = models.DateField(null=True, blank=True)
    appeal_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["partner", "-decided_at"], name="decision_partner_at")]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.outcome} ({self.kind})"


class Referral(models.Model):
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="referrals")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="referral")
    status = models.CharField(max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.OPEN)
    assigned_to = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    field_office = models.ForeignKey(
        "accounts.FieldOffice", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    submitted_on = models.DateField(help_text="The application date the 90-day clock runs from.")
    closed_at = models.DateTimeField(null=True, blank=True)
    final_decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_outcome = models.CharField(max_length=10, blank=True)
    proposed_reasons = models.TextField(blank=True)
    proposed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["opened_at"]
        indexes = [models.Index(fields=["status", "assigned_to"], name="referral_status_owner")]


class InfoRequest(models.Model):
    """A specialist asks the company for information; the certification clock pauses until it answers."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="info_requests")
    message = models.TextField(max_length=4000)
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    response = models.TextField(blank=True, max_length=10000)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["requested_at"]


class Suspension(models.Model):
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="suspensions")
    cause = models.CharField(max_length=24, choices=SuspensionCause.choices)
    benefits_withdrawn = models.JSONField(default=list)
    reason = models.TextField(max_length=4000)
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    end_kind = models.CharField(max_length=12, blank=True, choices=SuspensionEnd.choices)
    appeal_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    @property
    def benefit_labels(self) -> list[str]:
        return [str(Benefit(b).label) if b in Benefit.values else b for b in self.benefits_withdrawn]


class CorrectiveActionPlan(models.Model):
    suspension = models.ForeignKey(Suspension, on_delete=models.PROTECT, related_name="action_plans")
    text = models.TextField(max_length=10000)
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.SUBMITTED)
    consents_to_unannounced_visits = models.BooleanField(default=False)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    review_note = models.TextField(blank=True, max_length=4000)

    class Meta:
        ordering = ["-submitted_at"]


class Removal(models.Model):
    """A member removed from the program: why, by whom, and the suspension it ended (if any)."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="removals")
    cause = models.CharField(max_length=24, choices=SuspensionCause.choices)
    reason = models.TextField(max_length=4000)
    suspension = models.ForeignKey(
        Suspension, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField()
    removed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    appeal_due = models.DateField(null=True, blank=True)
    overturned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-removed_at", "-id"]


class Appeal(models.Model):
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="appeals")
    subject = models.CharField(max_length=12, choices=AppealSubject.choices)
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    suspension = models.ForeignKey(
        Suspension, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removal = models.ForeignKey(Removal, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    grounds = models.TextField(max_length=10000)
    filed_at = models.DateTimeField()
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    filing_deadline = models.DateField()
    decision_due = models.DateField()
    status = models.CharField(max_length=12, choices=AppealStatus.choices, default=AppealStatus.FILED)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision_note = models.TextField(blank=True, max_length=4000)

    class Meta:
        ordering = ["-filed_at"]
        # One live appeal per decision, suspension or removal (a withdrawn one may be filed again in time).
        constraints = [
            models.UniqueConstraint(
                fields=[field],
                condition=Q(**{f"{field}__isnull": False}) & ~Q(status=AppealStatus.WITHDRAWN),
                name=f"one_live_appeal_per_{field}",
            )
            for field in ("decision", "suspension", "removal")
        ]
