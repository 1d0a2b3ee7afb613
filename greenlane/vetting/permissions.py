"""Who may do what in vetting. Every staff role may read (the auditor among them); trade users see nothing."""

from __future__ import annotations

from greenlane.accounts.choices import StaffRole

# Staff who import compliance files, run matching and decide matches.
VETTERS = frozenset({StaffRole.VETTING_OFFICER, StaffRole.PROGRAM_MANAGER, StaffRole.SYSTEM_ADMIN})


def can_view(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "staff_role", ""))


def can_manage(user) -> bool:
    return getattr(user, "staff_role", "") in VETTERS
