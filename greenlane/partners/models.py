from __future__ import annotations

import hashlib

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenlane.accounts.choices import TradeRole

from .choices import ContactKind, EntityType, PartnerStatus, SiteKind, Tier
from .identifiers import NON_UNIQUE_TYPES, IdentifierType

COUNTRY_CHOICES = sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda c: c[1])
COUNTRY_CODES = frozenset(code for code, _name in COUNTRY_CHOICES)


def validate_country(value: str) -> None:
    if value not in COUNTRY_CODES:
        raise ValidationError(
            _("'%(value)s' is not an ISO 3166 country code (two letters, e.g. US, MX, CA)."),
            params={"value": value},
        )


class Partner(models.Model):
    """One enrolled business entity: the tenant. Everything a company sees hangs off one of these."""

    reference = models.CharField(max_length=16, unique=True, editable=False)
    entity_type = models.CharField(_("entity type"), max_length=40, choices=EntityType.choices)
    legal_name = models.CharField(_("legal name"), max_length=200)
    dba_name = models.CharField(_("doing business as"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    website = models.URLField(_("website"), blank=True, max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    business_start_date = models.DateField(_("in business since"), null=True, blank=True)
    employee_count = models.PositiveIntegerField(
        _("number of employees"), null=True, blank=True, validators=[MaxValueValidator(5_000_000)]
    )
    business_history = models.TextField(_("brief company history"), blank=True, max_length=5000)
    modes_of_transport = models.JSONField(_("modes of transport"), default=list, blank=True)
    eligibility = models.JSONField(_("eligibility answers"), default=dict, blank=True)

    status = models.CharField(max_length=20, choices=PartnerStatus.choices, default=PartnerStatus.DRAFT)
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.NONE)
    assigned_scs = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_partners",
        db_index=False,  # partner_scs_name and partner_scs_status lead with it
    )
    field_office = models.ForeignKey(
        "accounts.FieldOffice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partners",
        db_index=False,  # partner_office_name and partner_office_status lead with it
    )

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    under_review_at = models.DateTimeField(null=True, blank=True)
    certified_at = models.DateTimeField(null=True, blank=True)
    denied_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    search_name = models.CharField(max_length=420, editable=False, db_index=True)

    class Meta:
        ordering = ["legal_name", "id"]
        indexes = [
            # Each search filter's index ends with search_name, the order of the result pages, so the first
            # page is read in order instead of sorting every match (SQLite sorts otherwise: bench/).
            models.Index(fields=["status", "search_name"], name="partner_status_name"),
            models.Index(fields=["entity_type", "search_name"], name="partner_type_name"),
            models.Index(fields=["country", "search_name"], name="partner_country_name"),
            models.Index(fields=["assigned_scs", "search_name"], name="partner_scs_name"),
            models.Index(fields=["field_office", "search_name"], name="partner_office_name"),
            # The two-filter searches staff run most: a count from the index alone, the page in order.
            models.Index(fields=["entity_type", "country", "search_name"], name="partner_type_country_name"),
            models.Index(
                fields=["field_office", "assigned_scs", "search_name"], name="partner_office_scs_name"
            ),
            models.Index(fields=["status", "entity_type"], name="partner_status_type"),
            models.Index(fields=["assigned_scs", "status"], name="partner_scs_status"),
            models.Index(fields=["field_office", "status"], name="partner_office_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(tier__gte=0) & Q(tier__lte=3), name="partner_tier_range"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in PartnerStatus]), name="partner_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name

    @property
    def country_name(self) -> str:
        found = pycountry.countries.get(alpha_2=self.country)
        return found.name if found else self.country


class Membership(models.Model):
    """A person's role in one company. One user may belong to several companies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=TradeRole.choices)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "partner"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.partner} ({self.role})"


class Identifier(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="identifiers")
    type = models.CharField(max_length=16, choices=IdentifierType.choices)
    value = models.CharField(max_length=40)
    entity_type = models.CharField(max_length=40, choices=EntityType.choices, editable=False)

    class Meta:
        ordering = ["type", "value"]
        indexes = [models.Index(fields=["type", "value"], name="identifier_type_value")]
        constraints = [
            models.UniqueConstraint(
                fields=["type", "value", "entity_type"],
                condition=~Q(type__in=[t.value for t in NON_UNIQUE_TYPES]),
                name="identifier_unique_per_entity_type",
            ),
            models.UniqueConstraint(
                fields=["partner", "type", "value"], name="identifier_unique_per_partner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type}:{self.value}"


class Site(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="sites")
    kind = models.CharField(_("kind"), max_length=24, choices=SiteKind.choices)
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street address"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("state / province"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.city} ({self.country})"


class Contact(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=16, choices=ContactKind.choices)
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class AgreementVersion(models.Model):
    """Versioned partnership agreement text. A version is never edited once published."""

    version = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_sha256 = models.CharField(max_length=64, editable=False)
    effective_at = models.DateTimeField(default=timezone.now)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-effective_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_agreement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @staticmethod
    def digest(body: str) -> str:
        return hashlib.sha256(body.encode("utf-8")).hexdigest()


class AgreementSignature(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="signatures")
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="signatures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=150)
    signer_title = models.CharField(max_length=120)
    signed_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    text_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "version"], name="one_signature_per_version")
        ]


class TierChange(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="tier_changes")
    from_tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    to_tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()

    class Meta:
        ordering = ["-at", "-id"]
