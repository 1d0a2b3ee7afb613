"""Reads for seminars, registrations and staff training, scoped to the actor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from greenlane.accounts.models import User
from greenlane.core.errors import NotFound
from greenlane.core.paging import Page, paginate
from greenlane.partners.selectors import PartnerAccess, partner_for

from . import permissions
from .choices import ACTIVE, PUBLISHED, R, S
from .models import Registration, Seminar, TrainingRecord
from .rules import Owed, Person, Record, load_catalog, owed


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def _with_counts(qs: QuerySet[Seminar]) -> QuerySet[Seminar]:
    return qs.annotate(
        seats_taken=Count(
            "registrations", filter=Q(registrations__status__in=(R.REGISTERED, R.ATTENDED, R.ABSENT))
        ),
        waiting=Count("registrations", filter=Q(registrations__status=R.WAITLISTED)),
    )


def _audience(partner) -> Q:
    # JSON "contains" is not on SQLite: the audience list is short, so match its text form.
    return Q(audience_entity_types=[]) | Q(audience_entity_types__icontains=f'"{partner.entity_type}"')


# --- the company side -----------------------------------------------------------------------------------


@dataclass
class CompanySeminars:
    access: PartnerAccess
    upcoming: list[Seminar]
    mine: list[Registration]

    @property
    def is_member(self) -> bool:
        return self.access.partner.status == "certified"


def company_seminars(actor, partner_id) -> CompanySeminars:
    access = partner_for(actor, partner_id)
    if access.is_staff:
        raise NotFound()
    now = timezone.now()
    upcoming = list(
        _with_counts(
            Seminar.objects.filter(_audience(access.partner), status__in=(S.OPEN, S.CLOSED), ends_at__gte=now)
        ).order_by("starts_at", "id")[:100]
    )
    mine = list(
        Registration.objects.filter(partner=access.partner)
        .select_related("seminar", "user")
        .order_by("-seminar__starts_at", "id")[:200]
    )
    return CompanySeminars(access, upcoming, mine)


def company_seminar(actor, partner_id, seminar_id) -> tuple[PartnerAccess, Seminar, Registration | None]:
    access = partner_for(actor, partner_id)
    if access.is_staff:
        raise NotFound()
    seminar = (
        _with_counts(Seminar.objects.filter(_audience(access.partner), status__in=PUBLISHED))
        .filter(pk=_int(seminar_id))
        .first()
    )
    if seminar is None:
        raise NotFound()
    mine = Registration.objects.filter(seminar=seminar, user=actor).first()
    return access, seminar, mine


def company_registration(actor, partner_id, registration_id) -> tuple[PartnerAccess, Registration]:
    access = partner_for(actor, partner_id)
    if access.is_staff:
        raise NotFound()
    reg = (
        Registration.objects.filter(pk=_int(registration_id), partner=access.partner)
        .select_related("seminar", "user", "partner")
        .first()
    )
    if reg is None:
        raise NotFound()
    return access, reg


def company_registrations(actor, partner_id) -> list[Registration]:
    return company_seminars(actor, partner_id).mine


def certificate_by_code(code: str) -> Registration | None:
    """Public verification of a certificate: the code is the secret; only the attended seat matches."""
    code = (code or "").strip().upper().replace("-", "").replace(" ", "")
    if len(code) != 12:
        return None
    return (
        Registration.objects.filter(certificate_code=code, status=R.ATTENDED)
        .select_related("seminar", "user", "partner")
        .first()
    )


# --- the staff side -------------------------------------------------------------------------------------


def _require_staff(actor) -> None:
    if not permissions.is_staff(actor):
        raise NotFound()


def staff_seminars(actor, *, status: str = "", limit: int | None, offset: int | None) -> Page:
    _require_staff(actor)
    qs = _with_counts(Seminar.objects.all())
    if status:
        qs = qs.filter(status=status)
    return paginate(qs.order_by("-starts_at", "-id"), limit=limit, offset=offset)


def seminar_for_staff(actor, seminar_id) -> Seminar:
    _require_staff(actor)
    seminar = (
        _with_counts(Seminar.objects.select_related("created_by", "field_office"))
        .filter(pk=_int(seminar_id))
        .first()
    )
    if seminar is None:
        raise NotFound()
    return seminar


def seminar_registrations(actor, seminar_id) -> list[Registration]:
    seminar = seminar_for_staff(actor, seminar_id)
    return list(seminar.registrations.select_related("user", "partner").order_by("status", "queued_at", "id"))


def published_seminars(actor, *, limit: int | None, offset: int | None) -> Page:
    """The API list: staff see every seminar, trade users the published ones."""
    if permissions.is_staff(actor):
        return staff_seminars(actor, limit=limit, offset=offset)
    qs = _with_counts(Seminar.objects.filter(status__in=PUBLISHED)).order_by("-starts_at", "-id")
    return paginate(qs, limit=limit, offset=offset)


def published_seminar(actor, seminar_id) -> Seminar:
    if permissions.is_staff(actor):
        return seminar_for_staff(actor, seminar_id)
    seminar = _with_counts(Seminar.objects.filter(status__in=PUBLISHED)).filter(pk=_int(seminar_id)).first()
    if seminar is None:
        raise NotFound()
    return seminar


# --- staff training -------------------------------------------------------------------------------------


@dataclass
class PersonDue:
    user: User
    owed: list[Owed]

    @property
    def overdue(self) -> list[Owed]:
        return [o for o in self.owed if o.overdue]

    @property
    def first_due(self) -> dt.date | None:
        return self.owed[0].due if self.owed else None


def trainees(field_office: int | None = None) -> QuerySet[User]:
    qs = User.objects.filter(staff_role__in=permissions.TRAINEE_ROLES, is_active=True).select_related(
        "field_office"
    )
    if field_office:
        qs = qs.filter(field_office_id=field_office)
    return qs.order_by("field_office__name", "full_name", "email")


def owed_by_user(users: list[User], today: dt.date | None = None) -> dict[int, list[Owed]]:
    """What each person owes, from the catalog's rules and their records: two queries whatever the count."""
    today = today or timezone.localdate()
    catalog = load_catalog()
    records: dict[int, list[Record]] = {}
    rows = TrainingRecord.objects.filter(user__in=[u.pk for u in users]).values_list(
        "user_id", "course", "completed_on", "hours"
    )
    for user_id, course, completed_on, hours in rows:
        records.setdefault(user_id, []).append(Record(course, completed_on, hours))
    return {
        u.pk: owed(
            Person(u.pk, u.staff_role, timezone.localdate(u.date_joined)),
            records.get(u.pk, []),
            catalog,
            today,
        )
        for u in users
    }


def due_list(actor, *, field_office: int | None = None, today: dt.date | None = None) -> list[PersonDue]:
    """Who owes what by when, per field office: people with something overdue first, then by first due date."""
    _require_staff(actor)
    today = today or timezone.localdate()
    people = list(trainees(field_office))
    dues = owed_by_user(people, today)
    out = [PersonDue(u, dues[u.pk]) for u in people if dues[u.pk]]
    out.sort(key=lambda p: (not p.overdue, p.first_due or dt.date.max, p.user.email))
    return out


def person_training(actor, user_id) -> tuple[User, list[TrainingRecord], list[Owed]]:
    _require_staff(actor)
    person = trainees().filter(pk=_int(user_id)).first()
    if person is None:
        raise NotFound()
    records = list(TrainingRecord.objects.filter(user=person).select_related("recorded_by"))
    return person, records, owed_by_user([person])[person.pk]


def training_records(actor, *, user_id: int | None = None, limit: int | None, offset: int | None) -> Page:
    _require_staff(actor)
    qs = TrainingRecord.objects.select_related("user", "recorded_by")
    if user_id:
        qs = qs.filter(user_id=user_id)
    return paginate(qs.order_by("-completed_on", "-id"), limit=limit, offset=offset)


__all__ = ["ACTIVE", "CompanySeminars", "PersonDue"]
