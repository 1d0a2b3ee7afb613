"""Baselines for the benchmark: the default rule set hand-written in SQL (no reasons), and a per-row loop.

The hand-written query encodes ``rulesets/default.yaml`` at the normal threat level by hand. A test checks
that it gives the engine's scores and lanes, so the throughput comparison is between equal work.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from .compiler import CompiledRuleset, ShipmentScore
from .schema import q
from .scoring import EngineSettings, connect
from .snapshot import Snapshot

_HIGH = "('AF', 'HT', 'KH', 'MM', 'NG', 'PK', 'VE', 'YE')"
_ELEVATED = "('BD', 'CO', 'DO', 'EC', 'EG', 'GT', 'HN', 'JM', 'PA', 'PE', 'TR')"
_VAGUE = (
    "('general cargo', 'fak', 'freight all kinds', 'said to contain', 'stc', 'parts', 'goods', "
    "'merchandise', 'samples', 'gift', 'gifts', 'personal effects', 'consolidated cargo', 'various', "
    "'misc', 'miscellaneous')"
)


def handwritten_sql(shipments: str, snapshot: str, csi_ports: str) -> str:
    """The default rule set at the normal threat level, written by hand. Scores and lanes, no reasons."""
    return f"""
    WITH snap AS (
        SELECT upper(identifier_type) AS t, identifier_value AS v,
               min(CASE WHEN lower(status) = 'certified' THEN least(greatest(tier, 0), 3) ELSE 0 END) AS tier
        FROM {snapshot} GROUP BY ALL
    ), x AS (
        SELECT s.*, coalesce(si.tier, 0) AS importer_tier, coalesce(sm.tier, 0) AS manufacturer_tier,
               coalesce(sc.tier, 0) AS carrier_tier,
               substr(port_lading, 1, 2) AS lading_country,
               CASE WHEN transship_port IS NULL OR trim(transship_port) = '' THEN NULL
                    ELSE substr(transship_port, 1, 2) END AS transship_country,
               CASE WHEN container_numbers IS NULL OR trim(container_numbers) = '' THEN 0
                    ELSE length(container_numbers) - length(replace(container_numbers, ';', '')) + 1 END AS nc
        FROM {shipments} s
        LEFT JOIN (SELECT v, tier FROM snap WHERE t = 'IOR') si ON s.importer_ior = si.v
        LEFT JOIN (SELECT v, tier FROM snap WHERE t = 'MID') sm ON s.manufacturer_mid = sm.v
        LEFT JOIN (SELECT v, tier FROM snap WHERE t = 'SCAC') sc ON s.carrier_scac = sc.v
    ), p AS (
        SELECT shipment_id, importer_tier,
            coalesce(seal_tampered, FALSE) OR coalesce(csd_alarm, FALSE) AS forced,
            (CASE WHEN country_origin IN {_HIGH} THEN 25 ELSE 0 END)
          + (CASE WHEN seal_mismatch THEN 25 ELSE 0 END)
          + (CASE WHEN importer_prior_violations >= 1 THEN 22 ELSE 0 END)
          + (CASE WHEN coalesce(importer_prior_entries, 0) = 0 THEN 20 ELSE 0 END)
          + (CASE WHEN manufacturer_mid IS NULL OR trim(manufacturer_mid) = '' THEN 18 ELSE 0 END)
          + (CASE WHEN declared_value_usd / NULLIF(gross_weight_kg, 0) < 0.5 THEN 18 ELSE 0 END)
          + (CASE WHEN nc > 0 AND (seal_numbers IS NULL OR trim(seal_numbers) = '') THEN 16 ELSE 0 END)
          + (CASE WHEN lading_country IN {_HIGH} AND lading_country <> country_origin THEN 15 ELSE 0 END)
          + (CASE WHEN transship_country IN {_HIGH} THEN 15 ELSE 0 END)
          + (CASE WHEN manufacturer_prior_violations >= 1 THEN 15 ELSE 0 END)
          + (CASE WHEN gross_weight_kg / NULLIF(nc, 0) > 30480 THEN 15 ELSE 0 END)
          + (CASE WHEN importer_prior_violations >= 3 THEN 12 ELSE 0 END)
          + (CASE WHEN mode = 'sea' AND (stuffing_location IS NULL OR trim(stuffing_location) = '')
                  THEN 12 ELSE 0 END)
          + (CASE WHEN description IS NULL OR trim(description) = '' OR length(description) < 8
                       OR lower(description) IN {_VAGUE} THEN 12 ELSE 0 END)
          + (CASE WHEN importer_resident = FALSE THEN 10 ELSE 0 END)
          + (CASE WHEN seller IS NULL OR trim(seller) = '' OR buyer IS NULL OR trim(buyer) = ''
                       OR consignee IS NULL OR trim(consignee) = '' OR ship_to IS NULL OR trim(ship_to) = ''
                  THEN 10 ELSE 0 END)
          + (CASE WHEN country_origin IN {_ELEVATED} THEN 8 ELSE 0 END)
          + (CASE WHEN hts_code[1:2] IN ('24', '28', '29', '30', '36', '71', '93') THEN 8 ELSE 0 END)
          + (CASE WHEN lading_country <> country_origin AND mode IN ('sea', 'air') THEN 5 ELSE 0 END)
          + (CASE WHEN importer_prior_entries >= 1 AND importer_prior_entries < 6 THEN 5 ELSE 0 END)
          + (CASE WHEN mode = 'sea' AND nc = 0 THEN 6 ELSE 0 END)
          + (CASE WHEN nc > 0 AND NOT (seal_numbers IS NULL OR trim(seal_numbers) = '')
                       AND NOT coalesce(seal_high_security, FALSE) THEN 4 ELSE 0 END)
          + (CASE WHEN transship_port IS NOT NULL AND trim(transship_port) <> '' THEN 3 ELSE 0 END)
          + (CASE WHEN hts_code[1:2] IN ('33', '42', '61', '62', '64', '85', '95') THEN 2 ELSE 0 END)
          + (CASE WHEN carrier_tier = 0 THEN 2 ELSE 0 END)
          + (CASE WHEN manufacturer_tier = 0 AND NOT (manufacturer_mid IS NULL OR trim(manufacturer_mid) = '')
                  THEN 2 ELSE 0 END)
          - (CASE WHEN port_lading IN {csi_ports} THEN 5 ELSE 0 END)
          - (CASE WHEN mode = 'truck' AND coalesce(fast_driver_card, FALSE) AND importer_tier >= 1
                       AND manufacturer_tier >= 1 AND carrier_tier >= 1 THEN 8 ELSE 0 END) AS points
        FROM x
    ), s AS (
        SELECT *, greatest(points - CASE importer_tier WHEN 1 THEN 12 WHEN 2 THEN 20 WHEN 3 THEN 30
            ELSE 0 END,
                           0) AS score
        FROM p
    )
    SELECT shipment_id, score,
           CASE WHEN forced OR score >= 60 THEN 'red'
                WHEN CAST('0x' || left(md5('greenlane-default-2026.1:' || shipment_id), 13) AS BIGINT)
                     < CASE WHEN importer_tier >= 1 THEN 45035996273704 ELSE 135107988821114 END
                         THEN 'compliance'
                WHEN score >= 35 THEN 'yellow' ELSE 'green' END AS lane
    FROM s
    """


def run_handwritten(
    input_path: str | Path,
    snapshot_path: str | Path,
    output_path: str | Path,
    *,
    settings: EngineSettings | None = None,
) -> tuple[int, float]:
    """Run the hand-written query from Parquet to Parquet; returns (rows, seconds)."""
    from .reference import csi_ports
    from .schema import sql_list

    con = connect(settings)
    try:
        t0 = time.perf_counter()
        sql = handwritten_sql(
            f"read_parquet({q(str(input_path))})",
            f"read_parquet({q(str(snapshot_path))})",
            sql_list(csi_ports()),
        )
        n = con.execute(
            f"COPY ({sql}) TO {q(str(output_path))} (FORMAT parquet, COMPRESSION zstd)"
        ).fetchone()[0]  # type: ignore[index]
        return int(n), time.perf_counter() - t0
    finally:
        con.close()


def iter_rows(path: str | Path, limit: int, batch_size: int = 10_000) -> Iterator[dict[str, Any]]:
    """Rows of a Parquet file as dicts (the natural input of a per-row Python loop)."""
    pf = pq.ParquetFile(path)
    seen = 0
    for batch in pf.iter_batches(batch_size=batch_size):
        for row in batch.to_pylist():
            if seen >= limit:
                return
            seen += 1
            yield row


def run_python_loop(
    input_path: str | Path, snapshot: Snapshot, compiled: CompiledRuleset, limit: int
) -> tuple[int, float, list[ShipmentScore]]:
    """Score the first ``limit`` rows one at a time in Python, same rules; (rows, seconds, results)."""
    t0 = time.perf_counter()
    results = [compiled.score_row(row, snapshot, row=i) for i, row in enumerate(iter_rows(input_path, limit))]
    return len(results), time.perf_counter() - t0, results
