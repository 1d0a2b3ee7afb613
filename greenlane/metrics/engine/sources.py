"""The tables a metrics run reads, and the measure *sources* built over them (pure Python + DuckDB SQL).

Portal tables come from a snapshot directory of Parquet files (``greenlane metrics snapshot``); a missing
file is read as an empty table of the same columns, so a measure over it reports "no data". Shipments come
from the targeting engine's files, read in place (see :func:`shipments_relation`); FAST crossings from the
imported crossing times.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Snapshot tables: name -> ((column, DuckDB type), ...). The portal exporter writes exactly these.
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "partners": (
        ("partner_id", "BIGINT"), ("entity_type", "VARCHAR"), ("status", "VARCHAR"), ("tier", "INTEGER"),
        ("field_office", "VARCHAR"), ("country", "VARCHAR"), ("certified_at", "TIMESTAMP"),
    ),
    "identifiers": (("partner_id", "BIGINT"), ("type", "VARCHAR"), ("value", "VARCHAR")),
    "validations": (
        ("validation_id", "BIGINT"), ("partner_id", "BIGINT"), ("kind", "VARCHAR"), ("status", "VARCHAR"),
        ("outcome", "VARCHAR"), ("published_at", "TIMESTAMP"), ("closed_at", "TIMESTAMP"),
    ),
    "visits": (("validation_id", "BIGINT"), ("kind", "VARCHAR")),
    "hours": (
        ("validation_id", "BIGINT"), ("user_id", "BIGINT"), ("activity", "VARCHAR"), ("hours", "DOUBLE"),
        ("on_date", "DATE"),
    ),
    "items": (("validation_id", "BIGINT"), ("kind", "VARCHAR")),
    "findings": (("validation_id", "BIGINT"), ("criterion_code", "VARCHAR"), ("result", "VARCHAR")),
    "answers": (
        ("partner_id", "BIGINT"), ("criterion_code", "VARCHAR"), ("status", "VARCHAR"),
        ("answered_at", "TIMESTAMP"),
    ),
}  # fmt: skip

SHIPMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("shipment_id", "VARCHAR"), ("arrival_date", "DATE"), ("mode", "VARCHAR"), ("importer_ior", "VARCHAR"),
    ("carrier_scac", "VARCHAR"), ("country_origin", "VARCHAR"), ("hts_chapter", "INTEGER"),
    ("declared_value_usd", "DOUBLE"), ("container_count", "INTEGER"), ("lane", "VARCHAR"),
    ("importer_tier", "INTEGER"), ("carrier_member", "BOOLEAN"), ("targeted", "BOOLEAN"),
    ("compliance", "BOOLEAN"),
)  # fmt: skip

CROSSING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("crossing_id", "VARCHAR"), ("crossed_on", "DATE"), ("port", "VARCHAR"), ("lane", "VARCHAR"),
    ("wait_minutes", "DOUBLE"), ("processing_minutes", "DOUBLE"),
)  # fmt: skip

# Finding results counted as met / assessed (others, e.g. not_applicable, are left out).
FINDING_MET = ("meets", "met", "exceeds", "compliant", "pass")
FINDING_NOT_MET = ("fails", "not_met", "does_not_meet", "non_compliant", "fail", "partial")


def q(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(q(v) for v in values) + ")"


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    sql: str  # SELECT over the base views; must yield `on_day` (DATE), `record_id` and the dimension columns
    dimensions: tuple[str, ...]
    drill_columns: tuple[str, ...]
    # Dimensions that describe the company, not the record: a rate comparison (members vs non-members)
    # split by one of them compares each group with all non-members of the period.
    partner_dimensions: tuple[str, ...] = ()
    # Optional pre-aggregated equivalent for computing (not drilling): rows grouped by month (``on_day`` is
    # the month's first day) and every column the parts' conditions read, with ``n`` rows behind each and
    # the parts' expressions already summed. One scan with cheap keys; company dimensions joined after.
    cube_sql: str = ""


_PARTNER_DIMS = "p.entity_type, p.tier, p.field_office"
# Importer number -> its company (the lowest partner id if several claim it) and that company's dimensions.
_IMPORTERS = """(SELECT i.value, min(p.partner_id) AS partner_id,
                   arg_min(p.entity_type, p.partner_id) AS entity_type,
                   arg_min(p.field_office, p.partner_id) AS field_office
            FROM identifiers i JOIN partners p ON p.partner_id = i.partner_id
            WHERE upper(i.type) = 'IOR' GROUP BY i.value)"""

SOURCES: dict[str, Source] = {
    "shipments": Source(
        name="shipments",
        title="Shipments (targeting data)",
        sql=f"""
            SELECT s.shipment_id AS record_id, s.arrival_date AS on_day, s.* EXCLUDE (carrier_member),
                   coalesce(s.importer_tier, 0) >= 1 AS importer_member,
                   coalesce(s.carrier_member, false) AS carrier_member,
                   ip.entity_type, coalesce(s.importer_tier, 0) AS tier, ip.field_office,
                   ip.partner_id AS importer_partner_id
            FROM shipments s
            LEFT JOIN {_IMPORTERS} ip ON ip.value = s.importer_ior
        """,
        dimensions=("mode", "tier", "entity_type", "field_office"),
        drill_columns=(
            "shipment_id",
            "arrival_date",
            "mode",
            "importer_ior",
            "importer_tier",
            "carrier_scac",
            "carrier_member",
            "country_origin",
            "hts_chapter",
            "declared_value_usd",
            "container_count",
            "lane",
            "targeted",
            "compliance",
        ),
        partner_dimensions=("tier", "entity_type", "field_office"),
        cube_sql=f"""
            WITH g AS (
                SELECT date_trunc('month', arrival_date)::DATE AS on_day, mode,
                       coalesce(importer_tier, 0) AS importer_tier, importer_ior,
                       coalesce(carrier_member, false) AS carrier_member, targeted, compliance,
                       count(*) AS n, sum(declared_value_usd) AS declared_value_usd,
                       sum(container_count) AS container_count
                FROM shipments GROUP BY ALL
            )
            SELECT g.*, g.importer_tier AS tier, ip.entity_type, ip.field_office
            FROM g LEFT JOIN {_IMPORTERS} ip ON ip.value = g.importer_ior
        """,
    ),
    "validations": Source(
        name="validations",
        title="Validations (portal snapshot)",
        sql=f"""
            SELECT v.validation_id AS record_id,
                   CAST(coalesce(v.closed_at, v.published_at) AS DATE) AS on_day,
                   v.validation_id, v.partner_id, v.kind, v.status, v.outcome,
                   v.published_at IS NOT NULL AS published, v.closed_at IS NOT NULL AS closed,
                   v.published_at, v.closed_at,
                   coalesce(vk.visit_kind, 'none') AS visit_kind,
                   coalesce(h.hours, 0) AS hours, coalesce(r.recommendations, 0) AS recommendations,
                   coalesce(r.required_actions, 0) AS required_actions, {_PARTNER_DIMS}
            FROM validations v
            LEFT JOIN partners p ON p.partner_id = v.partner_id
            LEFT JOIN (SELECT validation_id, CASE WHEN bool_or(kind = 'on_site') THEN 'on_site'
                              WHEN bool_or(kind = 'virtual') THEN 'virtual' ELSE 'none' END AS visit_kind
                       FROM visits GROUP BY 1) vk ON vk.validation_id = v.validation_id
            LEFT JOIN (SELECT validation_id, sum(hours) AS hours FROM hours GROUP BY 1) h
                   ON h.validation_id = v.validation_id
            LEFT JOIN (SELECT validation_id, count(*) FILTER (kind = 'recommendation') AS recommendations,
                              count(*) FILTER (kind = 'required_action') AS required_actions
                       FROM items GROUP BY 1) r ON r.validation_id = v.validation_id
            WHERE coalesce(v.closed_at, v.published_at) IS NOT NULL
        """,
        dimensions=("entity_type", "tier", "field_office", "visit_kind"),
        drill_columns=(
            "validation_id",
            "partner_id",
            "entity_type",
            "tier",
            "field_office",
            "kind",
            "status",
            "outcome",
            "visit_kind",
            "published_at",
            "closed_at",
            "hours",
            "recommendations",
            "required_actions",
        ),
    ),
    "findings": Source(
        name="findings",
        title="Validation findings (portal snapshot)",
        sql=f"""
            SELECT v.validation_id || ':' || f.criterion_code AS record_id,
                   CAST(coalesce(v.closed_at, v.published_at) AS DATE) AS on_day,
                   f.validation_id, v.partner_id, f.criterion_code, f.result,
                   lower(f.result) IN {_in(FINDING_MET)} AS met,
                   lower(f.result) IN {_in(FINDING_MET + FINDING_NOT_MET)} AS assessed, {_PARTNER_DIMS}
            FROM findings f JOIN validations v ON v.validation_id = f.validation_id
            LEFT JOIN partners p ON p.partner_id = v.partner_id
            WHERE coalesce(v.closed_at, v.published_at) IS NOT NULL
        """,
        dimensions=("entity_type", "tier", "field_office"),
        drill_columns=("validation_id", "partner_id", "entity_type", "tier", "criterion_code", "result"),
    ),
    "crossings": Source(
        name="crossings",
        title="Recorded border crossings (imported)",
        sql="""
            SELECT crossing_id AS record_id, crossed_on AS on_day, crossing_id, crossed_on, port, lane,
                   wait_minutes, processing_minutes, wait_minutes + processing_minutes AS total_minutes
            FROM crossings
        """,
        dimensions=("port",),
        drill_columns=("crossing_id", "crossed_on", "port", "lane", "wait_minutes", "processing_minutes"),
    ),
}

DIMENSION_LABELS = {
    "mode": "Mode",
    "tier": "Tier",
    "entity_type": "Entity type",
    "field_office": "Field office",
    "visit_kind": "Visit kind",
    "port": "Port",
}
ALL_DIMENSIONS = tuple(DIMENSION_LABELS)


@dataclass(frozen=True)
class Inputs:
    """Where a run reads from. ``shipments_sql`` is a SELECT yielding :data:`SHIPMENT_COLUMNS`."""

    snapshot_dir: str | None = None
    shipments_sql: str | None = None
    crossings_path: str | None = None


def _empty(columns: tuple[tuple[str, str], ...]) -> str:
    cols = ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in columns)
    return f"SELECT {cols} WHERE false"


def _parquet_or_empty(path: Path | None, columns: tuple[tuple[str, str], ...]) -> str:
    if path is None or not path.exists():
        return _empty(columns)
    cols = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in columns)
    return f"SELECT {cols} FROM read_parquet({q(str(path))})"


def shipments_relation(
    input_path: str, scored_path: str, exams_path: str | None = None, snapshot_path: str | None = None
) -> str:
    """SELECT of :data:`SHIPMENT_COLUMNS` over the targeting engine's files, read in place.

    The scored file gives the lane and the importer's effective tier at scoring time; the input file the
    shipment's fields. Exams: with imported exam results, a shipment had a targeted / compliance exam if a
    result of that type exists; without them, the lane decision stands for the exam (red = targeted,
    compliance = compliance). A carrier is a member if the partners' snapshot the day was scored with
    lists its SCAC as certified with a tier (like the importer's tier, membership at scoring time).
    """
    if snapshot_path:
        carriers = (
            "LEFT JOIN (SELECT identifier_value AS scac, true AS member FROM "
            f"read_parquet({q(snapshot_path)}) WHERE upper(identifier_type) = 'SCAC' "
            "AND lower(status) = 'certified' AND tier >= 1 GROUP BY 1) cm ON cm.scac = i.carrier_scac"
        )
        carrier_member = "coalesce(cm.member, false)"
    else:
        carriers, carrier_member = "", "false"
    if exams_path:
        exams = (
            f"LEFT JOIN (SELECT shipment_id, bool_or(exam_type = 'targeted') AS targeted, "
            f"bool_or(exam_type = 'compliance') AS compliance FROM read_parquet({q(exams_path)}) GROUP BY 1) x "
            "ON x.shipment_id = s.shipment_id"
        )
        flags = "coalesce(x.targeted, false) AS targeted, coalesce(x.compliance, false) AS compliance"
    else:
        exams = ""
        flags = "s.lane = 'red' AS targeted, s.lane = 'compliance' AS compliance"
    return f"""
        SELECT s.shipment_id, s.arrival_date, s.mode, s.importer_ior, i.carrier_scac, i.country_origin,
               CAST(substr(i.hts_code, 1, 2) AS INTEGER) AS hts_chapter,
               i.declared_value_usd,
               CAST(CASE WHEN i.container_numbers IS NULL OR i.container_numbers = '' THEN 0
                    ELSE length(i.container_numbers) - length(replace(i.container_numbers, ';', '')) + 1
                    END AS INTEGER) AS container_count,
               s.lane, s.importer_tier, {carrier_member} AS carrier_member, {flags}
        FROM read_parquet({q(scored_path)}) s
        JOIN read_parquet({q(input_path)}) i ON i.shipment_id = s.shipment_id
        {carriers}
        {exams}
    """


def register(con: object, inputs: Inputs) -> None:
    """Create the base views (portal tables, shipments, crossings) and one view per source."""
    snap = Path(inputs.snapshot_dir) if inputs.snapshot_dir else None
    for name, columns in TABLES.items():
        path = snap / f"{name}.parquet" if snap else None
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {_parquet_or_empty(path, columns)}")  # type: ignore[attr-defined]
    ship = inputs.shipments_sql or _empty(SHIPMENT_COLUMNS)
    con.execute(f"CREATE OR REPLACE TEMP VIEW shipments AS {ship}")  # type: ignore[attr-defined]
    crossings = Path(inputs.crossings_path) if inputs.crossings_path else None
    con.execute(  # type: ignore[attr-defined]
        f"CREATE OR REPLACE TEMP VIEW crossings AS {_parquet_or_empty(crossings, CROSSING_COLUMNS)}"
    )
    for src in SOURCES.values():
        con.execute(f"CREATE OR REPLACE TEMP VIEW src_{src.name} AS {src.sql}")  # type: ignore[attr-defined]
        if src.cube_sql:
            con.execute(f"CREATE OR REPLACE TEMP VIEW cube_{src.name} AS {src.cube_sql}")  # type: ignore[attr-defined]
