"""The SQL path (DuckDB) and the in-process path (Python) must give identical results."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from greenlane.targeting.engine import Snapshot, arrow_schema, compile_ruleset, load_ruleset, score_table
from greenlane.targeting.engine.baselines import handwritten_sql
from greenlane.targeting.engine.expr import compile_condition
from greenlane.targeting.engine.reference import csi_ports, with_check_digit
from greenlane.targeting.engine.schema import sql_list
from greenlane.targeting.engine.scoring import connect

from .conftest import shipment, snapshot_rows

RULESET = load_ruleset()
IORS = ["12-345678900", "98-765432100", "55-555555500", "11-111111100"]
MIDS = ["CNSHAWID1234SHA", "MXACMTOO12MEX", "VNHANGAR7SGN", "", "  "]
SCACS = ["MAEU", "MSCU", "ABCD", "XYZ", "scac", "S1"]
SNAPSHOT = snapshot_rows(
    ("IOR", "12-345678900", "certified", 3),
    ("IOR", "98-765432100", "certified", 1),
    ("IOR", "55-555555500", "suspended", 2),
    ("ior", "11-111111100", "certified", 2),
    ("IOR", "11-111111100", "certified", 1),  # conflicting rows: the lower tier wins
    ("MID", "CNSHAWID1234SHA", "certified", 2),
    ("SCAC", "MAEU", "certified", 2),
    ("SCAC", "MSCU", "removed", 2),
)
GOOD_CONTAINERS = [
    with_check_digit("CSQU305438"),
    with_check_digit("MSKU907032"),
    with_check_digit("TGHU987654"),
]


def maybe(strategy, p_none=0.15):
    return st.one_of(st.none(), strategy) if p_none else strategy


text = st.text(alphabet="abcdefgh XYZ-,'", max_size=12)
containers = st.one_of(
    st.none(), st.just(""), st.sampled_from(GOOD_CONTAINERS),
    st.lists(st.sampled_from(GOOD_CONTAINERS), min_size=2, max_size=5).map(";".join),
    st.sampled_from(["CSQU3054384", "CSQX3054383", "csqu3054383", "CSQU3054383;", "CSQU3054383;MSKU9070324"]),
)  # fmt: skip
shipments = st.fixed_dictionaries(
    {
        "shipment_id": st.one_of(st.uuids().map(str), st.just(""), st.none()),
        "arrival_date": st.one_of(st.dates(dt.date(2024, 1, 1), dt.date(2027, 1, 1)), st.none()),
        "mode": st.sampled_from(["sea", "air", "truck", "rail", "boat", None]),
        "importer_ior": maybe(st.sampled_from(IORS), 0.05),
        "importer_resident": maybe(st.booleans()),
        "importer_prior_entries": maybe(st.integers(-2, 12)),
        "importer_prior_violations": maybe(st.integers(-1, 5)),
        "consignee": maybe(text),
        "seller": maybe(text),
        "buyer": maybe(text),
        "manufacturer_mid": maybe(st.sampled_from(MIDS)),
        "manufacturer_prior_violations": maybe(st.integers(0, 3)),
        "ship_to": maybe(text),
        "stuffing_location": maybe(text),
        "consolidator": maybe(text),
        "carrier_scac": maybe(st.sampled_from(SCACS), 0.05),
        "country_origin": maybe(st.sampled_from(["CN", "PK", "VE", "CO", "MX", "DE", "XX", "cn"]), 0.03),
        "port_lading": maybe(
            st.sampled_from(["CNSHA", "PKKHI", "NLRTM", "SGSIN", "ZZZZZ", "CNSH", "MXVER"]), 0.03
        ),
        "port_unlading": maybe(st.sampled_from(["USLAX", "USNYC", "USLRD", "NLRTM", "USZZZ"]), 0.03),
        "transship_port": maybe(st.sampled_from(["SGSIN", "PKKHI", "NGAPP", "", "QQQQQ"]), 0.6),
        "hts_code": maybe(
            st.sampled_from(["8471.30.0100", "930200", "2402.20.80", "7701.00", "0000.00", "12AB56"]), 0.03
        ),
        "description": maybe(
            st.one_of(text, st.sampled_from(["general cargo", "FAK", "Parts", "laptop computers"]))
        ),
        "declared_value_usd": maybe(
            st.one_of(st.floats(-10, 1e7), st.sampled_from([0.0, float("nan"), float("inf")])), 0.03
        ),
        "gross_weight_kg": maybe(st.one_of(st.floats(-5, 1e5), st.just(0.0)), 0.03),
        "container_numbers": containers,
        "seal_numbers": maybe(st.sampled_from(["SL1", "", "SL1;SL2"]), 0.3),
        "seal_high_security": maybe(st.booleans()),
        "seal_mismatch": maybe(st.booleans()),
        "seal_tampered": maybe(st.sampled_from([False, False, False, True]), 0.5),
        "csd_alarm": maybe(st.booleans(), 0.5),
        "fast_driver_card": maybe(st.booleans()),
    }
)


def _sql_results(rows, compiled):
    table = pa.Table.from_pylist(rows, schema=arrow_schema())
    scored, rejects = score_table(table, compiled=compiled, snapshot=pa.Table.from_pylist(SNAPSHOT))
    return scored.to_pylist(), rejects.to_pylist()


def _check_same(rows, threat_level):
    compiled = compile_ruleset(RULESET, threat_level)
    for i, r in enumerate(rows):
        r["shipment_id"] = f"S{i}-{r['shipment_id']}" if r["shipment_id"] is not None else None
    scored, rejects = _sql_results(rows, compiled)
    py = compiled.score_rows(rows, Snapshot.from_rows(SNAPSHOT, RULESET.credit_statuses))
    assert len(scored) + len(rejects) == len(rows)
    py_rejects = [(p.row, p.rejected) for p in py if p.rejected]
    assert [(r["row"], r["reasons"]) for r in rejects] == py_rejects
    by_id = {p.shipment_id: p for p in py if not p.rejected}
    assert len(by_id) == len(scored)
    for s in scored:
        p = by_id[s["shipment_id"]]
        keys = (
            "score",
            "points",
            "credit",
            "lane",
            "lane_reason",
            "importer_tier",
            "indicator_mask",
            "fast_eligible",
        )
        got = (*(s[k] for k in keys), [s["reason_1"], s["reason_2"], s["reason_3"]])
        reasons = [r.code for r in p.reasons] + [None] * (3 - len(p.reasons))
        want = (*(getattr(p, k) for k in keys), reasons)
        assert got == want, (s["shipment_id"], got, want)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(shipments, min_size=1, max_size=40), st.sampled_from(["normal", "elevated", "high"]))
def test_sql_and_python_agree_on_random_shipments(rows, threat_level):
    _check_same(rows, threat_level)


def test_sql_and_python_agree_on_handpicked_cases():
    rows = [
        shipment(),
        shipment(shipment_id="T", seal_tampered=True),
        shipment(shipment_id="Z", gross_weight_kg=0.0),
        shipment(shipment_id="F", mode="truck", fast_driver_card=True, carrier_scac="MAEU",
                 container_numbers=None, port_lading="MXMEX", country_origin="MX", port_unlading="USLRD"),
        shipment(shipment_id="N", importer_prior_entries=None, importer_resident=None, manufacturer_mid=None),
    ]  # fmt: skip
    for level in RULESET.threat_levels:
        _check_same([dict(r) for r in rows], level)


# -- conditions: random expressions built from the grammar compile to SQL and Python that agree ----------

NUM_FIELDS = [
    "gross_weight_kg",
    "declared_value_usd",
    "importer_prior_entries",
    "value_per_kg",
    "container_count",
]
STR_FIELDS = ["mode", "country_origin", "description", "transship_country", "manufacturer_mid"]
BOOL_FIELDS = ["seal_mismatch", "importer_resident", "csi_port_lading"]


def num_expr():
    leaf = st.one_of(
        st.sampled_from(NUM_FIELDS), st.integers(-3, 50).map(str), st.sampled_from(["0.5", "2.25"])
    )
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            inner.map(lambda e: f"abs({e})"),
            st.tuples(inner, inner).map(lambda t: f"coalesce({t[0]}, {t[1]})"),
        ),
        max_leaves=4,
    )


def str_expr():
    leaf = st.one_of(st.sampled_from(STR_FIELDS), st.sampled_from(["'sea'", "'CN'", "''", "'ab'"]))
    return st.one_of(leaf, leaf.map(lambda e: f"lower({e})"), leaf.map(lambda e: f"upper({e})"))


def bool_expr():
    cmp = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
    atom = st.one_of(
        st.sampled_from(BOOL_FIELDS),
        st.tuples(num_expr(), cmp, num_expr()).map(" ".join),
        st.tuples(str_expr(), cmp, str_expr()).map(" ".join),
        st.tuples(str_expr(), st.sampled_from(["in", "not in"])).map(
            lambda t: f"{t[0]} {t[1]} ('sea', 'CN', 'ab')"
        ),
        st.tuples(st.sampled_from(NUM_FIELDS), st.sampled_from(["in", "not in"])).map(
            lambda t: f"{t[0]} {t[1]} (0, 1, 2, 40)"
        ),
        st.sampled_from(STR_FIELDS + NUM_FIELDS).map(lambda f: f"missing({f})"),
        str_expr().map(lambda e: f"length({e}) > 2"),
        st.tuples(str_expr(), str_expr()).map(lambda t: f"startswith({t[0]}, {t[1]})"),
    )
    return st.recursive(
        atom,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            inner.map(lambda e: f"not ({e})"),
        ),
        max_leaves=5,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bool_expr(), st.lists(shipments, min_size=1, max_size=8))
def test_condition_compiles_to_equal_sql_and_python(condition, rows):
    c = compile_condition(condition, {})
    from greenlane.targeting.engine.schema import py_derived, py_normalize, py_reject_reason

    valid = []
    for r in rows:
        norm, failed = py_normalize(r)
        if py_reject_reason(norm, failed) is None:
            valid.append({**norm, **py_derived(norm, lambda t, v: 0)})
    if not valid:
        return
    con = connect()
    try:
        fields = sorted(set(valid[0]))
        con.register("t", pa.Table.from_pylist([{k: v[k] for k in fields} for v in valid]))
        got = [r[0] for r in con.execute(f"SELECT {c.sql} FROM t").fetchall()]
    finally:
        con.close()
    want = [c.py(v) for v in valid]
    assert got == want, condition


def test_handwritten_baseline_matches_engine(synthetic_dir, compiled):
    con = connect()
    try:
        src = f"read_parquet('{synthetic_dir / 'shipments.parquet'}')"
        snap = f"read_parquet('{synthetic_dir / 'partners_snapshot.parquet'}')"
        from greenlane.targeting.engine.scoring import build_source

        rel = f"read_parquet('{synthetic_dir / 'shipments.parquet'}', file_row_number = true)"
        source = build_source(con, rel, "file_row_number")
        diff = con.execute(f"""
            WITH e AS ({compiled.query(source, snap)}),
                 h AS ({handwritten_sql(src, snap, sql_list(csi_ports()))})
            SELECT count(*), count(*) FILTER (e.score <> h.score OR e.lane <> h.lane)
            FROM e JOIN h USING (shipment_id)
        """).fetchone()
    finally:
        con.close()
    assert diff[0] > 19_000 and diff[1] == 0
