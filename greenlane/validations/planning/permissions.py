"""Who may do what in validation planning. Every staff role reads; program managers (and the system
administrator) compute, accept and adjust plans and edit the weights; starting a month's validations takes a
role that may open validations."""

from __future__ import annotations

from greenlane.accounts.choices import StaffRole

PLANNERS = frozenset({StaffRole.PROGRAM_MANAGER, StaffRole.SYSTEM_ADMIN})
STARTERS = frozenset({StaffRole.PROGRAM_MANAGER, StaffRole.SUPERVISORY_SCS})
AVAILABILITY_EDITORS = frozenset(
    {StaffRole.PROGRAM_MANAGER, StaffRole.SUPERVISORY_SCS, StaffRole.SYSTEM_ADMIN}
)


def can_view(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "staff_role", ""))


def can_plan(user) -> bool:
    return getattr(user, "staff_role", "") in PLANNERS


def can_start(user) -> bool:
    return getattr(user, "staff_role", "") in STARTERS


def can_edit_availability(user) -> bool:
    return getattr(user, "staff_role", "") in AVAILABILITY_EDITORS
