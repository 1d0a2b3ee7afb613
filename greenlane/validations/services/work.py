"""Writes while a validation is being worked: findings against the frozen profile, their evidence, staff
hours, and the report items (required actions, recommendations, best practices)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.core.errors import Conflict, InvalidInput, NotFound

from .. import snapshot as snap
from ..choices import (
    MAX_HOURS_PER_DAY,
    Activity,
    FindingResult,
    ItemKind,
    ValidationStatus,
)
from ..models import (
    Finding,
    HoursEntry,
    ValidationItem,
)
from ._common import (
    event,
    lock_validation,
    require_lead,
    require_working,
    start_work,
    status_label,
    store_upload,
    text,
    today,
)

V = ValidationStatus


def _result(value: Any) -> str:
    if value not in FindingResult.values:
        raise InvalidInput(
            _("Result must be one of: %(r)s.") % {"r": ", ".join(FindingResult.values)}, field="result"
        )
    return str(value)


@transaction.atomic
def findings_record(*, actor, validation_id: int, rows: Iterable[dict[str, Any]]) -> list[Finding]:
    """Record (or change) findings for criteria of the frozen profile. All or nothing.

    Each row: code, result, note. A criterion that is not in the snapshot is refused and nothing is stored.
    """
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    require_working(validation, _("recording findings"))
    codes = snap.codes(validation.snapshot)
    cleaned: dict[str, tuple[str, str]] = {}
    errors: list[dict] = []
    for row in rows:
        code = str(row.get("code") or row.get("criterion_code") or "").strip()
        field = f"findings.{code or '?'}"
        if code not in codes:
            errors.append(
                {
                    "field": field,
                    "message": _("Criterion %(c)s is not in the frozen profile this validation checks.")
                    % {"c": code or "?"},
                }
            )
            continue
        try:
            result = _result(row.get("result"))
            note = text(row.get("note"), field=field, missing="", required=False)
        except InvalidInput as exc:
            errors.append({"field": field, "message": f"{code}: {exc.message}"})
            continue
        cleaned[code] = (result, note)
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    if not cleaned:
        raise InvalidInput(_("Record at least one finding."), field="findings")
    existing = {
        f.criterion_code: f for f in Finding.objects.filter(validation=validation, criterion_code__in=cleaned)
    }
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    out: list[Finding] = []
    now = timezone.now()
    for code, (result, note) in cleaned.items():
        found = existing.get(code)
        if found is not None and (found.result, found.note) == (result, note):
            out.append(found)
            continue
        if found is None:
            found = Finding(validation=validation, criterion_code=code)
        else:
            before[code] = found.result
        found.result, found.note, found.recorded_at, found.recorded_by = result, note, now, actor
        found.save()
        after[code] = result
        out.append(found)
    if after:
        moved = start_work(validation)
        event(
            actor,
            validation,
            "validation.findings",
            f"{len(after)} finding(s) recorded",
            before={**moved, "findings": before},
            after={"status": validation.status, "findings": after},
        )
    return out


@transaction.atomic
def finding_attach(*, actor, validation_id: int, code: str, filename: str, data: bytes):
    """Attach a photo or document to a recorded finding."""
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    require_working(validation, _("attaching evidence"))
    finding = Finding.objects.filter(validation=validation, criterion_code=code).first()
    if finding is None:
        raise InvalidInput(
            _("Record the finding for %(c)s before attaching evidence.") % {"c": code}, field="code"
        )
    attachment = store_upload(actor, validation, filename, data, finding=finding)
    event(
        actor,
        validation,
        "validation.finding_attachment",
        f"Evidence attached to {code}",
        obj=attachment,
        after={"code": code, "file": attachment.original_name, "sha256": attachment.sha256},
    )
    return attachment


def _hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("Hours must be a number, e.g. 2.5."), field="hours") from None
    if not hours.is_finite() or hours <= 0:
        raise InvalidInput(_("Hours must be more than zero."), field="hours")
    if hours > MAX_HOURS_PER_DAY:
        raise InvalidInput(_("At most 24 hours can be recorded for one day."), field="hours")
    if hours != hours.quantize(Decimal("0.01")):
        raise InvalidInput(_("Give hours to at most two decimals (e.g. 1.25)."), field="hours")
    return hours


@transaction.atomic
def hours_record(
    *,
    actor,
    validation_id: int,
    activity: str,
    hours: Any,
    on: dt.date,
    staff_id: int | None = None,
    note: str = "",
) -> HoursEntry:
    """Record staff hours by activity and day. A person's hours on one day never total more than 24."""
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    if validation.status in (V.CLOSED, V.CANCELLED):
        raise Conflict(
            _("The validation is '%(s)s': hours can no longer be added.")
            % {"s": status_label(validation.status)}
        )
    if activity not in Activity.values:
        raise InvalidInput(
            _("Choose the activity: %(a)s.") % {"a": ", ".join(Activity.values)}, field="activity"
        )
    amount = _hours(hours)
    if on is None:
        raise InvalidInput(_("Give the day the hours were worked."), field="on")
    if on > today():
        raise InvalidInput(_("Hours cannot be recorded for a future day."), field="on")
    if on < validation.created_at.date() - dt.timedelta(days=365):
        raise InvalidInput(_("That day is more than a year before the validation was opened."), field="on")
    staff = actor
    if staff_id and staff_id != actor.pk:
        staff = get_user_model().objects.filter(pk=staff_id, is_active=True).exclude(staff_role="").first()
        if staff is None:
            raise InvalidInput(_("Choose an active staff member."), field="staff")
    already = HoursEntry.objects.filter(staff=staff, on=on).aggregate(t=Sum("hours"))["t"] or Decimal("0")
    if already + amount > MAX_HOURS_PER_DAY:
        raise InvalidInput(
            _("%(who)s already has %(h)s hours on %(d)s; a day has at most 24.")
            % {"who": staff.email, "h": already, "d": on.isoformat()},
            field="hours",
        )
    entry = HoursEntry.objects.create(
        validation=validation,
        staff=staff,
        activity=activity,
        hours=amount,
        on=on,
        note=text(note, field="note", missing="", required=False, limit=200),
        recorded_by=actor,
    )
    moved = (
        start_work(validation)
        if validation.status in (V.PLANNED, V.SCHEDULED) and activity != Activity.PREPARATION
        else {}
    )
    event(
        actor,
        validation,
        "validation.hours",
        f"{amount} h {Activity(activity).label} on {on}",
        obj=entry,
        before=moved,
        after={"staff": staff.pk, "activity": activity, "hours": amount, "on": on},
    )
    return entry


@transaction.atomic
def item_create(
    *,
    actor,
    validation_id: int,
    kind: str,
    text_: str,
    criterion_code: str = "",
    due_on: dt.date | None = None,
) -> ValidationItem:
    """Write a required action, recommendation or best practice (criterion from the frozen profile)."""
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    require_working(validation, _("writing report items"))
    if kind not in ItemKind.values:
        raise InvalidInput(_("Choose required action, recommendation or best practice."), field="kind")
    body = text(text_, field="text", missing=_("Write the item's text."))
    code = (criterion_code or "").strip()
    if kind == ItemKind.REQUIRED_ACTION and not code:
        raise InvalidInput(_("A required action names the criterion it concerns."), field="criterion_code")
    if code and code not in snap.codes(validation.snapshot):
        raise InvalidInput(
            _("Criterion %(c)s is not in the frozen profile this validation checks.") % {"c": code},
            field="criterion_code",
        )
    if due_on is not None and due_on < today():
        raise InvalidInput(_("The response date cannot be in the past."), field="due_on")
    item = ValidationItem.objects.create(
        validation=validation,
        kind=kind,
        text=body,
        criterion_code=code,
        due_on=due_on if kind == ItemKind.REQUIRED_ACTION else None,
        created_by=actor,
    )
    moved = start_work(validation)
    event(
        actor,
        validation,
        "validation.item",
        f"{ItemKind(kind).label} on {code or '—'}",
        obj=item,
        before=moved,
        after={"kind": kind, "criterion_code": code, "text": body, "status": validation.status},
    )
    return item


@transaction.atomic
def item_verify(*, actor, validation_id: int, item_id: int, verified: bool) -> ValidationItem:
    """Mark a best practice as verified (seen working) or not."""
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    require_working(validation, _("verifying best practices"))
    item = ValidationItem.objects.filter(pk=item_id, validation=validation).first()
    if item is None:
        raise NotFound()
    if item.kind != ItemKind.BEST_PRACTICE:
        raise InvalidInput(_("Only a best practice is verified."), field="verified")
    if item.verified == bool(verified):
        return item
    item.verified = bool(verified)
    item.save(update_fields=["verified"])
    event(
        actor,
        validation,
        "validation.item_verify",
        f"Best practice {'verified' if verified else 'unverified'}",
        obj=item,
        before={"verified": not item.verified},
        after={"verified": item.verified},
    )
    return item


@transaction.atomic
def item_delete(*, actor, validation_id: int, item_id: int) -> None:
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    require_working(validation, _("removing report items"))
    item = ValidationItem.objects.filter(pk=item_id, validation=validation).first()
    if item is None:
        raise NotFound()
    event(
        actor,
        validation,
        "validation.item_delete",
        f"{ItemKind(item.kind).label} removed",
        obj=item,
        before={"kind": item.kind, "criterion_code": item.criterion_code, "text": item.text},
    )
    item.delete()
