"""POST /api/v1/targeting/score: lanes, reasons, tier credit, per-row errors and who may call it."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from greenlane.accounts.choices import StaffRole
from greenlane.targeting.engine import SNAPSHOT_SCHEMA

from .conftest import shipment

pytestmark = pytest.mark.django_db
URL = "/api/v1/targeting/score"
MEMBER_IOR = "12-345678900"


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    (tmp_path / "targeting").mkdir()
    rows = [{"identifier_type": "IOR", "identifier_value": MEMBER_IOR, "partner_id": 1, "status": "certified",
             "tier": 2}]  # fmt: skip
    pq.write_table(pa.Table.from_pylist(rows, SNAPSHOT_SCHEMA), tmp_path / "targeting" / "partners.parquet")
    return tmp_path


def _json(s: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in s.items()}


def post(client, body, headers):
    return client.post(URL, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def officer_headers(staff, auth_header):
    return auth_header(staff[StaffRole.TARGETING_OFFICER])


def test_member_credit_shows(client, var_dir, officer_headers):
    r = post(client, {"shipment": _json(shipment(importer_ior=MEMBER_IOR))}, officer_headers)
    assert r.status_code == 200, r.content
    res = r.json()["results"][0]
    assert res["ok"] is True
    assert res["importer_tier"] == 2
    assert res["credit"] == 20
    assert res["score"] == max(res["points"] - 20, 0)
    assert res["lane"] in {"green", "yellow", "red", "compliance"}
    assert r.json()["ruleset"] == "greenlane-default"

    other = post(client, {"shipment": _json(shipment(importer_ior="99-999999900"))}, officer_headers).json()
    assert other["results"][0]["importer_tier"] == 0
    assert other["results"][0]["credit"] == 0


def test_tampered_seal_forces_red_whatever_the_credit(client, var_dir, officer_headers):
    body = {"shipment": _json(shipment(importer_ior=MEMBER_IOR, seal_tampered=True))}
    res = post(client, body, officer_headers).json()["results"][0]
    assert res["lane"] == "red"
    assert res["lane_reason"] == "force_red"
    assert res["credit"] == 20
    assert res["reasons"][0]["code"] == "seal_tampered"
    assert res["reasons"][0]["weight"] is None
    assert res["reasons"][0]["text"]


def test_bad_container_number_is_a_per_row_error_in_a_batch(client, var_dir, officer_headers):
    good = _json(shipment(shipment_id="E1"))
    right = good["container_numbers"]
    wrong = right[:-1] + str((int(right[-1]) + 1) % 10)  # same container, wrong check digit
    bad = _json(shipment(shipment_id="E2", container_numbers=wrong))
    r = post(client, {"shipments": [good, bad]}, officer_headers)
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["scored"], body["rejected"]) == (1, 1)
    first, second = body["results"]
    assert first["ok"] is True and first["lane"]
    assert second["ok"] is False and second["lane"] is None
    assert second["shipment_id"] == "E2"
    assert [e["field"] for e in second["errors"]] == ["container_numbers"]


def test_a_single_bad_shipment_is_422(client, var_dir, officer_headers):
    r = post(
        client, {"shipment": _json(shipment(country_origin="XX", gross_weight_kg=-1.0))}, officer_headers
    )
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"country_origin", "gross_weight_kg"}


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"shipments": []},
        {"shipments": [{"shipment_id": str(i)} for i in range(101)]},
        {"shipment": {"shipment_id": "A"}, "shipments": [{"shipment_id": "B"}]},
        {"shipment": {"shipment_id": "A"}, "threat_level": "apocalyptic"},
    ],
)
def test_wholly_bad_requests_are_422(client, var_dir, officer_headers, body):
    assert post(client, body, officer_headers).status_code == 422


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (StaffRole.TARGETING_OFFICER, 200),
        (StaffRole.PROGRAM_MANAGER, 200),
        (StaffRole.SYSTEM_ADMIN, 200),
        (StaffRole.AUDITOR, 403),
        (StaffRole.VETTING_OFFICER, 403),
    ],
)
def test_staff_roles(client, var_dir, staff, auth_header, role, status):
    r = post(client, {"shipment": _json(shipment())}, auth_header(staff[role]))
    assert r.status_code == status
    if status == 403:
        assert "targeting officers" in r.json()["detail"]


def test_trade_users_get_404(client, var_dir, user_factory, auth_header):
    trade = user_factory("trader@acme.example")
    assert post(client, {"shipment": _json(shipment())}, auth_header(trade)).status_code == 404


def test_snapshot_is_written_from_the_portal_when_missing(client, settings, tmp_path, officer_headers):
    settings.VAR_DIR = tmp_path
    r = post(client, {"shipment": _json(shipment(importer_ior=MEMBER_IOR))}, officer_headers)
    assert r.status_code == 200
    assert (tmp_path / "targeting" / "partners.parquet").exists()
    assert r.json()["results"][0]["importer_tier"] == 0
