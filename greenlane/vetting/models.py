"""Compliance records (imported history of penalties, seizures, debts, watch-list entries) and their
matches to partners."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenlane.partners.identifiers import IdentifierType

from .choices import MatchMethod, MatchStatus, RecordKind


class ComplianceImport(models.Model):
    """One import of a compliance file: who, when, which file (name and SHA-256), and what it changed."""

    source = models.CharField(_("source"), max_length=100)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)
    # Names the version of the record set this import produced; the in-process match index is rebuilt
    # when the latest import's token differs from the one it was built for.
    index_token = models.CharField(max_length=32, editable=False)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.row_count} rows)"


class ComplianceRecord(models.Model):
    """One entry of a subject's compliance history, as its source gave it."""

    kind = models.CharField(_("kind"), max_length=24, choices=RecordKind.choices)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (USD)"), max_digits=14, decimal_places=2, null=True, blank=True)
    name = models.CharField(_("name"), max_length=300)
    address = models.CharField(_("address"), max_length=500, blank=True)
    country = models.CharField(_("country"), max_length=2)
    details = models.TextField(_("details"), blank=True)
    source = models.CharField(_("source"), max_length=100)
    source_ref = models.CharField(_("source reference"), max_length=100)
    import_batch = models.ForeignKey(ComplianceImport, on_delete=models.PROTECT, related_name="records")
    imported_at = models.DateTimeField(default=timezone.now)
    # Comparable forms (matching.name_key / address_key), computed at import.
    name_key = models.CharField(max_length=300, editable=False)
    address_key = models.CharField(max_length=500, editable=False, blank=True)

    class Meta:
        ordering = ["-date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_ref"], name="compliance_record_source_ref"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in RecordKind]), name="compliance_record_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="compliance_amount_ge_0"
            ),
        ]
        indexes = [
            # The match index reads every record in this order.
            models.Index(fields=["country", "name_key", "id"], name="compliance_country_name"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date} {self.name}"


class ComplianceIdentifier(models.Model):
    """An identifier of a record's subject, normalised like a partner's. `derived` marks the EIN read out of
    an EIN-based IOR number, so that an EIN and the IOR numbers built on it find each other."""

    record = models.ForeignKey(ComplianceRecord, on_delete=models.CASCADE, related_name="identifiers")
    type = models.CharField(max_length=16, choices=IdentifierType.choices)
    value = models.CharField(max_length=40)
    derived = models.BooleanField(default=False)

    class Meta:
        ordering = ["derived", "type", "value"]
        indexes = [models.Index(fields=["type", "value"], name="compliance_identifier_tv")]
        constraints = [
            models.UniqueConstraint(fields=["record", "type", "value"], name="compliance_identifier_unique")
        ]

    def __str__(self) -> str:
        return f"{self.type}:{self.value}"


class VettingMatch(models.Model):
    """A compliance record found for a partner: how it was found, its score, and the officer's decision."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="vetting_matches")
    record = models.ForeignKey(ComplianceRecord, on_delete=models.PROTECT, related_name="matches")
    score = models.DecimalField(max_digits=4, decimal_places=1)
    method = models.CharField(max_length=16, choices=MatchMethod.choices)
    status = models.CharField(max_length=12, choices=MatchStatus.choices, default=MatchStatus.PENDING)
    # What matched: "ein 12-3456789" for an identifier; the score's parts for a fuzzy match.
    basis = models.JSONField(default=dict, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "record"], name="vetting_match_unique"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in MatchStatus]), name="vetting_match_status_known"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="vetting_match_score_range"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "partner"], name="vetting_match_status_partner"),
            models.Index(fields=["partner", "status"], name="vetting_match_partner_status"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} ~ {self.record_id} ({self.score}, {self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == MatchStatus.PENDING
