"""Shared by the lifecycle services: who may act, input cleaning, mail to the company officers."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from greenlane.accounts.choices import StaffRole, TradeRole
from greenlane.core.errors import Forbidden, InvalidInput, NotFound
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner

S = PartnerStatus
# Specialists decide referrals assigned to them; supervisors and program managers any referral.
SPECIALISTS = frozenset({StaffRole.SCS, StaffRole.SUPERVISORY_SCS, StaffRole.PROGRAM_MANAGER})
SUPERVISORS = frozenset({StaffRole.SUPERVISORY_SCS, StaffRole.PROGRAM_MANAGER})
ASSIGNABLE = frozenset({StaffRole.SCS, StaffRole.SUPERVISORY_SCS})
MAX_INFO_DAYS = 30
REASON_MAX, LONG_MAX = 4000, 10000

# --- helpers ------------------------------------------------------------------------------------------------


def _require_staff(actor, roles: frozenset[str], message: str) -> None:
    """Non-staff do not learn the object exists (404); staff without the role are refused (403)."""
    role = getattr(actor, "staff_role", "")
    if not role:
        raise NotFound()
    if role not in roles:
        raise Forbidden(message)


def _text(value, *, field: str, missing: str, limit: int = REASON_MAX) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if not text:
        raise InvalidInput(missing, field=field)
    if len(text) > limit:
        raise InvalidInput(_("Keep this under %(n)s characters.") % {"n": f"{limit:,}"}, field=field)
    return text


def _raise_all(errors: list[dict]) -> None:
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)


def _status_label(value: str) -> str:
    return str(S(value).label) if value in S.values else value


def _officer_emails(partner: Partner) -> list[str]:
    return list(
        partner.memberships.filter(role=TradeRole.COMPANY_OFFICER, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


def _mail_officers(partner: Partner, subject: str, lines: list[str]) -> None:
    """E-mail the company officers once the transaction has committed."""

    def send() -> None:
        recipients = _officer_emails(partner)
        if recipients:
            send_mail(f"{partner.reference}: {subject}", "\n".join([subject, "", *lines]), None, recipients)

    transaction.on_commit(send)


def _reason_entry(code: str, message: str, outcome: str) -> dict:
    """A specialist's reason, in the shape of the rule engine's reasons (ReasonOut)."""
    return {
        "code": code,
        "kind": "specialist",
        "message": message,
        "input": "",
        "value": None,
        "weight": 0,
        "outcome": outcome,
    }
