"""The demo seeder makes validations in every state through the services."""

from __future__ import annotations

import random

import pytest

from conftest import make_user
from greenlane.validations.demo import STAGES, seed_demo
from greenlane.validations.models import HoursEntry, Validation

from .support import member

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_each_stage(officer):
    for email in ("scs@demo.example", "scs2@demo.example", "scs3@demo.example"):
        make_user(email, staff_role="scs")
    make_user("supervisor@demo.example", staff_role="supervisory_scs")
    make_user("manager@demo.example", staff_role="program_manager")
    for n in range(len(STAGES)):
        member(officer, name=f"Demo Co {n}")
    seed_demo(random.Random(1))
    statuses = sorted(Validation.objects.values_list("status", flat=True))
    assert statuses.count("closed") == 3
    assert {"published", "report_review", "in_progress", "scheduled", "planned"} <= set(statuses)
    assert set(Validation.objects.filter(status="closed").values_list("outcome", flat=True)) == {
        "meets",
        "exceeds",
        "fails",
    }
    published = Validation.objects.get(status="published")
    assert published.items.filter(kind="required_action", responded_at__isnull=True).exists()
    assert HoursEntry.objects.count() > 10
