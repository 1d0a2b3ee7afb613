"""A single status lookup by identifier: the hot path of the SVI API (two reads and one audit row).

A lookup is a read of another company's status, so it is audited (who looked up which identifier, and
what was shown): the record a company would want if asked who checked on it. See docs/svi.md.

The two reads are plain SQL written once (the ORM's query compilation cost more than the queries
themselves under load: bench/svi_load.py); they return the same consent-limited StatusView as
selectors.status_view_for.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.accounts.models import User
from greenlane.audit.models import AuditEvent
from greenlane.audit.services import record_event
from greenlane.core import context
from greenlane.core.errors import Forbidden, InvalidInput, NotFound
from greenlane.partners import identifiers as ids
from greenlane.partners.models import Identifier, Membership, Partner

from . import bulk, permissions, selectors
from .choices import SHOWN_NOT_FOUND
from .models import SviParticipation

MAX_MATCHES = 20


@dataclass(frozen=True)
class Lookup:
    type: str
    value: str
    result: str  # found | foreign | not_found
    view: selectors.StatusView | None
    program: str
    foreign_status: str = ""
    validation_date: str | None = None


@cache
def _sql() -> dict[str, str]:
    m, p, s, i = (
        Membership._meta.db_table,
        Partner._meta.db_table,
        SviParticipation._meta.db_table,
        Identifier._meta.db_table,
    )
    viewer = (
        f"SELECT m.partner_id, p.status, s.active FROM {m} m JOIN {p} p ON p.id = m.partner_id "
        f"LEFT JOIN {s} s ON s.partner_id = p.id WHERE m.user_id = %s"
    )
    return {
        "viewer_any": viewer + " LIMIT 2",
        "viewer_one": viewer + " AND m.partner_id = %s LIMIT 2",
        "lookup": (
            "SELECT p.id, p.legal_name, p.status, p.tier, p.certified_at, p.suspended_at, p.removed_at, "
            "p.withdrawn_at, p.status_changed_at, s.id, s.active, s.share, s.contact_name, s.contact_email, "
            f"s.contact_phone FROM {i} i JOIN {p} p ON p.id = i.partner_id "
            f"LEFT JOIN {s} s ON s.partner_id = p.id WHERE i.type = %s AND i.value = %s LIMIT {MAX_MATCHES}"
        ),
    }


_STAMP = {"certified": 4, "suspended": 5, "removed": 6, "withdrawn": 7}


def _row(t: tuple) -> dict:
    since = t[_STAMP[t[2]]] if t[2] in _STAMP else None
    return {
        "id": t[0],
        "legal_name": t[1],
        "status": t[2],
        "tier": t[3],
        "since_at": since or t[8],
        "svi__id": t[9],
        "svi__active": t[10],
        "svi__share": t[11],
        "svi__contact_name": t[12],
        "svi__contact_email": t[13],
        "svi__contact_phone": t[14],
    }


def _audit_lookup(actor: User, viewer_id: int, summary: str) -> None:
    """Write the lookup's audit event (always: a lookup is an audited read).

    On PostgreSQL, outside any transaction (the API's case), the event is written in one round trip:
    `BEGIN; SET LOCAL synchronous_commit TO OFF; INSERT ...; COMMIT` — the same row record_event would
    write, but the commit does not wait for its WAL flush (a crash may lose the last fraction of a second
    of lookup records; never a state change, which keeps the default). Elsewhere (SQLite, or inside a
    caller's transaction) it goes through record_event. docs/svi.md "Figures", bench/svi_load.py.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block or not connection.get_autocommit():
        record_event(actor=actor, action="svi.lookup", partner=Partner(pk=viewer_id), summary=summary)
        return
    ctx = context.current()
    event = AuditEvent(
        at=timezone.now(),
        actor_id=actor.pk,
        actor_label=actor.email,
        partner_id=viewer_id,
        action="svi.lookup",
        summary=summary[:300],
        before={},
        after={},
        request_id=ctx.request_id,
        ip=ctx.ip,
    )
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column or f.name) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    values = [f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields]
    sql = (
        "BEGIN; SET LOCAL synchronous_commit TO OFF; "
        f"INSERT INTO {connection.ops.quote_name(AuditEvent._meta.db_table)} ({columns}) VALUES ({marks}); "
        "COMMIT"
    )
    with connection.cursor() as cur:
        try:
            cur.execute(sql, values)
        except Exception:
            # A failed statement leaves the explicit transaction open and aborted: close it, then report.
            cur.execute("ROLLBACK")
            raise


def viewer_company(actor: User, partner_id: int | None) -> int:
    """The company the actor queries for: the one named, or its only company. Checks it may query (403)."""
    return _viewer_then(actor, partner_id, None)[0]


def _viewer_then(actor: User, partner_id: int | None, lookup: tuple[str, str] | None) -> tuple[int, list]:
    """viewer_company, and the identifier lookup's rows when `lookup` (type, value) is given.

    On PostgreSQL both statements go in one round trip (the lookup's rows are discarded unless the viewer
    passes every check below, so the order of refusals is unchanged: 404/400/403 before any answer).
    """
    if getattr(actor, "staff_role", ""):
        raise NotFound()
    sql = _sql()["viewer_any"] if partner_id is None else _sql()["viewer_one"]
    params: list = [actor.pk] if partner_id is None else [actor.pk, partner_id]
    rows: list = []
    with connection.cursor() as cur:
        if lookup is not None and connection.vendor == "postgresql":
            cur.execute(f"{sql}; {_sql()['lookup']}", [*params, *lookup])
            found = cur.fetchall()
            cur.nextset()
            rows = cur.fetchall()
            lookup = None
        else:
            cur.execute(sql, params)
            found = cur.fetchall()
    if not found:
        raise NotFound()
    if len(found) > 1:
        raise InvalidInput(
            _("You belong to several companies: say which one asks, with ?partner=<id>."), field="partner"
        )
    pid, status, active = found[0]
    reason = permissions.refusal(Partner(status=status), participating=bool(active))
    if reason:
        raise Forbidden(_("You cannot query the SVI: %(why)s") % {"why": reason})
    if lookup is not None:
        with connection.cursor() as cur:
            cur.execute(_sql()["lookup"], list(lookup))
            rows = cur.fetchall()
    return pid, rows


def status_lookup(*, actor: User, partner_id: int | None, identifier_type: str, value: str) -> Lookup:
    """One identifier's status as the asking company may see it; the lookup is audited (one event)."""
    t = (identifier_type or "").strip().lower()
    mra = bulk._mra_identifiers()
    types = set(mra.ALL_TYPES) if mra is not None else set(ids.IdentifierType.values)
    bad: InvalidInput | None = None
    norm = ""
    if t not in types:
        bad = InvalidInput(_("Unknown identifier type '%(t)s'.") % {"t": identifier_type}, field="type")
    else:
        try:
            norm = mra.normalize(t, value or "") if mra is not None else ids.normalize(t, value or "")
        except ids.IdentifierError as exc:
            bad = InvalidInput(exc.message, field="value")
    # The asking company is checked first (a refused viewer learns nothing, not even that its input is bad).
    viewer_id, rows = _viewer_then(actor, partner_id, None if bad else (t, norm))
    if bad is not None:
        raise bad
    result = Lookup(t, norm, bulk.RESULT_NOT_FOUND, None, "")
    if rows:
        views = [selectors.view_from_row(_row(r), own=r[0] == viewer_id) for r in rows]
        best = min(views, key=bulk._rank)
        result = Lookup(t, norm, bulk.RESULT_FOUND, best, bulk.PROGRAM_CTPAT if best.svi_member else "")
    elif t in bulk._foreign_types():
        lookup = bulk._foreign_lookup()
        found = lookup([(t, norm)]).get((t, norm)) if lookup is not None else None
        if found is not None:
            result = Lookup(
                t,
                norm,
                bulk.RESULT_FOREIGN,
                None,
                found.program_name,
                found.status,
                found.validation_date.isoformat() if found.validation_date else None,
            )
    shown = result.view.status if result.view else (result.foreign_status or SHOWN_NOT_FOUND)
    _audit_lookup(actor, viewer_id, f"{t}:{norm} → {shown}")
    return result
