"""E-mail for notifications, sent by a task after the transaction that created them commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from .models import Notification


@task()
def email_notifications(ids: list[int]) -> int:
    """Send one e-mail per notification not yet e-mailed; a retry of the same ids sends nothing twice."""
    sent = 0
    base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    for note in Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("recipient"):
        if not note.recipient.is_active or not note.recipient.email:
            continue
        lines = [note.title, ""]
        if note.body:
            lines += [note.body, ""]
        if note.url:
            lines.append(f"{base}{note.url}")
        send_mail(f"Greenlane: {note.title}", "\n".join(lines), None, [note.recipient.email])
        Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
        sent += 1
    return sent
