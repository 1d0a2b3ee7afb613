"""Small helpers shared by the accounts tests."""

from __future__ import annotations

import re

from django.core import mail
from django_otp.oath import totp

from greenlane.audit.models import AuditEvent


def code_for(key_hex: str) -> str:
    """The current 6-digit TOTP code for a key, as an authenticator app shows it."""
    return f"{totp(bytes.fromhex(key_hex), step=30, t0=0, digits=6):06d}"


def last_link(pattern: str) -> str:
    """The path of the first link matching pattern in the last e-mail sent."""
    body = mail.outbox[-1].body
    match = re.search(r"https?://[^/\s]+(" + pattern + r")", body)
    assert match, body
    return match.group(1)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))
