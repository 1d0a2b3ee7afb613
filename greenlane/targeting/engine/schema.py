"""The shipment schema, row validation and derived fields, each written once for SQL and once for Python.

Both versions must agree exactly (the hypothesis tests check it); when changing one, change the other.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import reference as ref

# Kinds used by the rule language's type checker.
STR, NUM, BOOL, DATE = "str", "num", "bool", "date"
_KIND = {"VARCHAR": STR, "DOUBLE": NUM, "INTEGER": NUM, "BOOLEAN": BOOL, "DATE": DATE}


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str  # VARCHAR, DOUBLE, INTEGER, BOOLEAN, DATE
    required: bool
    doc: str

    @property
    def kind(self) -> str:
        return _KIND[self.sql_type]


# Close to U.S. advance data (entry, ISF "10+2", manifest); one row per shipment (bill / entry).
COLUMNS: tuple[Column, ...] = (
    Column("shipment_id", "VARCHAR", True, "Entry number or house bill; unique per shipment"),
    Column("arrival_date", "DATE", True, "Estimated or actual arrival date"),
    Column("mode", "VARCHAR", True, "sea, air, truck or rail"),
    Column("importer_ior", "VARCHAR", True, "Importer of record number (IOR)"),
    Column("importer_resident", "BOOLEAN", False, "Importer is a U.S. resident"),
    Column("importer_prior_entries", "INTEGER", False, "Importer's entries in the previous 12 months"),
    Column("importer_prior_violations", "INTEGER", False, "Importer's violations found in 5 years"),
    Column("consignee", "VARCHAR", False, "Consignee name or number"),
    Column("seller", "VARCHAR", False, "Seller name and address"),
    Column("buyer", "VARCHAR", False, "Buyer name and address"),
    Column("manufacturer_mid", "VARCHAR", False, "Manufacturer (supplier) identification code, MID"),
    Column("manufacturer_prior_violations", "INTEGER", False, "Manufacturer's violations found in 5 years"),
    Column("ship_to", "VARCHAR", False, "Ship-to party"),
    Column("stuffing_location", "VARCHAR", False, "Container stuffing location"),
    Column("consolidator", "VARCHAR", False, "Consolidator (stuffer)"),
    Column("carrier_scac", "VARCHAR", True, "Carrier's Standard Carrier Alpha Code"),
    Column("country_origin", "VARCHAR", True, "Country of origin, ISO 3166 alpha-2"),
    Column("port_lading", "VARCHAR", True, "Foreign port of lading, UN/LOCODE"),
    Column("port_unlading", "VARCHAR", True, "U.S. port of unlading, UN/LOCODE"),
    Column("transship_port", "VARCHAR", False, "Transshipment port, UN/LOCODE, if any"),
    Column("hts_code", "VARCHAR", True, "HTS classification, 6 to 10 digits, dots allowed"),
    Column("description", "VARCHAR", False, "Goods description"),
    Column("declared_value_usd", "DOUBLE", True, "Declared value in U.S. dollars"),
    Column("gross_weight_kg", "DOUBLE", True, "Gross weight in kilograms"),
    Column("container_numbers", "VARCHAR", False, "ISO 6346 container numbers separated by ';'"),
    Column("seal_numbers", "VARCHAR", False, "Seal numbers separated by ';'"),
    Column("seal_high_security", "BOOLEAN", False, "Seals are ISO 17712 class H"),
    Column("seal_mismatch", "BOOLEAN", False, "Seal number found differs from the one declared"),
    Column("seal_tampered", "BOOLEAN", False, "In-transit event: seal tampered or broken"),
    Column("csd_alarm", "BOOLEAN", False, "In-transit event: container security device alarm"),
    Column("fast_driver_card", "BOOLEAN", False, "Driver holds a FAST commercial driver card"),
)
COLUMN_BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}
REQUIRED: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)

# Fields the engine derives from a row and the partners' snapshot; rules may use them like columns.
DERIVED: dict[str, tuple[str, str]] = {
    "hts_chapter": (NUM, "First two digits of the HTS code"),
    "hts_heading": (STR, "First four digits of the HTS code"),
    "lading_country": (STR, "Country of the port of lading"),
    "transship_country": (STR, "Country of the transshipment port"),
    "value_per_kg": (NUM, "Declared value divided by gross weight"),
    "container_count": (NUM, "Number of container numbers"),
    "weight_per_container": (NUM, "Gross weight divided by the number of containers"),
    "csi_port_lading": (BOOL, "Port of lading is a Container Security Initiative port"),
    "importer_tier": (NUM, "Importer's effective program tier (0 = none)"),
    "manufacturer_tier": (NUM, "Manufacturer's effective program tier"),
    "carrier_tier": (NUM, "Carrier's effective program tier"),
    "fast_eligible": (BOOL, "FAST: truck, importer, manufacturer and carrier members, driver card"),
}
TIER_FIELDS = {
    "importer_tier": "importer_ior",
    "manufacturer_tier": "manufacturer_mid",
    "carrier_tier": "carrier_scac",
}
IDENTIFIER_TYPES = {"importer_ior": "IOR", "manufacturer_mid": "MID", "carrier_scac": "SCAC"}


def field_kind(name: str) -> str | None:
    """The kind of a column or derived field, or None if the name is unknown."""
    if name in COLUMN_BY_NAME:
        return COLUMN_BY_NAME[name].kind
    if name in DERIVED:
        return DERIVED[name][0]
    return None


# ----------------------------------------------------------------------------------------------------------
# SQL


def q(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def sql_list(values: object) -> str:
    return "(" + ", ".join(q(v) for v in sorted(values)) + ")"  # type: ignore[call-overload]


def sql_missing(col: str) -> str:
    # Same as "col IS NULL OR trim(col) = ''", but trims only strings that start with a space.
    return f"({col} IS NULL OR {col} = '' OR ({col}[1] = ' ' AND trim({col}) = ''))"


def sql_check_digit_ok(x: str, at: int = 0) -> str:
    """ISO 6346 check of the well-formed container number starting at 0-based offset ``at`` of ``x``.

    Letters are worth 10 + L + (L + 9) // 10 (L = 0 for A; multiples of 11 are skipped); the six serial
    digits are read as one integer, which is cheaper than six substrings.
    """
    letters = []
    for i in range(4):
        l_ = f"(ascii(substr({x}, {at + i + 1}, 1)) - 65)"
        letters.append(f"(10 + {l_} + ({l_} + 9) // 10) * {1 << i}")
    n = f"CAST(substr({x}, {at + 5}, 6) AS INTEGER)"
    digits = [f"({n} // {10 ** (5 - j)} % 10) * {1 << (4 + j)}" for j in range(6)]
    total = " + ".join(letters + digits)
    return f"(({total}) % 11 % 10 = ascii(substr({x}, {at + 11}, 1)) - 48)"


CONTAINER_LIST_RE = f"{ref.CONTAINER_RE}(;{ref.CONTAINER_RE})*"


def _sql_port_check(col: str, *, us_only: bool = False) -> str:
    # Only reached when the fast path (membership of the known list) failed.
    msg = f"{col}: not a U.S. port" if us_only else f"{col}: unknown port"
    malformed = f"'{col}: malformed UN/LOCODE'"
    return f"CASE WHEN NOT regexp_full_match({col}, '{ref.LOCODE_RE}') THEN {malformed} ELSE '{msg}' END"


def sql_reject_reason(cast_failed: Mapping[str, str]) -> str:
    """SQL for the rejection reasons of a row ('; '-joined, NULL if the row is valid).

    ``cast_failed`` maps a column to a SQL condition that is true when its raw value did not convert.
    """
    return "NULLIF(concat_ws('; ', " + ", ".join(_sql_reject_parts(cast_failed)) + "), '')"


def sql_rejects_query(source_sql: str, cast_failed: Mapping[str, str]) -> str:
    """(row, shipment_id, reasons) of the invalid rows of a source with ``_row``.

    Each check is its own column, joined in an outer layer: DuckDB plans this several times faster than
    one concat_ws over every check.
    """
    parts = _sql_reject_parts(cast_failed)
    cols = ", ".join(f"({p}) AS _r{i}" for i, p in enumerate(parts))
    names = ", ".join(f"_r{i}" for i in range(len(parts)))
    return (
        f"WITH src AS ({source_sql}), r AS (SELECT _row, shipment_id, {cols} FROM src) "
        f"SELECT _row AS row, shipment_id, NULLIF(concat_ws('; ', {names}), '') AS reasons FROM r "
        "WHERE reasons IS NOT NULL"
    )


def sql_valid(cast_failed: Mapping[str, str]) -> str:
    """SQL that is true exactly when :func:`sql_reject_reason` is NULL (no strings built)."""
    return "(" + " AND ".join(f"({p}) IS NULL" for p in _sql_reject_parts(cast_failed)) + ")"


def _sql_reject_parts(cast_failed: Mapping[str, str]) -> list[str]:
    parts: list[str] = []
    for col in COLUMNS:
        n = col.name
        present = f"NOT {sql_missing(n)}" if col.kind == STR else f"{n} IS NOT NULL"
        whens: list[str] = []
        if n in cast_failed:
            whens.append(f"WHEN {cast_failed[n]} THEN '{n}: not a valid {col.sql_type.lower()}'")
        if col.required:
            whens.append(f"WHEN NOT ({present}) THEN '{n}: required'")
        specific = _sql_specific(n)
        if specific is None and not whens:
            continue
        fast = _sql_fast_ok(n)
        if fast is not None:
            whens.insert(len(whens) - (1 if col.required else 0), f"WHEN {fast} THEN NULL")
        if specific is not None:
            whens.append(f"WHEN {present} THEN ({specific})")
        parts.append("CASE " + " ".join(whens) + " END")
    return parts


def sql_code_in(col: str, codes: object) -> str:
    """``col IN codes`` for codes of one fixed length, as a substring search of the comma-joined codes.

    A large IN list inside a projection is evaluated as a chain of comparisons; this is one strpos. A value
    without a comma can only match a whole code (codes are separated by commas), so the test is exact.
    """
    values = sorted(codes)  # type: ignore[call-overload]
    width = len(values[0])
    assert all(len(v) == width and "," not in v for v in values)
    joined = ",".join(values)
    return f"(length({col}) = {width} AND strpos('{joined}', {col}) % {width + 1} = 1)"


def _sql_fast_ok(n: str) -> str | None:
    """A cheap condition that implies the value is present and valid (checked before anything else)."""
    if n == "mode":
        return f"mode IN {sql_list(ref.MODES)}"
    if n == "country_origin":
        return sql_code_in(n, ref.countries())
    if n in ("port_lading", "transship_port"):
        return sql_code_in(n, ref.ports())
    if n == "port_unlading":
        return sql_code_in(n, ref.us_ports())
    if n == "container_numbers":  # most shipments have one container
        return (
            f"(length({n}) = 11 AND regexp_full_match({n}, '{ref.CONTAINER_RE}') AND {sql_check_digit_ok(n)})"
        )
    return None


def _sql_specific(n: str) -> str | None:
    # mode, country and ports are only reached when their fast path (a known value) failed
    if n == "mode":
        return "'mode: unknown mode'"
    if n == "carrier_scac":
        return (
            f"CASE WHEN regexp_full_match(carrier_scac, '{ref.SCAC_RE}') THEN NULL "
            "ELSE 'carrier_scac: malformed SCAC' END"
        )
    if n == "country_origin":
        return "'country_origin: unknown country code'"
    if n in ("port_lading", "transship_port"):
        return _sql_port_check(n)
    if n == "port_unlading":
        return _sql_port_check(n, us_only=True)
    if n == "hts_code":
        return (
            f"CASE WHEN NOT regexp_full_match(hts_code, '{ref.HTS_RE}') THEN 'hts_code: malformed' "
            "WHEN CAST(substr(hts_code, 1, 2) AS INTEGER) IN (0, 77) THEN 'hts_code: unknown chapter' END"
        )
    if n in ("declared_value_usd", "gross_weight_kg"):
        return f"CASE WHEN NOT isfinite({n}) THEN '{n}: not finite' WHEN {n} < 0 THEN '{n}: negative' END"
    if n in ("importer_prior_entries", "importer_prior_violations", "manufacturer_prior_violations"):
        return f"CASE WHEN {n} < 0 THEN '{n}: negative' END"
    if n == "container_numbers":
        # Well-formed lists have 11-character numbers at offsets 0, 12, 24...: check up to 3 inline.
        inline = " AND ".join(sql_check_digit_ok(n, 12 * k) for k in range(3))
        checks = (
            f"CASE length({n}) WHEN 11 THEN {sql_check_digit_ok(n)} "
            f"WHEN 23 THEN {sql_check_digit_ok(n)} AND {sql_check_digit_ok(n, 12)} "
            f"WHEN 35 THEN {inline} "
            f"ELSE list_bool_and(list_transform(string_split({n}, ';'), "
            f"lambda c: {sql_check_digit_ok('c')})) END"
        )
        return (
            f"CASE WHEN NOT regexp_full_match({n}, '{CONTAINER_LIST_RE}') "
            f"THEN '{n}: malformed container number' "
            f"WHEN NOT ({checks}) THEN '{n}: check digit mismatch' END"
        )
    return None


def sql_derived(snapshot: bool) -> dict[str, str]:
    """SQL expressions of the derived fields over a validated row (tier columns come from joins)."""
    d = {
        "hts_chapter": "CAST(substr(hts_code, 1, 2) AS INTEGER)",
        "hts_heading": "substr(replace(hts_code, '.', ''), 1, 4)",
        "lading_country": "substr(port_lading, 1, 2)",
        "transship_country": f"CASE WHEN {sql_missing('transship_port')} THEN NULL "
        "ELSE substr(transship_port, 1, 2) END",
        "value_per_kg": "declared_value_usd / NULLIF(gross_weight_kg, 0)",
        "container_count": f"CASE WHEN {sql_missing('container_numbers')} THEN 0 ELSE "
        "length(container_numbers) - length(replace(container_numbers, ';', '')) + 1 END",
        "csi_port_lading": sql_code_in("port_lading", ref.csi_ports()),
    }
    if not snapshot:
        d.update(importer_tier="0", manufacturer_tier="0", carrier_tier="0")
    return d


SQL_DERIVED_LATE = {
    "weight_per_container": "gross_weight_kg / NULLIF(container_count, 0)",
    "fast_eligible": "(mode = 'truck' AND coalesce(fast_driver_card, false) AND importer_tier >= 1 "
    "AND manufacturer_tier >= 1 AND carrier_tier >= 1)",
}


# ----------------------------------------------------------------------------------------------------------
# Python


def py_missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip(" ") == "")


def _as_kind(col: Column, value: Any) -> tuple[Any, bool]:
    """(converted value, ok). In-process input is typed; only dates may come as ISO strings."""
    if value is None:
        return None, True
    t = col.sql_type
    if t == "VARCHAR":
        return (value, True) if isinstance(value, str) else (None, False)
    if t == "BOOLEAN":
        return (value, True) if isinstance(value, bool) else (None, False)
    if t == "INTEGER":
        ok = isinstance(value, int) and not isinstance(value, bool) and -(2**31) <= value < 2**31
        return (value, True) if ok else (None, False)
    if t == "DOUBLE":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value), True
        return None, False
    if t == "DATE":
        if isinstance(value, dt.datetime):
            return None, False
        if isinstance(value, dt.date):
            return value, True
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value), True
            except ValueError:
                return None, False
        return None, False
    raise AssertionError(t)


def py_normalize(row: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """The row restricted to schema columns with converted values, and the columns that failed to convert."""
    out: dict[str, Any] = {}
    failed: set[str] = set()
    for col in COLUMNS:
        value, ok = _as_kind(col, row.get(col.name))
        out[col.name] = value
        if not ok:
            failed.add(col.name)
    return out, failed


def _py_port(value: str, col: str, *, us_only: bool = False) -> str | None:
    known = ref.us_ports() if us_only else ref.ports()
    if value in known:
        return None
    if not ref.locode_wellformed(value):
        return f"{col}: malformed UN/LOCODE"
    return f"{col}: not a U.S. port" if us_only else f"{col}: unknown port"


def _py_specific(n: str, v: Any) -> str | None:
    if n == "mode":
        return None if v in ref.MODES else "mode: unknown mode"
    if n == "carrier_scac":
        return None if ref.scac_wellformed(v) else "carrier_scac: malformed SCAC"
    if n == "country_origin":
        return None if v in ref.countries() else "country_origin: unknown country code"
    if n in ("port_lading", "transship_port"):
        return _py_port(v, n)
    if n == "port_unlading":
        return _py_port(v, n, us_only=True)
    if n == "hts_code":
        if not ref.hts_wellformed(v):
            return "hts_code: malformed"
        return None if int(v[:2]) not in (0, 77) else "hts_code: unknown chapter"
    if n in ("declared_value_usd", "gross_weight_kg"):
        if not math.isfinite(v):
            return f"{n}: not finite"
        return f"{n}: negative" if v < 0 else None
    if n in ("importer_prior_entries", "importer_prior_violations", "manufacturer_prior_violations"):
        return f"{n}: negative" if v < 0 else None
    if n == "container_numbers":
        problem = ref.container_problem(v)
        if problem == "malformed":
            return f"{n}: malformed container number"
        if problem == "check_digit":
            return f"{n}: check digit mismatch"
    return None


def py_reject_reason(row: Mapping[str, Any], failed: set[str]) -> str | None:
    """Python twin of :func:`sql_reject_reason` over a normalized row."""
    msgs: list[str] = []
    for col in COLUMNS:
        n = col.name
        v = row[n]
        present = not py_missing(v) if col.kind == STR else v is not None
        if n in failed:
            msgs.append(f"{n}: not a valid {col.sql_type.lower()}")
        elif col.required and not present:
            msgs.append(f"{n}: required")
        elif present:
            m = _py_specific(n, v)
            if m is not None:
                msgs.append(m)
    return "; ".join(msgs) or None


def _div(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def py_derived(row: Mapping[str, Any], tier_of: Callable[[str, Any], int]) -> dict[str, Any]:
    """Python twin of the derived fields; ``tier_of(identifier_type, value)`` reads the snapshot."""
    hts = row["hts_code"]
    containers = row["container_numbers"]
    count = 0 if py_missing(containers) else containers.count(";") + 1
    tiers = {f: tier_of(IDENTIFIER_TYPES[col], row[col]) for f, col in TIER_FIELDS.items()}
    d: dict[str, Any] = {
        "hts_chapter": int(hts[:2]),
        "hts_heading": hts.replace(".", "")[:4],
        "lading_country": row["port_lading"][:2],
        "transship_country": None if py_missing(row["transship_port"]) else row["transship_port"][:2],
        "value_per_kg": _div(row["declared_value_usd"], row["gross_weight_kg"]),
        "container_count": count,
        "weight_per_container": _div(row["gross_weight_kg"], count),
        "csi_port_lading": row["port_lading"] in ref.csi_ports(),
        **tiers,
    }
    d["fast_eligible"] = (
        row["mode"] == "truck" and bool(row["fast_driver_card"]) and all(t >= 1 for t in tiers.values())
    )
    return d
