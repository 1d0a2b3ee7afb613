"""The plain functions the management command and the API call."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
import yaml

from greenlane.targeting.engine import RulesetError, cli
from greenlane.targeting.engine.ruleset import DEFAULT_RULESET

from .conftest import shipment, snapshot_rows


def test_generate_score_measure_round_trip(tmp_path):
    g = cli.generate(5_000, 3, tmp_path)
    assert g["rows"] == 5_000 and g["violations"] > 0
    meta = pq.read_schema(g["shipments_path"]).metadata
    assert json.loads(meta[b"greenlane_synthetic"])["synthetic"] is True
    s = cli.score(g["shipments_path"], tmp_path / "scored.parquet", snapshot_path=g["snapshot_path"],
                  threat_level="elevated")  # fmt: skip
    assert s["scored_rows"] + s["rejected_rows"] == 5_000
    assert s["threat_level"] == "elevated" and json.dumps(s)
    sim = cli.simulate_exams(s["output_path"], g["shipments_path"], tmp_path / "exams.parquet")
    imp = cli.import_exam_results(sim["output_path"], tmp_path / "exams_checked.parquet")
    assert imp["imported_rows"] == sim["exams"]
    m = cli.measures(s["output_path"], imp["output_path"])
    assert json.dumps(m) and m["exams"] == sim["exams"]
    assert cli.lift(s["output_path"], g["shipments_path"])["examined"] == int(0.05 * s["scored_rows"])


def test_import_then_score_skips_checks(tmp_path):
    g = cli.generate(3_000, 4, tmp_path, bad_rate=0.01)
    from greenlane.targeting.engine.scoring import import_shipments

    imp = import_shipments(g["shipments_path"], tmp_path / "imported.parquet")
    assert imp.rejected_rows > 0 and imp.imported_rows + imp.rejected_rows == 3_000
    direct = cli.score(g["shipments_path"], tmp_path / "direct.parquet", snapshot_path=g["snapshot_path"])
    again = cli.score(imp.output_path, tmp_path / "again.parquet", snapshot_path=g["snapshot_path"])
    assert again["input_validated"] and not direct["input_validated"]
    assert again["scored_rows"] == direct["scored_rows"] and again["rejected_rows"] == 0
    assert again["lanes"] == direct["lanes"]


def test_bad_ruleset_is_refused_before_scoring(tmp_path):
    doc = yaml.safe_load(DEFAULT_RULESET.read_text())
    doc["tier_credit"][1] = 20
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(doc))
    out = tmp_path / "out.parquet"
    with pytest.raises(RulesetError, match="Tier 1 credit 20"):
        cli.score(tmp_path / "does-not-matter.parquet", out, ruleset_path=bad)
    assert not out.exists()


def test_check_ruleset_lists_levels():
    info = cli.check_ruleset()
    assert info["threat_levels"]["normal"]["red"] == 60.0
    assert info["threat_levels"]["high"]["green_min_tier"] == 3


def test_score_shipments_in_process(tmp_path):
    snap = tmp_path / "snap.parquet"
    import pyarrow as pa

    pq.write_table(pa.Table.from_pylist(snapshot_rows(("IOR", "12-345678900", "certified", 2))), snap)
    out = cli.score_shipments(
        [shipment(), shipment(shipment_id="X", gross_weight_kg=-4.0)], snapshot_path=snap
    )
    assert out[0]["lane"] in {"green", "compliance"} and out[0]["importer_tier"] == 2
    assert out[1]["rejected"] == "gross_weight_kg: negative" and out[1]["lane"] is None
    assert json.dumps(out, default=str)


def test_write_snapshot_matches_generate(tmp_path):
    g = cli.generate(2_000, 9, tmp_path / "g")
    w = cli.write_snapshot(tmp_path / "snap.parquet", rows=2_000, seed=9)
    assert w["rows"] == pq.read_metadata(g["snapshot_path"]).num_rows
