"""Background jobs: the same work as `greenlane comms release|digest`, for a scheduler to enqueue."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def release_due_bulletins() -> int:
    return services.bulletins_release_due()


@task()
def send_digest() -> dict:
    services.bulletins_release_due()
    return services.digest_send()
