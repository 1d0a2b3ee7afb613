"""A referred decision shows the due date moved by information-request pauses, on the page and in the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from greenlane.screening import deadlines, lifecycle
from greenlane.screening.tests.test_lifecycle_support import referral

pytestmark = pytest.mark.django_db


def test_referred_decision_shows_the_paused_due_date(user_factory, staff, login, client, auth_header):
    officer = user_factory("officer@acme.example")
    case = referral(officer, submitted_days_ago=20, assigned_to=staff["scs"])
    stored = case.decision.decision_due
    request = lifecycle.referral_request_info(
        actor=staff["scs"],
        referral_id=case.pk,
        message="Send the seal log.",
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    # The request was sent 5 days ago and is still open: the clock has been paused since then.
    type(request).objects.filter(pk=request.pk).update(requested_at=timezone.now() - dt.timedelta(days=5))
    case.refresh_from_db()
    current = deadlines.referral_due(case)
    assert current > stored

    pid, did = case.partner_id, case.decision_id
    page = login(officer).get(f"/companies/{pid}/decisions/{did}/").content.decode()
    assert current.isoformat() in page and stored.isoformat() not in page
    listing = login(officer).get(f"/companies/{pid}/decisions/").content.decode()
    assert current.isoformat() in listing
    body = client.get(f"/api/v1/partners/{pid}/decisions/{did}", **auth_header(officer)).json()
    assert body["decision_due"] == current.isoformat()
