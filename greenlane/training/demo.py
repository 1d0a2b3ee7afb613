"""Demo training data, through the services: upcoming seminars (one full with a waiting list), a past seminar
with its attendance taken and certificates issued, and staff training records with some overdue."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from greenlane.partners.models import Membership

from . import records, services
from .models import Seminar


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _seminar(manager, title: str, days: int, capacity: int, **over) -> Seminar:
    data = services.SeminarInput(
        title=title,
        description=over.pop("description", ""),
        format=over.pop("format", "in_person"),
        place=over.pop("place", ""),
        link=over.pop("link", ""),
        starts_at=_at(days, 9),
        ends_at=_at(days, 13),
        capacity=capacity,
        registration_deadline=_at(days - 2, 17),
        **over,
    )
    seminar = services.seminar_create(actor=manager, data=data)
    return services.seminar_set_status(actor=manager, seminar_id=seminar.pk, status="open")


def seed_demo(rng: random.Random) -> None:
    User = get_user_model()
    staff = {u.email: u for u in User.objects.filter(email__endswith="@demo.example").exclude(staff_role="")}
    manager = staff.get("manager@demo.example")
    if manager is None:
        return
    people = list(
        Membership.objects.filter(partner__status="certified", user__is_active=True)
        .select_related("user", "partner")
        .order_by("partner_id", "id")
    )
    seen, attendees = set(), []
    officer = next((m for m in people if m.user.email == "officer@demo.example"), None)
    for m in ([officer] if officer else []) + people:
        if m.user_id not in seen:
            seen.add(m.user_id)
            attendees.append(m)
    rest = attendees[1:]
    rng.shuffle(rest)
    attendees = attendees[:1] + rest

    def register(m, seminar):
        return services.registration_create(actor=m.user, partner_id=m.partner_id, seminar_id=seminar.pk)

    # A past seminar: registrations while open, then moved to its (past) date, held, the roll taken.
    past = _seminar(
        manager,
        "The partnership agreement and the minimum security criteria",
        30,
        20,
        place="CBP Field Office, 1 World Trade Center, New York",
        description="What the agreement commits each side to; a walk through the twelve criteria categories.",
    )
    taken = [register(m, past) for m in attendees[:6]]
    data = services.SeminarInput(
        title=past.title,
        description=past.description,
        format=past.format,
        place=past.place,
        starts_at=_at(-21, 9),
        ends_at=_at(-21, 13),
        capacity=past.capacity,
        registration_deadline=_at(-23, 17),
    )
    services.seminar_update(actor=manager, seminar_id=past.pk, data=data)
    services.seminar_set_status(actor=manager, seminar_id=past.pk, status="closed")
    services.seminar_set_status(actor=manager, seminar_id=past.pk, status="held")
    services.attendance_record(actor=manager, seminar_id=past.pk, present={r.pk for r in taken[:5]})

    # Upcoming: one full with a waiting list (the demo officer holds a seat), one online with room.
    scs = staff.get("scs@demo.example", manager)
    full = _seminar(
        scs,
        "Seal security and container inspection (seven-point)",
        14,
        3,
        place="Port Newark Container Terminal, Training Room B",
        description="ISO 17712 high-security seals, the seven-point container inspection, recording seal numbers.",
    )
    for m in attendees[:5]:
        register(m, full)
    online = _seminar(
        staff.get("scs2@demo.example", manager),
        "Cybersecurity for supply chain partners",
        35,
        100,
        format="online",
        link="https://meet.example.gov/ctpat-cyber",
        description="The cybersecurity criteria (category 4) in practice, with time for questions.",
    )
    for m in attendees[5:9]:
        register(m, online)
    _seminar(
        manager,
        "Agricultural security and pest contamination",
        60,
        40,
        place="CBP Field Office, Miami",
        audience_entity_types=["sea_carrier", "importer", "marine_port_terminal_operator"],
        waitlist_enabled=False,
    )
    draft = services.seminar_create(
        actor=manager,
        data=services.SeminarInput(
            title="Business partner screening (draft)",
            format="online",
            link="https://meet.example.gov/ctpat-bp",
            starts_at=_at(90, 14),
            ends_at=_at(90, 16),
            capacity=200,
            registration_deadline=_at(85, 17),
        ),
    )
    del draft

    # Staff training records: the course done, on-the-job hours under way, an expired refresher (overdue).
    today = timezone.localdate()
    recorder = manager
    plan = {
        "scs@demo.example": [("scs_course", 40, "80", "OTD class roster 2026-03"), ("ojt", 30, "48", "Shadowed 4 validations"),
                             ("antiterrorism_refresher", 700, "8", "Refresher certificate AT-2024-118")],
        "scs2@demo.example": [("scs_course", 20, "80", "OTD class roster 2026-05"), ("ojt", 10, "120", "Mentor sign-off"),
                              ("ce", 5, "16", "University module SCM-201")],
        "scs3@demo.example": [("antiterrorism_refresher", 900, "8", "Refresher certificate AT-2023-044")],
        "supervisor@demo.example": [("scs_course", 60, "80", "OTD class roster 2025-11"),
                                    ("antiterrorism_refresher", 100, "8", "Refresher certificate AT-2026-007")],
    }  # fmt: skip
    for email, rows in plan.items():
        person = staff.get(email)
        if person is None:
            continue
        for course, days_ago, hours, evidence in rows:
            records.training_record_create(
                actor=recorder,
                user_id=person.pk,
                course=course,
                completed_on=today - dt.timedelta(days=days_ago),
                hours=hours,
                evidence=evidence,
            )
