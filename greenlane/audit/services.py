"""record_event: the one way to write an audit event."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.utils import timezone

from greenlane.core import context

from .models import AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    return value


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """Keep only the keys whose values differ."""
    keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def record_event(
    *,
    actor,
    action: str,
    partner=None,
    obj=None,
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    ctx = context.current()
    is_user = actor is not None and getattr(actor, "pk", None) is not None
    event = AuditEvent(
        at=timezone.now(),
        actor=actor if is_user else None,
        actor_label=(actor.email if is_user else "system"),
        partner=partner,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:300],
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
        reason=reason,
        request_id=ctx.request_id,
        ip=ctx.ip,
    )
    event.save()
    return event
