"""Shared by the communications services: text checks, dates, the notifications contract."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.core.errors import Forbidden, InvalidInput, NotFound


def require_staff(actor, allowed: frozenset[str], message: str) -> None:
    """Non-staff do not learn the thing exists (404); staff without the role are refused (403)."""
    role = getattr(actor, "staff_role", "")
    if not role:
        raise NotFound()
    if role not in allowed:
        raise Forbidden(message)


def text(value, *, field: str, missing: str, limit: int) -> str:
    cleaned = value.strip() if isinstance(value, str) else ("" if value is None else str(value).strip())
    if not cleaned:
        raise InvalidInput(missing, field=field)
    if len(cleaned) > limit:
        raise InvalidInput(
            _("Keep this under %(n)s characters (it has %(m)s).")
            % {"n": f"{limit:,}", "m": f"{len(cleaned):,}"},
            field=field,
        )
    return cleaned


def optional_text(value, *, field: str, limit: int) -> str:
    cleaned = value.strip() if isinstance(value, str) else ("" if value is None else str(value).strip())
    if len(cleaned) > limit:
        raise InvalidInput(_("Keep this under %(n)s characters.") % {"n": f"{limit:,}"}, field=field)
    return cleaned


def aware(value: dt.datetime | None, *, field: str) -> dt.datetime | None:
    """A datetime with a zone (a naive one is read in the site's zone); far past and future refused."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        raise InvalidInput(_("Give a date and time."), field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    now = timezone.now()
    if value.year < 2000 or value > now + dt.timedelta(days=3660):
        raise InvalidInput(_("Give a date between 2000 and ten years from now."), field=field)
    return value


def notify(**kwargs) -> int:
    """The notifications app's notify() (portal notice + e-mail after commit)."""
    from greenlane.notifications.services import notify as _notify

    return _notify(**kwargs)
