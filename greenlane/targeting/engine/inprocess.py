"""In-process scoring for the API: one shipment or a small batch, no DuckDB query per call."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from threading import Lock
from typing import Any

from .compiler import CompiledRuleset, ShipmentScore, compile_ruleset
from .ruleset import DEFAULT_RULESET, load_ruleset
from .snapshot import Snapshot

MAX_BATCH = 1000


@dataclass(frozen=True)
class Scorer:
    """A compiled rule set and an in-memory snapshot; immutable, safe to share between threads."""

    compiled: CompiledRuleset
    snapshot: Snapshot

    @classmethod
    def load(
        cls,
        ruleset_path: str | Path | None = None,
        snapshot_path: str | Path | None = None,
        threat_level: str = "normal",
    ) -> Scorer:
        ruleset = load_ruleset(ruleset_path)
        compiled = compile_ruleset(ruleset, threat_level)
        snapshot = Snapshot.from_path(snapshot_path, ruleset.credit_statuses) if snapshot_path else Snapshot()
        return cls(compiled, snapshot)

    def score(self, shipments: Sequence[Mapping[str, Any]]) -> list[ShipmentScore]:
        if len(shipments) > MAX_BATCH:
            raise ValueError(f"at most {MAX_BATCH} shipments per in-process call; use score_file for more")
        return self.compiled.score_rows(shipments, self.snapshot)

    def score_one(self, shipment: Mapping[str, Any]) -> ShipmentScore:
        return self.compiled.score_row(shipment, self.snapshot)


_cache: dict[tuple[Any, ...], Scorer] = {}
_lock = Lock()


def _stamp(path: str | Path | None) -> tuple[str, float] | None:
    if path is None:
        return None
    return str(path), os.stat(path).st_mtime


def cached_scorer(
    ruleset_path: str | Path | None = None,
    snapshot_path: str | Path | None = None,
    threat_level: str = "normal",
) -> Scorer:
    """A :class:`Scorer` reused until the rule set or snapshot file changes on disk."""
    key = (_stamp(ruleset_path or DEFAULT_RULESET), _stamp(snapshot_path), threat_level)
    with _lock:
        scorer = _cache.get(key)
        if scorer is None:
            scorer = Scorer.load(ruleset_path, snapshot_path, threat_level)
            if len(_cache) > 16:
                _cache.clear()
            _cache[key] = scorer
        return scorer
