from __future__ import annotations

from django.shortcuts import redirect

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
            return redirect("accounts:mfa")
        return self.get_response(request)
