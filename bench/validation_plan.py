"""Validation plan: CP-SAT optimiser against the greedy plan on a synthetic population (pure engine, no DB).

    python bench/validation_plan.py [--partners 20000] [--specialists 150] [--time-limit 45] [--quick] [--demo]

Figures (issue 5): the optimised plan for 20,000 partners, 150 specialists and 12 months in under 60 s; it
covers at least as much risk as the greedy plan (measured in the same run) and meets the deadlines capacity
allows (printed beside the Moore-Hodgson upper bound). `--demo` adds the same figures on the demo
population in the database, when one is configured. Lines starting with `BENCH-RESULT ` carry one JSON result
each, for bench/run.py's summary.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from greenlane.validations.planning.engine import (
    Parameters,
    deadline_bound,
    greedy_book,
    greedy_plan,
    optimise_plan,
    summarise,
)
from greenlane.validations.planning.engine.synthetic import population

BENCH_NAME = "validation_plan"
TARGET_S = 60.0


def emit(**values) -> None:
    print("BENCH-RESULT " + json.dumps({"bench": BENCH_NAME, **values}), flush=True)


def load() -> float:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return -1.0


def compare(label: str, candidates, specialists, params: Parameters, *, backend: str) -> None:
    greedy_times = []
    for _ in range(3):
        started = time.perf_counter()
        greedy = greedy_plan(candidates, specialists, params)
        greedy_times.append(time.perf_counter() - started)
    hint, _forced = greedy_book(candidates, specialists, params)
    started = time.perf_counter()
    optimised = optimise_plan(candidates, specialists, params, hint=hint)
    opt_s = time.perf_counter() - started
    bound = deadline_bound(candidates, specialists, params)
    g = summarise(greedy, candidates, specialists, params, bound=bound, detail=False)
    o = summarise(optimised, candidates, specialists, params, bound=bound, detail=False)
    print(f"\n{label}: {len(candidates):,} partners, {len(specialists)} specialists, 12 months")
    print(f"{'':28}{'greedy':>14}{'optimised':>14}")
    rows = [
        ("seconds", f"{statistics.median(greedy_times):.2f}", f"{opt_s:.2f}"),
        ("validations planned", g["planned"], o["planned"]),
        ("risk covered", f"{g['risk_covered']:,.0f}", f"{o['risk_covered']:,.0f}"),
        ("risk share", f"{g['risk_share']:.1%}", f"{o['risk_share']:.1%}"),
        ("deadlines due", g["deadlines"]["due"], o["deadlines"]["due"]),
        ("deadlines met", g["deadlines"]["met"], o["deadlines"]["met"]),
        ("  late (placed after due)", g["deadlines"]["late"], o["deadlines"]["late"]),
        ("  at risk (no capacity)", g["deadlines"]["at_risk"], o["deadlines"]["at_risk"]),
        (
            "samples included",
            f"{g['samples']['included']}/{g['samples']['required']}",
            f"{o['samples']['included']}/{o['samples']['required']}",
        ),
        ("trips", g["trips"]["count"], o["trips"]["count"]),
        (
            "validations per trip",
            g["trips"]["mean_validations_per_trip"],
            o["trips"]["mean_validations_per_trip"],
        ),
        ("hours used", f"{g['hours']['utilisation']:.1%}", f"{o['hours']['utilisation']:.1%}"),
        ("specialist-months over", len(g["over_capacity"]), len(o["over_capacity"])),
    ]
    for name, a, b in rows:
        print(f"{name:28}{a!s:>14}{b!s:>14}")
    print(
        f"deadlines capacity allows (upper bound, pooled hours, no travel): {bound:,}; solver status {o['status']}"
    )
    ratio = o["risk_covered"] / g["risk_covered"] if g["risk_covered"] else 0.0
    emit(
        backend=backend,
        case=f"plan {len(candidates)} partners x {len(specialists)} specialists x 12 months",
        via="optimiser",
        seconds=round(opt_s, 2),
        p95_ms=round(opt_s * 1000),
        target=f"optimiser < {TARGET_S:.0f} s",
        status="PASS" if opt_s < TARGET_S else "MISS",
        baseline_greedy_s=round(statistics.median(greedy_times), 3),
        load=load(),
    )
    emit(
        backend=backend,
        case=f"risk covered, {len(candidates)} partners",
        via="optimiser vs greedy",
        optimised=o["risk_covered"],
        greedy=g["risk_covered"],
        ratio=round(ratio, 3),
        target="optimised >= greedy",
        status="PASS" if o["risk_covered"] >= g["risk_covered"] else "MISS",
    )
    emit(
        backend=backend,
        case=f"deadlines met, {len(candidates)} partners",
        via="optimiser vs greedy",
        due=o["deadlines"]["due"],
        optimised=o["deadlines"]["met"],
        greedy=g["deadlines"]["met"],
        capacity_bound=bound,
        share_of_bound=round(o["deadlines"]["met"] / bound, 3) if bound else 1.0,
        over_capacity=len(o["over_capacity"]),
        target="optimised >= greedy; no specialist over capacity",
        status="PASS"
        if o["deadlines"]["met"] >= g["deadlines"]["met"] and not o["over_capacity"]
        else "MISS",
    )


def demo(time_limit: float) -> None:
    """The same comparison on the demo population in the configured database (skipped when there is none)."""
    try:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenlane.settings")
        import django

        django.setup()
        from greenlane.validations.planning import inputs

        year = inputs.next_year()
        data = inputs.gather(year=year)
    except Exception as exc:
        print(f"\nDemo population skipped: {exc}")
        emit(backend="db", case="demo population", status="SKIP", reason=str(exc)[:200])
        return
    if not data.candidates or not data.specialists:
        print("\nDemo population skipped: no certified partners or no specialists in the database")
        emit(backend="db", case="demo population", status="SKIP", reason="empty database")
        return
    params = Parameters(year=year, time_limit=time_limit, oversight_sample=2, sector_minimum=1)
    compare("Demo population", data.candidates, data.specialists, params, backend="db")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=20_000)
    parser.add_argument("--specialists", type=int, default=150)
    parser.add_argument("--time-limit", type=float, default=45.0)
    parser.add_argument("--quick", action="store_true", help="2,000 partners, 15 specialists, 10 s")
    parser.add_argument("--demo", action="store_true", help="also plan the demo population in the database")
    args = parser.parse_args()
    partners, specialists, limit = args.partners, args.specialists, args.time_limit
    if args.quick:
        partners, specialists, limit = 2_000, 15, 10.0
    candidates, staff = population(partners, specialists, year=2027, seed=1)
    params = Parameters(
        year=2027, time_limit=limit, oversight_sample=partners // 200, sector_minimum=5, seed=1
    )
    print(f"Time limit given to CP-SAT: {limit:.0f} s ({params.workers} workers); load {load()}")
    compare("Synthetic population", candidates, staff, params, backend="memory")
    if args.demo:
        demo(min(limit, 20.0))


if __name__ == "__main__":
    main()
