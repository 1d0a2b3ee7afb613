"""Who may do what with the performance measures (docs/metrics.md)."""

from __future__ import annotations

# Read the dashboards, drill down, export, see any member's benefits statement.
READERS = frozenset({"program_manager", "supervisory_scs", "auditor", "system_admin"})
# Take snapshots and compute the measures, import crossing times.
COMPUTERS = frozenset({"program_manager", "system_admin"})


def can_read(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.staff_role in READERS)


def can_compute(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.staff_role in COMPUTERS)
