from __future__ import annotations

import base64

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from conftest import PASSWORD, make_user
from greenlane.accounts.views import MFA_SETUP_SESSION_KEY

from .helpers import code_for, events

pytestmark = pytest.mark.django_db

MFA = reverse("accounts:mfa")
TOKENS = reverse("accounts:tokens")


def _staff_signed_in(role: str = "scs") -> tuple[Client, object]:
    user = make_user(f"{role}@cbp.example", staff_role=role)
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith(MFA)
    return client, user


def _wrong(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def test_staff_are_held_at_mfa_until_verified():
    client, _user = _staff_signed_in()
    for path in (TOKENS, reverse("home"), reverse("accounts:staff_users")):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url == f"{MFA}?next={path.replace('/', '%2F')}"
    # The API does not accept the half-signed-in session either.
    assert client.get("/api/v1/tokens").status_code == 401


def test_trade_users_are_not_asked_for_mfa():
    make_user("t@example.com")
    client = Client()
    client.post(reverse("accounts:login"), {"username": "t@example.com", "password": PASSWORD})
    assert client.get(TOKENS).status_code == 200
    assert client.get(MFA).status_code == 302


def test_setup_shows_secret_and_qr_then_confirms_with_real_code():
    client, user = _staff_signed_in()
    response = client.get(MFA + "?next=" + TOKENS)
    assert response.status_code == 200
    assert "accounts/mfa_setup.html" in [t.name for t in response.templates]
    key = client.session[MFA_SETUP_SESSION_KEY]
    body = response.content.decode()
    secret = base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
    assert response.context["secret"].replace(" ", "") == secret
    assert response.context["secret"] in body
    assert '<svg role="img" aria-label="QR code' in body
    assert "<script" not in body.split('<main id="main-content"')[1].split("</main>")[0]
    assert "style=" not in body
    # Reloading keeps the same secret until it is confirmed.
    client.get(MFA)
    assert client.session[MFA_SETUP_SESSION_KEY] == key

    response = client.post(MFA, {"code": _wrong(code_for(key)), "next": TOKENS})
    assert response.status_code == 200
    assert b"That code does not match" in response.content
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert events("mfa.setup") == []

    response = client.post(MFA, {"code": code_for(key), "next": TOKENS})
    assert response.status_code == 302 and response.url == TOKENS
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == key
    assert [e.actor for e in events("mfa.setup")] == [user]
    assert MFA_SETUP_SESSION_KEY not in client.session
    assert client.get(TOKENS).status_code == 200


def test_verify_with_existing_device():
    client, user = _staff_signed_in()
    key = random_hex(20)
    TOTPDevice.objects.create(user=user, name="phone", key=key, confirmed=True)
    response = client.get(MFA)
    assert "accounts/mfa_verify.html" in [t.name for t in response.templates]

    response = client.post(MFA, {"code": "12ab"})
    assert response.status_code == 200
    assert b"Enter the 6 digits" in response.content
    response = client.post(MFA, {"code": _wrong(code_for(key))})
    assert response.status_code == 200
    assert b"That code does not match" in response.content
    assert client.get(TOKENS).status_code == 302

    # django-otp throttles after a failure; let the next try through as a person waiting would.
    TOTPDevice.objects.filter(pk=TOTPDevice.objects.get(user=user).pk).update(
        throttling_failure_timestamp=None
    )
    response = client.post(MFA, {"code": code_for(key), "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(TOKENS).status_code == 200


def test_repeated_wrong_codes_are_throttled():
    client, user = _staff_signed_in()
    key = random_hex(20)
    TOTPDevice.objects.create(user=user, name="phone", key=key, confirmed=True)
    client.post(MFA, {"code": _wrong(code_for(key))})
    response = client.post(MFA, {"code": code_for(key)})
    assert response.status_code == 200
    assert b"Too many wrong codes" in response.content
    assert client.get(TOKENS).status_code == 302


def test_demo_mode_note(settings):
    client, _user = _staff_signed_in()
    settings.DEMO_MODE = False
    assert b"greenlane demo-totp" not in client.get(MFA).content
    settings.DEMO_MODE = True
    assert b"greenlane demo-totp" in client.get(MFA).content


def test_demo_totp_command_matches_demo_device(settings, capsys):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("demo_totp")
    settings.DEMO_MODE = True
    call_command("demo_totp")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()
    # The code the command prints signs a demo staff user in.
    client, user = _staff_signed_in()
    TOTPDevice.objects.create(user=user, name="demo", key=settings.DEMO_TOTP_SECRET_HEX, confirmed=True)
    assert client.post(MFA, {"code": code}).status_code == 302
    assert client.get(TOKENS).status_code == 200
