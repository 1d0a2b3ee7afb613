"""Who may do what on the boards, in the libraries and in the best-practice catalog."""

from __future__ import annotations

from greenlane.accounts.choices import StaffRole, TradeRole
from greenlane.partners.choices import PartnerStatus

# Staff who open topics and moderate the boards (hide posts, lock, pin, decide abuse reports).
MODERATORS = frozenset(
    {StaffRole.SCS, StaffRole.SUPERVISORY_SCS, StaffRole.PROGRAM_MANAGER, StaffRole.SYSTEM_ADMIN}
)
# Staff who publish to the public library.
LIBRARIANS = frozenset({StaffRole.SUPERVISORY_SCS, StaffRole.PROGRAM_MANAGER, StaffRole.SYSTEM_ADMIN})
# Staff who approve or reject best practices.
PRACTICE_APPROVERS = frozenset({StaffRole.SUPERVISORY_SCS, StaffRole.PROGRAM_MANAGER})
# Staff who draw a best practice from a validation.
PRACTICE_AUTHORS = frozenset({StaffRole.SCS, StaffRole.SUPERVISORY_SCS, StaffRole.PROGRAM_MANAGER})
# Staff who reach every company's document exchange; an SCS reaches the companies assigned to them.
EXCHANGE_ALL = frozenset({StaffRole.SUPERVISORY_SCS, StaffRole.PROGRAM_MANAGER})
EXCHANGE_READERS = frozenset({StaffRole.AUDITOR})
# Trade roles that post for their company (a consultant reads the boards but does not speak for a company).
BOARD_SPEAKERS = frozenset({TradeRole.COMPANY_OFFICER, TradeRole.COMPANY_ADMIN, TradeRole.CONTRIBUTOR})
# Trade roles that submit a best practice; only the officer consents to the company's name being shown.
PRACTICE_SUBMITTERS = BOARD_SPEAKERS
MEMBER_STATUSES = frozenset({PartnerStatus.CERTIFIED})


def role(user) -> str:
    return getattr(user, "staff_role", "") or ""


def can_moderate(user) -> bool:
    return role(user) in MODERATORS


def can_publish_library(user) -> bool:
    return role(user) in LIBRARIANS


def can_approve_practice(user) -> bool:
    return role(user) in PRACTICE_APPROVERS


def can_author_practice(user) -> bool:
    return role(user) in PRACTICE_AUTHORS


def staff_reaches(user, partner) -> bool:
    """Whether a staff user may open a company's document exchange (read)."""
    r = role(user)
    if r in EXCHANGE_ALL or r in EXCHANGE_READERS:
        return True
    return r == StaffRole.SCS and partner.assigned_scs_id == user.pk


def staff_writes_exchange(user, partner) -> bool:
    r = role(user)
    return r in EXCHANGE_ALL or (r == StaffRole.SCS and partner.assigned_scs_id == user.pk)
