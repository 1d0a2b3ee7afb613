"""Reads of foreign programs and their members.

`foreign_status_lookup` is the contract other apps (SVI bulk verification, the business-partner register)
use: identifier pairs in, the foreign program status of each matched pair out, in one query per ~900 values.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from greenlane.core.errors import Forbidden, InvalidInput, NotFound
from greenlane.core.paging import Page, paginate
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner

from . import identifiers, permissions
from .models import ForeignMember, ForeignProgram, MraConsent, MraImport

# SQLite allows 999 variables per statement: stay under it per chunk.
CHUNK = 900


@dataclass(frozen=True, slots=True)
class ForeignStatus:
    program_code: str
    program_name: str
    administration: str
    country: str  # the program's country (EU for the Union)
    company_name: str
    id_type: str
    id_value: str
    status: str  # active | suspended | revoked | inactive (no longer listed)
    validation_date: dt.date | None
    status_date: dt.date | None
    as_of: dt.date  # date of the status file the answer comes from

    @property
    def is_active(self) -> bool:
        return self.status == "active"


_FIELDS = ("program_id", "id_type", "id_value", "name", "status", "validation_date", "status_date", "as_of")


def _status_of(row: tuple, p: ForeignProgram) -> ForeignStatus:
    _pid, id_type, id_value, name, status, validation_date, status_date, as_of = row
    return ForeignStatus(
        program_code=p.code,
        program_name=p.name,
        administration=p.administration,
        country=p.country,
        company_name=name,
        id_type=id_type,
        id_value=id_value,
        status=status,
        validation_date=validation_date,
        status_date=status_date,
        as_of=as_of,
    )


# A listing that is active outranks one that is not, when one identifier is in two programs (EORI: EU and UK).
_RANK = {"active": 0, "suspended": 1, "revoked": 2, "inactive": 3}


def _better(row: tuple, best: tuple) -> bool:
    return (_RANK[row[4]], -row[7].toordinal()) < (_RANK[best[4]], -best[7].toordinal())


def foreign_status_lookup(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], ForeignStatus]:
    """(identifier type, value) pairs -> ForeignStatus, for the pairs some foreign program lists.

    Values are normalised per type first (so "de 123" finds DE123); the returned keys are the pairs exactly as
    given. Unknown types and malformed values are simply not found. A few queries for 10,000 pairs."""
    wanted: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for id_type, value in pairs:
        key = (str(id_type or "").strip().lower(), str(value or ""))
        if key[0] not in identifiers.ALL_TYPES:
            continue
        norm = identifiers.try_member_key(key[0], key[1])
        if norm is not None:
            wanted[(key[0], norm)].append((id_type, value))
    if not wanted:
        return {}
    by_type: dict[str, list[str]] = defaultdict(list)
    for id_type, norm in wanted:
        by_type[id_type].append(norm)
    programs = {p.pk: p for p in ForeignProgram.objects.all()}
    # Tuples, not model instances: building 10,000 deferred instances cost more than the queries.
    found: dict[tuple[str, str], tuple] = {}
    for id_type, values in by_type.items():
        for start in range(0, len(values), CHUNK):
            rows = ForeignMember.objects.filter(id_type=id_type, id_value__in=values[start : start + CHUNK])
            for row in rows.order_by().values_list(*_FIELDS):
                key = (row[1], row[2])
                best = found.get(key)
                if best is None or _better(row, best):
                    found[key] = row
    out: dict[tuple[str, str], ForeignStatus] = {}
    for key, row in found.items():
        status = _status_of(row, programs[row[0]])
        for original in wanted[key]:
            out[original] = status
    return out


# --- staff reads -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramRow:
    program: ForeignProgram
    member_count: int
    active_count: int
    consent_count: int
    latest_import: MraImport | None


def programs() -> list[ForeignProgram]:
    return list(ForeignProgram.objects.filter(active=True))


def program(code: str) -> ForeignProgram:
    found = ForeignProgram.objects.filter(code=code).first()
    if found is None:
        raise NotFound()
    return found


def program_overview(user) -> list[ProgramRow]:
    """Every program with its member counts and latest import, in four queries."""
    permissions.require_staff(user)
    progs = list(ForeignProgram.objects.all())
    counts: dict[int, Any] = {
        r["program_id"]: r
        for r in ForeignMember.objects.values("program_id").annotate(
            n=Count("id"), active=Count("id", filter=Q(status="active"))
        )
    }
    consents = dict(
        MraConsent.objects.filter(withdrawn_at__isnull=True)
        .values("program_id")
        .annotate(n=Count("id"))
        .values_list("program_id", "n")
    )
    last_ids = MraImport.objects.values("program_id").annotate(last=Max("id")).values("last")
    latest = {imp.program_id: imp for imp in MraImport.objects.filter(pk__in=Subquery(last_ids))}
    return [
        ProgramRow(
            program=p,
            member_count=counts.get(p.pk, {}).get("n", 0),
            active_count=counts.get(p.pk, {}).get("active", 0),
            consent_count=consents.get(p.pk, 0),
            latest_import=latest.get(p.pk),
        )
        for p in progs
    ]


def imports(user, *, program_code: str = "", limit: int | None, offset: int | None) -> Page:
    permissions.require_staff(user)
    qs: QuerySet[MraImport] = MraImport.objects.select_related("program", "imported_by")
    if program_code:
        qs = qs.filter(program__code=program_code)
    return paginate(qs, limit=limit, offset=offset)


def import_detail(user, import_id) -> MraImport:
    permissions.require_staff(user)
    try:
        pk = int(import_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = MraImport.objects.select_related("program", "imported_by").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def search_members(
    user, *, q: str = "", program_code: str = "", status: str = "", limit: int | None, offset: int | None
) -> Page:
    permissions.require_staff(user)
    qs: QuerySet[ForeignMember] = ForeignMember.objects.select_related("program")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(search_name__contains=q.casefold()) | Q(id_value__iexact=q.replace(" ", "")))
    if program_code:
        qs = qs.filter(program__code=program_code)
    if status:
        qs = qs.filter(status=status)
    return paginate(qs.order_by("search_name", "id"), limit=limit, offset=offset)


def consents_for(partner_id: int) -> dict[int, MraConsent]:
    return {c.program_id: c for c in MraConsent.objects.filter(partner_id=partner_id)}


MAX_LOOKUP = 1_000


def member_lookup(user, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], ForeignStatus]:
    """A certified member (or staff) looking up foreign partners' program status by identifier."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    if not user.staff_role:
        certified = Partner.objects.filter(memberships__user=user, status=PartnerStatus.CERTIFIED).exists()
        if not certified:
            raise Forbidden(
                _(
                    "Only certified members may look up foreign program status; none of your companies is certified."
                )
            )
    if len(pairs) > MAX_LOOKUP:
        raise InvalidInput(
            _("At most %(n)s identifiers per request.") % {"n": MAX_LOOKUP}, field="identifiers"
        )
    return foreign_status_lookup(pairs)
