"""Navigation data for trade users: unread messages across their companies, and where "Messages" leads."""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from greenlane.partners.models import Membership

from .selectors.threads import unread_for_user


def comms(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.staff_role:
        return {}

    def url() -> str:
        partner_ids = list(Membership.objects.filter(user=user).values_list("partner_id", flat=True)[:2])
        if len(partner_ids) == 1:
            return reverse("comms:threads", args=[partner_ids[0]])
        return reverse("partners:list")

    # Lazy: computed only when the navigation uses them (one query each).
    return {
        "comms_messages_url": SimpleLazyObject(url),
        "comms_unread_total": SimpleLazyObject(lambda: unread_for_user(user)),
    }
