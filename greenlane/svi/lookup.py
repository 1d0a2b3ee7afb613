"""A single status lookup by identifier: the hot path of the SVI API (three queries and one audit row).

A lookup is a read of another company's status, so it is audited (who looked up which identifier, and
what was shown): the record a company would want if asked who checked on it. See docs/svi.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from greenlane.accounts.models import User
from greenlane.audit.services import record_event
from greenlane.core.errors import Forbidden, InvalidInput, NotFound
from greenlane.partners import identifiers as ids
from greenlane.partners.models import Identifier, Membership, Partner

from . import bulk, permissions, selectors
from .choices import SHOWN_NOT_FOUND

_ROW_FIELDS = tuple(
    "partner_id" if f == "id" else f if f == "since_at" else f"partner__{f}" for f in selectors._VIEW_FIELDS
)


@dataclass(frozen=True)
class Lookup:
    type: str
    value: str
    result: str  # found | foreign | not_found
    view: selectors.StatusView | None
    program: str
    foreign_status: str = ""
    validation_date: str | None = None


def viewer_company(actor: User, partner_id: int | None) -> int:
    """The company the actor queries for: the one named, or its only company. Checks it may query (403)."""
    if getattr(actor, "staff_role", ""):
        raise NotFound()
    qs = Membership.objects.filter(user=actor)
    if partner_id is not None:
        qs = qs.filter(partner_id=partner_id)
    found = list(qs.values("partner_id", "partner__status", "partner__svi__active")[:2])
    if not found:
        raise NotFound()
    if len(found) > 1:
        raise InvalidInput(
            _("You belong to several companies: say which one asks, with ?partner=<id>."), field="partner"
        )
    row = found[0]
    reason = permissions.refusal(
        Partner(status=row["partner__status"]), participating=bool(row["partner__svi__active"])
    )
    if reason:
        raise Forbidden(_("You cannot query the SVI: %(why)s") % {"why": reason})
    return row["partner_id"]


@transaction.atomic
def status_lookup(*, actor: User, partner_id: int | None, identifier_type: str, value: str) -> Lookup:
    viewer_id = viewer_company(actor, partner_id)
    t = (identifier_type or "").strip().lower()
    mra = bulk._mra_identifiers()
    types = set(mra.ALL_TYPES) if mra is not None else set(ids.IdentifierType.values)
    if t not in types:
        raise InvalidInput(_("Unknown identifier type '%(t)s'.") % {"t": identifier_type}, field="type")
    try:
        norm = mra.normalize(t, value or "") if mra is not None else ids.normalize(t, value or "")
    except ids.IdentifierError as exc:
        raise InvalidInput(exc.message, field="value") from None
    rows = list(
        Identifier.objects.filter(type=t, value=norm)
        .annotate(since_at=selectors.since_expr("partner__"))
        .order_by()
        .values(*_ROW_FIELDS)[:20]
    )
    result = Lookup(t, norm, bulk.RESULT_NOT_FOUND, None, "")
    if rows:
        views = [
            selectors.view_from_row(
                {k.removeprefix("partner__"): v for k, v in row.items()} | {"id": row["partner_id"]},
                own=row["partner_id"] == viewer_id,
            )
            for row in rows
        ]
        best = min(views, key=bulk._rank)
        result = Lookup(t, norm, bulk.RESULT_FOUND, best, bulk.PROGRAM_CTPAT if best.svi_member else "")
    else:
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
    record_event(
        actor=actor,
        action="svi.lookup",
        partner=Partner(pk=viewer_id),  # the asking company; no need to load it
        summary=f"{t}:{norm} → {shown}",
    )
    return result
