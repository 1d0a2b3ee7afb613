"""The criteria catalog in the database. A loaded version is immutable; a revision is a new row set."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    MUST = "must", _("Must")
    SHOULD = "should", _("Should")


class CatalogVersion(models.Model):
    catalog = models.CharField(max_length=20)
    version = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    effective = models.DateField()
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField()
    is_active = models.BooleanField(default=False)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["catalog", "-effective", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["catalog", "version"], name="catalog_version_unique"),
            models.UniqueConstraint(
                fields=["catalog"], condition=Q(is_active=True), name="one_active_catalog"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"


class Category(models.Model):
    catalog_version = models.ForeignKey(CatalogVersion, on_delete=models.PROTECT, related_name="categories")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    focus_area_code = models.CharField(max_length=40)
    focus_area_name = models.CharField(max_length=120)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["catalog_version", "number"], name="category_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Criterion(models.Model):
    catalog_version = models.ForeignKey(CatalogVersion, on_delete=models.PROTECT, related_name="criteria")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="criteria")
    code = models.CharField(max_length=10, help_text=_("category.number, e.g. 6.2"))
    number = models.PositiveSmallIntegerField(help_text=_("The part after the dot, for sorting."))
    level = models.CharField(max_length=6, choices=Level.choices)
    title = models.CharField(max_length=120)
    requirement = models.TextField()
    guidance = models.TextField()
    crosswalk = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(
        max_length=64, help_text=_("Hash of level, title, requirement, applicability.")
    )

    class Meta:
        ordering = ["category__number", "number"]
        constraints = [models.UniqueConstraint(fields=["catalog_version", "code"], name="criterion_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def sort_key(self) -> tuple[int, int]:
        head, tail = self.code.split(".")
        return int(head), int(tail)


class Applicability(models.Model):
    """Which entity types a criterion applies to (one row per type)."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="applicability")
    entity_type = models.CharField(max_length=40, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["criterion", "entity_type"], name="applicability_unique")
        ]
