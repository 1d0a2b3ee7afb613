"""Loading and activating catalog versions. Each write records one audit event."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.audit.services import record_event
from greenlane.core.errors import Conflict, Forbidden, InvalidInput

from . import catalog_io
from .models import Applicability, CatalogVersion, Category, Criterion


@dataclass(frozen=True)
class LoadResult:
    version: CatalogVersion
    created: bool
    criteria: int


def content_hash(criterion: catalog_io.Criterion) -> str:
    basis = "\x1f".join(
        [criterion.level, criterion.title, criterion.requirement, ",".join(sorted(criterion.applies_to))]
    )
    return hashlib.sha256(basis.encode()).hexdigest()


@transaction.atomic
def catalog_load(*, actor, text: str, source: str = "") -> LoadResult:
    """Load one catalog version. The same version with the same checksum is a no-op; a different one is refused."""
    try:
        parsed = catalog_io.parse_catalog(text)
    except catalog_io.CatalogError as exc:
        raise InvalidInput(f"{source}: {exc}" if source else str(exc)) from None
    existing = CatalogVersion.objects.filter(catalog=parsed.catalog, version=parsed.version).first()
    if existing is not None:
        if existing.checksum != parsed.checksum:
            raise Conflict(
                _(
                    "Catalog %(c)s version %(v)s is already loaded with different content; loaded versions never "
                    "change. Give the revision a new version number."
                )
                % {"c": parsed.catalog, "v": parsed.version}
            )
        return LoadResult(existing, False, existing.criteria.count())
    version = CatalogVersion.objects.create(
        catalog=parsed.catalog,
        version=parsed.version,
        title=parsed.title,
        effective=parsed.effective,
        checksum=parsed.checksum,
        loaded_at=timezone.now(),
    )
    focus = {f.code: f.name for f in parsed.focus_areas}
    categories = {
        c.number: Category.objects.create(
            catalog_version=version,
            number=c.number,
            name=c.name,
            focus_area_code=c.focus_area,
            focus_area_name=focus[c.focus_area],
        )
        for c in parsed.categories
    }
    rows = Criterion.objects.bulk_create(
        [
            Criterion(
                catalog_version=version,
                category=categories[c.category],
                code=c.id,
                number=int(c.id.split(".")[1]),
                level=c.level,
                title=c.title,
                requirement=c.requirement,
                guidance=c.guidance,
                crosswalk=dict(c.crosswalk),
                content_hash=content_hash(c),
            )
            for c in parsed.criteria
        ]
    )
    if not all(r.pk for r in rows):  # backends that do not return ids from bulk_create
        rows = list(Criterion.objects.filter(catalog_version=version))
    by_code = {r.code: r for r in rows}
    Applicability.objects.bulk_create(
        [Applicability(criterion=by_code[c.id], entity_type=t) for c in parsed.criteria for t in c.applies_to]
    )
    record_event(
        actor=actor,
        action="catalog.load",
        obj=version,
        summary=f"Loaded {parsed.catalog} {parsed.version} ({len(rows)} criteria)",
        after={
            "catalog": parsed.catalog,
            "version": parsed.version,
            "checksum": parsed.checksum,
            "criteria": len(rows),
            "source": source,
        },
    )
    return LoadResult(version, True, len(rows))


def catalog_load_bundled(*, actor) -> list[LoadResult]:
    return [
        catalog_load(actor=actor, text=path.read_text(encoding="utf-8"), source=path.name)
        for path in catalog_io.bundled_catalog_paths()
    ]


def catalog_load_file(*, actor, path: Path) -> LoadResult:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(_("Cannot read %(p)s: %(e)s") % {"p": path, "e": exc.strerror}) from None
    return catalog_load(actor=actor, text=text, source=path.name)


@transaction.atomic
def catalog_activate(*, actor, version_id: int) -> CatalogVersion:
    """Make a loaded version the current one. Profiles migrate to it through the profiles services."""
    if actor is not None and getattr(actor, "staff_role", "") not in ("program_manager", "system_admin"):
        raise Forbidden(_("Only a program manager or system admin activates a catalog version."))
    version = CatalogVersion.objects.select_for_update().filter(pk=version_id).first()
    if version is None:
        raise InvalidInput(_("No such catalog version."), field="version")
    previous = (
        CatalogVersion.objects.filter(catalog=version.catalog, is_active=True).exclude(pk=version.pk).first()
    )
    if version.is_active:
        return version
    if previous is not None and catalog_io.version_key(previous.version) > catalog_io.version_key(
        version.version
    ):
        raise Conflict(
            _("Version %(v)s is older than the active %(a)s; activate only newer versions.")
            % {"v": version.version, "a": previous.version}
        )
    CatalogVersion.objects.filter(catalog=version.catalog, is_active=True).update(is_active=False)
    version.is_active = True
    version.activated_at = timezone.now()
    version.save(update_fields=["is_active", "activated_at"])
    record_event(
        actor=actor,
        action="catalog.activate",
        obj=version,
        summary=f"Activated {version.catalog} {version.version}",
        before={"active": previous.version if previous else None},
        after={"active": version.version},
    )
    return version
