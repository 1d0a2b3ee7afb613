"""Small helpers for thin views: run a service, turn its DomainError into form errors or a message."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404

from .errors import DomainError, NotFound


def attach_error(request, form, exc: DomainError) -> None:
    """Put each error on the form field it names (or the form), else show it as a message."""
    errors = exc.errors or [{"field": exc.field, "message": exc.message}]
    for err in errors:
        field = (err.get("field") or "").split("[")[0].split(".")[0]
        if form is not None and field in getattr(form, "fields", {}):
            form.add_error(field, err["message"])
        elif form is not None:
            form.add_error(None, err["message"])
        else:
            messages.error(request, err["message"])


def attempt(request, form, fn: Callable[[], Any]) -> tuple[bool, Any]:
    """Call a service; on a business error record it on the form and report failure."""
    try:
        return True, fn()
    except NotFound:
        raise Http404() from None
    except DomainError as exc:
        attach_error(request, form, exc)
        return False, None


def trade_only(view):
    """A company-side page: signed in, not program staff (staff have their own workspace)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.staff_role:
            raise Http404()
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None

    return wrapper


def staff_only(view):
    """A program-staff page: anyone else gets 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.staff_role:
            raise Http404()
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None

    return wrapper


def querystring_without(request, *drop: str) -> str:
    """The current query string minus some keys, ending with '&' when not empty (for pager links)."""
    params = [(k, v) for k, values in request.GET.lists() if k not in drop for v in values]
    encoded = urlencode(params)
    return f"{encoded}&" if encoded else ""
