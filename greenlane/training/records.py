"""Staff training records: a supervisor records a completed course (or hours of one)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.accounts.choices import StaffRole
from greenlane.accounts.models import User
from greenlane.audit.services import record_event
from greenlane.core.errors import Forbidden, InvalidInput, NotFound

from . import permissions
from .models import TrainingRecord
from .rules import load_catalog

EARLIEST = dt.date(1990, 1, 1)


@transaction.atomic
def training_record_create(
    *, actor, user_id, course: str, completed_on: dt.date | None, hours, evidence: str
) -> TrainingRecord:
    if not permissions.is_staff(actor):
        raise NotFound()
    if not permissions.can_record(actor):
        raise Forbidden(_("Only supervisors and program managers record staff training."))
    try:
        person = User.objects.select_for_update().get(
            pk=int(user_id), staff_role__in=permissions.TRAINEE_ROLES
        )
    except (TypeError, ValueError, User.DoesNotExist):
        raise InvalidInput(_("Choose a specialist or supervisory specialist."), field="user") from None
    if actor.staff_role == StaffRole.SUPERVISORY_SCS and person.field_office_id != actor.field_office_id:
        raise Forbidden(_("A supervisor records training for the staff of their own field office."))
    errors: list[dict] = []
    catalog = load_catalog()
    if catalog.get(course or "") is None:
        errors.append({"field": "course", "message": _("Choose a course from the catalog.")})
    today = timezone.localdate()
    if completed_on is None:
        errors.append({"field": "completed_on", "message": _("Give the completion date.")})
    elif completed_on > today:
        errors.append({"field": "completed_on", "message": _("The completion date cannot be in the future.")})
    elif completed_on < EARLIEST:
        errors.append({"field": "completed_on", "message": _("The completion date is too far in the past.")})
    try:
        amount = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not Decimal("0.5") <= amount <= Decimal(500):
        errors.append({"field": "hours", "message": _("Hours must be a number from 0.5 to 500.")})
    evidence = (evidence or "").strip()
    if not evidence:
        errors.append(
            {"field": "evidence", "message": _("Say what proves it (certificate number, roster…).")}
        )
    elif len(evidence) > 300:
        errors.append({"field": "evidence", "message": _("Keep the evidence under 300 characters.")})
    if errors or completed_on is None or amount is None:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    record = TrainingRecord(
        user=person,
        course=course,
        completed_on=completed_on,
        hours=amount,
        evidence=evidence,
        recorded_by=actor,
    )
    record.full_clean()
    record.save()
    record_event(
        actor=actor,
        action="training.record",
        obj=record,
        summary=f"Training recorded for {person.email}: {course}, {amount} h on {completed_on}",
        after={
            "user": person.pk,
            "course": course,
            "completed_on": completed_on,
            "hours": amount,
            "evidence": evidence,
        },
    )
    return record
