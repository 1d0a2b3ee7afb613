"""Batch scoring with DuckDB: Parquet/CSV/Arrow in, Parquet out, rejects reported, counts reconciled."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from .compiler import CompiledRuleset, Source, metadata_json
from .schema import COLUMNS, q, sql_rejects_query

VALIDATION_VERSION = "1"  # bump when the row checks change: files validated before are checked again


class InputError(ValueError):
    """An input file that cannot be scored at all (unreadable, or a required column is absent)."""


class ReconciliationError(RuntimeError):
    """Scored plus rejected rows do not add up to the input rows: never expected, never ignored."""


@dataclass(frozen=True)
class EngineSettings:
    """DuckDB settings. 2 threads and 2 GB keep 40 million rows well under 4 GB of RSS on a 2-core box."""

    threads: int = 2
    memory_limit: str = "2GB"
    temp_directory: str | None = None
    compression: str = "zstd"


@dataclass(frozen=True)
class ScoreSummary:
    input_rows: int
    scored_rows: int
    rejected_rows: int
    lanes: dict[str, int]
    output_path: str
    rejects_path: str
    input_validated: bool
    ruleset: str
    ruleset_version: str
    threat_level: str
    seconds: float
    metadata: dict[str, object] = field(default_factory=dict)


def connect(settings: EngineSettings | None = None) -> duckdb.DuckDBPyConnection:
    s = settings or EngineSettings()
    con = duckdb.connect(config={"threads": s.threads, "memory_limit": s.memory_limit})
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    if s.temp_directory:
        con.execute(f"SET temp_directory = {q(s.temp_directory)}")
    return con


def build_source(con: duckdb.DuckDBPyConnection, relation: str, row_expr: str) -> Source:
    """Type every schema column of ``relation``; converting columns get a failure check, absent ones NULL."""
    described = con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
    types = {name: str(typ).upper() for name, typ, *_ in described}
    missing = [c.name for c in COLUMNS if c.required and c.name not in types]
    if missing:
        raise InputError(f"input lacks required column(s): {', '.join(missing)}")
    select = [f"{row_expr} AS _row"]
    failed: dict[str, str] = {}
    for col in COLUMNS:
        n, t = col.name, col.sql_type
        if n not in types:
            select.append(f"CAST(NULL AS {t}) AS {n}")
        elif types[n] == t or (t == "VARCHAR" and types[n] == "VARCHAR"):
            select.append(f'"{n}" AS {n}')
        else:
            select.append(f'TRY_CAST("{n}" AS {t}) AS {n}')
            if t != "VARCHAR":
                select.append(f'"{n}" AS "__raw_{n}"')
                failed[n] = f'("__raw_{n}" IS NOT NULL AND {n} IS NULL)'
    return Source(f"SELECT {', '.join(select)} FROM {relation}", failed)


def _relation_for(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[str, str]:
    name = path.name.lower()
    if name.endswith((".csv", ".csv.gz", ".tsv")):
        # CSV arrives as text; conversion failures become per-row rejects. A table keeps the file order.
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _csv_input AS SELECT * FROM read_csv({q(str(path))}, "
            "header = true, all_varchar = true)"
        )
        return "_csv_input", "rowid"
    return f"read_parquet({q(str(path))}, file_row_number = true)", "file_row_number"


def _copy_options(settings: EngineSettings, metadata: str | None = None, fmt: str = "parquet") -> str:
    if fmt == "csv":
        return "(FORMAT csv, HEADER true)"
    kv = f", KV_METADATA {{greenlane: {q(metadata)}}}" if metadata else ""
    return f"(FORMAT parquet, COMPRESSION {settings.compression}{kv})"


@dataclass(frozen=True)
class ImportSummary:
    input_rows: int
    imported_rows: int
    rejected_rows: int
    output_path: str
    rejects_path: str
    seconds: float


def _validated(path: Path) -> bool:
    """True if ``path`` is a Parquet file written by :func:`import_shipments` with today's checks."""
    if not path.name.lower().endswith((".parquet", ".pq")):
        return False
    try:
        meta = pq.read_schema(path).metadata or {}
    except (OSError, pa.ArrowInvalid):
        return False
    return meta.get(b"greenlane_validated") == VALIDATION_VERSION.encode()


def import_shipments(
    input_path: str | Path,
    output_path: str | Path,
    *,
    rejects_path: str | Path | None = None,
    settings: EngineSettings | None = None,
) -> ImportSummary:
    """Check a CSV/Parquet file of shipments once; valid rows go to typed Parquet marked as validated.

    Scoring a validated file skips the row checks, so a day's shipments are checked once however many
    times they are scored (a new rule set, a raised threat level).
    """
    settings = settings or EngineSettings()
    t0 = time.perf_counter()
    src_path, out = Path(input_path), Path(output_path)
    rej = Path(rejects_path) if rejects_path else out.with_name(out.stem + ".rejects" + out.suffix)
    if not src_path.exists():
        raise InputError(f"input not found: {src_path}")
    con = connect(settings)
    try:
        try:
            relation, row_expr = _relation_for(con, src_path)
            source = build_source(con, relation, row_expr)
        except duckdb.Error as exc:
            raise InputError(f"cannot read {src_path}: {exc}") from None
        n = con.execute(f"SELECT count(*) FROM {relation}").fetchone()[0]  # type: ignore[index]
        rejected = con.execute(
            f"COPY ({rejects_sql(source)}) TO {q(str(rej))} {_copy_options(settings)}"
        ).fetchone()[0]  # type: ignore[index]
        done = f" WHERE _row NOT IN (SELECT row FROM read_parquet({q(str(rej))}))" if rejected else ""
        cols = ", ".join(c.name for c in COLUMNS)
        kv = f"KV_METADATA {{greenlane_validated: {q(VALIDATION_VERSION)}}}"
        imported = con.execute(
            f"COPY (WITH src AS ({source.sql}) SELECT {cols} FROM src{done}) TO {q(str(out))} "
            f"(FORMAT parquet, COMPRESSION {settings.compression}, {kv})"
        ).fetchone()[0]  # type: ignore[index]
    finally:
        con.close()
    if imported + rejected != n:
        raise ReconciliationError(f"{n} input rows but {imported} imported and {rejected} rejected")
    return ImportSummary(
        int(n), int(imported), int(rejected), str(out), str(rej), round(time.perf_counter() - t0, 3)
    )


def rejects_sql(source: Source) -> str:
    """Rows that fail validation: (row, shipment_id, reasons)."""
    return sql_rejects_query(source.sql, source.cast_failed)


def score_file(
    input_path: str | Path,
    output_path: str | Path,
    *,
    compiled: CompiledRuleset,
    snapshot_path: str | Path | None = None,
    rejects_path: str | Path | None = None,
    settings: EngineSettings | None = None,
    reasons: bool = True,
) -> ScoreSummary:
    """Score a Parquet or CSV file into Parquet; invalid rows go to ``rejects_path`` with their reasons."""
    settings = settings or EngineSettings()
    t0 = time.perf_counter()
    src_path, out = Path(input_path), Path(output_path)
    rej = Path(rejects_path) if rejects_path else out.with_name(out.stem + ".rejects" + out.suffix)
    if not src_path.exists():
        raise InputError(f"input not found: {src_path}")
    con = connect(settings)
    try:
        try:
            relation, row_expr = _relation_for(con, src_path)
            source = build_source(con, relation, row_expr)
        except duckdb.Error as exc:
            raise InputError(f"cannot read {src_path}: {exc}") from None
        snap_rel = f"read_parquet({q(str(snapshot_path))})" if snapshot_path else None
        input_rows = con.execute(f"SELECT count(*) FROM {relation}").fetchone()[0]  # type: ignore[index]
        meta = metadata_json(compiled, {"input": src_path.name})
        rej_fmt = "csv" if rej.suffix == ".csv" else "parquet"
        validated = _validated(src_path)
        if validated:  # checked on import: write an empty rejects file, skip the checks
            source = Source(source.sql + " LIMIT 0", source.cast_failed)
        rejected = con.execute(
            f"COPY ({compiled.rejects_query(source)}) TO {q(str(rej))} "
            f"{_copy_options(settings, None, rej_fmt)}"
        ).fetchone()[0]  # type: ignore[index]
        # The second pass skips the rows the first pass rejected instead of validating again.
        done = f"read_parquet({q(str(rej))})" if rej_fmt == "parquet" else f"read_csv({q(str(rej))})"
        source = build_source(con, relation, row_expr)
        query = compiled.query(source, snap_rel, reasons=reasons, rejected_rows=done if rejected else "")
        scored = con.execute(f"COPY ({query}) TO {q(str(out))} {_copy_options(settings, meta)}").fetchone()[0]  # type: ignore[index]
        if scored + rejected != input_rows:
            raise ReconciliationError(f"{input_rows} input rows but {scored} scored and {rejected} rejected")
        lanes = dict(
            con.execute(f"SELECT lane, count(*) FROM read_parquet({q(str(out))}) GROUP BY lane").fetchall()
        )
    finally:
        con.close()
    return ScoreSummary(
        input_rows=int(input_rows),
        scored_rows=int(scored),
        rejected_rows=int(rejected),
        lanes={k: int(lanes.get(k, 0)) for k in ("green", "yellow", "red", "compliance")},
        output_path=str(out),
        rejects_path=str(rej),
        input_validated=validated,
        ruleset=compiled.ruleset.id,
        ruleset_version=compiled.ruleset.version,
        threat_level=compiled.threat.name,
        seconds=round(time.perf_counter() - t0, 3),
        metadata=compiled.metadata(),
    )


def score_table(
    table: pa.Table,
    *,
    compiled: CompiledRuleset,
    snapshot: pa.Table | str | Path | None = None,
    settings: EngineSettings | None = None,
) -> tuple[pa.Table, pa.Table]:
    """Score an Arrow table with the SQL path; returns (scored, rejects). ``row`` is the table's row index."""
    con = connect(settings or EngineSettings(threads=1, memory_limit="1GB"))
    try:
        con.register("_input", table.append_column("_input_row", pa.array(range(table.num_rows), pa.int64())))
        source = build_source(con, "_input", "_input_row")
        snap_rel = None
        if isinstance(snapshot, pa.Table):
            con.register("_snapshot", snapshot)
            snap_rel = "_snapshot"
        elif snapshot is not None:
            snap_rel = f"read_parquet({q(str(snapshot))})"
        scored = con.sql(compiled.query(source, snap_rel)).to_arrow_table()
        rejects = con.sql(compiled.rejects_query(source) + " ORDER BY row").to_arrow_table()
    finally:
        con.close()
    if scored.num_rows + rejects.num_rows != table.num_rows:
        raise ReconciliationError(
            f"{table.num_rows} rows but {scored.num_rows} scored, {rejects.num_rows} rejected"
        )
    return scored, rejects


def arrow_schema() -> pa.Schema:
    """The Arrow schema of a shipment table, for callers building input in memory."""
    types: Mapping[str, pa.DataType] = {
        "VARCHAR": pa.string(),
        "DOUBLE": pa.float64(),
        "INTEGER": pa.int32(),
        "BOOLEAN": pa.bool_(),
        "DATE": pa.date32(),
    }
    return pa.schema([(c.name, types[c.sql_type]) for c in COLUMNS])
