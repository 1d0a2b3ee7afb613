"""Import recorded border-crossing times (CSV) for the FAST lane savings measure (pure Python + DuckDB).

CSV columns (header required): ``crossing_id`` (unique text), ``crossed_on`` (YYYY-MM-DD), ``port``
(text, e.g. a UN/LOCODE), ``lane`` (``fast`` or ``general``), ``wait_minutes`` and ``processing_minutes``
(numbers from 0 to 1440). Rows that fail a check are counted and reported with their line and reason;
the good rows are written to Parquet. A file without a required column is refused as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .sources import q

REQUIRED = ("crossing_id", "crossed_on", "port", "lane", "wait_minutes", "processing_minutes")
MAX_MINUTES = 1440


class CrossingsError(ValueError):
    pass


@dataclass
class CrossingsSummary:
    rows: int
    imported: int
    rejected: int
    first_day: str | None
    last_day: str | None
    problems: list[dict[str, object]] = field(default_factory=list)  # first 50: line, reason


def import_crossings(path: str | Path, out: str | Path) -> CrossingsSummary:
    src = Path(path)
    if not src.is_file():
        raise CrossingsError(f"No such file: {src}")
    con = duckdb.connect(":memory:")
    try:
        try:
            con.execute(
                f"CREATE TEMP TABLE raw AS SELECT row_number() OVER () + 1 AS line, * FROM "
                f"read_csv({q(str(src))}, header = true, all_varchar = true)"
            )
        except duckdb.Error as exc:
            raise CrossingsError(f"The file could not be read as CSV: {exc}") from None
        cols = {r[0] for r in con.execute("DESCRIBE raw").fetchall()}
        missing = [c for c in REQUIRED if c not in cols]
        if missing:
            raise CrossingsError(f"The file lacks the column(s): {', '.join(missing)}.")
        con.execute(f"""
            CREATE TEMP TABLE checked AS
            SELECT line, trim(crossing_id) AS crossing_id, TRY_CAST(crossed_on AS DATE) AS crossed_on,
                   trim(port) AS port, lower(trim(lane)) AS lane,
                   TRY_CAST(wait_minutes AS DOUBLE) AS wait_minutes,
                   TRY_CAST(processing_minutes AS DOUBLE) AS processing_minutes,
                   NULLIF(concat_ws('; ',
                     CASE WHEN crossing_id IS NULL OR trim(crossing_id) = '' THEN 'crossing_id: required' END,
                     CASE WHEN TRY_CAST(crossed_on AS DATE) IS NULL THEN 'crossed_on: not a date (YYYY-MM-DD)' END,
                     CASE WHEN port IS NULL OR trim(port) = '' THEN 'port: required' END,
                     CASE WHEN lower(trim(lane)) NOT IN ('fast', 'general') OR lane IS NULL
                          THEN 'lane: must be fast or general' END,
                     CASE WHEN NOT coalesce(TRY_CAST(wait_minutes AS DOUBLE) BETWEEN 0 AND {MAX_MINUTES}, false)
                          THEN 'wait_minutes: a number from 0 to {MAX_MINUTES}' END,
                     CASE WHEN NOT coalesce(TRY_CAST(processing_minutes AS DOUBLE) BETWEEN 0 AND {MAX_MINUTES}, false)
                          THEN 'processing_minutes: a number from 0 to {MAX_MINUTES}' END
                   ), '') AS reasons
            FROM raw
        """)
        con.execute("""
            UPDATE checked SET reasons = 'crossing_id: duplicate in the file'
            WHERE reasons IS NULL AND crossing_id IN (
                SELECT crossing_id FROM checked GROUP BY 1 HAVING count(*) > 1)
        """)
        n, bad = con.execute("SELECT count(*), count(reasons) FROM checked").fetchone()  # type: ignore[misc]
        if n - bad == 0:
            raise CrossingsError("No valid row in the file; nothing was imported.")
        tmp = Path(str(out) + ".tmp")
        con.execute(
            "COPY (SELECT crossing_id, crossed_on, port, lane, wait_minutes, processing_minutes FROM checked "
            f"WHERE reasons IS NULL ORDER BY crossing_id) TO {q(str(tmp))} (FORMAT parquet)"
        )
        tmp.replace(out)
        lo, hi = con.execute(
            "SELECT min(crossed_on), max(crossed_on) FROM checked WHERE reasons IS NULL"
        ).fetchone()  # type: ignore[misc]
        problems = [
            {"line": int(line), "reason": reason}
            for line, reason in con.execute(
                "SELECT line, reasons FROM checked WHERE reasons IS NOT NULL ORDER BY line LIMIT 50"
            ).fetchall()
        ]
        return CrossingsSummary(int(n), int(n - bad), int(bad), str(lo), str(hi), problems)
    finally:
        con.close()
