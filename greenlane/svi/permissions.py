"""Who may use the SVI for a company, and the reasons given when it may not."""

from __future__ import annotations

from django.utils.translation import gettext as _

from greenlane.accounts.choices import TradeRole
from greenlane.core.errors import Forbidden, NotFound
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner
from greenlane.partners.selectors import partner_for

S = PartnerStatus
# Officers and administrators decide what the company shares and whom it links with; every member of the
# company may read statuses and run verifications.
MANAGERS = frozenset({TradeRole.COMPANY_OFFICER, TradeRole.COMPANY_ADMIN})


def company_for(actor, partner_id, *, manage: bool = False, for_update: bool = False) -> Partner:
    """The company the actor acts for. Staff and outsiders: NotFound; a member without the role: Forbidden."""
    if getattr(actor, "staff_role", ""):
        raise NotFound()
    access = partner_for(actor, partner_id, for_update=for_update)
    if manage and access.role not in MANAGERS:
        raise Forbidden(
            _("Only a company officer or administrator manages the company's SVI membership and links.")
        )
    return access.partner


def refusal(partner: Partner, *, participating: bool | None) -> str:
    """Why the company may not query the SVI now, or '' when it may."""
    if partner.status == S.SUSPENDED:
        return _("Your company is suspended; suspended members cannot use the SVI until reinstated.")
    if partner.status != S.CERTIFIED:
        return _("Only certified members may use the SVI; your company is '%(s)s'.") % {
            "s": S(partner.status).label if partner.status in S.values else partner.status
        }
    if participating is False:
        return _("Your company does not take part in the SVI. Join it first (SVI → Join).")
    return ""


def require_certified(partner: Partner, what: str) -> None:
    reason = refusal(partner, participating=None)
    if reason:
        raise Forbidden(_("You cannot %(what)s: %(why)s") % {"what": what, "why": reason})


def require_svi_user(partner: Partner, what: str) -> None:
    """Certified, not suspended, and an active participant."""
    from .models import SviParticipation

    active = SviParticipation.objects.filter(partner=partner, active=True).exists()
    reason = refusal(partner, participating=active)
    if reason:
        raise Forbidden(_("You cannot %(what)s: %(why)s") % {"what": what, "why": reason})


def require_svi_participant(partner: Partner, what: str) -> None:
    from .models import SviParticipation

    if not SviParticipation.objects.filter(partner=partner, active=True).exists():
        raise Forbidden(
            _("You cannot %(what)s: your company does not take part in the SVI. Join it first.")
            % {"what": what}
        )
