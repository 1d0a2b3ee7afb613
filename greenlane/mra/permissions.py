"""Who may do what with foreign programs. Staff read; program managers and administrators import and export.
Trade users look up foreign status only while one of their companies is a certified member."""

from __future__ import annotations

from django.utils.translation import gettext as _

from greenlane.accounts.choices import StaffRole, TradeRole
from greenlane.core.errors import Forbidden, NotFound

MANAGERS = frozenset({StaffRole.PROGRAM_MANAGER, StaffRole.SYSTEM_ADMIN, StaffRole.VETTING_OFFICER})
CONSENT_ROLES = frozenset({TradeRole.COMPANY_OFFICER})


def is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "staff_role", ""))


def can_manage(user) -> bool:
    return getattr(user, "staff_role", "") in MANAGERS


def require_staff(user) -> None:
    if not is_staff(user):
        raise NotFound()


def require_manager(user) -> None:
    require_staff(user)
    if not can_manage(user):
        raise Forbidden(
            _("Only program managers, vetting officers and system administrators may import or export.")
        )


def can_consent(role: str | None) -> bool:
    # International (MRA) agreements are made by a company officer.
    return role in CONSENT_ROLES
