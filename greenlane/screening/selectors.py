"""Reads of decisions for an actor (via partner_for: foreign partners are 404)."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from greenlane.core.errors import NotFound
from greenlane.partners.selectors import partner_for

from .models import Decision, RuleSetVersion


def _with_current_due(decisions: list[Decision]) -> list[Decision]:
    """Set `current_decision_due` on each decision: for a referral still open, the due date moved by the
    information requests that paused its clock (deadlines.referral_due); otherwise the date of record."""
    from .deadlines import OPEN_REFERRAL, referral_due

    for decision in decisions:
        due = decision.decision_due
        try:
            referral = decision.referral  # type: ignore[attr-defined]
        except ObjectDoesNotExist:
            referral = None
        if referral is not None and referral.status in OPEN_REFERRAL:
            due = referral_due(referral)
        decision.current_decision_due = due  # type: ignore[attr-defined]
    return decisions


def decisions_for(user, partner_id) -> list[Decision]:
    access = partner_for(user, partner_id)
    return _with_current_due(
        list(
            Decision.objects.filter(partner=access.partner)
            .select_related("partner", "decided_by", "referral")
            .prefetch_related("referral__info_requests")
            .order_by("-decided_at", "-id")
        )
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
    return _with_current_due([found])[0]


def rulesets(user) -> list[RuleSetVersion]:
    if not getattr(user, "staff_role", ""):
        raise NotFound()
    return list(
        RuleSetVersion.objects.select_related("created_by", "activated_by").order_by("-created_at", "-id")
    )
