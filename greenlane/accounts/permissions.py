"""Who may administer accounts."""

from __future__ import annotations

from .choices import StaffRole


def is_system_admin(user) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and getattr(user, "staff_role", "") == StaffRole.SYSTEM_ADMIN
    )
