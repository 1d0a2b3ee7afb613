import random

import pytest

from conftest import make_user
from greenlane.comms import demo
from greenlane.comms.models import Attachment, Bulletin, Thread, ThreatAssessment

from .conftest import make_partner

pytestmark = pytest.mark.django_db


def test_seed_demo_goes_through_the_services(catalog):
    manager = make_user("manager@demo.example", staff_role="program_manager")
    make_user("intel@demo.example", staff_role="intelligence_analyst")
    scs = make_user("scs@demo.example", staff_role="scs")
    officer = make_user("officer@demo.example")
    make_partner(officer, scs=scs, tier=2)
    demo.seed_demo(random.Random(1))
    assert Bulletin.objects.filter(status="published").count() == 4
    assert Bulletin.objects.filter(kind="alert", status="published").count() == 1
    assert Bulletin.objects.filter(status="scheduled").count() == 1
    assert Bulletin.objects.filter(status="draft").count() == 1
    assert ThreatAssessment.objects.filter(status="published").count() == 2
    assert Thread.objects.count() == 2 and Attachment.objects.count() == 1
    assert manager.pk
