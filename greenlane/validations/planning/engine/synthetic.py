"""A synthetic population for the bench and the tests: partners with scores, due dates and foreign sites."""

from __future__ import annotations

import datetime as dt
import random

from .score import DEFAULT_WEIGHTS, Features, score
from .types import DEFAULT_HOURS, STANDARD_MONTHLY_HOURS, Candidate, Specialist, hours_needed

OFFICES = ("new-york", "miami", "los-angeles", "washington", "houston", "chicago", "seattle", "detroit")
COUNTRIES = ("MX", "CN", "VN", "IN", "CO", "HN", "GT", "DE", "TR", "PK", "BD", "TH", "CA", "BR", "NG")
THREAT = {
    "MX": 3,
    "CN": 3,
    "VN": 2,
    "IN": 2,
    "CO": 4,
    "HN": 4,
    "GT": 4,
    "DE": 1,
    "TR": 3,
    "PK": 5,
    "BD": 3,
    "TH": 2,
    "CA": 1,
    "BR": 2,
    "NG": 4,
}


def population(
    partners: int, specialists: int, *, year: int = 2027, seed: int = 1, offices: int = 8
) -> tuple[list[Candidate], list[Specialist]]:
    rng = random.Random(seed)
    names = OFFICES[:offices]
    types = list(DEFAULT_HOURS)
    start = dt.date(year, 1, 1)
    candidates = []
    for pid in range(1, partners + 1):
        entity_type = rng.choice(types)
        n_foreign = rng.choices([0, 1, 2, 3], weights=[50, 30, 15, 5])[0]
        countries = tuple(sorted(rng.sample(COUNTRIES, n_foreign)))
        # Certified at a spread of dates: a fifth never validated (due 1 year after), the rest every 4 years.
        if rng.random() < 0.2:
            due = start + dt.timedelta(days=rng.randint(-60, 540))
            years_since = None
        else:
            last = start - dt.timedelta(days=rng.randint(0, 4 * 365 + 60))
            due = dt.date(last.year + 4, last.month, min(last.day, 28))
            years_since = (start - last).days / 365.25
        threat = max([THREAT[c] for c in countries], default=rng.choice([1, 2, 2, 3]))
        features = Features(
            threat_level=threat,
            anomalies=rng.choices([0, 1, 2, 4], weights=[85, 10, 4, 1])[0],
            import_value=rng.lognormvariate(15, 2),
            import_volume=rng.lognormvariate(6, 1.5),
            fast=rng.random() < 0.15,
            years_since_validation=years_since,
            days_to_due=(due - start).days,
            sector=entity_type,
        )
        value, _reasons = score(features, DEFAULT_WEIGHTS)
        candidates.append(
            Candidate(
                partner_id=pid,
                entity_type=entity_type,
                office=names[pid % len(names)],
                countries=countries,
                score=value,
                hours=hours_needed(entity_type, len(countries)),
                due=due,
                sector=entity_type,
            )
        )
    staff = []
    for sid in range(1, specialists + 1):
        leave = rng.sample(range(12), 2)
        hours = tuple(
            STANDARD_MONTHLY_HOURS // 2 if m in leave else STANDARD_MONTHLY_HOURS for m in range(12)
        )
        staff.append(Specialist(id=sid, office=names[sid % len(names)], hours=hours))
    return candidates, staff
