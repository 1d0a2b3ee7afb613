"""Background work: the status-change sweep and webhook deliveries (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def sweep_status_changes() -> int:
    from . import dispatch

    return dispatch.sweep()


@task()
def deliver_webhooks(ids: list[int]) -> int:
    from . import webhooks

    for pk in ids:
        webhooks.attempt_delivery(pk)
    return len(ids)
