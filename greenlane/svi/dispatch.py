"""Status-change fan-out: when a monitored company's status or tier changes, tell every company monitoring it.

The partners and screening services already write one audit event per status move (`partner.*` actions
with `status` and `tier` in before/after). `sweep()` reads those events, records each change once
(`StatusChange.audit_event` is unique, so a sweep run twice tells nobody twice), and for each monitor
creates portal notifications (e-mailed by the notifications task after commit) and webhook deliveries.
`hooks.partner_changed()` runs a sweep after the transaction that moved a partner commits; `greenlane
svi-dispatch` runs one from cron as a safety net.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.audit.models import AuditEvent
from greenlane.partners.choices import PartnerStatus, Tier
from greenlane.partners.models import Partner

from . import selectors, webhooks
from .choices import ChangeKind, WebhookEvent
from .models import DispatchCursor, StatusChange, SviParticipation

S = PartnerStatus
# Events committed by concurrent transactions may carry an earlier time than the last sweep: look back.
LOOKBACK = dt.timedelta(minutes=10)
CURSOR = "status_changes"


def change_kind(before_status: str, after_status: str, before_tier, after_tier) -> str:
    if before_status != after_status:
        if after_status == S.SUSPENDED:
            return ChangeKind.SUSPENDED
        if after_status == S.CERTIFIED and before_status == S.SUSPENDED:
            return ChangeKind.REINSTATED
        if after_status == S.CERTIFIED:
            return ChangeKind.CERTIFIED
        if after_status == S.REMOVED:
            return ChangeKind.REMOVED
        if after_status == S.WITHDRAWN:
            return ChangeKind.WITHDRAWN
        return ChangeKind.OTHER
    if before_tier != after_tier:
        return ChangeKind.TIER_CHANGED
    return ""


def _is_change(event: AuditEvent) -> bool:
    before, after = event.before or {}, event.after or {}
    return any(k in after and before.get(k) != after.get(k) for k in ("status", "tier"))


def sweep(*, now: dt.datetime | None = None) -> int:
    """Record and fan out every partner status/tier change not yet handled; returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        cursor, _created = DispatchCursor.objects.select_for_update().get_or_create(name=CURSOR)
        # The first sweep looks back only LOOKBACK: older history is not news to anyone.
        since = (cursor.swept_at or now) - LOOKBACK
        events = AuditEvent.objects.filter(
            Q(action__startswith="partner.") | Q(action__contains="tier"),
            partner__isnull=False,
            at__gte=since,
        )
        handled = set(
            StatusChange.objects.filter(audit_event__isnull=False, at__gte=since).values_list(
                "audit_event_id", flat=True
            )
        )
        todo = [e for e in events.order_by("at", "id") if e.pk not in handled and _is_change(e)]
        count = 0
        for event in todo:
            before, after = event.before or {}, event.after or {}
            change = record_status_change(
                partner_id=int(event.partner_id or 0),
                before={"status": before.get("status"), "tier": before.get("tier")},
                after={
                    "status": after.get("status", before.get("status")),
                    "tier": after.get("tier", before.get("tier")),
                },
                audit_event=event,
                at=event.at,
            )
            count += change is not None
        cursor.swept_at = now
        cursor.save(update_fields=["swept_at"])
    return count


def record_status_change(
    *, partner_id: int, before: dict, after: dict, audit_event: AuditEvent | None = None, at=None
) -> StatusChange | None:
    """Record one change and tell the monitors (in the caller's transaction; e-mail and webhooks after commit)."""
    b_status, a_status = str(before.get("status") or ""), str(after.get("status") or "")
    b_tier, a_tier = before.get("tier"), after.get("tier")
    kind = change_kind(b_status, a_status, b_tier, a_tier)
    if not kind:
        return None
    try:
        with transaction.atomic():
            change = StatusChange.objects.create(
                partner_id=partner_id,
                audit_event=audit_event,
                kind=kind,
                before_status=b_status,
                after_status=a_status,
                before_tier=b_tier,
                after_tier=a_tier,
                at=at or timezone.now(),
            )
    except IntegrityError:  # another sweep recorded it first
        return None
    change.monitors_notified = _fan_out(change)
    change.save(update_fields=["monitors_notified"])
    return change


def _fan_out(change: StatusChange) -> int:
    from greenlane.notifications.services import notify, partner_recipients

    partner = Partner.objects.get(pk=change.partner_id)
    participation = SviParticipation.objects.filter(partner=partner, active=True).first()
    if participation is None:
        return 0  # not in the SVI: nobody may learn its status from us
    if change.kind == ChangeKind.TIER_CHANGED and not participation.shares_tier:
        return 0  # its tier is not shared, so neither is a change of it
    monitor_ids = selectors.monitors_of(partner.pk, as_of=change.at)
    if not monitor_ids:
        return 0
    shown_before = selectors.shown_status(change.before_status)
    view = selectors.status_view_for(None, [partner.pk])[partner.pk]
    title = _headline(partner.legal_name, change, participation.shares_tier)
    data = {
        "partner": {
            "id": partner.pk,
            "name": view.name,
            "status": view.status,
            "tier": view.tier,
            "since": view.since,
        },
        "change": {
            "kind": change.kind,
            "status_before": shown_before,
            "status_after": view.status,
            "tier_before": change.before_tier if participation.shares_tier else None,
            "tier_after": change.after_tier if participation.shares_tier else None,
            "at": change.at,
        },
    }
    monitors = Partner.objects.filter(pk__in=monitor_ids)
    for monitor in monitors:
        notify(
            recipients=partner_recipients(monitor),
            kind="svi.status_change",
            title=title,
            body=_("Status shown to monitors is now: %(s)s.") % {"s": view.status},
            url=reverse("svi:monitored", kwargs={"pk": monitor.pk}),
            partner=monitor,
        )
        webhooks.queue_event(partner_id=monitor.pk, event=WebhookEvent.STATUS_CHANGED, data=data)
    return len(monitor_ids)


def _headline(name: str, change: StatusChange, shares_tier: bool) -> str:
    if change.kind == ChangeKind.SUSPENDED:
        return _("%(n)s is suspended from the program") % {"n": name}
    if change.kind == ChangeKind.REINSTATED:
        return _("%(n)s is reinstated (certified again)") % {"n": name}
    if change.kind == ChangeKind.REMOVED:
        return _("%(n)s was removed from the program") % {"n": name}
    if change.kind == ChangeKind.WITHDRAWN:
        return _("%(n)s withdrew from the program") % {"n": name}
    if change.kind == ChangeKind.CERTIFIED:
        return _("%(n)s is certified") % {"n": name}
    if change.kind == ChangeKind.TIER_CHANGED and shares_tier:
        label = str(Tier(change.after_tier).label) if change.after_tier in Tier.values else change.after_tier
        return _("%(n)s is now %(t)s") % {"n": name, "t": label}
    return _("%(n)s changed status") % {"n": name}
