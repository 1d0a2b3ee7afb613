"""Who may do what in communications. Policies take the user (and the partner where it matters)."""

from __future__ import annotations

from greenlane.accounts.choices import StaffRole

# Staff who write, schedule and withdraw bulletins and cargo security alerts.
BULLETIN_EDITORS = frozenset(
    {StaffRole.PROGRAM_MANAGER, StaffRole.SUPERVISORY_SCS, StaffRole.INTELLIGENCE_ANALYST}
)
# Staff who write threat assessments and, when in the audience, see who opened them.
ASSESSORS = frozenset({StaffRole.INTELLIGENCE_ANALYST, StaffRole.PROGRAM_MANAGER})
# Staff who may reach any partner by message; the assigned SCS reaches its own partners and a supervisory
# SCS those of its field office.
REACH_ALL = frozenset({StaffRole.PROGRAM_MANAGER})
# Staff who read every thread without writing (oversight).
THREAD_READERS = frozenset({StaffRole.AUDITOR})


def is_staff(user) -> bool:
    return bool(getattr(user, "staff_role", ""))


def can_edit_bulletins(user) -> bool:
    return getattr(user, "staff_role", "") in BULLETIN_EDITORS


def can_author_assessments(user) -> bool:
    return getattr(user, "staff_role", "") in ASSESSORS


def can_reach(user, partner) -> bool:
    """May this staff member write to this partner (and read its threads)?"""
    role = getattr(user, "staff_role", "")
    if not role:
        return False
    if role in REACH_ALL:
        return True
    if partner.assigned_scs_id is not None and partner.assigned_scs_id == user.pk:
        return True
    if role == StaffRole.SUPERVISORY_SCS:
        return partner.field_office_id is None or partner.field_office_id == user.field_office_id
    return False


def can_read_threads_of(user, partner) -> bool:
    return can_reach(user, partner) or getattr(user, "staff_role", "") in THREAD_READERS
