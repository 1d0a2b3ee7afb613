"""A member's benefits statement: its exam rates and hold times against matched non-members (pure).

Matching: the comparison group is non-member shipments in the same cells (mode x HS chapter x origin
region) as the member's own shipments, in the same period. The comparison rate is standardized to the
member's mix: sum over cells of (member shipments in the cell x non-member rate in the cell) / member
shipments, so a member shipping mostly low-risk goods is not flattered by a comparison full of high-risk
ones. Cells with no comparison shipments are left out and the coverage is reported.

Confidentiality and statistical minimums (all three must hold, else no statement is shown):
at least ``min_member_shipments`` of the member's own matched shipments, at least
``min_comparison_shipments`` comparison shipments and at least ``min_comparison_companies`` distinct
comparison importers (so no comparison figure can be traced back to one or two competitors).

Hold times are not recorded in the shipment data: they are estimated per lane from the stated
parameters (``hold_hours``), like the costs. Every assumption is a parameter and is printed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb

from .compute import Period
from .sources import q

REGIONS: dict[str, tuple[str, ...]] = {
    "North America": ("CA", "MX", "US"),
    "Central America and Caribbean": ("GT", "HN", "SV", "NI", "CR", "PA", "DO", "JM", "HT", "BS", "TT", "BZ"),
    "South America": ("BR", "AR", "CL", "CO", "PE", "EC", "VE", "UY", "PY", "BO"),
    "Europe": ("DE", "IT", "GB", "IE", "FR", "CH", "NL", "ES", "BE", "SE", "PL", "PT", "GR", "AT", "DK",
               "FI", "NO", "CZ", "HU", "RO", "TR"),
    "East Asia": ("CN", "JP", "KR", "TW", "HK", "MO", "MN"),
    "South-East Asia": ("VN", "TH", "MY", "ID", "SG", "PH", "KH", "MM", "LA", "BN"),
    "South Asia": ("IN", "BD", "LK", "PK", "NP"),
    "Middle East and North Africa": ("IL", "AE", "SA", "EG", "MA", "JO", "QA", "OM", "KW", "DZ", "TN"),
    "Sub-Saharan Africa": ("ZA", "NG", "KE", "GH", "ET", "TZ", "CI"),
    "Oceania": ("AU", "NZ", "FJ", "PG"),
}  # fmt: skip
REGION_OF: dict[str, str] = {c: r for r, cs in REGIONS.items() for c in cs}


@dataclass(frozen=True)
class Assumptions:
    min_member_shipments: int = 30
    min_comparison_shipments: int = 100
    min_comparison_companies: int = 5
    exam_cost_usd: float = 1000.0  # cost to the importer of one physical exam (fees, handling, storage)
    document_review_cost_usd: float = 100.0
    delay_cost_usd_per_hour: float = 25.0  # cost of one shipment held one hour
    hold_hours: dict[str, float] = field(
        default_factory=lambda: {"green": 2.0, "yellow": 24.0, "compliance": 72.0, "red": 96.0}
    )


BOUNDS = {
    "exam_cost_usd": (0.0, 100_000.0),
    "document_review_cost_usd": (0.0, 10_000.0),
    "delay_cost_usd_per_hour": (0.0, 10_000.0),
}


def region_case(col: str) -> str:
    items = ", ".join(f"{q(c)}: {q(r)}" for c, r in sorted(REGION_OF.items()))
    return f"coalesce(MAP {{{items}}}[{col}], 'Other')"


@dataclass
class Statement:
    available: bool
    reason: str
    period: str
    member_shipments: int = 0
    matched_member_shipments: int = 0
    comparison_shipments: int = 0
    comparison_companies: int = 0
    cells: int = 0
    member_exam_rate: float | None = None
    comparison_exam_rate: float | None = None
    member_document_rate: float | None = None
    comparison_document_rate: float | None = None
    member_hold_hours: float | None = None
    comparison_hold_hours: float | None = None
    exams_avoided: float | None = None
    hours_saved: float | None = None
    savings_usd: float | None = None
    by_mode: list[dict[str, Any]] = field(default_factory=list)
    assumptions: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def statement(
    con: duckdb.DuckDBPyConnection, iors: list[str], period: Period, a: Assumptions | None = None
) -> Statement:
    """The statement for the importer numbers ``iors`` over the registered ``shipments`` view."""
    a = a or Assumptions()
    st = Statement(available=False, reason="", period=period.key, assumptions=asdict(a))
    if not iors:
        st.reason = "The company has no importer of record number, so it has no shipments to compare."
        return st
    hold = " ".join(f"WHEN {q(k)} THEN {float(v)}" for k, v in a.hold_hours.items())
    ior_list = ", ".join(q(i) for i in iors)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE b AS
        SELECT mode, hts_chapter, {region_case("country_origin")} AS region, importer_ior,
               importer_ior IN ({ior_list}) AS own, coalesce(importer_tier, 0) AS tier,
               (targeted OR compliance) AS exam, lane = 'yellow' AS doc,
               CASE lane {hold} ELSE 0 END AS hold_h
        FROM shipments
        WHERE arrival_date >= DATE '{period.start}' AND arrival_date < DATE '{period.end}'
          AND (importer_ior IN ({ior_list}) OR coalesce(importer_tier, 0) = 0)
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE cells AS
        SELECT mode, hts_chapter, region,
               count(*) FILTER (own) AS m_n, avg(exam::INT) FILTER (own) AS m_exam,
               avg(doc::INT) FILTER (own) AS m_doc, avg(hold_h) FILTER (own) AS m_hold,
               count(*) FILTER (NOT own) AS c_n, avg(exam::INT) FILTER (NOT own) AS c_exam,
               avg(doc::INT) FILTER (NOT own) AS c_doc, avg(hold_h) FILTER (NOT own) AS c_hold
        FROM b GROUP BY ALL HAVING count(*) FILTER (own) > 0
    """)
    total = con.execute("SELECT coalesce(sum(m_n), 0) FROM cells").fetchone()[0]  # type: ignore[index]
    matched = "c_n > 0"
    row = con.execute(f"""
        SELECT coalesce(sum(m_n), 0), coalesce(sum(c_n), 0), count(*),
               sum(m_n * m_exam) / sum(m_n), sum(m_n * c_exam) / sum(m_n),
               sum(m_n * m_doc) / sum(m_n), sum(m_n * c_doc) / sum(m_n),
               sum(m_n * m_hold) / sum(m_n), sum(m_n * c_hold) / sum(m_n)
        FROM cells WHERE {matched}
    """).fetchone()
    assert row is not None
    companies = con.execute(f"""
        SELECT count(DISTINCT b.importer_ior) FROM b JOIN cells USING (mode, hts_chapter, region)
        WHERE NOT b.own AND cells.{matched}
    """).fetchone()[0]  # type: ignore[index]
    st.member_shipments = int(total)
    st.matched_member_shipments, st.comparison_shipments, st.cells = int(row[0]), int(row[1]), int(row[2])
    st.comparison_companies = int(companies)
    short = []
    if st.matched_member_shipments < a.min_member_shipments:
        short.append(
            f"the company has {st.matched_member_shipments} matched shipments in {period.key} "
            f"(at least {a.min_member_shipments} are needed)"
        )
    if st.comparison_shipments < a.min_comparison_shipments:
        short.append(
            f"the comparison group has {st.comparison_shipments} shipments "
            f"(at least {a.min_comparison_shipments} are needed)"
        )
    if st.comparison_companies < a.min_comparison_companies:
        short.append(f"the comparison group has fewer than {a.min_comparison_companies} distinct companies")
    if short:
        st.reason = "No statement for this period: " + "; ".join(short) + "."
        # Never reveal the comparison group's figures when it is too small.
        st.comparison_shipments = (
            0 if st.comparison_shipments < a.min_comparison_shipments else st.comparison_shipments
        )
        st.comparison_companies = 0
        return st
    st.available = True
    st.member_exam_rate, st.comparison_exam_rate = row[3], row[4]
    st.member_document_rate, st.comparison_document_rate = row[5], row[6]
    st.member_hold_hours, st.comparison_hold_hours = row[7], row[8]
    n = st.matched_member_shipments
    st.exams_avoided = (row[4] - row[3]) * n
    docs_avoided = (row[6] - row[5]) * n
    st.hours_saved = (row[8] - row[7]) * n
    st.savings_usd = (
        st.exams_avoided * a.exam_cost_usd
        + docs_avoided * a.document_review_cost_usd
        + st.hours_saved * a.delay_cost_usd_per_hour
    )
    st.by_mode = [
        {"mode": r[0], "member_shipments": int(r[1]), "member_exam_rate": r[2], "comparison_exam_rate": r[3]}
        for r in con.execute(f"""
            SELECT mode, sum(m_n), sum(m_n * m_exam) / sum(m_n), sum(m_n * c_exam) / sum(m_n)
            FROM cells WHERE {matched} GROUP BY mode
            HAVING sum(c_n) >= {int(a.min_comparison_shipments)} ORDER BY mode
        """).fetchall()
    ]
    return st
