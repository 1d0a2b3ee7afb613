"""Who may do what with a partner. Policies take the user and (where it matters) the membership role."""

from __future__ import annotations

from greenlane.accounts.choices import StaffRole, TradeRole

# Staff who work partners: move them through review, edit staff fields.
STAFF_OPERATORS = frozenset(
    {
        StaffRole.SCS,
        StaffRole.SUPERVISORY_SCS,
        StaffRole.VETTING_OFFICER,
        StaffRole.PROGRAM_MANAGER,
        StaffRole.SYSTEM_ADMIN,
    }
)
# Staff who assign specialists.
STAFF_ASSIGNERS = frozenset({StaffRole.SUPERVISORY_SCS, StaffRole.PROGRAM_MANAGER, StaffRole.SYSTEM_ADMIN})
# Trade roles that may prepare the application (everything except signing and submitting).
PREPARERS = frozenset(TradeRole.values)
# Trade roles that manage who belongs to the company.
MEMBER_MANAGERS = frozenset({TradeRole.COMPANY_OFFICER, TradeRole.COMPANY_ADMIN})


def is_staff(user) -> bool:
    return bool(getattr(user, "staff_role", ""))


def can_operate(user) -> bool:
    return getattr(user, "staff_role", "") in STAFF_OPERATORS


def can_assign(user) -> bool:
    return getattr(user, "staff_role", "") in STAFF_ASSIGNERS


def can_prepare(role: str | None) -> bool:
    return role in PREPARERS


def can_sign_and_submit(role: str | None) -> bool:
    return role == TradeRole.COMPANY_OFFICER


def can_manage_members(role: str | None) -> bool:
    return role in MEMBER_MANAGERS
