"""Background tasks (django-tasks; immediate in development and tests)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_export(job_id: int) -> None:
    from .services import export_run

    export_run(job_id)
