from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Conflict, Forbidden, InvalidInput
from greenlane.svi import urlsafety, webhooks
from greenlane.svi.models import Webhook, WebhookDelivery

from .support import certified, fake_resolver, join

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(user_factory):
    u = user_factory("svi-wh@example.com")
    p = certified(u)
    join(u, p)
    return u, p


@pytest.mark.parametrize(
    ("url", "resolved", "fragment"),
    [
        ("http://hooks.example.com/x", None, "https://"),
        ("https://127.0.0.1/x", None, "loopback"),
        ("https://10.1.2.3/x", None, "private"),
        ("https://169.254.169.254/latest/meta-data", None, "link-local"),
        ("https://[::1]/x", None, "loopback"),
        ("https://[fe80::1]/x", None, "link-local"),
        ("https://224.0.0.5/x", None, "multicast"),
        ("https://localhost/x", None, "local machine"),
        ("https://inside.example.com/x", ["192.168.1.20"], "private"),
        ("https://mixed.example.com/x", ["93.184.216.34", "10.0.0.2"], "private"),
        ("https://user:pw@hooks.example.com/", None, "password"),
        ("", None, "Enter"),
    ],
)
def test_webhook_refused(member, monkeypatch, url, resolved, fragment):
    u, p = member
    if resolved:
        monkeypatch.setattr(webhooks, "RESOLVER", fake_resolver({url.split("/")[2]: resolved}))
    with pytest.raises(InvalidInput, match=fragment) as exc:
        webhooks.webhook_create(actor=u, partner_id=p.pk, url=url)
    assert exc.value.field == "url"
    assert (
        not Webhook.objects.exists() and not AuditEvent.objects.filter(action="svi.webhook_create").exists()
    )


def test_create_rotate_delete(member):
    u, p = member
    created = webhooks.webhook_create(actor=u, partner_id=p.pk, url="https://hooks.example.com/in")
    assert created.secret.startswith("whsec_") and created.webhook.secret_prefix == created.secret[:12]
    with pytest.raises(Conflict):
        webhooks.webhook_create(actor=u, partner_id=p.pk, url="https://hooks.example.com/in")
    rotated = webhooks.webhook_rotate(actor=u, partner_id=p.pk, webhook_id=created.webhook.pk)
    assert rotated.secret != created.secret
    webhooks.webhook_delete(actor=u, partner_id=p.pk, webhook_id=created.webhook.pk)
    assert not Webhook.objects.get().active
    assert AuditEvent.objects.filter(action__startswith="svi.webhook_").count() == 3


def test_non_participant_cannot_register(user_factory):
    u = user_factory("svi-wh2@example.com")
    p = certified(u)
    with pytest.raises(Forbidden):
        webhooks.webhook_create(actor=u, partner_id=p.pk, url="https://hooks.example.com/in")
    assert not Webhook.objects.exists()


def test_retry_with_backoff_then_give_up(member, monkeypatch):
    u, p = member
    webhooks.webhook_create(actor=u, partner_id=p.pk, url="https://hooks.example.com/in")
    monkeypatch.setattr(webhooks, "post", lambda **kw: 503)
    [pk] = webhooks.queue_event(partner_id=p.pk, event="partner.status_changed", data={"x": 1})
    now = timezone.now()
    d = webhooks.attempt_delivery(pk, now=now)
    assert (d.status, d.attempts, d.status_code) == ("retrying", 1, 503)
    assert d.next_attempt_at == now + dt.timedelta(minutes=1)
    assert webhooks.attempt_delivery(pk, now=now).attempts == 1  # not due yet: nothing happens
    t = now
    for expected_wait in (2, 4, 8, 16, 32, 60):
        t = WebhookDelivery.objects.get(pk=pk).next_attempt_at
        d = webhooks.attempt_delivery(pk, now=t)
        assert d.next_attempt_at == t + dt.timedelta(minutes=expected_wait)
    d = webhooks.attempt_delivery(pk, now=d.next_attempt_at)
    assert (d.status, d.attempts, d.next_attempt_at) == ("failed", webhooks.MAX_ATTEMPTS, None)


def test_network_error_logged_and_retry_due(member, monkeypatch):
    u, p = member
    webhooks.webhook_create(actor=u, partner_id=p.pk, url="https://hooks.example.com/in")

    def boom(**kw):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(webhooks, "post", boom)
    [pk] = webhooks.queue_event(partner_id=p.pk, event="partner.status_changed", data={})
    d = webhooks.attempt_delivery(pk)
    assert d.status == "retrying" and "Connection refused" in d.error
    monkeypatch.setattr(webhooks, "post", lambda **kw: 204)
    assert webhooks.retry_due(now=d.next_attempt_at) == 1
    assert WebhookDelivery.objects.get(pk=pk).status == "delivered"


def test_rebinding_refused_at_delivery(member, monkeypatch):
    u, p = member
    webhooks.webhook_create(actor=u, partner_id=p.pk, url="https://hooks.example.com/in")
    [pk] = webhooks.queue_event(partner_id=p.pk, event="partner.status_changed", data={})
    monkeypatch.setattr(webhooks, "RESOLVER", fake_resolver({"hooks.example.com": ["127.0.0.1"]}))
    d = webhooks.attempt_delivery(pk)
    assert d.status == "refused" and "loopback" in d.error and d.next_attempt_at is None


def test_address_problem_table():
    assert urlsafety.address_problem("8.8.8.8") == ""
    assert urlsafety.address_problem("100.64.0.1").startswith("shared")
    assert urlsafety.address_problem("::ffff:10.0.0.1") == "private"
    assert urlsafety.address_problem("0.0.0.0") == "unspecified"
