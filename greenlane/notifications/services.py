"""Writes: create notifications (and their e-mail after commit), mark them read."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from greenlane.accounts.models import User
from greenlane.core.errors import InvalidInput, NotFound

from .models import Notification

TITLE_MAX = 200
BODY_MAX = 4000


def partner_recipients(partner, roles: Iterable[str] | None = None) -> list[User]:
    """The active users of a company, optionally only those with some trade roles."""
    members = partner.memberships.filter(user__is_active=True).select_related("user")
    if roles is not None:
        members = members.filter(role__in=list(roles))
    return [m.user for m in members.order_by("user_id")]


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    partner=None,
    email: bool = True,
) -> int:
    """Create one notification per distinct active recipient; e-mail them after the transaction commits.

    Notifications are a side effect of another change (which carries the audit event), so this writes no
    audit event of its own. Returns the number created.
    """
    title = (title or "").strip()
    if not title:
        raise InvalidInput("A notification needs a title.", field="title")
    if url and not url.startswith("/"):
        raise InvalidInput(
            "A notification links to a page of this site (a path starting with /).", field="url"
        )
    seen: set[int] = set()
    rows = []
    now = timezone.now()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                partner=partner,
                kind=kind[:60],
                title=title[:TITLE_MAX],
                body=(body or "")[:BODY_MAX],
                url=url,
                created_at=now,
            )
        )
    if not rows:
        return 0
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        if email:
            ids = [n.pk for n in created if n.pk is not None]
            if not ids:  # backends that do not return ids from bulk_create
                ids = list(
                    Notification.objects.filter(
                        recipient_id__in=seen, kind=kind[:60], created_at=now
                    ).values_list("pk", flat=True)
                )
            transaction.on_commit(lambda: _enqueue_email(ids))
    return len(rows)


def _enqueue_email(ids: list[int]) -> None:
    from .tasks import email_notifications

    email_notifications.enqueue(ids)


def notification_read(*, actor: User, notification_id: int) -> Notification:
    """Mark one of the actor's notifications read (idempotent; the first read time is kept)."""
    with transaction.atomic():
        note = Notification.objects.select_for_update().filter(pk=notification_id, recipient=actor).first()
        if note is None:
            raise NotFound("No such notification.")
        if note.read_at is None:
            note.read_at = timezone.now()
            note.save(update_fields=["read_at"])
    return note


def notifications_read_all(*, actor: User) -> int:
    """Mark every unread notification of the actor read; returns how many changed."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
