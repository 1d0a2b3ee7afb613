import random

import pytest

from greenlane.bpregister.models import Questionnaire, RegisterEntry
from greenlane.mra.models import ForeignMember, MraConsent

pytestmark = pytest.mark.django_db


def test_demo_seeders_run_on_a_small_population(user_factory):
    from greenlane.bpregister import demo as bp_demo
    from greenlane.mra import demo as mra_demo
    from greenlane.mra.tests.support import certified

    user_factory("manager@demo.example", staff_role="program_manager")
    officer = user_factory("officer@demo.example")
    certified(officer, name="Demo Imports")
    mra_demo.seed_demo(random.Random(1))
    bp_demo.seed_demo(random.Random(1))
    assert ForeignMember.objects.count() == 14
    assert MraConsent.objects.count() == 3
    assert RegisterEntry.objects.count() == 9
    assert Questionnaire.objects.filter(answered_at__isnull=False).count() == 1
    assert Questionnaire.objects.count() == 2
