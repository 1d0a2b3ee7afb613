from __future__ import annotations

import random
import time

import pytest

from conftest import make_user
from greenlane.community import demo
from greenlane.community.models import AbuseReport, BestPractice, Document, Post, Topic

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_every_page(staff):
    from greenlane.screening.tests.test_lifecycle_support import certified

    officer = make_user("officer@demo.example")
    for email, role in (
        ("scs@demo.example", "scs"),
        ("supervisor@demo.example", "supervisory_scs"),
        ("manager@demo.example", "program_manager"),
    ):
        make_user(email, staff_role=role)
    make_user("contributor@demo.example")
    home = certified(officer, name="Demo Imports")
    certified(officer, name="Demo Carrier")
    from greenlane.partners import services

    services.membership_add(
        actor=officer, partner_id=home.pk, email="contributor@demo.example", role="contributor"
    )
    started = time.perf_counter()
    demo.seed_demo(random.Random(1))
    assert time.perf_counter() - started < 10
    assert Topic.objects.filter(locked=True).count() == 1 and Topic.objects.count() == 2
    assert Post.objects.count() >= 6
    assert Document.objects.filter(kind="library", latest_version=2).count() == 1
    exchanged = Document.objects.get(kind="exchange")
    assert exchanged.partner == home and exchanged.latest_version == 2
    assert BestPractice.objects.filter(status="approved").count() == len(demo.PRACTICES)
    assert BestPractice.objects.filter(status="submitted").count() == 1
    assert BestPractice.objects.filter(company_consent=True).exists()
    assert AbuseReport.objects.count() == 0  # no company admin in this small world
