"""Message boards (topics, threads, posts, abuse reports), document libraries (the public library and each
company's exchange with its specialist, with versions) and the best-practice catalog."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    NAICS_SECTORS,
    DocumentCategory,
    DocumentKind,
    PostDisplay,
    PracticeSource,
    PracticeStatus,
    ReportStatus,
    SizeBand,
)

USER = settings.AUTH_USER_MODEL


# Boards ------------------------------------------------------------------------------------------------


class Topic(models.Model):
    """A board opened by staff. An empty audience means every certified member; else those entity types."""

    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    audience_entity_types = models.JSONField(_("open to entity types"), default=list, blank=True)
    locked = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pinned", "title", "id"]

    def __str__(self) -> str:
        return self.title


class Thread(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(_("title"), max_length=150)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(
        "partners.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    locked = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)
    post_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pinned", "-last_post_at", "-id"]
        indexes = [models.Index(fields=["topic", "pinned", "last_post_at"], name="community_thread_order")]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    # The company the member posted for; empty for program staff.
    partner = models.ForeignKey(
        "partners.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    display = models.CharField(
        max_length=16, choices=PostDisplay.choices, default=PostDisplay.PERSON_AND_COMPANY
    )
    body = models.TextField(_("message"), max_length=10000)
    created_at = models.DateTimeField(default=timezone.now)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=500, blank=True)
    hidden_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"], name="community_post_thread")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden=False) | ~Q(hidden_reason=""), name="community_hidden_has_reason"
            )
        ]


class AbuseReport(models.Model):
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="reports")
    reporter = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("what is wrong"), max_length=2000)
    status = models.CharField(max_length=12, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"], name="community_report_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(status="open"),
                name="community_one_open_report_per_person",
            )
        ]


# Libraries ---------------------------------------------------------------------------------------------


class Document(models.Model):
    """A library item (no company) or a document a company exchanges with its specialist."""

    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    partner = models.ForeignKey(
        "partners.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    category = models.CharField(
        _("category"), max_length=16, choices=DocumentCategory.choices, default=DocumentCategory.OTHER
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # Title, description, category and tags in one lower-cased column. SQLite searches it with LIKE; on
    # PostgreSQL the services store its tsvector in search_vector, which a GIN index serves (migration 0002).
    search_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    latest_version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            # A company's exchange, newest first (partner_id = X, then the order).
            models.Index(fields=["kind", "partner", "updated_at", "id"], name="community_doc_order"),
            # The public library, newest first: PostgreSQL does not take `partner_id IS NULL` as an equality
            # for ordering, so the library has its own partial index.
            models.Index(
                fields=["-updated_at", "-id"], condition=Q(kind="library"), name="community_library_order"
            ),
            models.Index(fields=["kind", "category", "updated_at"], name="community_doc_category"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="library") & Q(partner__isnull=True))
                | (Q(kind="exchange") & Q(partner__isnull=False)),
                name="community_document_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title


def document_upload_to(instance: DocumentVersion, filename: str) -> str:
    # Never the uploaded name on disk: a random token under the owner's folder.
    owner = instance.document.partner_id or "library"
    return f"community/{owner}/{instance.storage_token}"


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    storage_token = models.CharField(max_length=64, unique=True)
    file = models.FileField(upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["document", "version"], name="community_version_unique")
        ]


# Best practices ----------------------------------------------------------------------------------------


class BestPractice(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=6000)
    category = models.ForeignKey("criteria.Category", on_delete=models.PROTECT, related_name="+")
    criteria = models.ManyToManyField("criteria.Criterion", blank=True, related_name="+")
    naics_sector = models.CharField(_("industry (NAICS sector)"), max_length=5, choices=NAICS_SECTORS)
    size_band = models.CharField(_("company size"), max_length=12, choices=SizeBand.choices)
    source = models.CharField(max_length=12, choices=PracticeSource.choices)
    partner = models.ForeignKey(
        "partners.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The validation the practice was observed in (greenlane.validations); a plain id until that app's
    # models settle, then a foreign key (docs/community.md).
    validation_id = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=PracticeStatus.choices, default=PracticeStatus.SUBMITTED)
    company_consent = models.BooleanField(default=False)
    consent_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    consent_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=2000)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-decided_at", "-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["status", "category"], name="community_bp_category"),
            models.Index(fields=["status", "naics_sector"], name="community_bp_sector"),
            models.Index(fields=["status", "size_band"], name="community_bp_size"),
            models.Index(fields=["partner", "status"], name="community_bp_partner"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shows_company(self) -> bool:
        return bool(self.company_consent and self.partner_id)
