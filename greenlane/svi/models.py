"""SVI: participation and consent, monitoring links, status-change feed, webhooks, certification notices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import OPEN_LINK_STATUSES, ChangeKind, DeliveryStatus, LinkStatus, ShareLevel


class SviParticipation(models.Model):
    """A company's SVI membership and consent. One row per company; leaving keeps it (inactive)."""

    partner = models.OneToOneField("partners.Partner", on_delete=models.CASCADE, related_name="svi")
    share = models.CharField(
        _("what others see"), max_length=24, choices=ShareLevel.choices, default=ShareLevel.STATUS_ONLY
    )
    auto_accept = models.BooleanField(_("accept monitoring requests automatically"), default=False)
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["active", "partner"], name="svi_active_partner")]

    def __str__(self) -> str:
        return f"SVI {self.partner_id} ({'active' if self.active else 'left'})"

    @property
    def shares_tier(self) -> bool:
        return self.share in (ShareLevel.STATUS_TIER, ShareLevel.STATUS_TIER_CONTACT)

    @property
    def shares_contact(self) -> bool:
        return self.share == ShareLevel.STATUS_TIER_CONTACT


class MonitoringLink(models.Model):
    """The requester monitors the target once the target accepts."""

    requester = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="svi_outgoing")
    target = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="svi_incoming")
    status = models.CharField(max_length=12, choices=LinkStatus.choices, default=LinkStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["requester", "status"], name="svi_link_requester"),
            models.Index(fields=["target", "status"], name="svi_link_target"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "target"],
                condition=Q(status__in=sorted(OPEN_LINK_STATUSES)),
                name="svi_one_open_link_per_pair",
            ),
            models.CheckConstraint(condition=~Q(requester=models.F("target")), name="svi_link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.requester_id} → {self.target_id} ({self.status})"


class StatusChange(models.Model):
    """A member's status or tier change, read once from the audit trail and fanned out to monitors."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="svi_changes")
    audit_event = models.OneToOneField(
        "audit.AuditEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=ChangeKind.choices)
    before_status = models.CharField(max_length=20, blank=True)
    after_status = models.CharField(max_length=20, blank=True)
    before_tier = models.PositiveSmallIntegerField(null=True, blank=True)
    after_tier = models.PositiveSmallIntegerField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)
    monitors_notified = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["partner", "-at"], name="svi_change_partner_at")]


class DispatchCursor(models.Model):
    """Where the status-change sweep last read the audit trail up to."""

    name = models.CharField(max_length=32, unique=True)
    swept_at = models.DateTimeField(null=True, blank=True)


class Webhook(models.Model):
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="svi_webhooks")
    url = models.URLField(_("HTTPS URL"), max_length=500)
    # The HMAC key must be readable to sign each body, so it is stored; it is shown once, then only its prefix.
    secret = models.CharField(max_length=64)
    secret_prefix = models.CharField(max_length=12)
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=36)
    event = models.CharField(max_length=40)
    body = models.TextField()
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="svi_delivery_due")]
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event_id"], name="svi_delivery_once_per_event")
        ]


class CertificationNotice(models.Model):
    """A signed notice of a member's certification, e-mailed to a company without an account."""

    sender = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="svi_notices")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient_company = models.CharField(_("recipient company"), max_length=200)
    recipient_email = models.EmailField(_("recipient e-mail"))
    status_at_send = models.CharField(max_length=20)
    tier_at_send = models.PositiveSmallIntegerField(null=True, blank=True)
    token = models.CharField(max_length=64, unique=True)
    signature = models.CharField(max_length=64)
    sent_at = models.DateTimeField(default=timezone.now)
    verify_count = models.PositiveIntegerField(default=0)
    last_verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]


class BulkVerification(models.Model):
    """One bulk status check: the answers as they were when asked (consent then), for the page and downloads."""

    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, related_name="svi_verifications"
    )
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=200, blank=True)  # file name, or "api"
    created_at = models.DateTimeField(default=timezone.now)
    row_count = models.PositiveIntegerField(default=0)
    matched_count = models.PositiveIntegerField(default=0)
    foreign_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["partner", "-created_at"], name="svi_bulk_partner_at")]
