"""Export the portal tables the measures need to Parquet, and locate every input a run reads.

The export streams each table through the ORM in chunks (``iterator(chunk_size=...)``), so it works the same
on SQLite and PostgreSQL and never holds a table in memory. A snapshot is written into a temporary directory
and renamed: a reader never sees half a snapshot. The targeting files are read in place.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings

from greenlane.metrics.engine import Inputs, shipments_relation
from greenlane.metrics.engine.sources import TABLES
from greenlane.targeting import portal_snapshot

CHUNK = 5_000
_ARROW = {
    "BIGINT": pa.int64(),
    "INTEGER": pa.int32(),
    "VARCHAR": pa.string(),
    "DOUBLE": pa.float64(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
}


def metrics_dir() -> Path:
    d = Path(settings.VAR_DIR) / "metrics"
    d.mkdir(parents=True, exist_ok=True)
    return d


def snapshots_dir() -> Path:
    d = metrics_dir() / "snapshots"
    d.mkdir(parents=True, exist_ok=True)
    return d


def crossings_path() -> Path:
    return metrics_dir() / "crossings.parquet"


def _querysets() -> dict[str, Any]:
    from greenlane.partners.models import Identifier, Partner
    from greenlane.profiles.models import Answer
    from greenlane.validations.models import Finding, HoursEntry, Validation, ValidationItem, Visit

    return {
        "partners": Partner.objects.order_by("pk").values_list(
            "pk", "entity_type", "status", "tier", "field_office__code", "country", "certified_at"
        ),
        "identifiers": Identifier.objects.order_by("pk").values_list("partner_id", "type", "value"),
        "validations": Validation.objects.order_by("pk").values_list(
            "pk", "partner_id", "kind", "status", "outcome", "published_at", "closed_at"
        ),
        "visits": Visit.objects.order_by("pk").values_list("validation_id", "kind"),
        "hours": HoursEntry.objects.order_by("pk").values_list(
            "validation_id", "staff_id", "activity", "hours", "on"
        ),
        "items": ValidationItem.objects.order_by("pk").values_list("validation_id", "kind"),
        "findings": Finding.objects.order_by("pk").values_list("validation_id", "criterion_code", "result"),
        "answers": Answer.objects.filter(profile__is_current=True)
        .order_by("pk")
        .values_list("profile__partner_id", "criterion__code", "status", "updated_at"),
    }


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    if isinstance(value, Decimal):
        return float(value)
    if value == "":
        return None
    return value


def _schema(name: str) -> pa.Schema:
    return pa.schema([(c, _ARROW[t]) for c, t in TABLES[name]])


def _write(path: Path, name: str, rows_iter, chunk_size: int) -> int:
    schema = _schema(name)
    n = 0

    def batch(rows: list[tuple]) -> pa.RecordBatch:
        cols: list[Any] = list(zip(*rows, strict=True)) if rows else [[] for _ in schema.names]
        return pa.RecordBatch.from_arrays(
            [pa.array([_cell(v) for v in col], f.type) for col, f in zip(cols, schema, strict=True)],
            schema=schema,
        )

    with pq.ParquetWriter(path, schema) as writer:
        rows: list[tuple] = []
        for row in rows_iter:
            rows.append(row)
            if len(rows) >= chunk_size:
                writer.write_batch(batch(rows))
                n += len(rows)
                rows = []
        writer.write_batch(batch(rows))
        n += len(rows)
    return n


@dataclass(frozen=True)
class SnapshotInfo:
    path: str
    created_at: dt.datetime
    rows: dict[str, int]


def take_snapshot(*, chunk_size: int = CHUNK) -> SnapshotInfo:
    created_at = dt.datetime.now(dt.UTC)
    stamp = created_at.strftime("%Y%m%dT%H%M%S%fZ")
    final = snapshots_dir() / stamp
    tmp = snapshots_dir() / f".{stamp}.tmp"
    tmp.mkdir(parents=True)
    counts: dict[str, int] = {}
    try:
        for name, qs in _querysets().items():
            counts[name] = _write(
                tmp / f"{name}.parquet", name, qs.iterator(chunk_size=chunk_size), chunk_size
            )
        (tmp / "snapshot.json").write_text(json.dumps({"created_at": created_at.isoformat(), "rows": counts}))
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return SnapshotInfo(str(final), created_at, counts)


def read_snapshot(path: str | Path) -> SnapshotInfo | None:
    p = Path(path)
    try:
        meta = json.loads((p / "snapshot.json").read_text())
    except (OSError, ValueError):
        return None
    return SnapshotInfo(str(p), dt.datetime.fromisoformat(meta["created_at"]), meta.get("rows", {}))


def latest_snapshot() -> SnapshotInfo | None:
    dirs = sorted(d for d in snapshots_dir().iterdir() if d.is_dir() and not d.name.startswith("."))
    for d in reversed(dirs):
        info = read_snapshot(d)
        if info is not None:
            return info
    return None


def targeting_files() -> dict[str, str] | None:
    """The latest scored day (input, scored, partners' snapshot) and its exam results, if any."""
    latest = portal_snapshot.read_record(portal_snapshot.LATEST_SCORE)
    if not latest:
        return None
    files = {
        "input_path": latest["input_path"],
        "scored_path": latest["output_path"],
        "snapshot_path": latest.get("snapshot_path") or "",
        "scored_at": latest.get("scored_at", ""),
    }
    if not all(Path(files[k]).is_file() for k in ("input_path", "scored_path")):
        return None
    exams = portal_snapshot.read_record(portal_snapshot.LATEST_EXAMS)
    if exams and exams.get("scored_path") == files["scored_path"] and Path(exams["exams_path"]).is_file():
        files["exams_path"] = exams["exams_path"]
    return files


def inputs_from(spec: dict[str, Any]) -> Inputs:
    """The engine inputs recorded on a run (so drill-downs read the same files the values came from)."""
    t = spec.get("targeting") or {}
    ship = None
    if t:
        ship = shipments_relation(
            t["input_path"], t["scored_path"], t.get("exams_path") or None, t.get("snapshot_path") or None
        )
    return Inputs(
        snapshot_dir=spec.get("snapshot_dir") or None,
        shipments_sql=ship,
        crossings_path=spec.get("crossings_path") or None,
    )
