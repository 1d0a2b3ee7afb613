"""Validation planning: selection weights (versioned data), annual plans, their entries and adjustments,
and specialists' available hours by month."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .choices import EntrySource, EntryWhy, PlanMethod, PlanStatus

USER = settings.AUTH_USER_MODEL


class SelectionWeights(models.Model):
    """One version of the selection-score weights; the newest is in force. Never edited in place."""

    version = models.PositiveIntegerField(unique=True)
    data = models.JSONField()
    reason = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"weights v{self.version}"


class ValidationPlan(models.Model):
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.COMPUTING)
    method = models.CharField(max_length=12, choices=PlanMethod.choices, default=PlanMethod.OPTIMISED)
    parameters = models.JSONField(default=dict)
    weights = models.ForeignKey(
        SelectionWeights, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Both plans' figures side by side ({"optimised": {...}, "greedy": {...}, "inputs": {...}}).
    summary = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        indexes = [models.Index(fields=["year", "status"], name="plan_year_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in PlanStatus]), name="plan_status_known"
            ),
            models.UniqueConstraint(
                fields=["year"], condition=Q(status=PlanStatus.ACCEPTED), name="plan_one_accepted_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} plan #{self.pk} ({self.status})"


class PlanEntry(models.Model):
    plan = models.ForeignKey(ValidationPlan, on_delete=models.CASCADE, related_name="entries")
    method = models.CharField(max_length=12, choices=PlanMethod.choices)
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    specialist = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    month = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(12)])
    hours = models.PositiveIntegerField()
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    due_on = models.DateField(null=True, blank=True)
    why = models.CharField(max_length=12, choices=EntryWhy.choices, default=EntryWhy.RISK)
    trip_key = models.CharField(max_length=120, blank=True)
    source = models.CharField(max_length=12, choices=EntrySource.choices, default=EntrySource.OPTIMISED)
    note = models.TextField(blank=True, max_length=2000)
    validation_id = models.PositiveIntegerField(null=True, blank=True)  # set when the plan is accepted

    class Meta:
        ordering = ["month", "specialist_id", "-score", "id"]
        indexes = [
            models.Index(fields=["plan", "method", "month"], name="planentry_plan_method_month"),
            models.Index(fields=["plan", "specialist", "month"], name="planentry_plan_spec_month"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["plan", "method", "partner"], name="planentry_one_per_partner"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="planentry_month_range"),
        ]


class PlanAdjustment(models.Model):
    """A change by hand to an accepted plan's entry: who, what, why (required beyond capacity)."""

    plan = models.ForeignKey(ValidationPlan, on_delete=models.CASCADE, related_name="adjustments")
    entry = models.ForeignKey(PlanEntry, null=True, on_delete=models.SET_NULL, related_name="adjustments")
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    reason = models.TextField(blank=True, max_length=2000)
    over_capacity = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]


class SpecialistAvailability(models.Model):
    """Hours a specialist has for validations in one month (the standard figure when there is no row)."""

    specialist = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="availability")
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(12)])
    hours = models.PositiveSmallIntegerField(validators=[MaxValueValidator(300)])
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["specialist_id", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["specialist", "year", "month"], name="availability_one_per_month"
            ),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="availability_month_range"),
            models.CheckConstraint(condition=Q(hours__lte=300), name="availability_hours_range"),
        ]
