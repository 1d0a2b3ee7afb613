import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from greenlane.mra import services
from greenlane.mra.models import ForeignMember, MraConsent, MraImport

from .support import SAMPLES, certified, enrolled, sample

pytestmark = pytest.mark.django_db


def _load(manager):
    services.status_import(
        actor=manager, program_code="eu_aeo", stream=sample("eu_aeo.csv"), file_name="eu_aeo.csv"
    )


def test_staff_pages_show_programs_imports_members(login, manager):
    _load(manager)
    client = login(manager)
    assert "Partners in Protection" in client.get("/staff/mra/").content.decode()
    page = client.get("/staff/mra/imports/").content.decode()
    assert "eu_aeo.csv" in page and "Check and import" in page
    log = MraImport.objects.get()
    assert "Every row was read" in client.get(f"/staff/mra/imports/{log.pk}/").content.decode()
    found = client.get("/staff/mra/members/?q=rheinwerk").content.decode()
    assert "Rheinwerk Logistik GmbH" in found and "Van Dijk" not in found
    assert "DE1234567890123" in client.get("/staff/mra/members/?q=de1234567890123").content.decode()


def test_upload_page_imports_good_rows_and_lists_bad_ones(login, manager):
    client = login(manager)
    content = (SAMPLES / "eu_aeo.csv").read_bytes() + b"XX1,Bad,B,DE,active,2020-01-01,\n"
    response = client.post(
        "/staff/mra/imports/",
        {"program": "eu_aeo", "file": SimpleUploadedFile("eu.csv", content, content_type="text/csv")},
        follow=True,
    )
    page = response.content.decode()
    assert "1 rows have problems" in page and "import-errors" in page
    assert ForeignMember.objects.count() == 8


def test_upload_of_unreadable_file_shows_error_and_stores_nothing(login, manager):
    client = login(manager)
    response = client.post(
        "/staff/mra/imports/",
        {"program": "eu_aeo", "file": SimpleUploadedFile("eu.csv", b"a,b\n1,2\n", content_type="text/csv")},
    )
    assert response.status_code == 200
    assert "missing: program_id, name, status" in response.content.decode()
    assert MraImport.objects.count() == 0


def test_auditor_sees_pages_but_may_not_upload(login, staff):
    client = login(staff["auditor"])
    assert "Check and import" not in client.get("/staff/mra/imports/").content.decode()
    response = client.post(
        "/staff/mra/imports/",
        {"program": "eu_aeo", "file": SimpleUploadedFile("eu.csv", (SAMPLES / "eu_aeo.csv").read_bytes())},
    )
    assert response.status_code == 403
    assert MraImport.objects.count() == 0


def test_trade_users_get_404_on_staff_pages(login, officer):
    client = login(officer)
    for url in (
        "/staff/mra/",
        "/staff/mra/imports/",
        "/staff/mra/members/",
        "/staff/mra/programs/eu_aeo/export/",
    ):
        assert client.get(url).status_code == 404


def test_staff_download_export(login, manager, officer):
    p = certified(officer, name="Foxtrot Imports")
    services.consent_grant(actor=officer, partner_id=p.pk, program_code="eu_aeo")
    response = login(manager).get("/staff/mra/programs/eu_aeo/export/?format=json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert json.loads(response.content)["members"][0]["name"] == "Foxtrot Imports"
    assert login(manager).get("/staff/mra/programs/nope/export/").status_code == 302


def test_consent_page_grant_and_withdraw(login, officer, user_factory):
    partner = certified(officer)
    client = login(officer)
    assert "Authorised Economic Operator" in client.get(f"/companies/{partner.pk}/mra/").content.decode()
    client.post(f"/companies/{partner.pk}/mra/", {"program": "eu_aeo", "action": "grant"})
    assert MraConsent.objects.get(partner=partner).active
    client.post(f"/companies/{partner.pk}/mra/", {"program": "eu_aeo", "action": "withdraw"})
    assert not MraConsent.objects.get(partner=partner).active
    other = login(user_factory("other@x.example"))
    assert other.get(f"/companies/{partner.pk}/mra/").status_code == 404
    assert (
        other.post(f"/companies/{partner.pk}/mra/", {"program": "eu_aeo", "action": "grant"}).status_code
        == 404
    )


def test_api_programs_and_lookup_for_certified_members(client, officer, manager, auth_header):
    _load(manager)
    certified(officer)
    programs = client.get("/api/v1/mra/programs", **auth_header(officer)).json()
    assert len(programs) == 18
    body = {"identifiers": [{"type": "eori", "value": "IT01234567890"}, {"type": "eori", "value": "DE9"}]}
    response = client.post(
        "/api/v1/mra/lookup", body, content_type="application/json", **auth_header(officer)
    )
    results = response.json()["results"]
    assert results[0]["found"] and results[0]["status"] == "suspended"
    assert results[0]["validation_date"] == "2016-02-10"
    assert results[1] == {**results[1], "found": False}


def test_api_lookup_refused_for_non_members_with_reason(client, user_factory, auth_header):
    user = user_factory("draft@x.example")
    enrolled(user)
    response = client.post(
        "/api/v1/mra/lookup",
        {"identifiers": [{"type": "eori", "value": "DE1"}]},
        content_type="application/json",
        **auth_header(user),
    )
    assert response.status_code == 403
    assert "Only certified members" in response.json()["detail"]


def test_api_lookup_refuses_too_many(client, officer, auth_header):
    certified(officer)
    body = {"identifiers": [{"type": "eori", "value": f"DE{i}"} for i in range(1001)]}
    response = client.post(
        "/api/v1/mra/lookup", body, content_type="application/json", **auth_header(officer)
    )
    assert response.status_code == 422


def test_api_import_and_duplicate(client, manager, auth_header):
    headers = auth_header(manager)
    data = (SAMPLES / "ca_pip.json").read_bytes()
    first = client.post(
        "/api/v1/mra/imports", {"program": "ca_pip", "file": SimpleUploadedFile("ca.json", data)}, **headers
    )
    assert first.status_code == 201 and first.json()["created_count"] == 6
    again = client.post(
        "/api/v1/mra/imports", {"program": "ca_pip", "file": SimpleUploadedFile("ca.json", data)}, **headers
    )
    assert again.status_code == 200 and again.json()["duplicate"] is True
    listing = client.get("/api/v1/mra/imports", **headers).json()
    assert listing["count"] == 1
    members = client.get("/api/v1/mra/members?status=suspended", **headers).json()
    assert [m["name"] for m in members["items"]] == ["Prairie Rail Logistics"]


def test_api_import_bad_file_422(client, manager, auth_header):
    response = client.post(
        "/api/v1/mra/imports",
        {"program": "eu_aeo", "file": SimpleUploadedFile("x.csv", b"")},
        **auth_header(manager),
    )
    assert response.status_code == 422 and response.json()["field"] == "file"


def test_api_consents(client, officer, auth_header):
    partner = certified(officer)
    headers = auth_header(officer)
    response = client.post(
        f"/api/v1/mra/partners/{partner.pk}/consents",
        {"program": "eu_aeo", "consent": True},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200 and response.json()["consented"] is True
    listing = client.get(f"/api/v1/mra/partners/{partner.pk}/consents", **headers).json()
    assert [c["program"] for c in listing if c["consented"]] == ["eu_aeo"]


def test_api_trade_gets_404_on_staff_endpoints(client, officer, auth_header):
    headers = auth_header(officer)
    assert client.get("/api/v1/mra/imports", **headers).status_code == 404
    assert client.get("/api/v1/mra/members", **headers).status_code == 404
    assert client.get("/api/v1/mra/programs/eu_aeo/export", **headers).status_code == 404


def test_program_dates():
    from greenlane.mra.models import ForeignProgram

    assert ForeignProgram.objects.get(code="mx_oea").mra_signed == dt.date(2014, 10, 17)
