"""Run every bench script in bench/ as a subprocess, stream its output, and print a summary (`make bench`).

    python bench/run.py [--quick] [--only NAME ...] [--list] [-- EXTRA ARGS FOR THE SCRIPTS]

A script is any bench/*.py other than this one and files starting with "_". Scripts report figures
against targets with lines `BENCH-RESULT {json}` (see docs/benchmarks.md); those are collected for the
summary instead of being echoed. The exit status is non-zero only when a script crashes (non-zero exit),
never because a target is missed: misses are printed as MISS.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULT_PREFIX = "BENCH-RESULT "

# Arguments per script: (full run, --quick run). Scripts not listed run without arguments.
SCRIPT_ARGS: dict[str, tuple[list[str], list[str]]] = {
    "partner_search": ([], ["--quick"]),
    # The targeting bench defaults to 2,000,000 rows; a moderate size keeps `make bench` to minutes.
    "targeting": (["--rows", "200000"], ["--rows", "20000"]),
    "vetting": ([], ["--quick"]),
    "svi_bulk": ([], ["--quick"]),
    "svi_load": ([], ["--quick"]),
    "decisions": ([], ["--quick"]),
    "validation_plan": ([], ["--quick"]),
    "metrics": ([], ["--quick"]),
    "mra": ([], ["--quick"]),
    "community_search": ([], ["--quick"]),
    "comms": ([], ["--quick"]),
}
# Preferred order; anything else follows alphabetically.
ORDER = ["partner_search", "decisions", "targeting", "vetting"]


@dataclass
class Outcome:
    name: str
    command: list[str]
    returncode: int | None = None
    seconds: float = 0.0
    results: list[dict] = field(default_factory=list)
    bad_lines: int = 0

    @property
    def crashed(self) -> bool:
        return self.returncode != 0


def discover() -> list[str]:
    names = [
        p.stem for p in BENCH_DIR.glob("*.py") if p.name != Path(__file__).name and not p.name.startswith("_")
    ]
    return sorted(names, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))


def run_script(name: str, *, quick: bool, extra: list[str], verbose: bool) -> Outcome:
    full, small = SCRIPT_ARGS.get(name, ([], []))
    command = [sys.executable, str(BENCH_DIR / f"{name}.py"), *(small if quick else full), *extra]
    outcome = Outcome(name, command)
    print(f"\n##### {name}: {' '.join([Path(command[0]).name, *command[1:]])}", flush=True)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    started = time.perf_counter()
    with subprocess.Popen(
        command, cwd=REPO_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(RESULT_PREFIX):
                try:
                    outcome.results.append(json.loads(line[len(RESULT_PREFIX) :]))
                except json.JSONDecodeError:
                    outcome.bad_lines += 1
                    print(line, end="", flush=True)
                    continue
                if verbose:
                    print(line, end="", flush=True)
            else:
                print(line, end="", flush=True)
        outcome.returncode = proc.wait()
    outcome.seconds = time.perf_counter() - started
    state = "ok" if not outcome.crashed else f"CRASHED (exit {outcome.returncode})"
    print(f"##### {name}: {state} in {outcome.seconds:.1f} s", flush=True)
    return outcome


def summarise(outcomes: list[Outcome]) -> list[str]:
    """One line per script, then one per (script, backend, path) target group: PASS, MISS or SKIP."""
    lines = ["", "=" * 100, "Summary", "=" * 100]
    for o in outcomes:
        state = "ok" if not o.crashed else f"CRASHED (exit {o.returncode})"
        targeted = [r for r in o.results if r.get("target")]
        note = (
            f"{len(targeted)} figures with a target"
            if o.results
            else "no BENCH-RESULT lines (see its output)"
        )
        lines.append(f"{o.name:<16} {state:<20} {o.seconds:8.1f} s   {note}")
    groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for o in outcomes:
        for r in o.results:
            if r.get("status") == "SKIP":
                groups[(o.name, r.get("backend", ""), "-")].append(r)
            elif r.get("target"):
                groups[(o.name, r.get("backend", ""), r.get("via", ""))].append(r)
    if groups:
        lines.append("")
        lines.append(
            f"{'bench':<16} {'backend':<9} {'via':<9} {'cases':>5} {'worst p50':>10} {'worst p95':>10}  "
            f"{'target':<14} result"
        )
        lines.append("-" * 100)
    for (bench, backend, via), rs in groups.items():
        if all(r.get("status") == "SKIP" for r in rs):
            blank = f"{'':>5} {'':>10} {'':>10}  {'':<14}"
            lines.append(f"{bench:<16} {backend:<9} {via:<9} {blank} SKIP: {rs[0].get('note', '')}")
            continue
        worst = max(rs, key=lambda r: r.get("p95_ms", 0))
        misses = [r for r in rs if r.get("status") == "MISS"]
        verdict = (
            "PASS"
            if not misses
            else "MISS: " + ", ".join(f"{r.get('case')} ({r['p95_ms']:.0f} ms)" for r in misses)
        )
        lines.append(
            f"{bench:<16} {backend:<9} {via:<9} {len(rs):>5} {max(r.get('p50_ms', 0) for r in rs):>8.1f}ms "
            f"{worst.get('p95_ms', 0):>8.1f}ms  {worst.get('target', ''):<14} {verdict}"
        )
    crashed = [o.name for o in outcomes if o.crashed]
    lines.append("")
    lines.append(f"Crashed: {', '.join(crashed)}" if crashed else "No script crashed.")
    return lines


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1 :]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes: a smoke run of every bench")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="run only this script (repeatable; comma lists)",
    )
    parser.add_argument("--list", action="store_true", help="list the bench scripts and exit")
    parser.add_argument("--verbose", action="store_true", help="echo the BENCH-RESULT lines too")
    return parser.parse_args(argv), extra


def main(argv: list[str] | None = None) -> int:
    args, extra = parse_args(sys.argv[1:] if argv is None else argv)
    names = discover()
    if args.list:
        print("\n".join(names))
        return 0
    if args.only:
        wanted = [n.strip().removesuffix(".py") for item in args.only for n in item.split(",") if n.strip()]
        unknown = [n for n in wanted if n not in names]
        if unknown:
            print(
                f"Unknown bench script(s): {', '.join(unknown)}. Known: {', '.join(names)}", file=sys.stderr
            )
            return 2
        names = [n for n in names if n in wanted]
    print(
        f"Running {len(names)} bench script(s){' (quick)' if args.quick else ''}: {', '.join(names)} "
        f"on {os.cpu_count()} CPU(s), load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    outcomes = [run_script(n, quick=args.quick, extra=extra, verbose=args.verbose) for n in names]
    print("\n".join(summarise(outcomes)))
    return 1 if any(o.crashed for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
