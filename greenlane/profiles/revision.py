"""Catalog revision: activate a new catalog version and move every current profile onto it.

Each partner's current profile on an older version of the catalog is superseded (kept, with its snapshots,
as the archive of criteria the new version removed) and a new draft profile on the new version takes its
place. Answers to criteria whose content is unchanged carry over as they were; answers to changed criteria
carry over flagged ``changed``; criteria new to the partner's entity type start blank, flagged ``new``.

Built for 100,000 profiles of ~100 answers: partners are migrated in chunks, each chunk in one transaction,
with set-based ``INSERT ... SELECT`` statements (portable SQL, the same on SQLite and PostgreSQL) rather than
row-by-row work. A partner already on the new version is skipped, so an interrupted run simply resumes.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from greenlane.audit.models import AuditEvent
from greenlane.core import context
from greenlane.criteria import catalog_io
from greenlane.criteria.models import Applicability, CatalogVersion
from greenlane.criteria.services import catalog_activate
from greenlane.partners.models import Partner

from .choices import ProfileState, RevisionFlag
from .models import ActionPlan, Answer, SecurityProfile

CHUNK_SIZE = 500
# Plain strings for raw SQL parameters (a database driver may dump an Enum member by its name).
NEW, CHANGED = str(RevisionFlag.NEW.value), str(RevisionFlag.CHANGED.value)


@dataclass
class MigrationResult:
    version: CatalogVersion
    migrated: int = 0
    remaining: int = 0
    skipped: int = 0  # current profiles already on the version when the run started
    answers: int = 0
    unchanged: int = 0
    changed: int = 0
    new: int = 0
    removed: int = 0
    evidence_links: int = 0
    action_plans: int = 0
    seconds: float = 0.0
    by_type: Counter = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        """Profiles migrated per second."""
        return self.migrated / self.seconds if self.seconds else 0.0

    @property
    def complete(self) -> bool:
        return self.remaining == 0


@dataclass(frozen=True)
class _Plan:
    """What changes for one entity type from one old catalog version to the new one.

    ``rows`` maps each criterion of the new version that applies to the type to the old criterion with the
    same code (``None`` when new), with 1 when its content hash differs.
    """

    old_version: str
    unchanged: tuple[str, ...]
    changed: tuple[str, ...]
    new: tuple[str, ...]
    removed: tuple[str, ...]
    rows: tuple[tuple[int | None, int, int], ...]


def catalog_activate_and_migrate(
    *,
    actor,
    version_id: int,
    chunk_size: int = CHUNK_SIZE,
    time_budget: float | None = None,
    progress: Callable[[MigrationResult], None] | None = None,
) -> MigrationResult:
    """Activate a catalog version, then migrate every current profile on an older version of that catalog.

    Permission is checked by the activation (program manager or system admin; ``actor=None`` is the system).
    Activating the version that is already active is a no-op, so calling this again resumes an interrupted
    migration. With ``time_budget`` (seconds) it stops after the chunk that crosses the budget and reports
    what remains; call it again to continue.
    """
    version = catalog_activate(actor=actor, version_id=version_id)
    return _migrate(actor, version, chunk_size=chunk_size, time_budget=time_budget, progress=progress)


def pending_profiles(version: CatalogVersion):
    """Current profiles on an older version of the catalog whose partner has no profile on ``version`` yet."""
    older = [
        v.pk
        for v in CatalogVersion.objects.filter(catalog=version.catalog).exclude(pk=version.pk)
        if catalog_io.version_key(v.version) < catalog_io.version_key(version.version)
    ]
    on_new = SecurityProfile.objects.filter(partner_id=OuterRef("partner_id"), catalog_version=version)
    return SecurityProfile.objects.filter(is_current=True, catalog_version_id__in=older).exclude(
        Exists(on_new)
    )


def current_profiles_by_version(catalog: str) -> dict[int, int]:
    """How many current profiles each version of the catalog has (version id -> count)."""
    rows = (
        SecurityProfile.objects.filter(is_current=True, catalog_version__catalog=catalog)
        .values("catalog_version_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["catalog_version_id"]: r["n"] for r in rows}


def _migrate(actor, version, *, chunk_size, time_budget, progress) -> MigrationResult:
    started = time.perf_counter()
    result = MigrationResult(version=version)
    result.skipped = SecurityProfile.objects.filter(is_current=True, catalog_version=version).count()
    plans = _plans(version)
    last_id = 0
    with _criterion_map(plans):
        while True:
            batch = list(
                pending_profiles(version)
                .filter(pk__gt=last_id)
                .order_by("pk")
                .values_list("pk", flat=True)[:chunk_size]
            )
            if not batch:
                break
            last_id = batch[-1]
            _migrate_chunk(actor, version, batch, plans, result)
            result.seconds = time.perf_counter() - started
            if progress is not None:
                progress(result)
            if time_budget is not None and result.seconds >= time_budget:
                break
    result.remaining = pending_profiles(version).count()
    result.seconds = time.perf_counter() - started
    return result


def _plans(version: CatalogVersion) -> dict[tuple[int, str], _Plan]:
    """A plan per (old version id, entity type), computed once from the catalog (a few thousand rows)."""
    versions = {v.pk: v.version for v in CatalogVersion.objects.filter(catalog=version.catalog)}
    criteria: dict[tuple[int, str], dict[str, tuple[int, str]]] = defaultdict(dict)
    rows = Applicability.objects.filter(criterion__catalog_version_id__in=list(versions)).values_list(
        "criterion__catalog_version_id",
        "entity_type",
        "criterion__code",
        "criterion_id",
        "criterion__content_hash",
    )
    for version_id, entity_type, code, criterion_id, content_hash in rows:
        criteria[(version_id, entity_type)][code] = (criterion_id, content_hash)
    key = catalog_io.criterion_sort_key
    out: dict[tuple[int, str], _Plan] = {}
    for (version_id, entity_type), before in criteria.items():
        if version_id == version.pk:
            continue
        after = criteria.get((version.pk, entity_type), {})
        changed = {c for c in after if c in before and before[c][1] != after[c][1]}
        out[(version_id, entity_type)] = _Plan(
            old_version=versions[version_id],
            unchanged=tuple(sorted((c for c in after if c in before and c not in changed), key=key)),
            changed=tuple(sorted(changed, key=key)),
            new=tuple(sorted((c for c in after if c not in before), key=key)),
            removed=tuple(sorted((c for c in before if c not in after), key=key)),
            rows=tuple(
                (before[c][0] if c in before else None, after[c][0], int(c in changed))
                for c in sorted(after, key=key)
            ),
        )
    return out


MAP_TABLE = "greenlane_revision_map"


def _tables() -> dict[str, str]:
    qn = connection.ops.quote_name
    return {
        "profile": qn(SecurityProfile._meta.db_table),
        "answer": qn(Answer._meta.db_table),
        "evidence": qn(Answer.evidence.through._meta.db_table),
        "plan": qn(ActionPlan._meta.db_table),
        "map": qn(MAP_TABLE),
    }


@contextmanager
def _criterion_map(plans: dict[tuple[int, str], _Plan]):
    """The plans' criterion pairs in an indexed temporary table that the chunk statements join."""
    t = _tables()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {t['map']}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {t['map']} (old_version_id BIGINT NOT NULL, entity_type VARCHAR(40) "
            "NOT NULL, old_id BIGINT NULL, new_id BIGINT NOT NULL, changed SMALLINT NOT NULL)"
        )
        cursor.execute(f"CREATE INDEX {MAP_TABLE}_old ON {t['map']} (old_id, entity_type)")
        cursor.execute(f"CREATE INDEX {MAP_TABLE}_version ON {t['map']} (old_version_id, entity_type)")
        cursor.executemany(
            f"INSERT INTO {t['map']} (old_version_id, entity_type, old_id, new_id, changed) "
            "VALUES (%s, %s, %s, %s, %s)",
            [(pair[0], pair[1], *row) for pair, plan in plans.items() for row in plan.rows],
        )
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {t['map']}")
    try:
        yield
    finally:
        if not connection.needs_rollback:  # else the table goes with the session, or the next run drops it
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {t['map']}")


# The statements below run once per chunk. ``c`` lists the chunk's profiles (old id, new id, old catalog
# version, entity type) as a VALUES list, whose size the planner knows; ``m`` is the indexed criterion map.
# CROSS JOIN fixes the join order for SQLite (which would otherwise start from the map and visit every answer
# to a criterion); PostgreSQL plans CROSS JOIN like any inner join. The WITH sits inside the INSERT so that
# Python's sqlite3 still reports the row count.
_CHUNK = " WITH c (old_profile_id, new_profile_id, old_version_id, entity_type) AS (VALUES {chunk}) "
_ANSWER_COLUMNS = (
    "INSERT INTO {answer} (profile_id, criterion_id, status, narrative, justification, flag, updated_at, "
    "updated_by_id)"
)

# An answer still flagged from an earlier revision keeps its flag; else a changed content hash flags it.
_CARRY_ANSWERS = (
    _ANSWER_COLUMNS
    + _CHUNK
    + """
    SELECT c.new_profile_id, m.new_id, oa.status, oa.narrative, oa.justification,
           CASE WHEN oa.flag = %s THEN %s WHEN oa.flag <> '' OR m.changed = 1 THEN %s ELSE '' END,
           oa.updated_at, oa.updated_by_id
    FROM c CROSS JOIN {answer} oa CROSS JOIN {map} m
    WHERE oa.profile_id = c.old_profile_id AND m.old_id = oa.criterion_id AND m.entity_type = c.entity_type
"""
)

# Whatever applies now and has no carried answer starts blank (new criteria, and criteria new to the type).
_NEW_ANSWERS = (
    _ANSWER_COLUMNS
    + _CHUNK
    + """
    SELECT c.new_profile_id, m.new_id, '', '', '', %s, NULL, NULL
    FROM c CROSS JOIN {map} m
    WHERE m.old_version_id = c.old_version_id AND m.entity_type = c.entity_type
      AND NOT EXISTS (
          SELECT 1 FROM {answer} na WHERE na.profile_id = c.new_profile_id AND na.criterion_id = m.new_id
      )
"""
)

# Evidence links and action plans follow their answer to the new answer for the same criterion.
_OLD_TO_NEW = """
    FROM c CROSS JOIN {answer} oa CROSS JOIN {link} CROSS JOIN {map} m CROSS JOIN {answer} na
    WHERE oa.profile_id = c.old_profile_id AND {alias}.answer_id = oa.id
      AND m.old_id = oa.criterion_id AND m.entity_type = c.entity_type
      AND na.profile_id = c.new_profile_id AND na.criterion_id = m.new_id
"""

_CARRY_EVIDENCE = (
    "INSERT INTO {evidence} (answer_id, evidencedocument_id)"
    + _CHUNK
    + "SELECT na.id, ae.evidencedocument_id"
    + _OLD_TO_NEW.replace("{link}", "{evidence} ae").replace("{alias}", "ae")
)

_CARRY_PLANS = (
    "INSERT INTO {plan} (answer_id, owner, due_date, steps, status)"
    + _CHUNK
    + "SELECT na.id, pl.owner, pl.due_date, pl.steps, pl.status"
    + _OLD_TO_NEW.replace("{link}", "{plan} pl").replace("{alias}", "pl")
)


# Per old profile, how many answers to criteria that carry over unchanged are still flagged from an earlier
# revision (so still need an answer). Joined through the map so that PostgreSQL probes the (profile,
# criterion) index for the chunk alone instead of scanning every answer when its statistics are stale.
_STILL_FLAGGED = (
    _CHUNK.lstrip()
    + """SELECT c.old_profile_id, COUNT(*) FROM c CROSS JOIN {map} m CROSS JOIN {answer} oa
    WHERE m.old_version_id = c.old_version_id AND m.entity_type = c.entity_type AND m.changed = 0
      AND oa.profile_id = c.old_profile_id AND oa.criterion_id = m.old_id AND oa.flag <> ''
    GROUP BY c.old_profile_id"""
)


def _migrate_chunk(actor, version, profile_ids: list[int], plans, result: MigrationResult) -> None:
    now = timezone.now()
    with transaction.atomic():
        # Lock the partners, as answer_save does, so no answer is saved to a profile being superseded.
        partner_ids = list(
            SecurityProfile.objects.filter(pk__in=profile_ids).values_list("partner_id", flat=True)
        )
        list(Partner.objects.select_for_update().filter(pk__in=partner_ids).values_list("pk", flat=True))
        # Re-read under the lock: a concurrent run may have migrated some of these meanwhile.
        old = list(
            pending_profiles(version)
            .filter(pk__in=profile_ids)
            .values_list("pk", "partner_id", "catalog_version_id", "partner__entity_type")
        )
        if not old:
            return
        SecurityProfile.objects.filter(pk__in=[o[0] for o in old]).update(
            is_current=False, state=ProfileState.SUPERSEDED
        )
        created = SecurityProfile.objects.bulk_create(
            [
                SecurityProfile(
                    partner_id=partner_id,
                    catalog_version=version,
                    state=ProfileState.DRAFT,
                    is_current=True,
                    revision=1,
                    created_at=now,
                    updated_at=now,
                    migrated_from_id=old_id,
                )
                for old_id, partner_id, _v, _t in old
            ]
        )
        if not all(p.pk for p in created):  # a backend that does not return ids from bulk_create
            created = list(SecurityProfile.objects.filter(migrated_from_id__in=[o[0] for o in old]))
        new_by_old = {p.migrated_from_id: p.pk for p in created}
        chunk = [
            value
            for old_id, _partner, old_version_id, entity_type in old
            for value in (old_id, new_by_old[old_id], old_version_id, entity_type)
        ]
        sql = {**_tables(), "chunk": ", ".join(["(%s, %s, %s, %s)"] * len(old))}
        with connection.cursor() as cursor:
            cursor.execute(_CARRY_ANSWERS.format(**sql), [*chunk, NEW, NEW, CHANGED])
            cursor.execute(_NEW_ANSWERS.format(**sql), [*chunk, NEW])
            cursor.execute(_CARRY_EVIDENCE.format(**sql), chunk)
            result.evidence_links += max(cursor.rowcount, 0)
            cursor.execute(_CARRY_PLANS.format(**sql), chunk)
            result.action_plans += max(cursor.rowcount, 0)
        # Each new profile now holds exactly one answer per row of its plan; what needs an answer is the
        # changed and new criteria plus unchanged ones still flagged from an earlier revision.
        with connection.cursor() as cursor:
            cursor.execute(_STILL_FLAGGED.format(**sql), chunk)
            still_flagged = Counter(dict(cursor.fetchall()))
        events = []
        for old_id, partner_id, old_version_id, entity_type in old:
            new_id = new_by_old[old_id]
            plan = plans.get((old_version_id, entity_type)) or _Plan("", (), (), (), (), ())
            after = {
                "from_version": plan.old_version,
                "to_version": version.version,
                "from_profile": old_id,
                "answers": len(plan.rows),
                "unchanged": len(plan.unchanged),
                "changed": list(plan.changed),
                "new": list(plan.new),
                "removed": list(plan.removed),
                "to_answer": len(plan.changed) + len(plan.new) + still_flagged[old_id],
            }
            events.append(
                _audit_row(
                    actor,
                    now,
                    action="profile.migrate",
                    partner_id=partner_id,
                    obj_id=new_id,
                    summary=(
                        f"Security profile moved from catalog {plan.old_version} to {version.version}: "
                        f"{len(plan.changed)} changed, {len(plan.new)} new, {len(plan.removed)} removed"
                    ),
                    after=after,
                )
            )
            result.migrated += 1
            result.by_type[entity_type] += 1
            result.answers += after["answers"]
            result.unchanged += after["unchanged"]
            result.changed += len(plan.changed)
            result.new += len(plan.new)
            result.removed += len(plan.removed)
        AuditEvent.objects.bulk_create(events, batch_size=1000)


def _audit_row(actor, at, *, action, partner_id, obj_id, summary, after) -> AuditEvent:
    """The event record_event would write, built for one bulk insert per chunk (100,000 single INSERTs
    would be a measurable share of the migration)."""
    ctx = context.current()
    is_user = actor is not None and getattr(actor, "pk", None) is not None
    return AuditEvent(
        at=at,
        actor=actor if is_user else None,
        actor_label=actor.email if is_user else "system",
        partner_id=partner_id,
        action=action,
        object_type=SecurityProfile._meta.label_lower,
        object_id=str(obj_id),
        summary=summary[:300],
        before={},
        after=after,
        request_id=ctx.request_id,
        ip=ctx.ip,
    )
