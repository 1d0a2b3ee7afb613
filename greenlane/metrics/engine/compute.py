"""Evaluate every measure for a period, and list the records behind one value (pure Python + DuckDB)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import duckdb

from .registry import MEASURES, Measure, dimensions_of
from .sources import SOURCES, Inputs, register

NONE_VALUE = "(none)"
PERIOD_RE = re.compile(r"^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    key: str  # 2025, 2025-Q3, 2025-07
    level: str  # year, quarter, month
    start: dt.date
    end: dt.date  # exclusive

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)


def _add_months(d: dt.date, n: int) -> dt.date:
    m = d.month - 1 + n
    return dt.date(d.year + m // 12, m % 12 + 1, 1)


def parse_period(text: str) -> Period:
    """'2025' (year), '2025-Q3' (quarter) or '2025-07' (month); PeriodError with a clear message."""
    m = PERIOD_RE.match((text or "").strip())
    if not m:
        raise PeriodError("Period must be a year (2025), a quarter (2025-Q3) or a month (2025-07).")
    year = int(m.group(1))
    if not 1990 <= year <= 2100:
        raise PeriodError("Period year must be between 1990 and 2100.")
    if m.group(2):
        qn = int(m.group(2))
        start = dt.date(year, 3 * qn - 2, 1)
        return Period(f"{year}-Q{qn}", "quarter", start, _add_months(start, 3))
    if m.group(3):
        start = dt.date(year, int(m.group(3)), 1)
        return Period(f"{year}-{m.group(3)}", "month", start, _add_months(start, 1))
    return Period(str(year), "year", dt.date(year, 1, 1), dt.date(year + 1, 1, 1))


def subperiods(p: Period) -> list[Period]:
    """The period itself and its quarters and months (a year gives 1 + 4 + 12 periods)."""
    out = [p]
    if p.level == "year":
        out += [parse_period(f"{p.start.year}-Q{i}") for i in range(1, 5)]
    if p.level in ("year", "quarter"):
        d = p.start
        while d < p.end:
            out.append(parse_period(f"{d.year}-{d.month:02d}"))
            d = _add_months(d, 1)
    return out


@dataclass
class Result:
    measure_id: str
    period: str
    period_level: str
    dimension: str  # "" for the overall value
    dimension_value: str
    numerator: float | None
    denominator: float | None
    value: float | None
    no_data_reason: str = ""
    parts: dict[str, float] = field(default_factory=dict)


def connect(threads: int = 2, memory_limit: str = "2GB") -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {int(threads)}")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = false")
    return con


def _div(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def evaluate(m: Measure, parts: dict[str, float], overall: dict[str, float] | None = None) -> tuple:
    """(numerator, denominator, value, reason) of a measure from its parts' sums.

    ``overall`` supplies the comparison parts (c, d) when the group is a company dimension.
    """
    a, b = parts.get("a", 0.0), parts.get("b", 0.0)
    if m.kind == "ratio":
        if not b:
            return a, b, None, f"No data for this period: no {m.b.label}."
        v = a / b
        return a, b, (v * 100 if m.unit == "percent" else v), ""
    src = overall if overall is not None else parts
    c, d = src.get("c", 0.0), src.get("d", 0.0)
    r1, r2 = _div(a, b), _div(c, d)
    assert m.c is not None and m.d is not None
    if r1 is None:
        return r1, r2, None, f"No data for this period: no {m.b.label}."
    if r2 is None:
        return r1, r2, None, f"No data for this period: no {m.d.label}."
    if m.kind == "difference":
        return r1, r2, r2 - r1, ""
    if r2 == 0:
        return r1, r2, None, f"No data for this period: no {m.c.label}, so the ratio is undefined."
    v = r1 / r2 if m.kind == "rate_ratio" else 1 - r1 / r2
    return r1, r2, (v * 100 if m.unit == "percent" else v), ""


def _part_key(cond: str, expr: str) -> str:
    return f"{expr}|{cond}"


def compute(
    inputs: Inputs,
    period: Period,
    measures: Iterable[Measure] = MEASURES,
    *,
    con: duckdb.DuckDBPyConnection | None = None,
) -> list[Result]:
    """Every measure for the period and its sub-periods, overall and by each of its dimensions.

    Each source is scanned once into a cube (month x dimensions x distinct parts); every value is then
    derived from the cube.
    """
    own = con is None
    con = con or connect()
    try:
        register(con, inputs)
        periods = subperiods(period)
        con.execute("CREATE OR REPLACE TEMP TABLE periods (pkey VARCHAR, plevel VARCHAR, ps DATE, pe DATE)")
        con.executemany(
            "INSERT INTO periods VALUES (?, ?, ?, ?)", [(p.key, p.level, p.start, p.end) for p in periods]
        )
        by_source: dict[str, list[Measure]] = {}
        for m in measures:
            by_source.setdefault(m.source, []).append(m)
        results: list[Result] = []
        for source_name, ms in by_source.items():
            results += _compute_source(con, source_name, ms, period)
        return results
    finally:
        if own:
            con.close()


def _compute_source(con: duckdb.DuckDBPyConnection, source_name: str, ms: list[Measure], period: Period):
    src = SOURCES[source_name]
    keys: dict[str, int] = {}
    for m in ms:
        for p in m.parts():
            keys.setdefault(_part_key(p.cond, p.expr), len(keys))
    relation = f"cube_{source_name}" if src.cube_sql else f"src_{source_name}"

    def summed(expr: str) -> str:
        if src.cube_sql:  # pre-aggregated rows: a count is the rows behind, an expression is already summed
            return "n" if expr == "1" else expr
        return expr

    aggs = ", ".join(
        f"sum(CAST({summed(k.split('|', 1)[0])} AS DOUBLE)) FILTER (WHERE {k.split('|', 1)[1]}) AS p{i}"
        for k, i in keys.items()
    )
    dims = src.dimensions
    # Stage 1: one scan of the source grouped by day and the raw dimension values (cheap keys, no casts).
    sel = "on_day" + "".join(f", {d}" for d in dims)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE cube0 AS SELECT {sel}, {aggs} FROM {relation} "
        f"WHERE on_day >= DATE '{period.start}' AND on_day < DATE '{period.end}' GROUP BY ALL"
    )
    dim_cols = "".join(f", coalesce(CAST({d} AS VARCHAR), '{NONE_VALUE}') AS {d}" for d in dims)
    part_cols = "".join(f", p{i}" for i in keys.values())
    con.execute(f"CREATE OR REPLACE TEMP TABLE cube AS SELECT on_day{dim_cols}{part_cols} FROM cube0")
    # Stage 2: every period and dimension from the small cube.
    sums = ", ".join(f"sum(p{i}) AS p{i}" for i in keys.values())
    sets = ", ".join(["(pkey, plevel)"] + [f"(pkey, plevel, {d})" for d in dims])
    dim_select = ", ".join(dims)
    grouping = f"GROUPING({dim_select})" if dims else "0"
    rows = con.execute(
        f"SELECT pkey, plevel{', ' + dim_select if dims else ''}, {grouping} AS g, {sums} "
        "FROM periods LEFT JOIN cube ON cube.on_day >= periods.ps AND cube.on_day < periods.pe "
        f"GROUP BY GROUPING SETS ({sets})"
    ).fetchall()
    overall: dict[str, list[float | None]] = {}
    grouped: list[tuple[str, str, str, str, list[float | None]]] = []
    n_dims = len(dims)
    full = (1 << n_dims) - 1
    for row in rows:
        pkey, plevel = row[0], row[1]
        g = row[2 + n_dims]
        vals = list(row[3 + n_dims :])
        if g == full:
            overall[pkey] = vals
            grouped.append((pkey, plevel, "", "", vals))
            continue
        for j, d in enumerate(dims):
            if not (g >> (n_dims - 1 - j)) & 1:
                v = row[2 + j]
                if v is None:  # a period with no rows has one all-NULL group per dimension
                    break
                grouped.append((pkey, plevel, d, v, vals))
                break
    out: list[Result] = []
    for m in ms:
        mdims = set(dimensions_of(m))
        names = {"a": m.a, "b": m.b, "c": m.c, "d": m.d}
        idx = {n: keys[_part_key(p.cond, p.expr)] for n, p in names.items() if p is not None}
        for pkey, plevel, dim, dval, vals in grouped:
            if dim and dim not in mdims:
                continue
            parts = {n: float(vals[i] or 0.0) for n, i in idx.items()}
            comp = None
            if dim and dim in src.partner_dimensions and m.kind != "ratio":
                ov = overall.get(pkey, [])
                comp = {n: float(ov[i] or 0.0) for n, i in idx.items()} if ov else {}
            num, den, value, reason = evaluate(m, parts, comp)
            out.append(Result(m.id, pkey, plevel, dim, dval, num, den, value, reason, parts))
    return out


@dataclass(frozen=True)
class Drill:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    count: int
    limit: int
    offset: int


def drill_sql(m: Measure, period: Period, side: str, dimension: str = "", dim_value: str = "") -> tuple:
    """(WHERE clause, params) of the records behind one value: the numerator's or denominator's rows."""
    src = SOURCES[m.source]
    cond = m.numerator_cond() if side == "numerator" else m.denominator_cond()
    where = [f"on_day >= DATE '{period.start}'", f"on_day < DATE '{period.end}'", f"({cond})"]
    params: list[Any] = []
    comparison = side == "denominator" and m.kind != "ratio" and dimension in src.partner_dimensions
    if dimension and not comparison:
        if dimension not in dimensions_of(m):
            raise ValueError(f"unknown dimension {dimension!r} for {m.id}")
        where.append(f"coalesce(CAST({dimension} AS VARCHAR), '{NONE_VALUE}') = ?")
        params.append(dim_value)
    return " AND ".join(where), params


def drilldown(
    inputs: Inputs,
    m: Measure,
    period: Period,
    *,
    side: str = "numerator",
    dimension: str = "",
    dim_value: str = "",
    limit: int = 25,
    offset: int = 0,
    con: duckdb.DuckDBPyConnection | None = None,
) -> Drill:
    """A page of the records behind a value, ordered by record id, and how many there are."""
    if side not in ("numerator", "denominator"):
        raise ValueError("side must be numerator or denominator")
    own = con is None
    con = con or connect()
    try:
        register(con, inputs)
        src = SOURCES[m.source]
        where, params = drill_sql(m, period, side, dimension, dim_value)
        count = con.execute(f"SELECT count(*) FROM src_{m.source} WHERE {where}", params).fetchone()[0]  # type: ignore[index]
        cols = ", ".join(src.drill_columns)
        rows = con.execute(
            f"SELECT {cols} FROM src_{m.source} WHERE {where} ORDER BY record_id LIMIT {int(limit)} "
            f"OFFSET {int(offset)}",
            params,
        ).fetchall()
        return Drill(list(src.drill_columns), rows, int(count), limit, offset)
    finally:
        if own:
            con.close()


def data_extent(inputs: Inputs, con: duckdb.DuckDBPyConnection | None = None) -> dict[str, Any]:
    """First and last dates of each source's records (for staleness)."""
    own = con is None
    con = con or connect()
    try:
        register(con, inputs)
        out = {}
        for name in SOURCES:
            lo, hi, n = con.execute(f"SELECT min(on_day), max(on_day), count(*) FROM src_{name}").fetchone()  # type: ignore[misc]
            out[name] = {"first": lo, "last": hi, "rows": int(n)}
        return out
    finally:
        if own:
            con.close()
