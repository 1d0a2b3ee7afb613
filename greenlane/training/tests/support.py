"""Builders for the training tests: seminars in any state, certified members with people."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from greenlane.partners.models import Membership
from greenlane.screening.tests.test_lifecycle_support import certified
from greenlane.training import services
from greenlane.training.models import Seminar

_seq = itertools.count(1)


def seminar_input(**over) -> services.SeminarInput:
    start = timezone.now() + dt.timedelta(days=20)
    values = {
        "title": "Seal security in practice",
        "description": "ISO 17712 seals, verification and the VVTT method.",
        "format": "in_person",
        "place": "Port of Newark, Building 2",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=4),
        "capacity": 2,
        "registration_deadline": start - dt.timedelta(days=2),
        "waitlist_enabled": True,
        "audience_entity_types": [],
    }
    values.update(over)
    return services.SeminarInput(**values)


def open_seminar(manager, **over) -> Seminar:
    seminar = services.seminar_create(actor=manager, data=seminar_input(**over))
    return services.seminar_set_status(actor=manager, seminar_id=seminar.pk, status="open")


def member(make_user, *, people: int = 1, entity_type: str = "importer"):
    """A certified company with `people` users (the first is its officer)."""
    n = next(_seq)
    officer = make_user(f"officer{n}@member{n}.example")
    partner = certified(officer, entity_type=entity_type)
    users = [officer]
    for i in range(1, people):
        user = make_user(f"person{i}@member{n}.example")
        Membership.objects.create(user=user, partner=partner, role="contributor")
        users.append(user)
    return partner, users


def held(seminar: Seminar, manager) -> Seminar:
    """Move a seminar into the past and mark it held (as happens after the day)."""
    past = timezone.now() - dt.timedelta(days=1)
    Seminar.objects.filter(pk=seminar.pk).update(
        starts_at=past,
        ends_at=past + dt.timedelta(hours=3),
        registration_deadline=past - dt.timedelta(days=1),
    )
    if seminar.status == "open":
        services.seminar_set_status(actor=manager, seminar_id=seminar.pk, status="closed")
    return services.seminar_set_status(actor=manager, seminar_id=seminar.pk, status="held")
