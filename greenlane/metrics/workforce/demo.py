"""The workforce plan stores nothing: it reads the demo's partners, staff, validations, planning availability
and training records (seeded by their own apps), so there is nothing to seed here."""

from __future__ import annotations

import random


def seed_demo(rng: random.Random) -> None:
    return None
