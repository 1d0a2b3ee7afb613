from __future__ import annotations

import random

import pytest

from greenlane.svi import webhooks
from greenlane.svi.demo import seed_demo
from greenlane.svi.models import (
    BulkVerification,
    CertificationNotice,
    MonitoringLink,
    StatusChange,
    WebhookDelivery,
)

from .support import certified

pytestmark = pytest.mark.django_db


def test_seed_demo_shows_every_page_something(user_factory, staff, django_capture_on_commit_callbacks):
    officer = user_factory("officer@demo.example")
    user_factory("scs@demo.example", staff_role="scs")
    companies = [certified(officer, name=f"Demo Co {i}") for i in range(9)]
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo(random.Random(1))
    assert webhooks.RESOLVER is not None
    company = companies[0]
    assert MonitoringLink.objects.filter(requester=company, status="accepted").count() == 5
    assert MonitoringLink.objects.filter(requester=company, status="pending").count() == 1
    assert MonitoringLink.objects.filter(target=company, status="pending").count() == 1
    assert MonitoringLink.objects.filter(target=company, status="declined").count() == 1
    change = StatusChange.objects.get(kind="suspended")
    assert change.monitors_notified == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "retrying" and "could not be resolved" in delivery.error, (
        delivery.status,
        delivery.error,
    )
    run = BulkVerification.objects.get()
    assert run.matched_count >= 5 and run.error_count == 1
    assert CertificationNotice.objects.count() == 1
