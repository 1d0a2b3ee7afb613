"""Seminar statuses and their transition table; registration statuses; seminar formats."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SeminarStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for registration")
    CLOSED = "closed", _("Registration closed")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")


S = SeminarStatus

# Allowed (from -> to) pairs; anything else is refused by core.transitions.check_transition.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.OPEN, S.CANCELLED}),
    S.OPEN: frozenset({S.CLOSED, S.CANCELLED}),
    S.CLOSED: frozenset({S.OPEN, S.HELD, S.CANCELLED}),
    S.CANCELLED: frozenset(),
    S.HELD: frozenset(),
}
# Statuses a member sees (a draft is the staff's own business).
PUBLISHED = frozenset({S.OPEN, S.CLOSED, S.HELD, S.CANCELLED})


class SeminarFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Did not attend")


R = RegistrationStatus
# A registration that holds (or waits for) a seat.
ACTIVE = frozenset({R.REGISTERED, R.WAITLISTED})
# Marked at the attendance roll.
ROLL = frozenset({R.ATTENDED, R.ABSENT})
