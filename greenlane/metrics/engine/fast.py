"""FAST lane time savings: a discrete-event simulation of a land-border crossing (SimPy; pure Python).

Trucks arrive at random (Poisson); a share are FAST trucks (certified carrier, importer and manufacturer,
driver with a FAST card). Two scenarios share the same random arrivals and service draws (common random
numbers), so the difference is the program's effect and not noise:

* **with FAST**: FAST trucks queue for the dedicated FAST booths with the shorter FAST primary inspection and
  the FAST secondary referral rate; the others queue for the general booths;
* **without FAST**: the same trucks, all booths general, general inspection times and referral rate.

Time in the crossing = wait for a booth + primary inspection + (if referred) secondary inspection.
Saving per FAST transaction = mean time of the FAST trucks without FAST minus with FAST. Replications with
different seeds give a 95% confidence interval (Student t).
"""

from __future__ import annotations

import math
import random
import statistics
from dataclasses import asdict, dataclass, fields
from typing import Any

import simpy

# t quantiles (0.975) by degrees of freedom, for the confidence interval
_T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262,
         10: 2.228, 12: 2.179, 15: 2.131, 20: 2.086, 25: 2.060, 30: 2.042, 40: 2.021, 60: 2.000}  # fmt: skip


def t975(df: int) -> float:
    keys = sorted(_T975)
    for k in keys:
        if df <= k:
            return _T975[k]
    return 1.96


@dataclass(frozen=True)
class FastParams:
    arrivals_per_hour: float = 120.0
    fast_share: float = 0.3  # share of trucks that are FAST transactions
    general_booths: int = 6
    fast_booths: int = 2
    general_primary_minutes: float = 2.5
    fast_primary_minutes: float = 1.0
    general_secondary_rate: float = 0.05
    fast_secondary_rate: float = 0.01
    secondary_minutes: float = 45.0
    hours: float = 8.0
    replications: int = 10
    seed: int = 1


# (min, max) of each parameter; the page and the API refuse values outside.
BOUNDS: dict[str, tuple[float, float]] = {
    "arrivals_per_hour": (1, 600),
    "fast_share": (0.0, 1.0),
    "general_booths": (1, 30),
    "fast_booths": (1, 30),
    "general_primary_minutes": (0.1, 60),
    "fast_primary_minutes": (0.1, 60),
    "general_secondary_rate": (0.0, 1.0),
    "fast_secondary_rate": (0.0, 1.0),
    "secondary_minutes": (1, 480),
    "hours": (1, 24),
    "replications": (2, 50),
    "seed": (0, 2**31 - 1),
}
MAX_TRUCKS = 400_000  # arrivals x hours x replications, to keep a run within a few seconds


def check(p: FastParams) -> list[dict[str, str]]:
    """Problems with the parameters as [{field, message}] (empty when fine)."""
    errors = []
    for f in fields(p):
        v = getattr(p, f.name)
        lo, hi = BOUNDS[f.name]
        if (
            not isinstance(v, (int, float))
            or isinstance(v, bool)
            or not math.isfinite(v)
            or not lo <= v <= hi
        ):
            errors.append({"field": f.name, "message": f"{f.name} must be between {lo:g} and {hi:g}."})
    if not errors and p.arrivals_per_hour * p.hours * p.replications > MAX_TRUCKS:
        errors.append(
            {
                "field": "replications",
                "message": f"arrivals per hour x hours x replications must be at most {MAX_TRUCKS:,}.",
            }
        )
    return errors


def _trucks(p: FastParams, rng: random.Random) -> list[tuple[float, bool, float, float, float, float]]:
    """(arrival minute, is FAST, general primary, FAST primary, u for referral, secondary minutes)."""
    out: list[tuple[float, bool, float, float, float, float]] = []
    t = 0.0
    horizon = p.hours * 60
    rate = p.arrivals_per_hour / 60
    while True:
        t += rng.expovariate(rate)
        if t > horizon:
            return out
        u = rng.random()
        out.append(
            (
                t,
                rng.random() < p.fast_share,
                rng.expovariate(1 / p.general_primary_minutes),
                rng.expovariate(1 / p.fast_primary_minutes),
                u,
                rng.expovariate(1 / p.secondary_minutes),
            )
        )


def _run(p: FastParams, trucks: list, with_fast: bool) -> tuple[list[float], list[float]]:
    """(total minutes of FAST trucks, waits of FAST trucks) in one scenario."""
    env = simpy.Environment()
    general = simpy.Resource(env, capacity=p.general_booths + (0 if with_fast else p.fast_booths))
    fast = simpy.Resource(env, capacity=p.fast_booths) if with_fast else general
    secondary = simpy.Resource(env, capacity=max(1, (p.general_booths + p.fast_booths) // 2))
    totals: list[float] = []
    waits: list[float] = []

    def truck(arrive: float, is_fast: bool, gp: float, fp: float, u: float, sec: float):
        yield env.timeout(arrive - env.now)
        lane_fast = with_fast and is_fast
        booth = fast if lane_fast else general
        with booth.request() as req:
            yield req
            waited = env.now - arrive
            yield env.timeout(fp if lane_fast else gp)
        rate = p.fast_secondary_rate if lane_fast else p.general_secondary_rate
        if u < rate:
            with secondary.request() as req2:
                yield req2
                yield env.timeout(sec)
        if is_fast:
            totals.append(env.now - arrive)
            waits.append(waited)

    for tr in trucks:
        env.process(truck(*tr))
    env.run()
    return totals, waits


@dataclass(frozen=True)
class FastResult:
    params: dict[str, Any]
    replications: int
    fast_transactions: float  # mean per replication
    minutes_with_fast: float
    minutes_without_fast: float
    saving_minutes: float
    saving_ci_low: float
    saving_ci_high: float
    wait_saving_minutes: float
    per_replication: list[float]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def simulate(p: FastParams) -> FastResult:
    errors = check(p)
    if errors:
        raise ValueError("; ".join(e["message"] for e in errors))
    savings, with_m, without_m, wait_s, counts = [], [], [], [], []
    for r in range(int(p.replications)):
        rng = random.Random(f"{p.seed}:{r}")
        trucks = _trucks(p, rng)
        t_with, w_with = _run(p, trucks, True)
        t_without, w_without = _run(p, trucks, False)
        if not t_with:
            continue
        a, b = statistics.fmean(t_with), statistics.fmean(t_without)
        with_m.append(a)
        without_m.append(b)
        savings.append(b - a)
        wait_s.append(statistics.fmean(w_without) - statistics.fmean(w_with))
        counts.append(len(t_with))
    if len(savings) < 2:
        raise ValueError(
            "Too few FAST transactions to estimate: raise the arrival rate, FAST share or hours."
        )
    mean = statistics.fmean(savings)
    half = t975(len(savings) - 1) * statistics.stdev(savings) / math.sqrt(len(savings))
    return FastResult(
        params=asdict(p),
        replications=len(savings),
        fast_transactions=statistics.fmean(counts),
        minutes_with_fast=statistics.fmean(with_m),
        minutes_without_fast=statistics.fmean(without_m),
        saving_minutes=mean,
        saving_ci_low=mean - half,
        saving_ci_high=mean + half,
        wait_saving_minutes=statistics.fmean(wait_s),
        per_replication=savings,
    )
