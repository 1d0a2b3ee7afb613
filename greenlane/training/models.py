"""Seminars for the trade and their registrations; staff training records."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import RegistrationStatus, SeminarFormat, SeminarStatus


class Seminar(models.Model):
    """A supply chain security seminar for members (Objective 2.2): in person or online, with seats."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    format = models.CharField(_("format"), max_length=16, choices=SeminarFormat.choices)
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("online link"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    registration_deadline = models.DateTimeField(_("registration deadline"))
    waitlist_enabled = models.BooleanField(_("waiting list when full"), default=True)
    audience_entity_types = models.JSONField(
        _("entity types"), default=list, blank=True, help_text=_("Empty: every member.")
    )
    field_office = models.ForeignKey(
        "accounts.FieldOffice", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=16, choices=SeminarStatus.choices, default=SeminarStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "starts_at"], name="seminar_status_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in SeminarStatus]), name="seminar_status_known"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="seminar_ends_after"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="seminar_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_online(self) -> bool:
        return self.format == SeminarFormat.ONLINE


class Registration(models.Model):
    """One person of one member company at one seminar: a seat, a place on the waiting list, or the roll."""

    seminar = models.ForeignKey(Seminar, on_delete=models.PROTECT, related_name="registrations")
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=RegistrationStatus.choices)
    queued_at = models.DateTimeField(default=timezone.now)  # order on the waiting list
    registered_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    marked_at = models.DateTimeField(null=True, blank=True)
    certificate_code = models.CharField(max_length=16, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["queued_at", "id"]
        indexes = [models.Index(fields=["seminar", "status", "queued_at"], name="registration_queue")]
        constraints = [
            models.UniqueConstraint(fields=["seminar", "user"], name="registration_one_per_person"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in RegistrationStatus]),
                name="registration_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.seminar}"


class TrainingRecord(models.Model):
    """A staff member's completed course (or hours of it), recorded by a supervisor."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_records"
    )
    course = models.CharField(_("course"), max_length=40)
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("500"))],
    )
    evidence = models.CharField(
        _("evidence"), max_length=300, help_text=_("Certificate number, roster or where the proof is kept.")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_on", "-id"]
        indexes = [models.Index(fields=["user", "course", "completed_on"], name="training_user_course")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=Decimal("0.5")) & Q(hours__lte=500), name="training_hours_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.course} {self.completed_on}"
