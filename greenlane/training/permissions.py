"""Who may do what in training. Staff read everything; trade users see only their own company's seats."""

from __future__ import annotations

from greenlane.accounts.choices import StaffRole

# Specialists coordinate outreach and training (Objective 2.2); supervisors and managers too.
SEMINAR_MANAGERS = frozenset(
    {StaffRole.SCS, StaffRole.SUPERVISORY_SCS, StaffRole.PROGRAM_MANAGER, StaffRole.SYSTEM_ADMIN}
)
# Supervisors record staff training (a supervisory SCS within their own field office).
RECORDERS = frozenset({StaffRole.SUPERVISORY_SCS, StaffRole.PROGRAM_MANAGER, StaffRole.SYSTEM_ADMIN})
# The people the training rules apply to.
TRAINEE_ROLES = frozenset({StaffRole.SCS, StaffRole.SUPERVISORY_SCS})


def is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "staff_role", ""))


def can_manage_seminars(user) -> bool:
    return getattr(user, "staff_role", "") in SEMINAR_MANAGERS


def can_record(user) -> bool:
    return getattr(user, "staff_role", "") in RECORDERS
