"""Demo data: the default weights as version 1, the demo specialists' leave, and next year's draft plan."""

from __future__ import annotations

import random

from greenlane.accounts.models import User

from . import engine, inputs, selectors, services
from .choices import PlanStatus
from .models import ValidationPlan

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
    plan = services.plan_compute(actor=manager, year=year, time_limit=3, oversight_sample=2, sector_minimum=1)
    plan = ValidationPlan.objects.get(pk=plan.pk)
    if plan.status == PlanStatus.COMPUTING:  # a queued task backend: compute now so the demo shows a plan
        services.plan_run(plan_id=plan.pk)
