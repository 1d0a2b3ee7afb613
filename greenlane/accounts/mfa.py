"""TOTP helpers: checking codes, the set-up QR code, the demo code."""

from __future__ import annotations

import base64
import time
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django_otp import match_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

STEP, DIGITS = 30, 6


def _totp(key_hex: str) -> TOTP:
    totp = TOTP(bytes.fromhex(key_hex), step=STEP, t0=0, digits=DIGITS)
    totp.time = time.time()
    return totp


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).replace("-", "")


def totp_matches(key_hex: str, code: str) -> int | None:
    """The time step a code matches for this key (one step of clock drift allowed), or None."""
    code = normalise_code(code)
    if not (code.isdigit() and len(code) == DIGITS):
        return None
    totp = _totp(key_hex)
    if totp.verify(int(code), tolerance=1):
        return totp.t()
    return None


def current_code(key_hex: str) -> str:
    return f"{_totp(key_hex).token():0{DIGITS}d}"


def base32_secret(key_hex: str) -> str:
    """The secret as people type it into an authenticator: base32 in groups of four."""
    secret = base64.b32encode(bytes.fromhex(key_hex)).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(key_hex: str, account: str) -> str:
    issuer = getattr(settings, "OTP_TOTP_ISSUER", "Greenlane")
    secret = base64.b32encode(bytes.fromhex(key_hex)).decode().rstrip("=")
    params = urlencode(
        {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": STEP}
    )
    return f"otpauth://totp/{quote(issuer)}:{quote(account)}?{params}"


def qr_svg(uri: str, *, label: str) -> str:
    """An inline SVG QR code (no script, no style attribute, so the CSP allows it)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=4, dark="#000", light="#fff", omitsize=False)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def verify_code(user, code: str) -> tuple[TOTPDevice | None, int]:
    """The confirmed device this code matches, or (None, seconds to wait) while guessing is throttled.

    django-otp slows guessing down per device: each wrong code doubles the wait before the next try. A code
    sent while every device is waiting is not checked at all.
    """
    code = normalise_code(code)
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    waits = [_wait_seconds(d) for d in devices]
    if devices and all(waits):
        return None, min(waits)
    with transaction.atomic():
        device = match_token(user, code) if code.isdigit() else None
    return device, 0


def _wait_seconds(device: TOTPDevice) -> int:
    allowed, info = device.verify_is_allowed()
    locked_until = (info or {}).get("locked_until")
    if allowed or not locked_until:
        return 0
    return max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
