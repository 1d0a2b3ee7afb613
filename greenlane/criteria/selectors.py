"""Reads of the criteria catalog. The catalog is public to every signed-in user; versions list for staff."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from greenlane.core.errors import NotFound

from .models import CatalogVersion, Criterion

CATALOG = "msc"


def active_version(catalog: str = CATALOG) -> CatalogVersion | None:
    return CatalogVersion.objects.filter(catalog=catalog, is_active=True).first()


def version_by_id(version_id) -> CatalogVersion:
    found = CatalogVersion.objects.filter(pk=version_id).first()
    if found is None:
        raise NotFound()
    return found


def criteria_for(version: CatalogVersion, entity_type: str | None = None) -> QuerySet[Criterion]:
    qs = Criterion.objects.filter(catalog_version=version).select_related("category")
    if entity_type:
        qs = qs.filter(applicability__entity_type=entity_type)
    return qs.order_by("category__number", "number").prefetch_related("applicability")


def versions(catalog: str = CATALOG) -> list[CatalogVersion]:
    return list(CatalogVersion.objects.filter(catalog=catalog).order_by("-effective", "-id"))


@dataclass(frozen=True)
class VersionDiff:
    old: CatalogVersion
    new: CatalogVersion
    changed: list[tuple[Criterion, Criterion]]
    added: list[Criterion]
    removed: list[Criterion]
    unchanged: int


def compare(old: CatalogVersion, new: CatalogVersion, entity_type: str | None = None) -> VersionDiff:
    before = {c.code: c for c in criteria_for(old, entity_type)}
    after = {c.code: c for c in criteria_for(new, entity_type)}
    changed = [
        (before[k], after[k])
        for k in after
        if k in before and before[k].content_hash != after[k].content_hash
    ]
    added = [after[k] for k in after if k not in before]
    removed = [before[k] for k in before if k not in after]
    unchanged = sum(1 for k in after if k in before and before[k].content_hash == after[k].content_hash)
    key = lambda c: c.sort_key  # noqa: E731
    return VersionDiff(
        old,
        new,
        sorted(changed, key=lambda p: p[1].sort_key),
        sorted(added, key=key),
        sorted(removed, key=key),
        unchanged,
    )
