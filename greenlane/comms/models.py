"""Bulletins and alerts, threat assessments under handling markings, secure message threads.

Audience rules are stored as delimited token strings (",importer,exporter,"; empty = anyone) so that both
questions are one SQL query: "which partners match this bulletin" (IN lists over the partner table) and
"which bulletins match this partner" (LIKE '%,value,%' per dimension, the partner's values known).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AssessmentStatus, BulletinKind, BulletinStatus, Severity


def tokens(values) -> str:
    """[a, b] -> ',a,b,' (sorted, unique); [] -> ''."""
    items = sorted({str(v).strip() for v in values if str(v).strip()})
    return f",{','.join(items)}," if items else ""


def untokens(text: str) -> list[str]:
    return [v for v in (text or "").split(",") if v]


class AudienceMixin(models.Model):
    """Partner-side audience: entity types, tiers, countries, field offices, statuses (each optional)."""

    aud_entity_types = models.CharField(max_length=600, blank=True, default="")
    aud_tiers = models.CharField(max_length=20, blank=True, default="")
    aud_countries = models.CharField(max_length=1000, blank=True, default="")
    aud_offices = models.CharField(max_length=400, blank=True, default="")
    aud_statuses = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        abstract = True

    @property
    def audience(self) -> dict[str, list[str]]:
        return {
            "entity_types": untokens(self.aud_entity_types),
            "tiers": untokens(self.aud_tiers),
            "countries": untokens(self.aud_countries),
            "field_offices": untokens(self.aud_offices),
            "statuses": untokens(self.aud_statuses),
        }

    @property
    def audience_is_everyone(self) -> bool:
        return not any(self.audience.values())


class Bulletin(AudienceMixin):
    kind = models.CharField(
        _("kind"), max_length=12, choices=BulletinKind.choices, default=BulletinKind.BULLETIN
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=20000)
    severity = models.CharField(_("severity"), max_length=12, choices=Severity.choices, blank=True)
    status = models.CharField(max_length=12, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    audience_size = models.PositiveIntegerField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)  # when an alert's e-mail went out

    class Meta:
        ordering = ["-publish_at", "-id"]
        indexes = [models.Index(fields=["status", "publish_at"], name="bulletin_live")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in BulletinStatus]), name="bulletin_status_known"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(publish_at__isnull=True)
                | Q(expires_at__gt=models.F("publish_at")),
                name="bulletin_expiry_after_publish",
            ),
            models.CheckConstraint(
                condition=Q(kind=BulletinKind.BULLETIN, severity="")
                | Q(kind=BulletinKind.ALERT) & ~Q(severity=""),
                name="bulletin_alert_has_severity",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_alert(self) -> bool:
        return self.kind == BulletinKind.ALERT

    @property
    def is_live(self) -> bool:
        now = timezone.now()
        return (
            self.status in (BulletinStatus.SCHEDULED, BulletinStatus.PUBLISHED)
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )


class BulletinRead(models.Model):
    """A read receipt: the first time one user opened one bulletin."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "bulletin"], name="bulletin_read_once")]


class DigestEntry(models.Model):
    """One bulletin sent to one user in a digest: a second run of the digest skips it."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "bulletin"], name="digest_entry_once")]


class HandlingMarking(models.Model):
    """A handling marking is data: what kinds of audience an assessment under it may have."""

    code = models.SlugField(max_length=30, unique=True)
    label = models.CharField(max_length=100)
    description = models.CharField(max_length=400)
    rank = models.PositiveSmallIntegerField(help_text=_("Higher is more restricted."))
    open_to_all = models.BooleanField(default=False, help_text=_("Every signed-in user may open it."))
    trade_allowed = models.BooleanField(default=True, help_text=_("Companies may be in the audience."))
    broad_trade_allowed = models.BooleanField(
        default=True, help_text=_("Companies may be named by entity type, not only one by one.")
    )

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.label


class ThreatAssessment(models.Model):
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=600, blank=True)
    body = models.TextField(_("assessment"), max_length=50000)
    marking = models.ForeignKey(HandlingMarking, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    # Audience: staff roles, named companies, entity types (each optional; the author always reads it).
    aud_staff_roles = models.CharField(max_length=300, blank=True, default="")
    aud_entity_types = models.CharField(max_length=600, blank=True, default="")
    aud_partners = models.ManyToManyField("partners.Partner", blank=True, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in AssessmentStatus]), name="assessment_status_known"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def staff_roles(self) -> list[str]:
        return untokens(self.aud_staff_roles)

    @property
    def entity_types(self) -> list[str]:
        return untokens(self.aud_entity_types)


class AssessmentAccess(models.Model):
    """Every opening of an assessment: who, when, from where."""

    assessment = models.ForeignKey(ThreatAssessment, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    via = models.CharField(max_length=8, default="web")  # web or api

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["assessment", "-at"], name="assessment_access_recent")]


class Thread(models.Model):
    """A conversation between one company and program staff, optionally about a criterion or a validation."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="threads")
    subject = models.CharField(_("subject"), max_length=200)
    criterion_code = models.CharField(_("criterion"), max_length=10, blank=True)
    validation = models.ForeignKey(
        "validations.Validation", null=True, blank=True, on_delete=models.SET_NULL, related_name="threads"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)
    last_message_id = models.PositiveBigIntegerField(default=0)
    message_count = models.PositiveIntegerField(default=0)
    last_staff_author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-last_message_at", "-id"]
        indexes = [models.Index(fields=["partner", "-last_message_at"], name="thread_partner_recent")]

    def __str__(self) -> str:
        return self.subject


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_staff = models.BooleanField(default=False)
    body = models.TextField(max_length=10000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    # A random name under the partner's folder; the uploaded name is kept only as data.
    return f"messages/{instance.partner_id}/{instance.storage_token}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    storage_token = models.CharField(max_length=64, unique=True)
    file = models.FileField(upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]


class ThreadRead(models.Model):
    """How far one user has read one thread: messages with a larger id are unread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="thread_read_once")]
