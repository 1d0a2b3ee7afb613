"""/api/v1/targeting: score one shipment or a small batch in process, with the lane and the reasons.

Targeting officers, program managers and system administrators may score; other staff get 403 with the
reason; trade users get 404 (the endpoint does not exist for them). Scoring uses the active rule set and
the partners' snapshot file under ``var/targeting/`` (written from the portal the first time it is
missing); both are loaded once and reused until their files change on disk.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from ninja import Field, Router, Schema

from greenlane.accounts.choices import StaffRole
from greenlane.core.errors import Forbidden, InvalidInput, NotFound
from greenlane.targeting import portal_snapshot
from greenlane.targeting.engine import RulesetError
from greenlane.targeting.engine.inprocess import cached_scorer

router = Router(tags=["targeting"])

MAX_API_BATCH = 100
SCORERS = frozenset({StaffRole.TARGETING_OFFICER, StaffRole.PROGRAM_MANAGER, StaffRole.SYSTEM_ADMIN})


def can_score(user) -> bool:
    return getattr(user, "staff_role", "") in SCORERS


def _authorize(user) -> None:
    if not getattr(user, "staff_role", ""):
        raise NotFound()
    if not can_score(user):
        raise Forbidden(
            "Scoring shipments is for targeting officers, program managers and system administrators; "
            "your role may not score."
        )


def active_ruleset() -> str | None:
    """The rule set file in force: settings.TARGETING_RULESET, else the engine's bundled default."""
    return getattr(settings, "TARGETING_RULESET", None)


def portal_snapshot_path() -> str:
    path = portal_snapshot.default_path()
    if not path.exists():
        portal_snapshot.write_portal_snapshot(path)
    return str(path)


class TargetingScoreIn(Schema):
    """Either ``shipment`` (one) or ``shipments`` (1 to 100); fields as in docs/targeting.md."""

    shipment: dict[str, Any] | None = Field(None, description="One shipment: column name -> value.")
    shipments: list[dict[str, Any]] | None = Field(
        None, min_length=1, max_length=MAX_API_BATCH, description="A batch of at most 100 shipments."
    )
    threat_level: str = Field("normal", description="normal, elevated, high or severe")


class TargetingReasonOut(Schema):
    code: str
    weight: int | None = Field(description="Points the indicator adds; null for a force-red condition.")
    text: str


class TargetingRowError(Schema):
    field: str
    message: str


class TargetingShipmentOut(Schema):
    row: int
    shipment_id: str | None
    ok: bool
    lane: str | None
    lane_reason: str | None
    score: int | None
    points: int | None
    credit: int | None = Field(description="Tier credit subtracted from the points.")
    importer_tier: int | None
    reasons: list[TargetingReasonOut]
    fired: list[str]
    errors: list[TargetingRowError]


class TargetingScoreOut(Schema):
    ruleset: str
    ruleset_version: str
    threat_level: str
    snapshot_created_at: dt.datetime | None
    scored: int
    rejected: int
    results: list[TargetingShipmentOut]


def row_errors(rejected: str | None) -> list[dict[str, str]]:
    """'port_unlading: not a U.S. port; hts_code: malformed' -> [{field, message}, ...]."""
    if not rejected:
        return []
    errors = []
    for part in rejected.split("; "):
        field, sep, message = part.partition(": ")
        errors.append({"field": field, "message": message} if sep else {"field": "", "message": part})
    return errors


def _result(d: dict[str, Any]) -> dict[str, Any]:
    return {
        **{k: d.get(k) for k in ("row", "shipment_id", "lane", "lane_reason", "score", "points", "credit")},
        "importer_tier": d.get("importer_tier"),
        "ok": not d.get("rejected"),
        "reasons": d.get("reasons", []),
        "fired": d.get("fired", []),
        "errors": row_errors(d.get("rejected")),
    }


@router.post(
    "/score",
    response=TargetingScoreOut,
    summary="Score one shipment or a batch of at most 100 (lane, score, reasons, tier credit)",
)
def score(request, payload: TargetingScoreIn):
    _authorize(request.auth)
    if (payload.shipment is None) == (payload.shipments is None):
        raise InvalidInput(
            "Send either 'shipment' (one) or 'shipments' (a list of 1 to 100).", field="shipment"
        )
    rows = [payload.shipment] if payload.shipment is not None else payload.shipments or []
    snapshot_path = portal_snapshot_path()
    try:
        scorer = cached_scorer(active_ruleset(), snapshot_path, payload.threat_level)
    except RulesetError as exc:
        raise InvalidInput(str(exc), field="threat_level") from None
    results = [_result(s.as_dict()) for s in scorer.score(rows)]
    if payload.shipment is not None and not results[0]["ok"]:
        errors = results[0]["errors"]
        first = errors[0]
        raise InvalidInput(f"{first['field']}: {first['message']}", field=first["field"], errors=errors)
    rejected = sum(1 for r in results if not r["ok"])
    return {
        "ruleset": scorer.compiled.ruleset.id,
        "ruleset_version": scorer.compiled.ruleset.version,
        "threat_level": payload.threat_level,
        "snapshot_created_at": portal_snapshot.snapshot_created_at(snapshot_path),
        "scored": len(results) - rejected,
        "rejected": rejected,
        "results": results,
    }
