"""`greenlane targeting generate -> snapshot -> score -> simulate-exams` end to end, and refused input."""

from __future__ import annotations

import json

import duckdb
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from greenlane.partners.models import Partner
from greenlane.targeting import portal_snapshot
from greenlane.vetting.tests.support import partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("targeting", *args, stdout=out)
    return out.getvalue()


def test_generate_snapshot_score_end_to_end(var_dir, tmp_path, user_factory):
    officer = user_factory("officer@acme.example")
    p = partner(officer, name="Atlas Imports LLC")
    Partner.objects.filter(pk=p.pk).update(status="certified", tier=2)
    ior = next(i.value for i in p.identifiers.all() if i.type == "ior")

    out = run("generate", "--rows", "2000", "--seed", "7", "--out", str(tmp_path / "syn"))
    assert "SYNTHETIC data: 2,000 shipments" in out
    shipments = tmp_path / "syn" / "shipments.parquet"
    assert pq.read_metadata(shipments).num_rows == 2000

    out = run("snapshot")
    assert "1 identifiers" in out
    snap = pq.read_table(var_dir / "targeting" / "partners.parquet").to_pylist()
    assert snap == [{"identifier_type": "IOR", "identifier_value": ior, "partner_id": p.pk, "status": "certified",
                     "tier": 2}]  # fmt: skip
    assert portal_snapshot.snapshot_created_at(var_dir / "targeting" / "partners.parquet") is not None

    scored = tmp_path / "day.scored.parquet"
    out = run("score", "--input", str(shipments), "--output", str(scored))
    assert "refreshed from the portal" in out
    assert "Scored 2,000 of 2,000 shipments" in out
    lanes = dict(duckdb.sql(f"SELECT lane, count(*) FROM read_parquet('{scored}') GROUP BY 1").fetchall())
    assert sum(lanes.values()) == 2000
    assert set(lanes) <= {"green", "yellow", "red", "compliance"}
    latest = json.loads((var_dir / "targeting" / "latest_score.json").read_text())
    assert latest["output_path"] == str(scored.resolve())

    # with the synthetic snapshot, members get credit; exams then give measures
    out = run("score", "--input", str(shipments), "--output", str(scored), "--threat-level", "elevated",
              "--snapshot", str(tmp_path / "syn" / "partners_snapshot.parquet"))  # fmt: skip
    assert "threat level elevated" in out
    credited = duckdb.sql(f"SELECT count(*) FROM read_parquet('{scored}') WHERE credit > 0").fetchall()[0][0]
    assert credited > 0
    out = run("simulate-exams", "--truth", str(shipments))
    assert "SYNTHETIC exam results" in out
    assert "exam-rate ratio non-members/members" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "--input", "/no/such.parquet", "--output", "x.parquet"], "No such input file"),
        (
            ["score", "--input", "{shipments}", "--output", "{out}", "--threat-level", "bogus"],
            "Unknown threat",
        ),
        (
            ["score", "--input", "{shipments}", "--output", "{out}", "--ruleset", "{bad_rules}"],
            "rule set refused",
        ),
        (["score", "--input", "{bad_input}", "--output", "{out}", "--snapshot", "{shipments}"], "lack"),
        (["generate", "--rows", "0"], "positive"),
        (["import-exams", "/no/such.csv"], "No such file"),
    ],
)
def test_bad_input_is_a_command_error(var_dir, tmp_path, args, message):
    shipments = tmp_path / "s.csv"
    shipments.write_text("shipment_id\nA\n")
    bad_rules = tmp_path / "bad.yaml"
    bad_rules.write_text("ruleset: x\nversion: '1'\nthresholds: {yellow: 70, red: 60}\n")
    values = {"shipments": str(shipments), "out": str(tmp_path / "o.parquet"), "bad_rules": str(bad_rules),
              "bad_input": str(shipments)}  # fmt: skip
    with pytest.raises(CommandError, match=message):
        call_command("targeting", *[a.format(**values) for a in args])
