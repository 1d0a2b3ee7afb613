"""The demo seed goes through the services and gives every training page something real."""

from __future__ import annotations

import random

import pytest

from greenlane.training import selectors
from greenlane.training.demo import seed_demo
from greenlane.training.models import Registration, Seminar, TrainingRecord

from .support import member

pytestmark = pytest.mark.django_db


def test_seed_demo(user_factory):
    staff = {}
    for email, role, office in [
        ("manager@demo.example", "program_manager", "washington-dc"),
        ("scs@demo.example", "scs", "new-york"),
        ("scs2@demo.example", "scs", "miami"),
        ("scs3@demo.example", "scs", "los-angeles"),
        ("supervisor@demo.example", "supervisory_scs", "new-york"),
    ]:
        staff[email] = user_factory(email, staff_role=role, office=office)
    for _i in range(3):
        member(user_factory, people=3)
    seed_demo(random.Random(4))
    statuses = dict(Seminar.objects.values_list("title", "status"))
    assert sorted(statuses.values()) == ["draft", "held", "open", "open", "open"]
    full = Seminar.objects.get(title__startswith="Seal security")
    assert full.registrations.filter(status="registered").count() == 3
    assert full.registrations.filter(status="waitlisted").count() == 2
    assert Registration.objects.filter(status="attended").exclude(certificate_code=None).count() == 5
    assert TrainingRecord.objects.count() == 9
    rows = selectors.due_list(staff["manager@demo.example"])
    assert rows and rows[0].overdue  # expired refreshers come first
