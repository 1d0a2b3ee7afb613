from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, make_user
from greenlane.accounts.models import User

from .helpers import events, last_link

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-42"


def _signup(client: Client, **overrides):
    data = {
        "email": "ana@example.com",
        "full_name": "Ana Diaz",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post(reverse("accounts:signup"), data)


def _login(client: Client, email: str, password: str = PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"username": email, "password": password, **extra})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_signup_verify_then_login(django_capture_on_commit_callbacks):
    client = Client()
    assert client.get(reverse("accounts:signup")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)
    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_sent")
    page = client.get(response.url)
    assert b"ana@example.com" in page.content
    user = User.objects.get(email="ana@example.com")
    assert user.email_verified_at is None and user.staff_role == ""

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Confirm your e-mail address for Greenlane"
    link = last_link(r"/accounts/verify/[^/\s]+/")

    # Not yet: the login page refuses and offers a new link.
    response = _login(client, "ana@example.com")
    assert response.status_code == 200
    assert not _signed_in(client)
    assert b"Confirm your e-mail address before signing in" in response.content
    assert reverse("accounts:resend_verification").encode() in response.content

    response = client.get(link)
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    user.refresh_from_db()
    assert user.email_verified_at is not None

    response = _login(client, "ANA@example.com")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert _signed_in(client)


def test_signup_duplicate_email_is_refused_and_creates_nothing(django_capture_on_commit_callbacks):
    make_user("ana@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(Client(), email="Ana@Example.com")
    assert response.status_code == 200
    assert b"An account with this e-mail address already exists" in response.content
    assert User.objects.count() == 1
    assert mail.outbox == []
    assert events("user.sign_up") == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password2": "something-else-entirely"}, b"The two passwords differ"),
        ({"password1": "short", "password2": "short"}, b"too short"),
        ({"email": "nope"}, b"Enter a valid email address"),
        ({"full_name": ""}, b"This field is required"),
    ],
)
def test_signup_bad_input_shows_errors_and_creates_nothing(overrides, message):
    response = _signup(Client(), **overrides)
    assert response.status_code == 200
    assert message in response.content
    assert b'aria-invalid="true"' in response.content
    assert User.objects.count() == 0


def test_signed_in_user_is_sent_home_from_signup(login):
    client = login(make_user("t@example.com"))
    assert client.get(reverse("accounts:signup")).status_code == 302


def test_bad_verification_link_page_offers_resend():
    response = Client().get(reverse("accounts:verify_email", args=["not-a-real-token"]))
    assert response.status_code == 400
    assert b"not valid" in response.content
    assert reverse("accounts:resend_verification").encode() in response.content


def test_resend_verification_form(django_capture_on_commit_callbacks):
    cache.clear()
    User.objects.create_user("u@example.com", PASSWORD, email_verified_at=None)
    client = Client()
    assert client.get(reverse("accounts:resend_verification")).status_code == 200
    response = client.post(reverse("accounts:resend_verification"), {"email": "u@example.com"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["u@example.com"]]
    # An unknown address gets the same answer and no e-mail.
    response = client.post(reverse("accounts:resend_verification"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_wrong_password_is_refused():
    make_user("t@example.com")
    client = Client()
    response = _login(client, "t@example.com", "wrong-password")
    assert response.status_code == 200
    assert b"The e-mail address or password is wrong" in response.content
    assert not _signed_in(client)


def test_deactivated_user_cannot_sign_in():
    make_user("t@example.com", is_active=False)
    client = Client()
    assert _login(client, "t@example.com").status_code == 200
    assert not _signed_in(client)


def test_login_ignores_offsite_next():
    make_user("t@example.com")
    response = _login(Client(), "t@example.com", next="https://evil.example/")
    assert response.status_code == 302 and response.url == reverse("home")


def test_lockout_after_five_failures_then_password_reset_lifts_it(
    settings, django_capture_on_commit_callbacks
):
    settings.AXES_ENABLED = True
    make_user("t@example.com")
    client = Client()
    for _ in range(5):
        _login(client, "t@example.com", "wrong-password")
    response = _login(client, "T@example.com", PASSWORD)
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert b"Try again in 30 minutes" in response.content
    assert reverse("accounts:password_reset").encode() in response.content
    assert not _signed_in(client)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "t@example.com"})
    link = last_link(r"/accounts/password-reset/[^/\s]+/[^/\s]+/")
    response = client.get(link)
    assert response.status_code == 302  # Django swaps the token into the session first.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_complete")

    response = _login(client, "t@example.com", NEW_PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_password_reset_flow_sets_password_and_audits(django_capture_on_commit_callbacks):
    user = make_user("t@example.com")
    client = Client()
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "T@example.com"})
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    assert mail.outbox[-1].subject == "Reset your Greenlane password"
    confirm = client.get(last_link(r"/accounts/password-reset/[^/\s]+/[^/\s]+/"), follow=True)
    assert b"Choose a new password" in confirm.content
    response = client.post(
        confirm.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "short"}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            confirm.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert len(events("user.password_reset")) == 1


def test_password_reset_for_unknown_address_says_the_same_and_sends_nothing():
    response = Client().post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_password_change(login):
    user = make_user("t@example.com")
    client = login(user)
    assert client.get(reverse("accounts:password_change")).status_code == 200
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert len(events("user.password_change")) == 1
    # Still signed in: Django keeps the session valid after one's own change.
    assert client.get(reverse("accounts:tokens")).status_code == 200


def test_logout_is_post_only():
    make_user("t@example.com")
    client = Client()
    _login(client, "t@example.com")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert not _signed_in(client)


def test_idle_session_is_signed_out(settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[
            : settings.MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1
        ],
        "greenlane.accounts.middleware.SessionIdleTimeoutMiddleware",
        *settings.MIDDLEWARE[
            settings.MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1 :
        ],
    ]
    settings.SESSION_IDLE_SECONDS = 600
    make_user("t@example.com")
    client = Client()
    _login(client, "t@example.com")
    assert client.get(reverse("accounts:tokens")).status_code == 200
    session = client.session
    assert session["accounts_last_seen"]
    session["accounts_last_seen"] -= 601
    session.save()
    response = client.get(reverse("accounts:tokens"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not _signed_in(client)
