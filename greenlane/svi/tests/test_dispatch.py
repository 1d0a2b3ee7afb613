"""Status changes reach monitors: a real suspension, reinstatement and removal through the lifecycle services."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.core import mail

from greenlane.notifications.models import Notification
from greenlane.partners import services as partner_services
from greenlane.screening.lifecycle import membership
from greenlane.svi import dispatch, hooks, services, webhooks
from greenlane.svi.models import StatusChange, WebhookDelivery

from .support import certified, join

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(user_factory):
    watcher_user = user_factory("svi-watch@example.com")
    watched_user = user_factory("svi-watched@example.com")
    watcher = certified(watcher_user, name="Watcher Inc")
    watched = certified(watched_user, name="Watched Ltd")
    join(watcher_user, watcher)
    join(watched_user, watched, auto_accept=True, share="status_tier")
    services.link_request(actor=watcher_user, partner_id=watcher.pk, target_id=watched.pk)
    created = webhooks.webhook_create(
        actor=watcher_user, partner_id=watcher.pk, url="https://hooks.example.com/svi"
    )
    return watcher_user, watcher, watched, created


def test_real_suspension_notifies_monitor(linked, staff, django_capture_on_commit_callbacks, _no_network):
    watcher_user, _watcher, watched, created = linked
    membership.suspension_start(
        actor=staff["scs"],
        partner_id=watched.pk,
        cause="security_incident",
        benefits=["svi"],
        reason="Seizure",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dispatch.sweep()  # also records the set-up's certifications (before the link: nobody told)
    change = StatusChange.objects.get(partner=watched, kind="suspended")
    assert (change.kind, change.before_status, change.after_status, change.monitors_notified) == (
        "suspended",
        "certified",
        "suspended",
        1,
    )
    note = Notification.objects.get(recipient=watcher_user, kind="svi.status_change")
    assert "Watched Ltd is suspended" in note.title
    assert any(
        "Watched Ltd is suspended" in m.subject or "Watched Ltd is suspended" in m.body for m in mail.outbox
    )
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.attempts == 1
    sent = _no_network[-1]
    body = json.loads(sent["body"])
    assert body["event"] == "partner.status_changed" and body["data"]["partner"]["status"] == "suspended"
    expected = "sha256=" + hmac.new(created.secret.encode(), sent["body"], hashlib.sha256).hexdigest()
    assert sent["headers"]["X-Greenlane-Signature"] == expected
    # a second sweep tells nobody twice
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch.sweep() == 0
    assert Notification.objects.filter(kind="svi.status_change").count() == 1


def test_reinstatement_and_withdrawal(linked, staff, django_capture_on_commit_callbacks):
    watcher_user, _watcher, watched, _created = linked
    partner_services.partner_apply_decision(
        actor=None, partner_id=watched.pk, to_status="suspended", reason="x"
    )
    partner_services.partner_apply_decision(
        actor=None, partner_id=watched.pk, to_status="certified", reason="y"
    )
    with django_capture_on_commit_callbacks(execute=True):
        dispatch.sweep()
    assert list(
        StatusChange.objects.filter(partner=watched, monitors_notified=1)
        .order_by("at", "id")
        .values_list("kind", flat=True)
    ) == ["suspended", "reinstated"]
    titles = set(
        Notification.objects.filter(recipient=watcher_user, kind="svi.status_change").values_list(
            "title", flat=True
        )
    )
    assert titles == {
        "Watched Ltd is suspended from the program",
        "Watched Ltd is reinstated (certified again)",
    }


def test_tier_change_only_told_when_tier_shared(user_factory, django_capture_on_commit_callbacks):
    u1, u2 = user_factory("svi-t1@example.com"), user_factory("svi-t2@example.com")
    watcher, quiet = certified(u1), certified(u2)
    join(u1, watcher)
    join(u2, quiet, auto_accept=True)  # shares status only
    services.link_request(actor=u1, partner_id=watcher.pk, target_id=quiet.pk)
    change = dispatch.record_status_change(
        partner_id=quiet.pk,
        before={"status": "certified", "tier": 1},
        after={"status": "certified", "tier": 2},
    )
    assert change is not None and change.kind == "tier_changed" and change.monitors_notified == 0
    assert not Notification.objects.filter(kind="svi.status_change").exists()


def test_hook_schedules_a_sweep_after_commit(linked, django_capture_on_commit_callbacks):
    _u, _w, watched, _c = linked
    with django_capture_on_commit_callbacks(execute=True):
        partner_services.partner_apply_decision(
            actor=None, partner_id=watched.pk, to_status="suspended", reason="x"
        )
        hooks.partner_changed()
    assert StatusChange.objects.filter(partner=watched, kind="suspended").exists()


def test_non_participant_change_tells_nobody(user_factory):
    u = user_factory("svi-np@example.com")
    p = certified(u)
    change = dispatch.record_status_change(
        partner_id=p.pk, before={"status": "certified", "tier": 1}, after={"status": "suspended", "tier": 1}
    )
    assert change is not None and change.monitors_notified == 0
