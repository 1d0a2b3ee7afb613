from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Paths a signed-in staff user may reach before completing the second factor.
_OPEN_PREFIXES = ("/accounts/mfa/", "/accounts/logout/", "/static/", "/i18n/", "/api/", "/healthz")


class StaffMfaMiddleware:
    """Program staff must pass TOTP before any page; trade users may opt in later."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "staff_role", "")
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            url = reverse("accounts:mfa")
            if request.method == "GET":
                url += "?" + urlencode({"next": request.get_full_path()})
            return redirect(url)
        return self.get_response(request)


class SessionIdleTimeoutMiddleware:
    """Signs a browser session out after SESSION_IDLE_SECONDS without a request, and after SESSION_COOKIE_AGE
    in total however active it is.

    Django alone gives neither: SESSION_COOKIE_AGE is renewed whenever the session is saved. Place after
    AuthenticationMiddleware and MessageMiddleware. API calls with a bearer token carry no session and are
    unaffected.
    """

    SEEN_KEY = "accounts_last_seen"
    STARTED_KEY = "accounts_started"
    # Write the session at most once a minute: idle time is measured to the minute.
    TOUCH_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            idle_limit = int(getattr(settings, "SESSION_IDLE_SECONDS", 30 * 60))
            total_limit = int(settings.SESSION_COOKIE_AGE)
            seen = request.session.get(self.SEEN_KEY)
            started = request.session.get(self.STARTED_KEY)
            expired = (seen is not None and now - seen > idle_limit) or (
                started is not None and now - started > total_limit
            )
            if expired:
                logout(request)
                messages.info(
                    request, _("You were signed out after a period without activity. Sign in again.")
                )
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(
                    reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()})
                )
            if started is None:
                request.session[self.STARTED_KEY] = now
            if seen is None or now - seen >= self.TOUCH_EVERY:
                request.session[self.SEEN_KEY] = now
        return self.get_response(request)


def stamp_session(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        now = int(time.time())
        session[SessionIdleTimeoutMiddleware.STARTED_KEY] = now
        session[SessionIdleTimeoutMiddleware.SEEN_KEY] = now
