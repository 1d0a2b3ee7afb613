"""/staff/targeting/: the empty state, the latest scored day with filters and paging, explanations, measures."""

from __future__ import annotations

from io import StringIO

import duckdb
import pytest
from django.core.management import call_command

from greenlane.accounts.choices import StaffRole

pytestmark = pytest.mark.django_db
URL = "/staff/targeting/"


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


@pytest.fixture
def scored(var_dir, tmp_path):
    syn = tmp_path / "syn"
    call_command(
        "targeting",
        "generate",
        "--rows",
        "2000",
        "--seed",
        "5",
        "--out",
        str(syn),
        stdout=StringIO(),
    )
    out = tmp_path / "day.scored.parquet"
    call_command("targeting", "score", "--input", str(syn / "shipments.parquet"), "--output", str(out),
                 "--snapshot", str(syn / "partners_snapshot.parquet"), stdout=StringIO())  # fmt: skip
    return out, syn / "shipments.parquet"


@pytest.fixture
def officer_client(staff, login):
    return login(staff[StaffRole.TARGETING_OFFICER])


def test_empty_state_names_the_command(var_dir, officer_client):
    r = officer_client.get(URL)
    assert r.status_code == 200
    assert b"No scored shipments yet" in r.content
    assert b"greenlane targeting score --input" in r.content


def test_day_with_lanes_filters_and_paging(scored, officer_client):
    out, _ = scored
    counts = dict(duckdb.sql(f"SELECT lane, count(*) FROM read_parquet('{out}') GROUP BY 1").fetchall())
    r = officer_client.get(URL)
    assert r.status_code == 200
    page = r.context["page"]
    assert page.count == sum(counts.values())
    assert len(page.items) == 50
    assert dict(r.context["lanes"]) == {
        lane: counts.get(lane, 0) for lane in ("green", "yellow", "red", "compliance")
    }
    assert b"Shipments by lane" in r.content

    r = officer_client.get(URL, {"lane": "red"})
    assert r.context["page"].count == counts.get("red", 0)
    assert all(s["lane"] == "red" for s in r.context["page"].items)

    r = officer_client.get(URL, {"mode": "truck", "tier": "0", "offset": "10", "limit": "5"})
    page = r.context["page"]
    assert page.offset == 10 and len(page.items) <= 5
    assert all(s["mode"] == "truck" and s["importer_tier"] == 0 for s in page.items)

    country = r.context["page"].items[0]["country_origin"]
    r = officer_client.get(URL, {"country": country.lower()})
    assert r.context["page"].count > 0
    assert all(s["country_origin"] == country for s in r.context["page"].items)


def test_shipment_explanation(scored, officer_client):
    out, _ = scored
    sid, mask = duckdb.sql(
        f"SELECT shipment_id, indicator_mask FROM read_parquet('{out}') ORDER BY score DESC LIMIT 1"
    ).fetchall()[0]
    r = officer_client.get(f"{URL}shipments/{sid}/")
    assert r.status_code == 200
    assert len(r.context["fired"]) == bin(mask).count("1")
    assert b"country_origin" in r.content
    assert officer_client.get(f"{URL}shipments/NOPE/").status_code == 404


def test_measures_after_exams(scored, officer_client):
    _, truth = scored
    call_command("targeting", "simulate-exams", "--truth", str(truth), stdout=StringIO())
    r = officer_client.get(URL)
    assert r.context["measures"]["exams"] > 0
    assert r.context["measures"]["lift"] is not None
    assert b"Hit rate by lane" in r.content


def test_access(var_dir, staff, login, user_factory):
    assert login(staff[StaffRole.AUDITOR]).get(URL).status_code == 200
    assert login(user_factory("trader@acme.example")).get(URL).status_code == 404
