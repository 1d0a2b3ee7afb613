"""Tier changes of a certified member (validation outcomes): one service, audited, recorded as TierChange."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.accounts.choices import StaffRole
from greenlane.audit.services import record_event
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.svi import hooks as svi_hooks

from .choices import PartnerStatus, Tier
from .models import Partner, TierChange

# Staff who may set a tier (validation specialists and their supervisors).
TIER_SETTERS = frozenset({StaffRole.SCS, StaffRole.SUPERVISORY_SCS, StaffRole.PROGRAM_MANAGER})
SOURCES = frozenset({"validation", "manual"})


@transaction.atomic
def partner_tier_set(
    *, actor, partner_id: int, to_tier: int, reason: str, source: str = "validation"
) -> TierChange:
    """Move a certified member to another tier; refused for anyone not certified."""
    role = getattr(actor, "staff_role", "")
    if not role:
        raise NotFound()
    if role not in TIER_SETTERS:
        raise Forbidden(_("Your role cannot change a member's tier."))
    partner = Partner.objects.select_for_update().filter(pk=partner_id).first()
    if partner is None:
        raise NotFound()
    if to_tier not in (Tier.TIER_1, Tier.TIER_2, Tier.TIER_3):
        raise InvalidInput(_("A member's tier is 1, 2 or 3."), field="to_tier")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for the tier change."), field="reason")
    if len(reason) > 4000:
        raise InvalidInput(_("Keep the reason under 4,000 characters."), field="reason")
    if source not in SOURCES:
        raise InvalidInput(_("Unknown source '%(s)s'.") % {"s": source}, field="source")
    if partner.status != PartnerStatus.CERTIFIED:
        raise Conflict(_("Only a certified member's tier can change; this company is not certified."))
    now = timezone.now()
    change = TierChange.objects.create(
        partner=partner, from_tier=partner.tier, to_tier=to_tier, at=now, actor=actor, reason=reason
    )
    before = {"tier": partner.tier}
    partner.tier = to_tier
    partner.updated_at = now
    partner.save(update_fields=["tier", "updated_at"])
    record_event(
        actor=actor,
        action="partner.tier",
        partner=partner,
        obj=change,
        summary=f"Tier {before['tier']} → {to_tier} ({source})",
        before=before,
        after={"tier": to_tier, "source": source},
        reason=reason,
    )
    svi_hooks.partner_changed()  # monitors hear of it after commit
    return change
