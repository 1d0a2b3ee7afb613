"""The pure engine: registry, periods, evaluation (no division by zero), compute over small exact data,
drill-downs, benefits minimums, crossing imports and the FAST simulation."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from greenlane.metrics.engine import (
    BY_ID,
    MEASURES,
    Inputs,
    PeriodError,
    benefits,
    check_registry,
    compute,
    drilldown,
    fast,
    parse_period,
    subperiods,
)
from greenlane.metrics.engine.compute import connect, evaluate
from greenlane.metrics.engine.crossings import CrossingsError, import_crossings
from greenlane.metrics.engine.sources import register


def test_registry_is_sound_and_covers_the_seed_measures():
    assert check_registry() == []
    ids = {m.id for m in MEASURES}
    assert {
        "sea_cargo_member_carriers", "import_value_member_importers", "entry_volume_member_importers",
        "targeted_exam_ratio", "compliance_exam_ratio", "recommendations_per_report", "validations_passed",
        "criteria_compliance_rate", "validation_hours", "exam_reduction_member_importers", "fast_time_savings",
    } <= ids  # fmt: skip
    assert all(m.definition and m.seed_measure for m in MEASURES)


@pytest.mark.parametrize("text", ["", "25", "2025-Q5", "2025-13", "2025-7", "abc", "1800"])
def test_bad_periods_are_refused_with_a_message(text):
    with pytest.raises(PeriodError, match="Period"):
        parse_period(text)


def test_periods_and_subperiods():
    q = parse_period("2025-Q4")
    assert (q.start, q.end, q.last_day) == (dt.date(2025, 10, 1), dt.date(2026, 1, 1), dt.date(2025, 12, 31))
    assert [p.key for p in subperiods(parse_period("2025"))][:6] == ["2025", "2025-Q1", "2025-Q2", "2025-Q3",
                                                                     "2025-Q4", "2025-01"]  # fmt: skip
    assert len(subperiods(parse_period("2025"))) == 17


def test_zero_denominator_is_no_data_never_zero_percent():
    m = BY_ID["entry_volume_member_importers"]
    _num, _den, value, reason = evaluate(m, {"a": 0.0, "b": 0.0})
    assert value is None and "No data for this period" in reason
    r = BY_ID["targeted_exam_ratio"]
    assert evaluate(r, {"a": 1, "b": 10, "c": 0, "d": 100})[2] is None  # non-members never examined
    assert evaluate(r, {"a": 1, "b": 10, "c": 0, "d": 0})[3].endswith("no non-member shipments.")
    assert evaluate(r, {"a": 1, "b": 10, "c": 20, "d": 100})[2] == pytest.approx(0.5)


def _shipments(tmp_path, rows):
    path = tmp_path / "ship.parquet"
    con = duckdb.connect()
    cols = ("shipment_id VARCHAR, arrival_date DATE, mode VARCHAR, importer_ior VARCHAR, carrier_scac VARCHAR, "
            "country_origin VARCHAR, hts_chapter INTEGER, declared_value_usd DOUBLE, container_count INTEGER, "
            "lane VARCHAR, importer_tier INTEGER, carrier_member BOOLEAN, targeted BOOLEAN, compliance BOOLEAN")  # fmt: skip
    con.execute(f"CREATE TABLE s ({cols})")
    con.executemany(f"INSERT INTO s VALUES ({', '.join('?' * 14)})", rows)
    con.execute(f"COPY s TO '{path}' (FORMAT parquet)")
    con.close()
    return Inputs(shipments_sql=f"SELECT * FROM read_parquet('{path}')")


def _row(i, day, tier, *, mode="sea", value=100.0, cont=1, lane="green", carrier=False, ior=None):
    return (f"S{i}", day, mode, ior or f"IOR{i % 7}", "MAEU", "CN", 85, value, cont, lane, tier, carrier,
            lane == "red", lane == "compliance")  # fmt: skip


def test_compute_exact_values_and_dimensions(tmp_path):
    jan, feb = dt.date(2025, 1, 10), dt.date(2025, 2, 10)
    rows = [
        _row(1, jan, 2, value=300, cont=2, carrier=True),
        _row(2, jan, 0, value=100, cont=1, lane="red"),
        _row(3, jan, 0, value=100, cont=1, mode="air", lane="compliance"),
        _row(4, feb, 1, value=500, cont=3, carrier=True, lane="compliance"),
        _row(5, feb, 0, value=0, cont=1),
    ]
    inputs = _shipments(tmp_path, rows)
    res = {(r.measure_id, r.period, r.dimension, r.dimension_value): r
           for r in compute(inputs, parse_period("2025-Q1"))}  # fmt: skip
    vol = res[("entry_volume_member_importers", "2025-Q1", "", "")]
    assert (vol.numerator, vol.denominator, vol.value) == (2, 5, pytest.approx(40.0))
    val = res[("import_value_member_importers", "2025-01", "", "")]
    assert val.value == pytest.approx(60.0)
    sea = res[("sea_cargo_member_carriers", "2025-Q1", "", "")]
    assert (sea.numerator, sea.denominator) == (5, 7)
    by_mode = res[("entry_volume_member_importers", "2025-Q1", "mode", "air")]
    assert by_mode.value == pytest.approx(0.0) and by_mode.denominator == 1
    march = res[("entry_volume_member_importers", "2025-03", "", "")]
    assert march.value is None and "No data for this period" in march.no_data_reason
    # by tier: each tier is compared with all non-members of the period
    t1 = res[("compliance_exam_ratio", "2025-Q1", "tier", "1")]
    assert t1.numerator == pytest.approx(1.0) and t1.denominator == pytest.approx(1 / 3)
    assert t1.value == pytest.approx(3.0)
    # validation measures have no snapshot here: no data, not zero
    assert res[("validations_passed", "2025-Q1", "", "")].value is None


def test_drilldown_lists_the_records_behind_a_value(tmp_path):
    jan = dt.date(2025, 1, 10)
    inputs = _shipments(tmp_path, [_row(i, jan, 1 if i % 3 == 0 else 0) for i in range(30)])
    m = BY_ID["entry_volume_member_importers"]
    p = parse_period("2025-01")
    num = drilldown(inputs, m, p, side="numerator", limit=4)
    den = drilldown(inputs, m, p, side="denominator", limit=4, offset=28)
    assert num.count == 10 and len(num.rows) == 4 and den.count == 30 and len(den.rows) == 2
    assert all(r[num.columns.index("importer_tier")] >= 1 for r in num.rows)
    tiered = drilldown(inputs, m, p, side="numerator", dimension="tier", dim_value="1")
    assert tiered.count == 10
    with pytest.raises(ValueError):
        drilldown(inputs, m, p, side="sideways")


def test_benefits_statement_needs_minimums_on_both_sides(tmp_path):
    jan = dt.date(2025, 1, 10)
    rows = [_row(i, jan, 2, ior="MINE") for i in range(40)]
    rows += [
        _row(100 + i, jan, 0, ior=f"N{i % 3}", lane="red" if i % 10 == 0 else "green") for i in range(150)
    ]
    con = connect()
    register(con, _shipments(tmp_path, rows))
    few = benefits.statement(con, ["MINE"], parse_period("2025"))
    assert not few.available and "fewer than 5 distinct companies" in few.reason
    assert few.comparison_companies == 0 and few.member_exam_rate is None
    rows += [_row(400 + i, jan, 0, ior=f"M{i % 9}") for i in range(20)]
    con = connect()
    register(con, _shipments(tmp_path, rows))
    st = benefits.statement(con, ["MINE"], parse_period("2025"))
    assert st.available and st.matched_member_shipments == 40 and st.comparison_shipments == 170
    assert st.member_exam_rate == 0 and st.comparison_exam_rate == pytest.approx(15 / 170)
    assert st.savings_usd > 0
    none = benefits.statement(con, [], parse_period("2025"))
    assert not none.available and "importer of record" in none.reason


def test_crossings_import_checks_rows(tmp_path):
    good = tmp_path / "c.csv"
    good.write_text(
        "crossing_id,crossed_on,port,lane,wait_minutes,processing_minutes\n"
        "A1,2025-01-02,USLRD,fast,5,1\nA2,2025-01-02,USLRD,general,30,3\n"
        "A3,2025-13-01,USLRD,general,30,3\nA4,2025-01-03,USLRD,slow,1,1\nA5,2025-01-03,USLRD,fast,-1,1\n"
    )
    s = import_crossings(good, tmp_path / "c.parquet")
    assert (s.rows, s.imported, s.rejected) == (5, 2, 3)
    assert [p["line"] for p in s.problems] == [4, 5, 6]
    assert "lane: must be fast or general" in s.problems[1]["reason"]
    inputs = Inputs(crossings_path=str(tmp_path / "c.parquet"))
    res = [r for r in compute(inputs, parse_period("2025-01")) if r.measure_id == "fast_time_savings"]
    assert res[0].value == pytest.approx(27.0)
    bad = tmp_path / "bad.csv"
    bad.write_text("crossing_id,lane\nA,fast\n")
    with pytest.raises(CrossingsError, match="lacks the column"):
        import_crossings(bad, tmp_path / "x.parquet")


def test_fast_simulation_bounds_and_result():
    errors = fast.check(fast.FastParams(arrivals_per_hour=0, fast_share=2))
    assert {e["field"] for e in errors} == {"arrivals_per_hour", "fast_share"}
    assert (
        fast.check(fast.FastParams(arrivals_per_hour=600, hours=24, replications=50))[0]["field"]
        == "replications"
    )
    r = fast.simulate(fast.FastParams(arrivals_per_hour=100, hours=3, replications=4, seed=3))
    assert r.replications == 4 and r.saving_ci_low <= r.saving_minutes <= r.saving_ci_high
    assert r.minutes_without_fast > r.minutes_with_fast
    again = fast.simulate(fast.FastParams(arrivals_per_hour=100, hours=3, replications=4, seed=3))
    assert again.saving_minutes == r.saving_minutes  # seeded
