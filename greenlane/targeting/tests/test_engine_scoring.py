"""Batch scoring: lanes, credit, heightened threat, rejects, counts, determinism."""

from __future__ import annotations

import csv
import hashlib

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from greenlane.targeting.engine import (
    InputError,
    Snapshot,
    arrow_schema,
    compile_ruleset,
    score_file,
    score_table,
)
from greenlane.targeting.engine.synthetic import generate

from .conftest import shipment, snapshot_rows

SNAP = snapshot_rows(
    ("IOR", "12-345678900", "certified", 3),
    ("IOR", "22-222222200", "certified", 1),
    ("IOR", "33-333333300", "suspended", 3),
)


def score_one(compiled, **fields):
    rows = [shipment(**fields)]
    scored, rejects = score_table(
        pa.Table.from_pylist(rows, schema=arrow_schema()),
        compiled=compiled,
        snapshot=pa.Table.from_pylist(SNAP),
    )
    assert rejects.num_rows == 0, rejects.to_pylist()
    sql = scored.to_pylist()[0]
    py = compiled.score_rows(rows, Snapshot.from_rows(SNAP, ["certified"]))[0]
    assert (sql["score"], sql["lane"]) == (py.score, py.lane)
    return py


RISKY = {
    "country_origin": "PK", "port_lading": "PKKHI", "importer_prior_entries": 0,
    "importer_prior_violations": 1, "seal_mismatch": True,
}  # fmt: skip


def test_risky_non_member_goes_red_and_reasons_explain(compiled):
    s = score_one(compiled, importer_ior="99-999999900", **RISKY)
    assert s.lane == "red" and s.lane_reason == "score_red"
    assert [r.code for r in s.reasons] == ["high_threat_origin", "seal_mismatch", "importer_violations"]
    assert s.reasons[0].weight == 25 and s.reasons[0].text


def test_tier_credit_is_subtracted_and_suspended_members_get_none(compiled):
    member = score_one(compiled, importer_ior="12-345678900", **RISKY)
    suspended = score_one(compiled, importer_ior="33-333333300", **RISKY)
    assert member.credit == 30 and member.importer_tier == 3
    assert suspended.credit == 0 and suspended.importer_tier == 0
    assert member.score == suspended.score - 30


def test_tampered_seal_sends_tier3_shipment_to_red(compiled):
    s = score_one(compiled, importer_ior="12-345678900", seal_tampered=True)
    assert s.score == 0 and s.lane == "red" and s.lane_reason == "force_red"
    assert s.reasons[0].code == "seal_tampered" and s.reasons[0].weight is None
    assert score_one(compiled, importer_ior="12-345678900", csd_alarm=True).lane == "red"


def test_heightened_threat_keeps_green_only_for_most_trusted(ruleset):
    high = compile_ruleset(ruleset, "high")
    ids = [f"H{i}" for i in range(200)]
    tier1 = [score_one(high, shipment_id=i, importer_ior="22-222222200") for i in ids]
    tier3 = [score_one(high, shipment_id=i, importer_ior="12-345678900") for i in ids]
    assert {s.lane for s in tier1} <= {"yellow", "compliance"}
    assert {s.lane_reason for s in tier1 if s.lane == "yellow"} == {"threat_level"}
    assert sum(s.lane == "green" for s in tier3) > 150


def test_compliance_sample_rates_differ_for_members(compiled):
    member = compiled.member_threshold / 2**52
    non_member = compiled.non_member_threshold / 2**52
    assert member == pytest.approx(0.01) and non_member == pytest.approx(0.03)
    lanes = [score_one(compiled, shipment_id=f"C{i}", importer_ior="99-999999900").lane for i in range(300)]
    assert 0 < lanes.count("compliance") < 30


def test_rejects_are_reported_per_row_and_counts_add_up(tmp_path, compiled):
    rows = [
        shipment(shipment_id="OK1"),
        shipment(shipment_id="BAD1", container_numbers="CSQU3054384"),
        shipment(shipment_id="BAD2", country_origin="QQ"),
        shipment(shipment_id="BAD3", port_lading="ZZZZZ"),
        shipment(shipment_id="BAD4", gross_weight_kg=-1.0),
        shipment(shipment_id="BAD5", importer_ior=None),
        shipment(shipment_id="BAD6", port_unlading="NLRTM", hts_code="12AB"),
        shipment(
            shipment_id="OK2", container_numbers=None, mode="air", port_lading="HKHKG", port_unlading="USJFK"
        ),
    ]
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema()), src)
    s = score_file(src, tmp_path / "out.parquet", compiled=compiled)
    assert (s.input_rows, s.scored_rows, s.rejected_rows) == (8, 2, 6)
    rejects = {r["shipment_id"]: r for r in pq.read_table(s.rejects_path).to_pylist()}
    assert rejects["BAD1"]["reasons"] == "container_numbers: check digit mismatch"
    assert rejects["BAD1"]["row"] == 1
    assert rejects["BAD2"]["reasons"] == "country_origin: unknown country code"
    assert rejects["BAD3"]["reasons"] == "port_lading: unknown port"
    assert rejects["BAD4"]["reasons"] == "gross_weight_kg: negative"
    assert rejects["BAD5"]["reasons"] == "importer_ior: required"
    assert rejects["BAD6"]["reasons"] == "port_unlading: not a U.S. port; hts_code: malformed"
    assert sorted(pq.read_table(s.output_path)["shipment_id"].to_pylist()) == ["OK1", "OK2"]


def test_csv_input_with_unparseable_values(tmp_path, compiled):
    path = tmp_path / "in.csv"
    rows = [
        shipment(shipment_id="A"),
        shipment(shipment_id="B", gross_weight_kg="heavy", arrival_date="soon"),
    ]
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    s = score_file(path, tmp_path / "out.parquet", compiled=compiled)
    assert (s.scored_rows, s.rejected_rows) == (1, 1)
    rej = pq.read_table(s.rejects_path).to_pylist()[0]
    assert rej["row"] == 1
    assert rej["reasons"] == "arrival_date: not a valid date; gross_weight_kg: not a valid double"


def test_missing_required_column_refuses_the_file(tmp_path, compiled):
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist([shipment()]).drop_columns(["hts_code"]), src)
    with pytest.raises(InputError, match="hts_code"):
        score_file(src, tmp_path / "out.parquet", compiled=compiled)


def test_synthetic_file_counts_add_up_and_ground_truth_is_not_read(synthetic_dir, compiled, tmp_path):
    s = score_file(
        synthetic_dir / "shipments.parquet", tmp_path / "scored.parquet", compiled=compiled,
        snapshot_path=synthetic_dir / "partners_snapshot.parquet",
    )  # fmt: skip
    assert s.input_rows == 20_000
    assert s.scored_rows + s.rejected_rows == 20_000 and s.rejected_rows > 0
    assert sum(s.lanes.values()) == s.scored_rows
    assert all(s.lanes[k] > 0 for k in ("green", "yellow", "red", "compliance"))
    out = pq.read_table(s.output_path)
    assert "synthetic_violation" not in out.column_names
    assert b"greenlane" in pq.read_schema(s.output_path).metadata


def _digest(path):
    t = pq.read_table(path)
    keys = ["shipment_id"] if "shipment_id" in t.column_names else ["identifier_type", "identifier_value"]
    t = t.sort_by([(k, "ascending") for k in keys])
    return hashlib.sha256(str(t.to_pylist()).encode()).hexdigest()


def test_same_seed_same_data_and_same_scores(tmp_path, compiled):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for d, seed in ((a, 5), (b, 5), (c, 6)):
        generate(3_000, seed, d)
    assert _digest(a / "shipments.parquet") == _digest(b / "shipments.parquet")
    assert _digest(a / "shipments.parquet") != _digest(c / "shipments.parquet")
    assert _digest(a / "partners_snapshot.parquet") == _digest(b / "partners_snapshot.parquet")
    for d in (a, b):
        score_file(d / "shipments.parquet", d / "scored.parquet", compiled=compiled,
                   snapshot_path=d / "partners_snapshot.parquet")  # fmt: skip
    assert _digest(a / "scored.parquet") == _digest(b / "scored.parquet")
