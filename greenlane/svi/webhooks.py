"""Webhooks: registration (HTTPS, public addresses only), secrets, signed deliveries with retries.

Every delivery body is JSON; the header `X-Greenlane-Signature: sha256=<hex>` is the HMAC-SHA256 of the exact
body bytes under the webhook's secret. A failed delivery is retried with exponential backoff
(1, 2, 4 ... 32 minutes, then hourly, up to MAX_ATTEMPTS) and every attempt is logged on the delivery.
See docs/adr/ for why the secret is stored and how SSRF is prevented.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import json
import secrets
import socket
import ssl
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.accounts.models import User
from greenlane.audit.services import record_event
from greenlane.core.errors import Conflict, InvalidInput, NotFound
from greenlane.partners.models import Partner

from . import permissions, urlsafety
from .choices import DeliveryStatus, WebhookEvent
from .models import Webhook, WebhookDelivery

D = DeliveryStatus
MAX_WEBHOOKS = 5
MAX_ATTEMPTS = 8
TIMEOUT_S = 5.0
SIGNATURE_HEADER = "X-Greenlane-Signature"
# Tests and the demo replace these two; production resolves with DNS and posts over TLS.
RESOLVER: urlsafety.Resolver = urlsafety.system_resolver


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next attempt after `attempts` failures: 1, 2, 4 ... 32 minutes, then 60."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _new_secret() -> str:
    return "whsec_" + secrets.token_hex(24)


def _clean_events(events) -> list[str]:
    chosen = list(events or [WebhookEvent.STATUS_CHANGED])
    unknown = [e for e in chosen if e not in WebhookEvent.values]
    if unknown or not chosen:
        raise InvalidInput(
            _("Unknown event '%(e)s'. Choose from: %(c)s.")
            % {"e": (unknown or [""])[0], "c": ", ".join(WebhookEvent.values)},
            field="events",
        )
    return [e for e in WebhookEvent.values if e in set(chosen)]


@dataclass(frozen=True)
class CreatedWebhook:
    webhook: Webhook
    secret: str  # shown to the user once


def webhook_for(partner: Partner, webhook_id, *, for_update: bool = False) -> Webhook:
    try:
        pk = int(webhook_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    qs = Webhook.objects.filter(partner=partner, active=True, pk=pk)
    if for_update:
        qs = qs.select_for_update()
    found = qs.first()
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def webhook_create(*, actor: User, partner_id: int, url: str, events=None) -> CreatedWebhook:
    partner = permissions.company_for(actor, partner_id, manage=True, for_update=True)
    permissions.require_svi_user(partner, _("register a webhook"))
    try:
        target = urlsafety.check_url(url, resolver=RESOLVER)
    except urlsafety.UnsafeUrl as exc:
        raise InvalidInput(exc.message, field="url") from None
    chosen = _clean_events(events)
    if Webhook.objects.filter(partner=partner, active=True).count() >= MAX_WEBHOOKS:
        raise Conflict(
            _("A company may have at most %(n)s webhooks; delete one first.") % {"n": MAX_WEBHOOKS}
        )
    if Webhook.objects.filter(partner=partner, active=True, url=target.url).exists():
        raise Conflict(_("This URL is already registered; nothing was changed."), field="url")
    secret = _new_secret()
    hook = Webhook(
        partner=partner,
        url=target.url,
        secret=secret,
        secret_prefix=secret[:12],
        events=chosen,
        created_by=actor,
    )
    hook.full_clean()
    hook.save()
    record_event(
        actor=actor,
        action="svi.webhook_create",
        partner=partner,
        obj=hook,
        summary=_("Webhook registered: %(u)s") % {"u": hook.url},
        after={"url": hook.url, "events": chosen, "secret_prefix": hook.secret_prefix},
    )
    return CreatedWebhook(hook, secret)


@transaction.atomic
def webhook_rotate(*, actor: User, partner_id: int, webhook_id: int) -> CreatedWebhook:
    """A new secret (shown once); the old one stops signing at once."""
    partner = permissions.company_for(actor, partner_id, manage=True, for_update=True)
    hook = webhook_for(partner, webhook_id, for_update=True)
    before = {"secret_prefix": hook.secret_prefix}
    secret = _new_secret()
    hook.secret, hook.secret_prefix, hook.rotated_at = secret, secret[:12], timezone.now()
    hook.save(update_fields=["secret", "secret_prefix", "rotated_at"])
    record_event(
        actor=actor,
        action="svi.webhook_rotate",
        partner=partner,
        obj=hook,
        summary=_("Webhook secret rotated: %(u)s") % {"u": hook.url},
        before=before,
        after={"secret_prefix": hook.secret_prefix},
    )
    return CreatedWebhook(hook, secret)


@transaction.atomic
def webhook_delete(*, actor: User, partner_id: int, webhook_id: int) -> Webhook:
    """Deactivate (the delivery log stays readable in the audit history); waiting retries stop."""
    partner = permissions.company_for(actor, partner_id, manage=True, for_update=True)
    hook = webhook_for(partner, webhook_id, for_update=True)
    hook.active = False
    hook.save(update_fields=["active"])
    stopped = hook.deliveries.filter(status__in=[D.PENDING, D.RETRYING]).update(
        status=D.FAILED, next_attempt_at=None, error=_("Webhook deleted before delivery.")
    )
    record_event(
        actor=actor,
        action="svi.webhook_delete",
        partner=partner,
        obj=hook,
        summary=_("Webhook deleted: %(u)s") % {"u": hook.url},
        before={"active": True},
        after={"active": False, "retries_stopped": stopped},
    )
    return hook


# --- deliveries ----------------------------------------------------------------------------------------------


def queue_event(*, partner_id: int, event: str, data: dict) -> list[int]:
    """One delivery per active webhook of the company subscribed to the event; sent after commit."""
    hooks = [
        h for h in Webhook.objects.filter(partner_id=partner_id, active=True) if event in (h.events or [])
    ]
    if not hooks:
        return []
    event_id = str(uuid.uuid4())
    now = timezone.now()
    body = json.dumps(
        {"id": event_id, "event": event, "created_at": now.isoformat(), "data": data},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    ids = []
    for hook in hooks:
        delivery = WebhookDelivery.objects.create(
            webhook=hook, event_id=event_id, event=event, body=body, next_attempt_at=now, created_at=now
        )
        ids.append(delivery.pk)
    transaction.on_commit(lambda: _enqueue(ids))
    return ids


def _enqueue(ids: list[int]) -> None:
    from .tasks import deliver_webhooks

    deliver_webhooks.enqueue(ids)


def post(*, address: str, target: urlsafety.SafeTarget, body: bytes, headers: dict[str, str]) -> int:
    """POST to the checked address (TLS verified against the host name); returns the HTTP status."""
    context = ssl.create_default_context()
    conn = _PinnedHTTPSConnection(target.host, address, target.port, TIMEOUT_S, context)
    try:
        conn.request("POST", target.path, body=body, headers={**headers, "Host": target.host})
        response = conn.getresponse()
        response.read(4096)
        return response.status
    finally:
        conn.close()


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connect to an address checked beforehand, while verifying TLS for the host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address
        self._ctx = context

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._ctx.wrap_socket(sock, server_hostname=self.host)


def attempt_delivery(delivery_id: int, *, now: dt.datetime | None = None) -> WebhookDelivery | None:
    """Try one delivery once if it is due; record the outcome and when to retry."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("webhook")
            .filter(pk=delivery_id, status__in=[D.PENDING, D.RETRYING])
            .first()
        )
        if delivery is None or (delivery.next_attempt_at and delivery.next_attempt_at > now):
            return delivery
        hook = delivery.webhook
        delivery.attempts += 1
        delivery.last_attempt_at = now
        if not hook.active:
            delivery.status, delivery.next_attempt_at = D.FAILED, None
            delivery.error = _("Webhook deleted before delivery.")
            delivery.save()
            return delivery
        try:
            target = urlsafety.check_url(hook.url, resolver=RESOLVER)
        except urlsafety.UnsafeUrl as exc:
            delivery.error = exc.message[:300]
            if exc.transient and delivery.attempts < MAX_ATTEMPTS:
                delivery.status, delivery.next_attempt_at = D.RETRYING, now + backoff(delivery.attempts)
            elif exc.transient:
                delivery.status, delivery.next_attempt_at = D.FAILED, None
            else:
                # The host now points somewhere we may not call: refuse, never retry.
                delivery.status, delivery.next_attempt_at = D.REFUSED, None
            delivery.save()
            if delivery.status == D.RETRYING:
                transaction.on_commit(lambda: _schedule_retry(delivery))
            return delivery
        body = delivery.body.encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Greenlane-Webhooks/1",
            SIGNATURE_HEADER: sign(hook.secret, body),
            "X-Greenlane-Event": delivery.event,
            "X-Greenlane-Delivery": delivery.event_id,
        }
        code: int | None = None
        error = ""
        try:
            code = post(address=target.addresses[0], target=target, body=body, headers=headers)
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
        delivery.status_code = code
        if code is not None and 200 <= code < 300:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at, delivery.error = (
                D.DELIVERED,
                now,
                None,
                "",
            )
        else:
            delivery.error = error or _("The receiver answered HTTP %(c)s.") % {"c": code}
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status, delivery.next_attempt_at = D.FAILED, None
            else:
                delivery.status, delivery.next_attempt_at = D.RETRYING, now + backoff(delivery.attempts)
        delivery.save()
    if delivery.status == D.RETRYING:
        _schedule_retry(delivery)
    return delivery


def _schedule_retry(delivery: WebhookDelivery) -> None:
    """Defer a retry when the task backend can; otherwise `greenlane svi-retry` (cron) picks it up."""
    from django_tasks import default_task_backend

    from .tasks import deliver_webhooks

    if getattr(default_task_backend, "supports_defer", False) and delivery.next_attempt_at:
        deliver_webhooks.using(run_after=delivery.next_attempt_at).enqueue([delivery.pk])


def retry_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Attempt every delivery whose retry time has come; returns how many were attempted."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(status__in=[D.PENDING, D.RETRYING], next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        attempt_delivery(pk, now=now)
    return len(due)
