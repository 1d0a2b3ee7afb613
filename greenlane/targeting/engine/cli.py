"""Plain functions behind ``greenlane targeting ...`` (the Django management command parses arguments).

Every function takes paths and plain values and returns a JSON-serializable dict. Errors a user can act
on raise :class:`~.ruleset.RulesetError` (rule set refused) or :class:`~.scoring.InputError` (input
unusable); bad rows never raise, they are reported in the rejects file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import feedback, synthetic
from .bench import run_bench
from .compiler import compile_ruleset
from .inprocess import cached_scorer
from .ruleset import load_ruleset
from .scoring import EngineSettings, score_file


def generate(rows: int, seed: int, out_dir: str | Path, *, bad_rate: float = 0.0002) -> dict[str, Any]:
    """Write synthetic ``shipments.parquet`` (with ground truth) and ``partners_snapshot.parquet``."""
    return asdict(synthetic.generate(rows, seed, out_dir, bad_rate=bad_rate))


def write_snapshot(path: str | Path, *, rows: int, seed: int) -> dict[str, Any]:
    """Write the synthetic partners' snapshot matching ``generate(rows, seed)``."""
    return {"path": str(path), "rows": synthetic.write_synthetic_snapshot(path, rows=rows, seed=seed)}


def check_ruleset(ruleset_path: str | Path | None = None) -> dict[str, Any]:
    """Load and compile a rule set at every threat level; raises RulesetError naming each problem."""
    rs = load_ruleset(ruleset_path)
    levels = {}
    for name in rs.threat_levels:
        c = compile_ruleset(rs, name)
        levels[name] = {"yellow": c.yellow, "red": c.red, "credits": dict(c.credits),
                        "green_min_tier": c.threat.green_min_tier}  # fmt: skip
    return {
        "ruleset": rs.id, "version": rs.version, "checksum": rs.checksum, "indicators": len(rs.indicators),
        "force_red": [r.id for r in rs.force_red], "threat_levels": levels,
    }  # fmt: skip


def score(
    input_path: str | Path,
    output_path: str | Path,
    ruleset_path: str | Path | None = None,
    snapshot_path: str | Path | None = None,
    threat_level: str = "normal",
    *,
    rejects_path: str | Path | None = None,
    threads: int = 2,
    memory_limit: str = "2GB",
) -> dict[str, Any]:
    """Score a Parquet/CSV file of shipments into Parquet (rejects beside it); returns a summary."""
    compiled = compile_ruleset(load_ruleset(ruleset_path), threat_level)  # refuses a bad rule set first
    summary = score_file(
        input_path, output_path, compiled=compiled, snapshot_path=snapshot_path, rejects_path=rejects_path,
        settings=EngineSettings(threads=threads, memory_limit=memory_limit),
    )  # fmt: skip
    return asdict(summary)


def score_shipments(
    shipments: Sequence[Mapping[str, Any]],
    ruleset_path: str | Path | None = None,
    snapshot_path: str | Path | None = None,
    threat_level: str = "normal",
) -> list[dict[str, Any]]:
    """Score one shipment or a small batch in process (the API path); each result has lane and reasons."""
    scorer = cached_scorer(ruleset_path, snapshot_path, threat_level)
    return [s.as_dict() for s in scorer.score(shipments)]


def import_exam_results(path: str | Path, output_path: str | Path | None = None) -> dict[str, Any]:
    """Check and store exam results as Parquet (default: beside the input); bad rows go to rejects."""
    src = Path(path)
    out = Path(output_path) if output_path else src.with_name(src.name.split(".")[0] + ".exams.parquet")
    return asdict(feedback.import_exam_results(src, out))


def simulate_exams(
    scored_path: str | Path, truth_path: str | Path, output_path: str | Path, *, seed: int = 0
) -> dict[str, Any]:
    """Exam results for synthetic data, from the planted ground truth (for demos and benchmarks)."""
    n = feedback.simulate_exams(scored_path, truth_path, output_path, seed=seed)
    return {"exams": n, "output_path": str(output_path)}


def measures(scored_path: str | Path, exams_path: str | Path) -> dict[str, Any]:
    """Hit rates by rule, lane and tier, and the non-member/member exam-rate ratios."""
    return feedback.measures(scored_path, exams_path).as_dict()


def lift(scored_path: str | Path, truth_path: str | Path, *, exam_rate: float = 0.05) -> dict[str, Any]:
    """Share of planted violations caught at ``exam_rate`` by score, over random selection."""
    return feedback.lift(scored_path, truth_path, exam_rate=exam_rate).as_dict()


def bench(rows: int = 2_000_000, seed: int = 42, **kwargs: Any) -> dict[str, Any]:
    """Run the benchmark (see ``bench/targeting.py``); returns every figure."""
    return run_bench(rows, seed, **kwargs).figures()
