"""Demo data: the default weights as version 1, the demo specialists' leave, next year's accepted plan with
one adjustment, and a newer draft beside it."""

from __future__ import annotations

import random

from greenlane.accounts.models import User

from . import engine, inputs, selectors, services
from .choices import PlanStatus
from .models import PlanEntry, ValidationPlan

MANAGER = "manager@demo.example"


def seed_demo(rng: random.Random) -> None:
    manager = User.objects.filter(email=MANAGER).first()
    if manager is None:
        return
    if selectors.current_weights() is None:
        services.weights_update(
            actor=manager,
            data=dict(engine.DEFAULT_WEIGHTS),
            reason="Program defaults adopted for the first plan.",
        )
    year = inputs.next_year()
    for specialist in selectors.specialists():
        for month in rng.sample(range(1, 13), 2):  # two months of leave or training each
            services.availability_set(
                actor=manager,
                specialist_id=specialist.pk,
                year=year,
                month=month,
                hours=engine.STANDARD_MONTHLY_HOURS // 2,
                note="Leave and training",
            )
    # An accepted plan with one move by hand (the adjustment log, recomputed figures, "Move" links), and a
    # newer draft beside it to compare and accept.
    accepted = _plan(manager, year, oversight=2)
    services.plan_accept(actor=manager, plan_id=accepted.pk, method="optimised")
    entry = PlanEntry.objects.filter(plan=accepted).order_by("-month", "id").first()
    if entry is not None:
        others = [s.pk for s in selectors.specialists() if s.pk != entry.specialist_id]
        services.entry_adjust(
            actor=manager,
            entry_id=entry.pk,
            specialist_id=others[0] if others else entry.specialist_id,
            month=entry.month - 1 if entry.month > 1 else 2,
            reason="The assigned specialist is on a detail that month; the validation moves.",
        )
    _plan(manager, year, oversight=3)


def _plan(manager, year: int, *, oversight: int) -> ValidationPlan:
    plan = services.plan_compute(
        actor=manager, year=year, time_limit=2, oversight_sample=oversight, sector_minimum=1
    )
    plan = ValidationPlan.objects.get(pk=plan.pk)
    if plan.status == PlanStatus.COMPUTING:  # a queued task backend: compute now so the demo shows a plan
        plan = services.plan_run(plan_id=plan.pk)
    return plan
