"""The one call other apps make when a partner's status or tier may have changed.

Import-light on purpose (partners.services may import it): it only schedules a sweep of the audit trail
after the caller's transaction commits.
"""

from __future__ import annotations

from django.db import transaction


def partner_changed() -> None:
    """After commit, fan out any partner status/tier change to the companies monitoring it."""
    transaction.on_commit(_enqueue_sweep)


def _enqueue_sweep() -> None:
    from .tasks import sweep_status_changes

    sweep_status_changes.enqueue()
