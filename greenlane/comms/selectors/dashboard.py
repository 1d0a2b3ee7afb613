"""The company dashboard's communications panel: a fixed number of queries whatever the volume."""

from __future__ import annotations

from ..choices import BulletinKind
from ..models import Thread
from .bulletins import bulletins_for
from .threads import unread_message_total, with_unread

PANEL_BULLETINS = 5
PANEL_ALERTS = 3
PANEL_THREADS = 5


def dashboard_context(user, partner) -> dict:
    """Recent bulletins and alerts (unread first) and threads with unread counts, for one company.

    Five queries: bulletins, alerts, unread bulletin count, threads with their unread counts, unread total.
    """
    partners = [partner]
    bulletins = list(bulletins_for(user, partners=partners, kind=BulletinKind.BULLETIN)[:PANEL_BULLETINS])
    alerts = list(bulletins_for(user, partners=partners, kind=BulletinKind.ALERT)[:PANEL_ALERTS])
    unread_bulletins = bulletins_for(user, partners=partners).filter(is_read=False).count()  # type: ignore[misc]
    threads = list(
        with_unread(Thread.objects.filter(partner=partner), user).order_by("-last_message_at", "-id")[
            :PANEL_THREADS
        ]
    )
    return {
        "comms_partner": partner,
        "comms_bulletins": bulletins,
        "comms_alerts": alerts,
        "comms_unread_bulletins": unread_bulletins,
        "comms_threads": threads,
        "comms_unread_messages": unread_message_total(user, partner),
    }
