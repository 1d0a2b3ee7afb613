"""The criteria of a frozen profile snapshot, as a validation reads them (codes, titles, categories)."""

from __future__ import annotations

from dataclasses import dataclass

from greenlane.criteria.models import Category
from greenlane.profiles.models import ProfileSnapshot


@dataclass(frozen=True)
class SnapshotCriterion:
    code: str
    title: str
    level: str
    category: int
    status: str  # the company's own answer in the frozen profile


def _sort_key(code: str) -> tuple[int, ...]:
    parts = []
    for p in code.split("."):
        parts.append(int(p) if p.isdigit() else 0)
    return tuple(parts)


def criteria(snapshot: ProfileSnapshot) -> list[SnapshotCriterion]:
    rows = [
        SnapshotCriterion(
            code=str(a.get("code", "")),
            title=str(a.get("title", "")),
            level=str(a.get("level", "")),
            category=int(a.get("category") or 0),
            status=str(a.get("status", "")),
        )
        for a in (snapshot.data or {}).get("answers", [])
        if a.get("code")
    ]
    return sorted(rows, key=lambda r: _sort_key(r.code))


def codes(snapshot: ProfileSnapshot) -> frozenset[str]:
    return frozenset(str(a.get("code")) for a in (snapshot.data or {}).get("answers", []) if a.get("code"))


def must_codes(snapshot: ProfileSnapshot) -> frozenset[str]:
    return frozenset(
        str(a.get("code")) for a in (snapshot.data or {}).get("answers", []) if a.get("level") == "must"
    )


def category_names(snapshot: ProfileSnapshot) -> dict[int, str]:
    return dict(
        Category.objects.filter(catalog_version_id=snapshot.catalog_version_id).values_list("number", "name")
    )
