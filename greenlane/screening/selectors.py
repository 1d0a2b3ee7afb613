"""Reads of decisions for an actor (via partner_for: foreign partners are 404)."""

from __future__ import annotations

from greenlane.core.errors import NotFound
from greenlane.partners.selectors import partner_for

from .models import Decision, RuleSetVersion


def decisions_for(user, partner_id) -> list[Decision]:
    access = partner_for(user, partner_id)
    return list(
        Decision.objects.filter(partner=access.partner)
        .select_related("partner", "decided_by")
        .order_by("-decided_at", "-id")
    )


def decision_for(user, partner_id, decision_id) -> Decision:
    access = partner_for(user, partner_id)
    found = (
        Decision.objects.select_related("partner", "decided_by", "partner__assigned_scs")
        .filter(partner=access.partner, pk=decision_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def rulesets(user) -> list[RuleSetVersion]:
    if not getattr(user, "staff_role", ""):
        raise NotFound()
    return list(
        RuleSetVersion.objects.select_related("created_by", "activated_by").order_by("-created_at", "-id")
    )
