"""Every write in vetting: importing a compliance file, running matching for a partner, deciding a match.
Each runs in one transaction and writes one audit event."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from itertools import islice
from typing import Any, BinaryIO

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.audit.services import record_event
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.core.transitions import check_transition
from greenlane.partners.identifiers import NON_UNIQUE_TYPES
from greenlane.partners.models import Partner

from . import csv_import, index, matching, permissions
from .choices import TRANSITIONS, MatchMethod, MatchStatus
from .models import ComplianceIdentifier, ComplianceImport, ComplianceRecord, VettingMatch

BATCH_SIZE = 2_000
MAX_NOTE = 2_000
RECORD_FIELDS = ("kind", "date", "amount", "name", "address", "country", "details", "name_key", "address_key")


def _require_vetter(actor) -> None:
    if not permissions.can_view(actor):
        raise NotFound()
    if not permissions.can_manage(actor):
        raise Forbidden(_("Only vetting officers, program managers and system administrators may do this."))


# --- import ------------------------------------------------------------------------------------------------


class ImportRejected(InvalidInput):
    """The file has bad rows (or cannot be read): nothing was imported. `errors` lists every bad row."""

    code = "import_rejected"

    def __init__(
        self, message: str, *, errors: list[dict], error_count: int, bad_rows: int, rows: int
    ) -> None:
        super().__init__(message, field="file", errors=errors)
        self.error_count = error_count
        self.bad_rows = bad_rows
        self.rows = rows

    def as_dict(self) -> dict:
        return {
            **super().as_dict(),
            "error_count": self.error_count,
            "bad_rows": self.bad_rows,
            "rows": self.rows,
        }


def _error_dicts(errors: Iterable[csv_import.RowError]) -> list[dict]:
    return [{**e.as_dict(), "field": e.column} for e in errors]


def _batches(rows: Iterator[csv_import.CleanRow], size: int) -> Iterator[list[csv_import.CleanRow]]:
    while batch := list(islice(rows, size)):
        yield batch


def _values(row: csv_import.CleanRow) -> tuple:
    return (*tuple(getattr(row, name) for name in RECORD_FIELDS), frozenset(row.identifiers))


def _stored_values(values: tuple, identifiers: frozenset) -> tuple:
    kind, date, amount, *rest = values
    amount = None if amount is None else Decimal(amount).quantize(Decimal("0.01"))
    return (kind, date, amount, *rest, identifiers)


class _Inserter:
    """Insert many rows at once: COPY on PostgreSQL, one executemany elsewhere. The ORM's bulk_create spends
    most of a large import preparing each value in Python (bench/vetting.py). Values are adapted with the
    backend's own adapters, per column type."""

    def __init__(self, model, field_names: list[str]) -> None:
        self.connection = connections[router.db_for_write(model)]
        ops, quote = self.connection.ops, self.connection.ops.quote_name
        fields = [model._meta.get_field(name) for name in field_names]
        self.adapters: list[Callable[[Any], Any] | None] = []
        for f in fields:
            kind = f.get_internal_type()
            if kind == "DateField":
                self.adapters.append(ops.adapt_datefield_value)
            elif kind == "DateTimeField":
                self.adapters.append(ops.adapt_datetimefield_value)
            elif kind == "DecimalField":
                self.adapters.append(
                    partial(
                        ops.adapt_decimalfield_value, max_digits=f.max_digits, decimal_places=f.decimal_places
                    )
                )
            else:
                self.adapters.append(None)
        columns = ", ".join(quote(f.column) for f in fields)
        table = quote(model._meta.db_table)
        self.copy = self.connection.vendor == "postgresql"
        self.sql = (
            f"COPY {table} ({columns}) FROM STDIN"
            if self.copy
            else f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        )

    def insert(self, rows: list[tuple]) -> None:
        if not rows:
            return
        adapters = self.adapters
        params = [tuple(v if a is None else a(v) for a, v in zip(adapters, r, strict=True)) for r in rows]
        with self.connection.cursor() as cursor:
            if self.copy:
                with cursor.cursor.copy(self.sql) as copy:
                    for values in params:
                        copy.write_row(values)
            else:
                cursor.executemany(self.sql, params)


def compliance_import(
    *,
    actor,
    stream: BinaryIO,
    file_name: str,
    source: str = "",
    today: dt.date | None = None,
    max_errors: int | None = csv_import.MAX_ERRORS_KEPT,
) -> ComplianceImport:
    """Import a compliance CSV. Every row is checked first; if any is bad nothing is written and
    ImportRejected lists every bad row. Rows already imported from the same source (same source_ref) are
    updated when they changed and left alone otherwise, so importing a file again changes nothing.

    `actor` None is the system (the command line without --actor). `max_errors` bounds the problems listed
    (None: all); every one is counted."""
    if actor is not None:
        _require_vetter(actor)
    file_name = (file_name or "").strip()[:255] or "upload.csv"
    source = (source or file_name).strip()
    if len(source) > 100:
        raise InvalidInput(_("A source name is at most 100 characters."), field="source")
    today = today or timezone.localdate()
    sha256 = csv_import.sha256_of(stream)
    try:
        report = csv_import.validate(stream, today=today, keep=max_errors)
    except csv_import.FileError as exc:
        raise ImportRejected(
            exc.errors[0].message,
            errors=_error_dicts(exc.errors),
            error_count=len(exc.errors),
            bad_rows=len({e.line for e in exc.errors}),
            rows=0,
        ) from None
    if not report.ok:
        raise ImportRejected(
            _(
                "Nothing was imported: %(bad)s of %(rows)s rows have problems (%(n)s in all). "
                "Correct them and import the file again."
            )
            % {"bad": report.bad_row_count, "rows": report.rows, "n": report.error_count},
            errors=_error_dicts(report.errors),
            error_count=report.error_count,
            bad_rows=report.bad_row_count,
            rows=report.rows,
        )
    try:
        with transaction.atomic():
            batch = _write(
                actor=actor,
                stream=stream,
                file_name=file_name,
                source=source,
                sha256=sha256,
                rows=report.rows,
                today=today,
            )
    except IntegrityError:
        raise Conflict(
            _("Another import of the same source ran at the same time; import the file again.")
        ) from None
    return batch


def _write(*, actor, stream, file_name, source, sha256, rows, today) -> ComplianceImport:
    now = timezone.now()
    batch = ComplianceImport.objects.create(
        source=source,
        file_name=file_name,
        sha256=sha256,
        row_count=rows,
        imported_by=actor,
        imported_at=now,
        index_token=uuid.uuid4().hex,
    )
    records = _Inserter(
        ComplianceRecord, [*RECORD_FIELDS, "source", "source_ref", "import_batch", "imported_at"]
    )
    identifiers = _Inserter(ComplianceIdentifier, ["record", "type", "value", "derived"])
    created = updated = unchanged = 0
    for chunk in _batches(csv_import.clean_rows(stream, today=today), BATCH_SIZE):
        refs = [row.source_ref for row in chunk]
        existing = {
            ref: (pk, values)
            for pk, ref, *values in ComplianceRecord.objects.filter(source=source, source_ref__in=refs)
            .order_by()
            .values_list("pk", "source_ref", *RECORD_FIELDS)
        }
        stored_ids: dict[int, set] = {pk: set() for pk, _values in existing.values()}
        if stored_ids:
            found = ComplianceIdentifier.objects.filter(record_id__in=list(stored_ids)).values_list(
                "record_id", "type", "value", "derived"
            )
            for rid, t, v, d in found:
                stored_ids[rid].add((t, v, d))
        new_rows, changed = [], []
        for row in chunk:
            if row.source_ref not in existing:
                new_rows.append(row)
                continue
            pk, values = existing[row.source_ref]
            if _stored_values(tuple(values), frozenset(stored_ids[pk])) == _values(row):
                unchanged += 1
            else:
                changed.append((pk, row))
        records.insert(
            [
                (*(getattr(row, name) for name in RECORD_FIELDS), source, row.source_ref, batch.pk, now)
                for row in new_rows
            ]
        )
        new_ids = (
            dict(
                ComplianceRecord.objects.filter(
                    source=source, source_ref__in=[row.source_ref for row in new_rows]
                )
                .order_by()
                .values_list("source_ref", "pk")
            )
            if new_rows
            else {}
        )
        pending = [(new_ids[row.source_ref], row) for row in new_rows]
        if changed:
            ComplianceRecord.objects.bulk_update(
                [
                    ComplianceRecord(
                        pk=pk,
                        import_batch=batch,
                        imported_at=now,
                        **{name: getattr(row, name) for name in RECORD_FIELDS},
                    )
                    for pk, row in changed
                ],
                [*RECORD_FIELDS, "import_batch", "imported_at"],
            )
            ComplianceIdentifier.objects.filter(record_id__in=[pk for pk, _row in changed]).delete()
            pending += changed
        identifiers.insert([(pk, t, v, d) for pk, row in pending for t, v, d in row.identifiers])
        created += len(new_rows)
        updated += len(changed)
    batch.created_count, batch.updated_count, batch.unchanged_count = created, updated, unchanged
    batch.save(update_fields=["created_count", "updated_count", "unchanged_count"])
    record_event(
        actor=actor,
        action="vetting.import",
        obj=batch,
        summary=f"Imported {file_name} ({source}): {created} new, {updated} updated, {unchanged} unchanged",
        after={
            "source": source,
            "file_name": file_name,
            "sha256": sha256,
            "rows": rows,
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
        },
    )
    return batch


# --- matching ----------------------------------------------------------------------------------------------


@dataclass
class RunResult:
    partner: Partner
    created: list[VettingMatch] = field(default_factory=list)
    auto_confirmed: list[VettingMatch] = field(default_factory=list)
    updated: list[VettingMatch] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)  # record ids of withdrawn pending matches

    @property
    def changed(self) -> bool:
        return bool(self.created or self.auto_confirmed or self.updated or self.removed)


def subject_of(partner: Partner) -> matching.Subject:
    sites = list(partner.sites.all())
    addresses = [" ".join(p for p in (s.street, s.city, s.region, s.postal_code) if p) for s in sites]
    return matching.Subject.of(
        [partner.legal_name, partner.dba_name], addresses, [partner.country, *(s.country for s in sites)]
    )


def _identifier_hits(partner: Partner) -> dict[int, dict]:
    """record id -> what matched, for records sharing an identifier (or its implied EIN) with the partner."""
    keys: dict[tuple[str, str], tuple[str, str]] = {}
    for ident in partner.identifiers.all():
        for t, v, _derived in matching.expand_identifier(ident.type, ident.value):
            keys.setdefault((t, v), (ident.type, ident.value))
    if not keys:
        return {}
    hits: dict[int, dict] = {}
    found = ComplianceIdentifier.objects.filter(
        type__in={t for t, _v in keys}, value__in={v for _t, v in keys}
    ).values_list("record_id", "type", "value", "derived")
    for record_id, t, v, derived in found:
        if (t, v) not in keys or record_id in hits:
            continue
        own_type, own_value = keys[(t, v)]
        hits[record_id] = {
            "identifier": f"{t} {v}",
            "partner_identifier": f"{own_type} {own_value}",
            "derived": derived or (own_type, own_value) != (t, v),
            # A MID may be shared by several factories: a MID match is shown, never confirmed automatically.
            "auto": own_type not in NON_UNIQUE_TYPES,
        }
    return hits


def _fuzzy_hits(subject: matching.Subject, threshold: float) -> dict[int, matching.Score]:
    if not subject.names:
        return {}
    candidates = index.get_index().candidates(subject, threshold)
    record_ids = [rid for c in candidates for rid in c.record_ids]
    rows: list[tuple[int, str, str, str]] = []
    for start in range(0, len(record_ids), 5_000):
        rows += ComplianceRecord.objects.filter(pk__in=record_ids[start : start + 5_000]).values_list(
            "id", "name_key", "address_key", "country"
        )
    return dict(matching.rank(subject, rows, threshold))


def run_matching(partner: Partner | int, *, actor=None, threshold: float = matching.THRESHOLD) -> RunResult:
    """Match a partner against every compliance record; callable at submission time (no permission check:
    the caller decides). Exact identifier matches are confirmed automatically (method "identifier", audited);
    name-and-address matches wait for an officer. A pending match is updated or, when it no longer matches,
    withdrawn; a confirmed or dismissed one is never touched."""
    partner_id = partner.pk if isinstance(partner, Partner) else int(partner)
    with transaction.atomic():
        try:
            partner = (
                Partner.objects.select_for_update(of=("self",))
                .prefetch_related("identifiers", "sites")
                .get(pk=partner_id)
            )
        except Partner.DoesNotExist:
            raise NotFound() from None
        return _run(partner, actor=actor, threshold=threshold)


def _run(partner: Partner, *, actor, threshold: float) -> RunResult:
    now = timezone.now()
    by_identifier = _identifier_hits(partner)
    fuzzy = {
        rid: s for rid, s in _fuzzy_hits(subject_of(partner), threshold).items() if rid not in by_identifier
    }
    existing = {m.record_id: m for m in VettingMatch.objects.filter(partner=partner)}
    result = RunResult(partner)
    to_create: list[VettingMatch] = []
    to_update: list[VettingMatch] = []

    for record_id, basis in by_identifier.items():
        match = existing.get(record_id)
        auto = basis["auto"]
        if match is None:
            match = VettingMatch(
                partner=partner,
                record_id=record_id,
                score=Decimal("100.0"),
                method=MatchMethod.IDENTIFIER,
                basis=basis,
                created_at=now,
                updated_at=now,
            )
            to_create.append(match)
        elif match.status != MatchStatus.PENDING:
            continue
        elif auto or match.method != MatchMethod.IDENTIFIER or match.basis != basis:
            match.score, match.method, match.basis, match.updated_at = (
                Decimal("100.0"),
                MatchMethod.IDENTIFIER,
                basis,
                now,
            )
            to_update.append(match)
        else:
            continue
        if auto:
            match.status, match.reviewed_at, match.reviewed_by = MatchStatus.CONFIRMED, now, None
            kind, value = basis["identifier"].split(" ", 1)
            match.note = _("Confirmed automatically: the same identifier (%(id)s).") % {
                "id": f"{kind.upper()} {value}"
            }
            result.auto_confirmed.append(match)
        elif match.pk is None:
            result.created.append(match)
        else:
            result.updated.append(match)

    for record_id, score in fuzzy.items():
        value = Decimal(str(score.score)).quantize(Decimal("0.1"))
        basis = score.as_dict()
        match = existing.get(record_id)
        if match is None:
            match = VettingMatch(
                partner=partner,
                record_id=record_id,
                score=value,
                method=MatchMethod.NAME_ADDRESS,
                basis=basis,
                created_at=now,
                updated_at=now,
            )
            to_create.append(match)
            result.created.append(match)
        elif match.status == MatchStatus.PENDING and (
            match.score != value or match.basis != basis or match.method != MatchMethod.NAME_ADDRESS
        ):
            match.score, match.basis, match.method, match.updated_at = (
                value,
                basis,
                MatchMethod.NAME_ADDRESS,
                now,
            )
            to_update.append(match)
            result.updated.append(match)

    stale = [
        m
        for rid, m in existing.items()
        if m.status == MatchStatus.PENDING and rid not in by_identifier and rid not in fuzzy
    ]
    if stale:
        VettingMatch.objects.filter(pk__in=[m.pk for m in stale]).delete()
        result.removed = sorted(m.record_id for m in stale)
    VettingMatch.objects.bulk_create(to_create)
    if to_update:
        VettingMatch.objects.bulk_update(
            to_update,
            ["score", "method", "basis", "status", "reviewed_at", "reviewed_by", "note", "updated_at"],
        )
    if result.changed:
        record_event(
            actor=actor,
            action="vetting.match_run",
            partner=partner,
            obj=partner,
            summary=(
                f"Vetting matches: {len(result.created)} new, {len(result.auto_confirmed)} confirmed "
                f"automatically (same identifier), {len(result.updated)} updated, "
                f"{len(result.removed)} withdrawn"
            ),
            after={
                "new": sorted(m.record_id for m in result.created),
                "auto_confirmed": sorted(m.record_id for m in result.auto_confirmed),
                "updated": sorted(m.record_id for m in result.updated),
                "withdrawn": result.removed,
                "threshold": threshold,
            },
        )
    return result


def matching_run(*, actor, partner_id: int) -> RunResult:
    """Staff re-run matching for one partner."""
    _require_vetter(actor)
    return run_matching(partner_id, actor=actor)


# --- review ------------------------------------------------------------------------------------------------


def _decide(*, actor, match_id: int, to_status: str, note: str) -> VettingMatch:
    _require_vetter(actor)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(_("Keep the note to %(n)s characters.") % {"n": MAX_NOTE}, field="note")
    with transaction.atomic():
        match = (
            VettingMatch.objects.select_for_update(of=("self",))
            .select_related("partner", "record")
            .filter(pk=match_id)
            .first()
        )
        if match is None:
            raise NotFound()
        check_transition(TRANSITIONS, match.status, to_status, label=lambda s: str(MatchStatus(s).label))
        if not note and (to_status == MatchStatus.DISMISSED or match.status != MatchStatus.PENDING):
            raise InvalidInput(
                _("Say why: a note is required to dismiss a match or to change a decision."), field="note"
            )
        before = {
            "status": match.status,
            "note": match.note,
            "reviewed_by": match.reviewed_by_id,
            "reviewed_at": match.reviewed_at,
        }
        match.status, match.note, match.reviewed_by = to_status, note, actor
        match.reviewed_at = match.updated_at = timezone.now()
        match.save(update_fields=["status", "note", "reviewed_by", "reviewed_at", "updated_at"])
        verb = "confirm" if to_status == MatchStatus.CONFIRMED else "dismiss"
        record = match.record
        record_event(
            actor=actor,
            action=f"vetting.match_{verb}",
            partner=match.partner,
            obj=match,
            summary=(
                f"{verb.title()}ed {record.get_kind_display().lower()} {record.date} "
                f"({record.source} {record.source_ref}, score {match.score}, {match.method})"
            ),
            before=before,
            after={
                "status": match.status,
                "note": note,
                "reviewed_by": actor.pk,
                "reviewed_at": match.reviewed_at,
            },
            reason=note,
        )
    return match


def match_confirm(*, actor, match_id: int, note: str = "") -> VettingMatch:
    return _decide(actor=actor, match_id=match_id, to_status=MatchStatus.CONFIRMED, note=note)


def match_dismiss(*, actor, match_id: int, note: str) -> VettingMatch:
    return _decide(actor=actor, match_id=match_id, to_status=MatchStatus.DISMISSED, note=note)
