"""Background tasks (django-tasks; immediate in development and tests, the database backend in production)."""

from __future__ import annotations

from django_tasks import task


@task()
def compute_plan(plan_id: int) -> None:
    from .services import plan_run

    plan_run(plan_id=plan_id)
