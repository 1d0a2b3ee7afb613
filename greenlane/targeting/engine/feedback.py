"""Exam feedback: import exam results, simulate them on synthetic data, and measure the targeting.

Measures: hit rate by rule, lane and tier; the exam-rate ratio of non-members to members for targeted and
for compliance exams; lift = share of planted violations caught when the top 5% by score are examined,
divided by the share random selection of 5% would catch (0.05).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from .schema import q
from .scoring import EngineSettings, InputError, ReconciliationError, connect

EXAM_TYPES = ("targeted", "compliance", "document")
RESULTS = ("violation", "no_violation")
LANE_EXAM = {"red": "targeted", "compliance": "compliance", "yellow": "document"}


@dataclass(frozen=True)
class ExamImportSummary:
    input_rows: int
    imported_rows: int
    rejected_rows: int
    output_path: str
    rejects_path: str
    by_type: dict[str, int]


@dataclass(frozen=True)
class Rate:
    key: str
    examined: int
    hits: int

    @property
    def hit_rate(self) -> float | None:
        return round(self.hits / self.examined, 6) if self.examined else None

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "examined": self.examined, "hits": self.hits, "hit_rate": self.hit_rate}


@dataclass(frozen=True)
class Measures:
    shipments: int
    members: int
    exams: int
    by_rule: list[Rate]
    by_lane: list[Rate]
    by_tier: list[Rate]
    targeted_rate_members: float | None
    targeted_rate_non_members: float | None
    compliance_rate_members: float | None
    compliance_rate_non_members: float | None
    metadata: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def _ratio(a: float | None, b: float | None) -> float | None:
        return round(a / b, 3) if a is not None and b else None

    @property
    def targeted_ratio(self) -> float | None:
        """Targeted-exam rate of non-members divided by that of members."""
        return self._ratio(self.targeted_rate_non_members, self.targeted_rate_members)

    @property
    def compliance_ratio(self) -> float | None:
        return self._ratio(self.compliance_rate_non_members, self.compliance_rate_members)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("by_rule", "by_lane", "by_tier"):
            d[k] = [r.as_dict() for r in getattr(self, k)]
        d["targeted_ratio"] = self.targeted_ratio
        d["compliance_ratio"] = self.compliance_ratio
        return d


@dataclass(frozen=True)
class Lift:
    exam_rate: float
    examined: int
    violations: int
    caught: int

    @property
    def caught_share(self) -> float:
        return self.caught / self.violations if self.violations else 0.0

    @property
    def lift(self) -> float:
        return round(self.caught_share / self.exam_rate, 3) if self.exam_rate else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "caught_share": round(self.caught_share, 4), "lift": self.lift}


def _read(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".csv", ".csv.gz")):
        return f"read_csv({q(str(path))}, header = true, all_varchar = true)"
    return f"read_parquet({q(str(path))})"


def import_exam_results(
    path: str | Path,
    output_path: str | Path,
    *,
    rejects_path: str | Path | None = None,
    settings: EngineSettings | None = None,
) -> ExamImportSummary:
    """Check and normalize exam results (shipment_id, exam_type, result[, examined_on, finding]).

    Rows with a missing shipment id, an unknown exam type or an unknown result go to the rejects file.
    """
    src, out = Path(path), Path(output_path)
    rej = Path(rejects_path) if rejects_path else out.with_name(out.stem + ".rejects.parquet")
    if not src.exists():
        raise InputError(f"exam results not found: {src}")
    con = connect(settings)
    try:
        con.execute(f"CREATE TEMP TABLE raw AS SELECT * FROM {_read(src)}")
        cols = {r[0] for r in con.execute("DESCRIBE raw").fetchall()}
        for needed in ("shipment_id", "exam_type", "result"):
            if needed not in cols:
                raise InputError(f"exam results lack column {needed}")
        examined_on = "TRY_CAST(examined_on AS DATE)" if "examined_on" in cols else "NULL::DATE"
        finding = "CAST(finding AS VARCHAR)" if "finding" in cols else "NULL::VARCHAR"
        types, results = ", ".join(map(q, EXAM_TYPES)), ", ".join(map(q, RESULTS))
        con.execute(f"""
            CREATE TEMP TABLE checked AS
            SELECT rowid AS row, CAST(shipment_id AS VARCHAR) AS shipment_id,
                   lower(trim(CAST(exam_type AS VARCHAR))) AS exam_type,
                   lower(trim(CAST(result AS VARCHAR))) AS result, {examined_on} AS examined_on,
                   {finding} AS finding,
                   NULLIF(concat_ws('; ',
                     CASE WHEN shipment_id IS NULL OR trim(CAST(shipment_id AS VARCHAR)) = ''
                          THEN 'shipment_id: required' END,
                     CASE WHEN lower(trim(CAST(exam_type AS VARCHAR))) NOT IN ({types}) OR exam_type IS NULL
                          THEN 'exam_type: unknown' END,
                     CASE WHEN lower(trim(CAST(result AS VARCHAR))) NOT IN ({results}) OR result IS NULL
                          THEN 'result: unknown' END), '') AS reasons
            FROM raw
        """)
        n = con.execute("SELECT count(*) FROM raw").fetchone()[0]  # type: ignore[index]
        ok = con.execute(
            "COPY (SELECT shipment_id, exam_type, result, examined_on, finding FROM checked "
            f"WHERE reasons IS NULL ORDER BY row) TO {q(str(out))} (FORMAT parquet)"
        ).fetchone()[0]  # type: ignore[index]
        bad = con.execute(
            "COPY (SELECT row, shipment_id, reasons FROM checked WHERE reasons IS NOT NULL ORDER BY row) "
            f"TO {q(str(rej))} (FORMAT parquet)"
        ).fetchone()[0]  # type: ignore[index]
        if ok + bad != n:
            raise ReconciliationError(f"{n} exam rows but {ok} imported and {bad} rejected")
        by_type = dict(
            con.execute("SELECT exam_type, count(*) FROM checked WHERE reasons IS NULL GROUP BY 1").fetchall()
        )
    finally:
        con.close()
    return ExamImportSummary(
        int(n), int(ok), int(bad), str(out), str(rej), {k: int(v) for k, v in by_type.items()}
    )


def simulate_exams(
    scored_path: str | Path,
    truth_path: str | Path,
    output_path: str | Path,
    *,
    detection: dict[str, float] | None = None,
    seed: int = 0,
    settings: EngineSettings | None = None,
) -> int:
    """Exam results for synthetic data: red -> targeted, compliance -> compliance, yellow -> document.

    An exam finds a planted violation with the given probability per exam type (physical exams find most,
    document reviews fewer); it never finds one that is not there. Returns the number of exams written.
    """
    det = {"targeted": 0.9, "compliance": 0.9, "document": 0.3, **(detection or {})}
    lane_case = " ".join(f"WHEN {q(lane)} THEN {q(t)}" for lane, t in LANE_EXAM.items())
    det_case = " ".join(f"WHEN {q(t)} THEN {p}" for t, p in det.items())
    con = connect(settings)
    try:
        return int(
            con.execute(f"""
            COPY (
                WITH e AS (
                    SELECT s.shipment_id, CASE s.lane {lane_case} END AS exam_type, s.arrival_date
                    FROM read_parquet({q(str(scored_path))}) s WHERE s.lane IN ('red', 'compliance', 'yellow')
                )
                SELECT e.shipment_id, e.exam_type,
                       CASE WHEN t.synthetic_violation
                             AND hash(e.shipment_id, {int(seed)}, 'exam') / 18446744073709551616.0
                                 < CASE e.exam_type {det_case} END
                            THEN 'violation' ELSE 'no_violation' END AS result,
                       e.arrival_date AS examined_on, NULL::VARCHAR AS finding
                FROM e JOIN read_parquet({q(str(truth_path))}) t USING (shipment_id)
            ) TO {q(str(output_path))} (FORMAT parquet)
        """).fetchone()[0]  # type: ignore[index]
        )
    finally:
        con.close()


def _mask_bits(scored_path: Path) -> tuple[list[str], dict[str, Any]]:
    meta = pq.read_schema(scored_path).metadata or {}
    raw = meta.get(b"greenlane")
    if raw is None:
        raise InputError(f"{scored_path} carries no rule set metadata; was it written by score_file?")
    info = json.loads(raw)
    return list(info["mask_bits"]), info


def measures(
    scored_path: str | Path, exams_path: str | Path, *, settings: EngineSettings | None = None
) -> Measures:
    """Hit rates by rule, lane and tier, and exam-rate ratios, from scored shipments and exam results."""
    scored = Path(scored_path)
    bits, info = _mask_bits(scored)
    con = connect(settings)
    try:
        con.execute(f"""
            CREATE TEMP TABLE ex AS
            SELECT s.lane, s.importer_tier, s.indicator_mask, x.exam_type, x.result = 'violation' AS hit
            FROM read_parquet({q(str(exams_path))}) x
            JOIN read_parquet({q(str(scored))}) s USING (shipment_id)
        """)
        n, members = con.execute(
            f"SELECT count(*), count(*) FILTER (importer_tier >= 1) FROM read_parquet({q(str(scored))})"
        ).fetchone()  # type: ignore[misc]
        physical = "exam_type IN ('targeted', 'compliance')"
        rule_cols = ", ".join(
            f"count(*) FILTER ({physical} AND (indicator_mask >> {i}) & 1 = 1), "
            f"count(*) FILTER ({physical} AND hit AND (indicator_mask >> {i}) & 1 = 1)"
            for i in range(len(bits))
        )
        row = con.execute(f"SELECT {rule_cols} FROM ex").fetchone() or ()
        by_rule = [Rate(b, int(row[2 * i]), int(row[2 * i + 1])) for i, b in enumerate(bits)]
        by_lane = [
            Rate(k, int(e), int(h))
            for k, e, h in con.execute(
                "SELECT lane, count(*), count(*) FILTER (hit) FROM ex GROUP BY 1 ORDER BY 1"
            ).fetchall()
        ]
        by_tier = [
            Rate(f"tier_{k}", int(e), int(h))
            for k, e, h in con.execute(
                f"SELECT importer_tier, count(*) FILTER ({physical}), count(*) FILTER ({physical} AND hit) "
                "FROM ex GROUP BY 1 ORDER BY 1"
            ).fetchall()
        ]
        t_m, t_n, c_m, c_n, total = con.execute(
            "SELECT count(*) FILTER (exam_type = 'targeted' AND importer_tier >= 1), "
            "count(*) FILTER (exam_type = 'targeted' AND importer_tier = 0), "
            "count(*) FILTER (exam_type = 'compliance' AND importer_tier >= 1), "
            "count(*) FILTER (exam_type = 'compliance' AND importer_tier = 0), count(*) FROM ex"
        ).fetchone()  # type: ignore[misc]
    finally:
        con.close()
    non_members = n - members

    def rate(k: int, d: int) -> float | None:
        return round(k / d, 6) if d else None

    return Measures(
        shipments=int(n),
        members=int(members),
        exams=int(total),
        by_rule=by_rule,
        by_lane=by_lane,
        by_tier=by_tier,
        targeted_rate_members=rate(t_m, members),
        targeted_rate_non_members=rate(t_n, non_members),
        compliance_rate_members=rate(c_m, members),
        compliance_rate_non_members=rate(c_n, non_members),
        metadata=info,
    )


def lift(
    scored_path: str | Path,
    truth_path: str | Path,
    *,
    exam_rate: float = 0.05,
    settings: EngineSettings | None = None,
) -> Lift:
    """Share of planted violations in the top ``exam_rate`` by score (force-red first), over ``exam_rate``.

    Ties at the cut are broken by a hash of the shipment id, which is as good as random.
    """
    con = connect(settings)
    try:
        n = con.execute(f"SELECT count(*) FROM read_parquet({q(str(scored_path))})").fetchone()[0]  # type: ignore[index]
        k = int(n * exam_rate)
        caught, total = con.execute(f"""
            WITH top AS (
                SELECT shipment_id FROM read_parquet({q(str(scored_path))})
                ORDER BY lane_reason = 'force_red' DESC, score DESC, hash(shipment_id) LIMIT {k}
            ), t AS (
                SELECT shipment_id, synthetic_violation FROM read_parquet({q(str(truth_path))})
                WHERE synthetic_violation
            )
            SELECT (SELECT count(*) FROM t SEMI JOIN top USING (shipment_id)), (SELECT count(*) FROM t)
        """).fetchone()  # type: ignore[misc]
    finally:
        con.close()
    return Lift(exam_rate=exam_rate, examined=k, violations=int(total), caught=int(caught))
