"""The partners' status snapshot the engine joins, written from the portal database to Parquet.

One query over identifiers joined to their partner, streamed in chunks into a Parquet file; scoring then
reads only that file and never queries the portal row by row. The file is written beside its final name
and renamed, so a reader never sees half a snapshot.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings

from greenlane.partners.identifiers import IdentifierType
from greenlane.partners.models import Identifier
from greenlane.targeting.engine import SNAPSHOT_SCHEMA

# The identifier types the engine joins shipments on (importer, manufacturer, carrier).
SNAPSHOT_TYPES = (IdentifierType.IOR, IdentifierType.MID, IdentifierType.SCAC)
CHUNK = 5_000
CREATED_AT_KEY = b"greenlane_created_at"


@dataclass(frozen=True)
class PortalSnapshot:
    path: str
    rows: int
    created_at: dt.datetime


def targeting_dir() -> Path:
    d = Path(settings.VAR_DIR) / "targeting"
    d.mkdir(parents=True, exist_ok=True)
    return d


def default_path() -> Path:
    return targeting_dir() / "partners.parquet"


def _batch(rows: list[tuple]) -> pa.RecordBatch:
    cols: list = list(zip(*rows, strict=True)) if rows else [[] for _ in SNAPSHOT_SCHEMA.names]
    return pa.RecordBatch.from_arrays(
        [
            pa.array([str(t).upper() for t in cols[0]], pa.string()),
            pa.array(list(cols[1]), pa.string()),
            pa.array(list(cols[2]), pa.int64()),
            pa.array(list(cols[3]), pa.string()),
            pa.array(list(cols[4]), pa.int32()),
        ],
        schema=SNAPSHOT_SCHEMA,
    )


def write_portal_snapshot(path: str | Path | None = None, *, chunk_size: int = CHUNK) -> PortalSnapshot:
    """Write (identifier_type, identifier_value, partner_id, status, tier) for every IOR, MID and SCAC."""
    out = Path(path) if path else default_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    created_at = dt.datetime.now(dt.UTC)
    schema = SNAPSHOT_SCHEMA.with_metadata({CREATED_AT_KEY: created_at.isoformat().encode()})
    query = (
        Identifier.objects.filter(type__in=[t.value for t in SNAPSHOT_TYPES])
        .order_by("pk")
        .values_list("type", "value", "partner_id", "partner__status", "partner__tier")
    )
    tmp = out.with_name(out.name + ".tmp")
    n = 0
    with pq.ParquetWriter(tmp, schema) as writer:
        rows: list[tuple] = []
        for row in query.iterator(chunk_size=chunk_size):
            rows.append(row)
            if len(rows) >= chunk_size:
                writer.write_batch(_batch(rows))
                n += len(rows)
                rows = []
        writer.write_batch(_batch(rows))
        n += len(rows)
    os.replace(tmp, out)
    return PortalSnapshot(path=str(out), rows=n, created_at=created_at)


def snapshot_created_at(path: str | Path) -> dt.datetime | None:
    """When a snapshot file was made: its recorded creation time, else the file's modification time."""
    p = Path(path)
    if not p.exists():
        return None
    meta = pq.read_schema(p).metadata or {}
    if CREATED_AT_KEY in meta:
        return dt.datetime.fromisoformat(meta[CREATED_AT_KEY].decode())
    return dt.datetime.fromtimestamp(p.stat().st_mtime, dt.UTC)


# Where the Django side keeps track of the engine's files under var/targeting/ (no database tables): the
# last `score` run and the last exam import, as small JSON records beside the Parquet files.
LATEST_SCORE = "latest_score.json"
LATEST_EXAMS = "latest_exams.json"


def record(name: str, data: dict) -> Path:
    path = targeting_dir() / name
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str))
    os.replace(tmp, path)
    return path


def read_record(name: str) -> dict | None:
    path = Path(settings.VAR_DIR) / "targeting" / name
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None
