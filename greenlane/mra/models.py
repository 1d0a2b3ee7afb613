"""Foreign programs under mutual recognition, their members (from the partner administrations' status files),
the import log, and our members' consent to have their status sent abroad."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ForeignStatusValue(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    # Not in the latest full file: the administration no longer lists the company.
    INACTIVE = "inactive", _("No longer listed")


class ForeignProgram(models.Model):
    """One foreign trusted-trader program we have a mutual recognition arrangement with (data: programs.yaml)."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    administration = models.CharField(max_length=200)
    country = models.CharField(max_length=2)  # ISO 3166 alpha-2, or EU
    mra_signed = models.DateField(null=True, blank=True)
    mra_signed_text = models.CharField(max_length=120, blank=True)
    id_type = models.CharField(max_length=16)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["mra_signed", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class ForeignMember(models.Model):
    """A company as the foreign administration lists it in its latest status file."""

    program = models.ForeignKey(ForeignProgram, on_delete=models.PROTECT, related_name="members")
    id_type = models.CharField(max_length=16)
    id_value = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=2, blank=True)
    status = models.CharField(max_length=10, choices=ForeignStatusValue.choices)
    validation_date = models.DateField(null=True, blank=True)
    status_date = models.DateField(null=True, blank=True)  # date of suspension, revocation or delisting
    as_of = models.DateField()  # the date of the file this row last came from
    first_seen = models.ForeignKey("MraImport", on_delete=models.PROTECT, related_name="+")
    last_import = models.ForeignKey("MraImport", on_delete=models.PROTECT, related_name="+")
    search_name = models.CharField(max_length=200, db_index=True)

    class Meta:
        ordering = ["search_name", "id"]
        indexes = [models.Index(fields=["id_type", "id_value"], name="mra_member_id")]
        constraints = [
            models.UniqueConstraint(fields=["program", "id_value"], name="mra_member_unique"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ForeignStatusValue]), name="mra_member_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.id_type}:{self.id_value}]"


class MraImport(models.Model):
    """One status file received from a partner administration: counts, checksum, per-row problems."""

    program = models.ForeignKey(ForeignProgram, on_delete=models.PROTECT, related_name="imports")
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=4)  # csv | json
    sha256 = models.CharField(max_length=64)
    as_of = models.DateField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)
    row_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    deactivated_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # the first problems: [{line, field, message}]

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["program", "sha256"], name="mra_import_once")]

    def __str__(self) -> str:
        return f"{self.program.code} {self.file_name} ({self.as_of})"


class ForeignStatusChange(models.Model):
    """A foreign member's status as it changed from one file to the next (delistings included)."""

    member = models.ForeignKey(ForeignMember, on_delete=models.CASCADE, related_name="changes")
    mra_import = models.ForeignKey(MraImport, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)

    class Meta:
        ordering = ["-id"]


class MraConsent(models.Model):
    """A member's consent that its C-TPAT status be sent to one foreign program's administration."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="mra_consents")
    program = models.ForeignKey(ForeignProgram, on_delete=models.PROTECT, related_name="consents")
    consented_at = models.DateTimeField(default=timezone.now)
    consented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["program__code"]
        constraints = [models.UniqueConstraint(fields=["partner", "program"], name="mra_consent_unique")]

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None
