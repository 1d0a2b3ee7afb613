"""Writes for mutual recognition: importing a partner administration's status file, members' consent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import BinaryIO

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.audit.services import record_event
from greenlane.core.errors import Conflict, Forbidden, InvalidInput
from greenlane.partners.selectors import partner_for

from . import permissions, statusfile
from .models import (
    ForeignMember,
    ForeignProgram,
    ForeignStatusChange,
    ForeignStatusValue,
    MraConsent,
    MraImport,
)

BATCH = 1_000
# Bad rows whose identifier was read (SQLite allows 999 parameters per statement).
CHUNK_BAD = 900
MEMBER_FIELDS = ("name", "address", "country", "status", "validation_date", "status_date")


@dataclass(frozen=True)
class ImportResult:
    log: MraImport
    duplicate: bool  # the same file was imported before: nothing changed


def program_by_code(code: str) -> ForeignProgram:
    program = ForeignProgram.objects.filter(code=(code or "").strip().lower()).first()
    if program is None:
        known = ", ".join(ForeignProgram.objects.values_list("code", flat=True))
        raise InvalidInput(
            _("Unknown program '%(code)s'. Known programs: %(known)s.") % {"code": code, "known": known},
            field="program",
        )
    return program


def status_import(
    *,
    actor,
    program_code: str,
    stream: BinaryIO,
    file_name: str,
    as_of: dt.date | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Import a full status file. Good rows are applied, bad rows reported (kept on the log); members the
    file no longer lists become inactive. The same file twice (same checksum) changes nothing.
    `actor` None is the system (the command line)."""
    if actor is not None:
        permissions.require_manager(actor)
    program = program_by_code(program_code)
    file_name = (file_name or "").strip()[:255] or "status-file"
    today = today or timezone.localdate()
    try:
        data = statusfile.read_all(stream)
    except statusfile.FileError as exc:
        raise InvalidInput(exc.message, field="file") from None
    sha256 = statusfile.sha256_of(data)
    # The same file again: answered before parsing it (a full list takes seconds to check).
    existing = MraImport.objects.filter(program=program, sha256=sha256).first()
    if existing is not None:
        return ImportResult(existing, duplicate=True)
    try:
        file_format = statusfile.detect_format(file_name, data)
        parsed = statusfile.parse(data, file_format=file_format, id_type=program.id_type, today=today)
    except statusfile.FileError as exc:
        raise InvalidInput(exc.message, field="file") from None
    if parsed.program and parsed.program.lower() != program.code:
        raise InvalidInput(
            _("The file is for program '%(file)s', not '%(program)s'.")
            % {"file": parsed.program, "program": program.code},
            field="program",
        )
    as_of = as_of or parsed.as_of or today
    if as_of > today:
        raise InvalidInput(_("The file's date (as_of) is in the future."), field="as_of")
    if not parsed.rows and parsed.row_count:
        raise InvalidInput(
            _("No row could be imported: all %(n)s rows have problems.") % {"n": parsed.row_count},
            field="file",
            errors=[e.as_dict() for e in parsed.errors[: statusfile.MAX_ERRORS_KEPT]],
        )
    latest = MraImport.objects.filter(program=program).order_by("-as_of").first()
    if latest is not None and as_of < latest.as_of:
        raise Conflict(
            _("A newer file (%(date)s) was already imported for this program; an older one would undo it.")
            % {"date": latest.as_of.isoformat()}
        )
    try:
        with transaction.atomic():
            log = _apply(actor, program, parsed, file_name, file_format, sha256, as_of)
    except IntegrityError:
        raise Conflict(_("The same file was imported at the same time; it is imported once.")) from None
    return ImportResult(log, duplicate=False)


def _apply(actor, program, parsed, file_name, file_format, sha256, as_of) -> MraImport:
    ForeignProgram.objects.select_for_update().get(pk=program.pk)
    log = MraImport.objects.create(
        program=program,
        file_name=file_name,
        file_format=file_format,
        sha256=sha256,
        as_of=as_of,
        imported_by=actor if getattr(actor, "pk", None) else None,
        row_count=parsed.row_count,
        error_count=len(parsed.errors),
        errors=[e.as_dict() for e in parsed.errors[: statusfile.MAX_ERRORS_KEPT]],
    )
    existing = {m.id_value: m for m in ForeignMember.objects.filter(program=program)}
    to_create: list[ForeignMember] = []
    to_update: list[ForeignMember] = []
    changes: list[tuple[str, str, str]] = []  # (id_value, from, to)
    unchanged = 0
    listed = set(parsed.seen_on_bad_rows)
    for row in parsed.rows:
        listed.add(row.id_value)
        member = existing.get(row.id_value)
        values = {
            "name": row.name,
            "address": row.address,
            "country": row.country,
            "status": row.status,
            "validation_date": row.validation_date,
            "status_date": row.status_date,
        }
        if member is None:
            to_create.append(
                ForeignMember(
                    program=program,
                    id_type=program.id_type,
                    id_value=row.id_value,
                    as_of=as_of,
                    first_seen=log,
                    last_import=log,
                    search_name=row.name.casefold(),
                    **values,
                )
            )
            changes.append((row.id_value, "", row.status))
            continue
        if member.status != row.status:
            changes.append((row.id_value, member.status, row.status))
        if any(getattr(member, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(member, k, v)
            member.search_name = row.name.casefold()
            member.as_of, member.last_import = as_of, log
            to_update.append(member)
            log.updated_count += 1
        else:
            unchanged += 1
    deactivated = 0
    for id_value, member in existing.items():
        if id_value in listed or member.status == ForeignStatusValue.INACTIVE:
            continue
        changes.append((id_value, member.status, ForeignStatusValue.INACTIVE))
        member.status, member.status_date = ForeignStatusValue.INACTIVE, as_of
        member.as_of, member.last_import = as_of, log
        to_update.append(member)
        deactivated += 1
    ForeignMember.objects.bulk_create(to_create, batch_size=BATCH)
    ForeignMember.objects.bulk_update(
        to_update, [*MEMBER_FIELDS, "search_name", "as_of", "last_import"], batch_size=BATCH
    )
    # Listed and unchanged: only the file date moves, in one statement (a per-row update of a whole list
    # every day was 10x slower: bench/mra.py). Members on bad rows keep the date of their last good row.
    (
        ForeignMember.objects.filter(program=program)
        .exclude(last_import=log)
        .exclude(status=ForeignStatusValue.INACTIVE)
        .exclude(id_value__in=list(parsed.seen_on_bad_rows)[:CHUNK_BAD])
        .update(as_of=as_of, last_import=log)
    )
    ids = dict(ForeignMember.objects.filter(program=program).values_list("id_value", "id"))
    ForeignStatusChange.objects.bulk_create(
        [
            ForeignStatusChange(member_id=ids[v], mra_import=log, from_status=a, to_status=b)
            for v, a, b in changes
        ],
        batch_size=BATCH,
    )
    log.created_count = len(to_create)
    log.unchanged_count = unchanged
    log.deactivated_count = deactivated
    log.save(update_fields=["created_count", "updated_count", "unchanged_count", "deactivated_count"])
    counts = {
        "rows": log.row_count,
        "created": log.created_count,
        "updated": log.updated_count,
        "unchanged": log.unchanged_count,
        "deactivated": log.deactivated_count,
        "errors": log.error_count,
    }
    record_event(
        actor=actor,
        action="mra.import",
        obj=log,
        summary=f"{program.code}: {file_name} ({as_of.isoformat()}) imported",
        after={"program": program.code, "sha256": log.sha256, "as_of": as_of, **counts},
    )
    return log


# --- consent -----------------------------------------------------------------------------------------------


def _consent_access(actor, partner_id):
    access = partner_for(actor, partner_id, for_update=True)
    if access.is_staff:
        raise Forbidden(_("Consent is the company's own decision; staff cannot give or withdraw it."))
    if not permissions.can_consent(access.role):
        raise Forbidden(_("Only the company officer may give or withdraw consent to share status abroad."))
    return access


@transaction.atomic
def consent_grant(*, actor, partner_id: int, program_code: str) -> MraConsent:
    access = _consent_access(actor, partner_id)
    program = program_by_code(program_code)
    consent = MraConsent.objects.select_for_update().filter(partner=access.partner, program=program).first()
    if consent is not None and consent.withdrawn_at is None:
        raise Conflict(_("Consent for %(p)s is already given.") % {"p": program.name})
    now = timezone.now()
    if consent is None:
        consent = MraConsent(partner=access.partner, program=program)
    consent.consented_at, consent.consented_by, consent.withdrawn_at = now, actor, None
    consent.full_clean()
    consent.save()
    record_event(
        actor=actor,
        action="mra.consent_grant",
        partner=access.partner,
        obj=consent,
        summary=f"Consented to share status with {program.code}",
        before={"consent": False},
        after={"consent": True, "program": program.code},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor, partner_id: int, program_code: str, reason: str = "") -> MraConsent:
    access = _consent_access(actor, partner_id)
    program = program_by_code(program_code)
    consent = MraConsent.objects.select_for_update().filter(partner=access.partner, program=program).first()
    if consent is None or consent.withdrawn_at is not None:
        raise Conflict(_("There is no consent for %(p)s to withdraw.") % {"p": program.name})
    if len(reason) > 500:
        raise InvalidInput(_("A reason is at most 500 characters."), field="reason")
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    record_event(
        actor=actor,
        action="mra.consent_withdraw",
        partner=access.partner,
        obj=consent,
        summary=f"Withdrew consent to share status with {program.code}",
        before={"consent": True, "program": program.code},
        after={"consent": False},
        reason=reason,
    )
    return consent
