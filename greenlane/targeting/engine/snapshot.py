"""Partners' status snapshot: identifiers -> (status, tier), made by the portal, read as Parquet/Arrow.

Columns: identifier_type (IOR, MID, SCAC; case-insensitive), identifier_value, partner_id, status, tier
(0 none, 1 certified, 2 validated, 3 exceeds). Only statuses listed in the rule set's ``credit_statuses``
earn a tier; suspended, removed or any other status counts as tier 0. If several rows claim the same
identifier, the lowest effective tier wins: a conflict never raises credit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .schema import q

SNAPSHOT_SCHEMA = pa.schema(
    [
        ("identifier_type", pa.string()),
        ("identifier_value", pa.string()),
        ("partner_id", pa.int64()),
        ("status", pa.string()),
        ("tier", pa.int32()),
    ]
)
SNAPSHOT_COLUMNS = tuple(SNAPSHOT_SCHEMA.names)


def effective_tier(status: Any, tier: Any, credit_statuses: Iterable[str]) -> int:
    if status is None or str(status).lower() not in credit_statuses or tier is None:
        return 0
    return max(0, min(3, int(tier)))


@dataclass(frozen=True)
class Snapshot:
    """In-process view of the snapshot for single-shipment scoring: (type, value) -> effective tier."""

    tiers: dict[tuple[str, str], int] = field(default_factory=dict)

    def tier_of(self, identifier_type: str, value: Any) -> int:
        if value is None:
            return 0
        return self.tiers.get((identifier_type, value), 0)

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, Any]], credit_statuses: Iterable[str]) -> Snapshot:
        statuses = frozenset(s.lower() for s in credit_statuses)
        tiers: dict[tuple[str, str], int] = {}
        for r in rows:
            if r["identifier_value"] is None:
                continue
            key = (str(r["identifier_type"]).upper(), r["identifier_value"])
            t = effective_tier(r.get("status"), r.get("tier"), statuses)
            tiers[key] = min(t, tiers.get(key, t))
        return cls(tiers)

    @classmethod
    def from_table(cls, table: pa.Table, credit_statuses: Iterable[str]) -> Snapshot:
        missing = set(SNAPSHOT_COLUMNS) - set(table.column_names) - {"partner_id"}
        if missing:
            raise ValueError(f"snapshot lacks columns: {', '.join(sorted(missing))}")
        cols = ["identifier_type", "identifier_value", "status", "tier"]
        return cls.from_rows(table.select(cols).to_pylist(), credit_statuses)

    @classmethod
    def from_path(cls, path: str | Path, credit_statuses: Iterable[str]) -> Snapshot:
        return cls.from_table(pq.read_table(path), credit_statuses)


def snapshot_sql(relation: str, credit_statuses: Iterable[str]) -> str:
    """SQL of the deduplicated snapshot (t, v, tier) over a relation (a table name or a read_parquet call)."""
    statuses = ", ".join(q(s.lower()) for s in sorted(credit_statuses)) or "NULL"
    return (
        "SELECT upper(identifier_type) AS t, identifier_value AS v, "
        f"min(CASE WHEN lower(status) IN ({statuses}) AND tier IS NOT NULL "
        "THEN least(greatest(CAST(tier AS INTEGER), 0), 3) ELSE 0 END) AS tier "
        f"FROM {relation} WHERE identifier_value IS NOT NULL GROUP BY ALL"
    )
