"""Writes for seminars and registrations. Each runs in one transaction, locks the seminar row it changes,
writes one audit event and sends its e-mail after commit. Staff training records: records.py."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.audit.services import record_event
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.core.transitions import check_transition
from greenlane.partners.choices import EntityType, PartnerStatus
from greenlane.partners.selectors import partner_for

from . import permissions
from .choices import ACTIVE, TRANSITIONS, R, S, SeminarFormat, SeminarStatus
from .models import Registration, Seminar

TITLE_MAX, TEXT_MAX = 200, 5000
STAMPS = {S.OPEN: "opened_at", S.CLOSED: "closed_at", S.CANCELLED: "cancelled_at", S.HELD: "held_at"}
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper


@dataclass
class SeminarInput:
    title: str = ""
    description: str = ""
    format: str = ""
    place: str = ""
    link: str = ""
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    capacity: int | None = None
    registration_deadline: dt.datetime | None = None
    waitlist_enabled: bool = True
    audience_entity_types: list[str] = field(default_factory=list)
    field_office_id: int | None = None


def _require_manager(actor) -> None:
    if not permissions.is_staff(actor):
        raise NotFound()
    if not permissions.can_manage_seminars(actor):
        raise Forbidden(_("Only specialists, supervisors and program managers manage seminars."))


def _clean(data: SeminarInput) -> dict:
    errors: list[dict] = []

    def err(f: str, message: str) -> None:
        errors.append({"field": f, "message": message})

    title = (data.title or "").strip()
    if not title:
        err("title", _("Give the seminar a title."))
    elif len(title) > TITLE_MAX:
        err("title", _("Keep the title under %(n)s characters.") % {"n": TITLE_MAX})
    description = (data.description or "").strip()
    if len(description) > TEXT_MAX:
        err("description", _("Keep the description under %(n)s characters.") % {"n": f"{TEXT_MAX:,}"})
    place, link = (data.place or "").strip(), (data.link or "").strip()
    if data.format not in SeminarFormat.values:
        err("format", _("Choose in person or online."))
    elif data.format == SeminarFormat.IN_PERSON and not place:
        err("place", _("An in-person seminar needs a place (address or venue)."))
    elif data.format == SeminarFormat.ONLINE and not link.startswith("https://"):
        err("link", _("An online seminar needs a link starting with https://."))
    if data.format == SeminarFormat.IN_PERSON:
        link = ""
    elif data.format == SeminarFormat.ONLINE:
        place = ""
    if data.starts_at is None:
        err("starts_at", _("Give the start date and time."))
    if data.ends_at is None:
        err("ends_at", _("Give the end date and time."))
    elif data.starts_at is not None and data.ends_at <= data.starts_at:
        err("ends_at", _("The end must come after the start."))
    if data.capacity is None or not 1 <= data.capacity <= 10_000:
        err("capacity", _("Capacity must be a whole number from 1 to 10,000."))
    if data.registration_deadline is None:
        err("registration_deadline", _("Give the registration deadline."))
    elif data.starts_at is not None and data.registration_deadline > data.starts_at:
        err("registration_deadline", _("Registration must close before the seminar starts."))
    types = list(dict.fromkeys(data.audience_entity_types or []))
    unknown = [t for t in types if t not in EntityType.values]
    if unknown:
        err("audience_entity_types", _("Unknown entity type: %(t)s.") % {"t": ", ".join(unknown)})
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    return {
        "title": title,
        "description": description,
        "format": data.format,
        "place": place,
        "link": link,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "capacity": data.capacity,
        "registration_deadline": data.registration_deadline,
        "waitlist_enabled": bool(data.waitlist_enabled),
        "audience_entity_types": sorted(types),
        "field_office_id": data.field_office_id,
    }


def _snapshot(seminar: Seminar) -> dict:
    return {
        "title": seminar.title,
        "description": seminar.description,
        "format": seminar.format,
        "place": seminar.place,
        "link": seminar.link,
        "starts_at": seminar.starts_at,
        "ends_at": seminar.ends_at,
        "capacity": seminar.capacity,
        "registration_deadline": seminar.registration_deadline,
        "waitlist_enabled": seminar.waitlist_enabled,
        "audience_entity_types": seminar.audience_entity_types,
        "field_office_id": seminar.field_office_id,
        "status": seminar.status,
    }


def _locked(seminar_id) -> Seminar:
    try:
        pk = int(seminar_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    seminar = Seminar.objects.select_for_update().filter(pk=pk).first()
    if seminar is None:
        raise NotFound()
    return seminar


@transaction.atomic
def seminar_create(*, actor, data: SeminarInput) -> Seminar:
    _require_manager(actor)
    seminar = Seminar(**_clean(data), created_by=actor)
    seminar.full_clean()
    seminar.save()
    record_event(
        actor=actor,
        action="training.seminar_create",
        obj=seminar,
        summary=f"Seminar drafted: {seminar.title}",
        after=_snapshot(seminar),
    )
    return seminar


@transaction.atomic
def seminar_update(*, actor, seminar_id, data: SeminarInput) -> Seminar:
    _require_manager(actor)
    seminar = _locked(seminar_id)
    if seminar.status in (S.CANCELLED, S.HELD):
        raise Conflict(_("A cancelled or held seminar can no longer be changed."), field="status")
    values = _clean(data)
    seats = seminar.registrations.filter(status=R.REGISTERED).count()
    if values["capacity"] < seats:
        raise InvalidInput(
            _("%(n)s people already hold a seat: capacity cannot go below that.") % {"n": seats},
            field="capacity",
        )
    before = _snapshot(seminar)
    for key, value in values.items():
        setattr(seminar, key, value)
    seminar.full_clean()
    seminar.save()
    promoted = _promote(seminar)
    after = _snapshot(seminar)
    changed = {k: after[k] for k in after if after[k] != before[k]}
    record_event(
        actor=actor,
        action="training.seminar_update",
        obj=seminar,
        summary=f"Seminar changed: {seminar.title}"
        + (f" ({len(promoted)} promoted from the waiting list)" if promoted else ""),
        before={k: before[k] for k in changed},
        after={**changed, **({"promoted": [r.pk for r in promoted]} if promoted else {})},
    )
    return seminar


def _label(value: str) -> str:
    return str(SeminarStatus(value).label) if value in SeminarStatus.values else value


@transaction.atomic
def seminar_set_status(*, actor, seminar_id, status: str, reason: str = "") -> Seminar:
    _require_manager(actor)
    seminar = _locked(seminar_id)
    check_transition(TRANSITIONS, seminar.status, status, label=_label)
    now = timezone.now()
    reason = (reason or "").strip()[:2000]
    if status == S.HELD and seminar.starts_at > now:
        raise Conflict(_("A seminar can be marked held only once it has started."), field="status")
    if status == S.OPEN and seminar.registration_deadline <= now:
        raise Conflict(
            _("The registration deadline has passed: move it later before opening registration."),
            field="registration_deadline",
        )
    if status == S.CANCELLED and not reason:
        raise InvalidInput(_("Say why the seminar is cancelled: registrants are told."), field="reason")
    before = seminar.status
    seminar.status = status
    setattr(seminar, STAMPS[S(status)], now)
    seminar.save(update_fields=["status", STAMPS[S(status)]])
    record_event(
        actor=actor,
        action="training.seminar_status",
        obj=seminar,
        summary=f"Seminar {seminar.title}: {_label(before)} → {_label(status)}",
        before={"status": before},
        after={"status": status},
        reason=reason,
    )
    if status == S.CANCELLED:
        emails = list(
            seminar.registrations.filter(status__in=ACTIVE, user__is_active=True).values_list(
                "user__email", flat=True
            )
        )
        _mail(
            emails,
            _("Seminar cancelled: %(t)s") % {"t": seminar.title},
            [_("The seminar you registered for has been cancelled."), _("Reason: %(r)s") % {"r": reason}],
        )
    return seminar


def _mail(recipients: list[str], subject: str, lines: list[str]) -> None:
    def send() -> None:
        if recipients:
            send_mail(subject, "\n".join([subject, "", *lines]), None, recipients)

    transaction.on_commit(send)


def _when(seminar: Seminar) -> str:
    where = seminar.link if seminar.is_online else seminar.place
    return f"{timezone.localtime(seminar.starts_at):%Y-%m-%d %H:%M} – {where}"


def _audience_includes(seminar: Seminar, partner) -> bool:
    return not seminar.audience_entity_types or partner.entity_type in seminar.audience_entity_types


@transaction.atomic
def registration_create(*, actor, partner_id, seminar_id) -> Registration:
    """Register the acting person for their company: a seat, or a place on the waiting list when full.

    The seminar row is locked first, so two people asking for the last seat are served one after the other:
    one gets the seat, the other the waiting list (or a refusal when there is none).
    """
    access = partner_for(actor, partner_id)
    if access.is_staff:
        raise NotFound()
    partner = access.partner
    seminar = _locked(seminar_id)
    if seminar.status not in (S.OPEN, S.CLOSED, S.HELD, S.CANCELLED) or not _audience_includes(
        seminar, partner
    ):
        raise NotFound()
    if partner.status != PartnerStatus.CERTIFIED:
        raise Forbidden(_("Only certified members may register for program seminars."))
    now = timezone.now()
    if seminar.status != S.OPEN or seminar.registration_deadline <= now:
        raise Conflict(_("Registration for this seminar is closed."), field="seminar")
    existing = Registration.objects.select_for_update().filter(seminar=seminar, user=actor).first()
    if existing is not None and existing.status in ACTIVE:
        raise Conflict(_("You are already registered for this seminar."), field="seminar")
    seats = seminar.registrations.filter(status=R.REGISTERED).count()
    if seats >= seminar.capacity and not seminar.waitlist_enabled:
        raise Conflict(
            _("This seminar is full (%(n)s seats) and has no waiting list: registration refused.")
            % {"n": seminar.capacity},
            field="seminar",
        )
    status = R.REGISTERED if seats < seminar.capacity else R.WAITLISTED
    registration = existing or Registration(seminar=seminar, user=actor)
    before = {"status": existing.status} if existing else {}
    registration.partner = partner
    registration.status = status
    registration.queued_at = registration.registered_at = now
    registration.cancelled_at = registration.promoted_at = None
    registration.save()
    record_event(
        actor=actor,
        action="training.register",
        partner=partner,
        obj=registration,
        summary=f"{actor.email} {'registered for' if status == R.REGISTERED else 'waitlisted at'} {seminar.title}",
        before=before,
        after={"status": status, "seminar": seminar.pk, "seats_taken": seats + (status == R.REGISTERED)},
    )
    if status == R.REGISTERED:
        subject = _("Registered: %(t)s") % {"t": seminar.title}
        lines = [_("Your seat is confirmed."), _when(seminar)]
    else:
        subject = _("Waiting list: %(t)s") % {"t": seminar.title}
        lines = [_("The seminar is full; you are on the waiting list. We e-mail you if a seat frees up.")]
    _mail([actor.email], subject, lines)
    return registration


def _promote(seminar: Seminar) -> list[Registration]:
    """Give free seats to the waiting list, first come first served (the seminar row is locked)."""
    if seminar.status not in (S.OPEN, S.CLOSED):
        return []
    free = seminar.capacity - seminar.registrations.filter(status=R.REGISTERED).count()
    if free <= 0:
        return []
    waiting = list(
        seminar.registrations.select_for_update()
        .select_related("user")
        .filter(status=R.WAITLISTED)
        .order_by("queued_at", "id")[:free]
    )
    now = timezone.now()
    for reg in waiting:
        reg.status, reg.promoted_at = R.REGISTERED, now
        reg.save(update_fields=["status", "promoted_at"])
        _mail(
            [reg.user.email],
            _("A seat is yours: %(t)s") % {"t": seminar.title},
            [_("A seat freed up and you have moved from the waiting list to the seminar."), _when(seminar)],
        )
    return waiting


@transaction.atomic
def registration_cancel(*, actor, partner_id, registration_id) -> Registration:
    """Cancel a seat or a waiting-list place; a freed seat goes to the first person waiting."""
    access = partner_for(actor, partner_id)
    if access.is_staff:
        raise NotFound()
    found = Registration.objects.filter(pk=_int(registration_id), partner=access.partner).first()
    if found is None:
        raise NotFound()
    seminar = _locked(found.seminar_id)
    registration = Registration.objects.select_for_update().get(pk=found.pk)
    if registration.status not in ACTIVE:
        raise Conflict(_("This registration is not active: nothing to cancel."), field="status")
    if seminar.status not in (S.OPEN, S.CLOSED) or seminar.starts_at <= timezone.now():
        raise Conflict(_("The seminar has started or ended: a registration can no longer be cancelled."))
    before = registration.status
    registration.status, registration.cancelled_at = R.CANCELLED, timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    promoted = _promote(seminar) if before == R.REGISTERED else []
    record_event(
        actor=actor,
        action="training.cancel",
        partner=access.partner,
        obj=registration,
        summary=f"Registration cancelled: {registration.user.email} at {seminar.title}"
        + (f"; {promoted[0].user.email} promoted from the waiting list" if promoted else ""),
        before={"status": before},
        after={"status": R.CANCELLED, "promoted": [r.pk for r in promoted]},
    )
    _mail(
        [registration.user.email],
        _("Registration cancelled: %(t)s") % {"t": seminar.title},
        [_("Your registration has been cancelled.")],
    )
    return registration


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(12))
        if not Registration.objects.filter(certificate_code=code).exists():
            return code


@transaction.atomic
def attendance_record(*, actor, seminar_id, present: set[int]) -> list[Registration]:
    """Take the roll of a held seminar: those present get a certificate code, the rest are marked absent."""
    _require_manager(actor)
    seminar = _locked(seminar_id)
    if seminar.status != S.HELD:
        raise Conflict(_("Mark the seminar as held before taking attendance."), field="status")
    rows = list(
        seminar.registrations.select_for_update().filter(status__in=(R.REGISTERED, R.ATTENDED, R.ABSENT))
    )
    known = {r.pk for r in rows}
    stray = sorted(set(present) - known)
    if stray:
        raise InvalidInput(
            _("Not a seat holder of this seminar: registration %(ids)s.")
            % {"ids": ", ".join(map(str, stray))},
            field="present",
        )
    now = timezone.now()
    before, after, changed = {}, {}, []
    for reg in rows:
        target = R.ATTENDED if reg.pk in present else R.ABSENT
        if reg.status == target:
            continue
        before[reg.pk], after[reg.pk] = reg.status, target
        reg.status, reg.marked_at = target, now
        if target == R.ATTENDED and not reg.certificate_code:
            reg.certificate_code = _new_code()
        reg.save(update_fields=["status", "marked_at", "certificate_code"])
        changed.append(reg)
    if changed:
        attended = sum(1 for r in rows if r.status == R.ATTENDED)
        record_event(
            actor=actor,
            action="training.attendance",
            obj=seminar,
            summary=f"Attendance for {seminar.title}: {attended} of {len(rows)} present",
            before=before,
            after=after,
        )
    return changed
