"""/api/v1/vetting: imports, matches, decisions, re-runs, summaries; trade users 404, read-only staff 403."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from greenlane.accounts.choices import StaffRole
from greenlane.vetting import services
from greenlane.vetting.models import ComplianceRecord, VettingMatch

from .support import csv_bytes, do_import, ior_of, partner, row

pytestmark = pytest.mark.django_db
BASE = "/api/v1/vetting"


def post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def upload(client, data: bytes, headers, name="feed.csv", **form):
    return client.post(f"{BASE}/imports", {"file": SimpleUploadedFile(name, data), **form}, **headers)


@pytest.fixture
def setup(officer):
    p = partner(officer, name="Atlas Imports LLC")
    do_import(
        [
            row(source_ref="X", name="ATLAS IMPORTS, L.L.C.", address=""),
            row(
                source_ref="Y",
                kind="unpaid_debt",
                amount="250.75",
                identifier_type="ior",
                identifier_value=ior_of(p),
            ),
        ]
    )
    services.run_matching(p)
    return p, VettingMatch.objects.get(partner=p, status="pending")


def test_import_good_and_bad_files(client, staff, auth_header):
    h = auth_header(staff["vetting_officer"])
    r = upload(client, csv_bytes([row(), row()]), h, source="cbp-2026")
    assert r.status_code == 201, r.content
    body = r.json()
    assert {k: body[k] for k in ("source", "file_name", "row_count", "created_count", "imported_by")} == {
        "source": "cbp-2026",
        "file_name": "feed.csv",
        "row_count": 2,
        "created_count": 2,
        "imported_by": "vetting_officer@cbp.example",
    }
    r = upload(client, csv_bytes([row(kind="fine"), row(), row(date="2024-13-01", country="QQ")]), h)
    assert r.status_code == 422
    body = r.json()
    assert (body["code"], body["error_count"], body["bad_rows"], body["rows"]) == ("import_rejected", 3, 2, 3)
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(2, "kind"), (4, "date"), (4, "country")]
    assert ComplianceRecord.objects.count() == 2
    r = upload(client, b"name\n", h)
    assert r.status_code == 422 and r.json()["errors"][0]["message"].startswith("Missing column(s)")


def test_list_imports(client, staff, auth_header, setup):
    r = client.get(f"{BASE}/imports", **auth_header(staff["auditor"]))
    assert r.status_code == 200
    assert r.json()["count"] == 1 and r.json()["items"][0]["imported_by"] is None


def test_list_and_filter_matches(client, staff, auth_header, setup):
    p, m = setup
    h = auth_header(staff["auditor"])
    r = client.get(f"{BASE}/matches", {"status": "pending", "partner_id": p.pk}, **h)
    assert r.status_code == 200
    items = r.json()["items"]
    assert [
        (i["id"], i["method"], i["score"], i["record"]["name"], i["partner"]["legal_name"]) for i in items
    ] == [(m.pk, "name_address", 100.0, "ATLAS IMPORTS, L.L.C.", "Atlas Imports LLC")]
    confirmed = client.get(f"{BASE}/matches", {"status": "confirmed"}, **h).json()["items"]
    assert [
        (i["method"], i["record"]["amount"], i["record"]["identifiers"][0]["type"]) for i in confirmed
    ] == [("identifier", 250.75, "ior")]
    assert client.get(f"{BASE}/matches/{m.pk}", **h).json()["id"] == m.pk


def test_confirm_and_dismiss(client, staff, auth_header, setup):
    _p, m = setup
    h = auth_header(staff["vetting_officer"])
    r = post(client, f"{BASE}/matches/{m.pk}/dismiss", {"note": ""}, h)
    assert r.status_code == 422 and r.json()["field"] == "note"
    r = post(client, f"{BASE}/matches/{m.pk}/dismiss", {"note": "Namesake."}, h)
    assert r.status_code == 200 and (r.json()["status"], r.json()["note"], r.json()["reviewed_by"]) == (
        "dismissed",
        "Namesake.",
        "vetting_officer@cbp.example",
    )
    r = post(client, f"{BASE}/matches/{m.pk}/dismiss", {"note": "again"}, h)
    assert r.status_code == 409
    r = post(client, f"{BASE}/matches/{m.pk}/confirm", {"note": "Reversed on appeal."}, h)
    assert r.status_code == 200 and r.json()["status"] == "confirmed"


def test_run_and_summary(client, staff, auth_header, setup):
    p, _m = setup
    h = auth_header(staff["program_manager"])
    r = client.post(f"{BASE}/partners/{p.pk}/run", **h)
    assert r.status_code == 200
    assert {k: r.json()[k] for k in ("new", "auto_confirmed", "updated", "withdrawn")} == {
        "new": 0,
        "auto_confirmed": 0,
        "updated": 0,
        "withdrawn": 0,
    }
    assert len(r.json()["matches"]) == 2
    r = client.get(f"{BASE}/partners/{p.pk}/summary", **h)
    assert r.status_code == 200
    assert (r.json()["unpaid_debt"], r.json()["unpaid_debt_amount"], r.json()["pending_fuzzy_matches"]) == (
        True,
        250.75,
        1,
    )
    assert client.post(f"{BASE}/partners/999999/run", **h).status_code == 404


def endpoints(p, m):
    return [
        ("get", f"{BASE}/imports", None),
        ("get", f"{BASE}/matches", None),
        ("get", f"{BASE}/matches/{m.pk}", None),
        ("get", f"{BASE}/partners/{p.pk}/summary", None),
        ("post", f"{BASE}/matches/{m.pk}/confirm", {"note": ""}),
        ("post", f"{BASE}/matches/{m.pk}/dismiss", {"note": "x"}),
        ("post", f"{BASE}/partners/{p.pk}/run", {}),
        ("upload", f"{BASE}/imports", None),
    ]


def call(client, method, url, body, h):
    if method == "get":
        return client.get(url, **h)
    if method == "upload":
        return upload(client, csv_bytes([row()]), h)
    return post(client, url, body, h)


def test_trade_users_get_404_everywhere(client, officer, auth_header, setup):
    p, m = setup
    h = auth_header(officer)
    for method, url, body in endpoints(p, m):
        assert call(client, method, url, body, h).status_code == 404, url
    m.refresh_from_db()
    assert m.status == "pending" and ComplianceRecord.objects.count() == 2


@pytest.mark.parametrize("role", StaffRole.values)
def test_staff_read_and_only_vetters_write(client, staff, auth_header, setup, role):
    p, m = setup
    h = auth_header(staff[role])
    vetter = role in ("vetting_officer", "program_manager", "system_admin")
    for method, url, body in endpoints(p, m):
        status = call(client, method, url, body, h).status_code
        if method == "get":
            assert status == 200, url
        else:
            assert status == (403 if not vetter else status) and status < 500, (url, status)
    if not vetter:
        m.refresh_from_db()
        assert m.status == "pending" and ComplianceRecord.objects.count() == 2


def test_unauthenticated_is_401(client, setup):
    assert client.get(f"{BASE}/matches").status_code == 401
