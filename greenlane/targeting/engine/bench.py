"""The targeting benchmark: engine vs hand-written SQL vs a per-row Python loop, latency, lift, memory.

Each Parquet-to-Parquet run happens in a fresh child process, so its peak RSS (``ru_maxrss``) is its own.
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import baselines, feedback, synthetic
from .compiler import compile_ruleset
from .ruleset import load_ruleset
from .scoring import EngineSettings, import_shipments, score_file
from .snapshot import Snapshot

ROOT = Path(__file__).resolve().parents[3]


@dataclass
class BenchResult:
    rows: int
    seed: int
    threads: int
    memory_limit: str
    generate_seconds: float = 0.0
    engine_seconds: list[float] = field(default_factory=list)
    end_to_end_seconds: list[float] = field(default_factory=list)
    import_seconds: list[float] = field(default_factory=list)
    engine_no_reasons_seconds: list[float] = field(default_factory=list)
    handwritten_seconds: list[float] = field(default_factory=list)
    engine_peak_rss_mb: float = 0.0
    end_to_end_peak_rss_mb: float = 0.0
    handwritten_peak_rss_mb: float = 0.0
    python_rows: int = 0
    python_seconds: float = 0.0
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0
    latency_p99_ms: float = 0.0
    latency_cpu_p99_ms: float = 0.0
    latency_calls: int = 0
    lift: dict[str, Any] = field(default_factory=dict)
    targeted_ratio: float | None = None
    compliance_ratio: float | None = None
    lanes: dict[str, int] = field(default_factory=dict)
    rejected_rows: int = 0
    load_average: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def rate(self, seconds: list[float] | float, rows: int | None = None) -> float:
        s = statistics.median(seconds) if isinstance(seconds, list) else seconds
        return (rows if rows is not None else self.rows) / s if s else 0.0

    def figures(self) -> dict[str, Any]:
        engine = self.rate(self.engine_seconds)
        hand = self.rate(self.handwritten_seconds)
        py = self.rate(self.python_seconds, self.python_rows)
        return {
            **asdict(self),
            "engine_rows_per_s": round(engine),
            "engine_no_reasons_rows_per_s": round(self.rate(self.engine_no_reasons_seconds)),
            "end_to_end_rows_per_s": round(self.rate(self.end_to_end_seconds)),
            "import_rows_per_s": round(self.rate(self.import_seconds)),
            "end_to_end_vs_handwritten": round(self.rate(self.end_to_end_seconds) / hand, 3)
            if hand
            else None,
            "handwritten_rows_per_s": round(hand),
            "python_rows_per_s": round(py),
            "engine_vs_handwritten": round(engine / hand, 3) if hand else None,
            "engine_vs_python": round(engine / py, 1) if py else None,
        }


def _child_score(args: dict[str, Any]) -> None:
    """Entry point of a child process: one timed run; prints seconds and peak RSS as JSON."""
    settings = EngineSettings(threads=args["threads"], memory_limit=args["memory_limit"])
    t0 = time.perf_counter()
    extra: dict[str, Any] = {}
    if args["kind"] == "handwritten":
        baselines.run_handwritten(args["input"], args["snapshot"], args["output"], settings=settings)
    elif args["kind"] == "import":
        import_shipments(args["input"], args["output"], settings=settings)
    else:
        compiled = compile_ruleset(load_ruleset(), "normal")
        s = score_file(
            args["input"],
            args["output"],
            compiled=compiled,
            snapshot_path=args["snapshot"],
            settings=settings,
            reasons=args["kind"] == "engine",
        )
        extra = {"lanes": s.lanes, "rejected": s.rejected_rows, "scored": s.scored_rows}
    seconds = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss_mb": rss_mb, **extra}))


def _run_child(
    kind: str, input_path: Path, snapshot: Path, output: Path, threads: int, memory_limit: str
) -> dict:
    args = {
        "kind": kind,
        "input": str(input_path),
        "snapshot": str(snapshot),
        "output": str(output),
        "threads": threads,
        "memory_limit": memory_limit,
    }
    code = (
        "import json, sys; from greenlane.targeting.engine.bench import _child_score; "
        "_child_score(json.loads(sys.argv[1]))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(args)], check=True, capture_output=True, text=True, env=env
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_bench(
    rows: int = 2_000_000,
    seed: int = 42,
    *,
    repeats: int | None = None,
    python_rows: int = 200_000,
    latency_calls: int = 2000,
    threads: int = 2,
    memory_limit: str = "2GB",
    work_dir: str | Path | None = None,
    progress: Any = None,
) -> BenchResult:
    """Generate ``rows`` synthetic shipments and measure; ``progress(msg)`` is called between steps."""
    say = progress or (lambda msg: None)
    reps = repeats if repeats is not None else (3 if rows <= 5_000_000 else 1)
    res = BenchResult(rows=rows, seed=seed, threads=threads, memory_limit=memory_limit)
    tmp = tempfile.TemporaryDirectory(prefix="greenlane-bench-", dir=work_dir)
    d = Path(tmp.name)
    try:
        say(f"generating {rows:,} shipments")
        gen = synthetic.generate(
            rows, seed, d, settings=EngineSettings(threads=threads, memory_limit=memory_limit)
        )
        res.generate_seconds = gen.seconds
        shipments, snap = Path(gen.shipments_path), Path(gen.snapshot_path)
        imported = d / "imported.parquet"
        for i in range(reps):
            say(f"end-to-end run {i + 1}/{reps} (raw Parquet: checks, rejects, scores, reasons)")
            r = _run_child("engine", shipments, snap, d / "scored.parquet", threads, memory_limit)
            res.end_to_end_seconds.append(round(r["seconds"], 3))
            res.end_to_end_peak_rss_mb = max(res.end_to_end_peak_rss_mb, round(r["rss_mb"], 1))
            res.lanes, res.rejected_rows = r["lanes"], r["rejected"]
            say(f"import run {i + 1}/{reps} (row checks only)")
            r = _run_child("import", shipments, snap, imported, threads, memory_limit)
            res.import_seconds.append(round(r["seconds"], 3))
            say(f"engine run {i + 1}/{reps} (validated input)")
            r = _run_child("engine", imported, snap, d / "scored_v.parquet", threads, memory_limit)
            res.engine_seconds.append(round(r["seconds"], 3))
            res.engine_peak_rss_mb = max(res.engine_peak_rss_mb, round(r["rss_mb"], 1))
            say(f"hand-written SQL run {i + 1}/{reps}")
            h = _run_child("handwritten", imported, snap, d / "hand.parquet", threads, memory_limit)
            res.handwritten_seconds.append(round(h["seconds"], 3))
            res.handwritten_peak_rss_mb = max(res.handwritten_peak_rss_mb, round(h["rss_mb"], 1))
            say(f"engine without reasons run {i + 1}/{reps}")
            n = _run_child("no_reasons", imported, snap, d / "noreasons.parquet", threads, memory_limit)
            res.engine_no_reasons_seconds.append(round(n["seconds"], 3))
        ruleset = load_ruleset()
        compiled = compile_ruleset(ruleset, "normal")
        snapshot = Snapshot.from_path(snap, ruleset.credit_statuses)
        say(f"per-row Python loop on {min(python_rows, rows):,} rows")
        res.python_rows, res.python_seconds, _ = baselines.run_python_loop(
            shipments, snapshot, compiled, min(python_rows, rows)
        )
        res.python_seconds = round(res.python_seconds, 3)
        say(f"single-shipment latency, {latency_calls} calls")
        sample = list(baselines.iter_rows(shipments, 20_000))
        rng = random.Random(seed)
        timings, cpu = [], []
        for _ in range(latency_calls):
            row = rng.choice(sample)
            t0, c0 = time.perf_counter(), time.thread_time()
            compiled.score_rows([row], snapshot)
            timings.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
        timings.sort()
        cpu.sort()
        res.latency_cpu_p99_ms = round(cpu[int(0.99 * (len(cpu) - 1))], 4)
        res.latency_calls = latency_calls
        res.latency_p50_ms = round(statistics.median(timings), 4)
        res.latency_p95_ms = round(timings[int(0.95 * (len(timings) - 1))], 4)
        res.latency_p99_ms = round(timings[int(0.99 * (len(timings) - 1))], 4)
        say("lift at a 5% exam rate")
        settings = EngineSettings(threads=threads, memory_limit=memory_limit)
        res.lift = feedback.lift(d / "scored.parquet", shipments, exam_rate=0.05, settings=settings).as_dict()
        say("simulated exams and measures")
        feedback.simulate_exams(
            d / "scored.parquet", shipments, d / "exams.parquet", seed=seed, settings=settings
        )
        m = feedback.measures(d / "scored.parquet", d / "exams.parquet", settings=settings)
        res.targeted_ratio, res.compliance_ratio = m.targeted_ratio, m.compliance_ratio
        res.load_average = os.getloadavg()
    finally:
        tmp.cleanup()
    return res


def bench_results(res: BenchResult) -> list[dict[str, Any]]:
    """Figures with targets in the ``BENCH-RESULT`` form that ``bench/run.py`` summarises."""
    f = res.figures()

    def row(case: str, ok: bool, target: str, **extra: Any) -> dict[str, Any]:
        base = {"bench": "targeting", "backend": "duckdb", "case": case, "via": "engine", "p50_ms": 0.0}
        return {**base, "p95_ms": 0.0, **extra, "target": target, "status": "PASS" if ok else "MISS"}

    hand, py = f["engine_vs_handwritten"] or 0, f["engine_vs_python"] or 0
    rss = max(res.end_to_end_peak_rss_mb, res.engine_peak_rss_mb)
    return [
        row(f"engine/hand-written SQL = {hand}x", hand >= 0.5, ">= 0.5x", value=hand),
        row(f"engine/per-row Python = {py}x", py >= 10, ">= 10x", value=py),
        row(
            "single shipment in process",
            res.latency_p99_ms < 10,
            "p99 < 10 ms",
            p50_ms=res.latency_p50_ms,
            p95_ms=res.latency_p95_ms,
            p99_ms=res.latency_p99_ms,
        ),
        row(
            f"lift at 5% = {res.lift.get('lift')}x",
            (res.lift.get("lift") or 0) >= 5,
            ">= 5x",
            value=res.lift.get("lift"),
        ),
        row(f"peak RSS {rss:.0f} MB for {res.rows:,} rows", rss < 4096, "< 4096 MB", value=rss),
    ]


def format_report(res: BenchResult) -> str:
    f = res.figures()
    med = statistics.median
    lines = [
        f"Greenlane targeting bench: {res.rows:,} synthetic shipments, seed {res.seed}, "
        f"DuckDB threads={res.threads} memory_limit={res.memory_limit}",
        f"(load average at the end: {', '.join(f'{x:.1f}' for x in res.load_average)}; "
        f"{len(res.engine_seconds)} repetition(s), medians shown)",
        "",
        f"{'path':44s} {'seconds':>9s} {'rows/s':>12s} {'vs hand SQL':>12s} {'peak RSS':>10s}",
        f"{'engine, validated input (scores, reasons)':44s} {med(res.engine_seconds):9.2f} "
        f"{f['engine_rows_per_s']:12,d} {f['engine_vs_handwritten']:11.2f}x {res.engine_peak_rss_mb:8.0f}MB",
        f"{'engine without reasons':44s} {med(res.engine_no_reasons_seconds):9.2f} "
        f"{f['engine_no_reasons_rows_per_s']:12,d} "
        f"{f['engine_no_reasons_rows_per_s'] / max(f['handwritten_rows_per_s'], 1):11.2f}x",
        f"{'hand-written DuckDB SQL (no reasons)':44s} {med(res.handwritten_seconds):9.2f} "
        f"{f['handwritten_rows_per_s']:12,d} {1:11.2f}x {res.handwritten_peak_rss_mb:8.0f}MB",
        f"{'import: row checks and rejects only':44s} {med(res.import_seconds):9.2f} "
        f"{f['import_rows_per_s']:12,d}",
        f"{'end to end from raw Parquet (checks+scores)':44s} {med(res.end_to_end_seconds):9.2f} "
        f"{f['end_to_end_rows_per_s']:12,d} {f['end_to_end_vs_handwritten']:11.2f}x "
        f"{res.end_to_end_peak_rss_mb:8.0f}MB",
        f"{f'per-row Python loop ({res.python_rows:,} rows)':44s} {res.python_seconds:9.2f} "
        f"{f['python_rows_per_s']:12,d} "
        f"{f['python_rows_per_s'] / max(f['handwritten_rows_per_s'], 1):11.3f}x",
        "",
        f"engine / per-row Python: {f['engine_vs_python']}x   (target >= 10x)",
        f"engine / hand-written SQL: {f['engine_vs_handwritten']}x   (target >= 0.5x)",
        f"single-shipment in-process scoring: p50 {res.latency_p50_ms:.3f} ms, "
        f"p99 {res.latency_p99_ms:.3f} ms over {res.latency_calls} calls "
        f"(CPU time p99 {res.latency_cpu_p99_ms:.3f} ms)   (target p99 < 10 ms)",
        f"lift at a 5% exam rate: {res.lift.get('lift')}x over random "
        f"({res.lift.get('caught')} of {res.lift.get('violations')} planted violations in the top "
        f"{res.lift.get('examined'):,})   (target >= 5x)",
        f"exam-rate ratio non-members/members: targeted {res.targeted_ratio}x, "
        f"compliance {res.compliance_ratio}x",
        f"peak RSS of end-to-end scoring Parquet -> Parquet: {res.end_to_end_peak_rss_mb:.0f} MB   "
        "(target < 4096 MB)",
        f"lanes: {res.lanes}; rejected rows: {res.rejected_rows}; "
        f"generation took {res.generate_seconds:.1f}s",
    ]
    return "\n".join(lines)
