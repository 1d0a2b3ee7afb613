"""Criteria pages: browse and download the catalog (everyone signed in); versions, compare, activate."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from greenlane.criteria import selectors
from greenlane.criteria.models import CatalogVersion
from greenlane.partners import services as partner_services
from greenlane.profiles.models import SecurityProfile
from greenlane.profiles.tests.factories import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def v1():
    return CatalogVersion.objects.get(catalog="msc", version="2026.1")


@pytest.fixture
def v2():
    return CatalogVersion.objects.get(catalog="msc", version="2026.2")


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@acme.example")


def _company(officer, entity_type="importer", name="Acme Imports"):
    return partner_services.partner_create(
        actor=officer, entity_type=entity_type, legal_name=name, country="US", role="company_officer"
    )


def _csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


# Browse ----------------------------------------------------------------------------------------------------


def test_browse_defaults_to_the_users_first_company_type(login, officer, v1):
    _company(officer, "sea_carrier", name="Blue Seas")
    response = login(officer).get("/criteria/")
    assert response.status_code == 200
    body = response.content.decode()
    expected = selectors.criteria_for(v1, "sea_carrier").count()
    assert response.context["entity_type"] == "sea_carrier"
    assert response.context["count"] == expected == 104
    assert f"{expected} criteria for Sea carrier" in body
    # 3 focus areas, 12 categories, Must/Should tags.
    assert [a.name for a in response.context["areas"]] == [
        "Corporate Security",
        "Transportation Security",
        "People and Physical Security",
    ]
    assert sum(len(a.categories) for a in response.context["areas"]) == 12
    assert body.count('<span class="usa-tag bg-secondary-dark">Must</span>') == response.context["musts"]
    assert body.count('<span class="usa-tag">Should</span>') == response.context["shoulds"]
    assert "Guidance:" in body and "WCO SAFE Framework" in body
    assert 'href="/criteria/download.csv?entity_type=sea_carrier"' in body
    assert 'href="/criteria/download.pdf?entity_type=sea_carrier"' in body


def test_browse_choose_a_type_or_all(login, officer, staff, v1):
    client = login(officer)  # no company yet: every type
    response = client.get("/criteria/")
    assert response.context["entity_type"] == ""
    assert response.context["count"] == v1.criteria.count()
    assert "Applies to:" in response.content.decode()
    response = client.get("/criteria/?entity_type=customs_broker")
    assert response.context["count"] == selectors.criteria_for(v1, "customs_broker").count()
    response = login(staff["scs"]).get("/criteria/")
    assert (response.status_code, response.context["entity_type"]) == (200, "")


def test_browse_unknown_type_is_a_clear_error(login, officer):
    response = login(officer).get("/criteria/?entity_type=spaceport")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert "areas" not in response.context


def test_browse_needs_sign_in():
    from django.test import Client

    response = Client().get("/criteria/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_browse_query_count_does_not_grow_with_the_criteria(login, officer):
    client = login(officer)
    client.get("/criteria/")  # the session's first request also records when it was last seen
    counts = []
    for entity_type in ("customs_broker", ""):  # 94 criteria, then every one of the 157
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/criteria/?entity_type={entity_type}").status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_staff_browse_another_version_trade_users_always_see_the_active_one(login, staff, officer, v2):
    response = login(staff["scs"]).get(f"/criteria/?version={v2.pk}&entity_type=importer")
    assert response.context["version"] == v2 and response.context["count"] == 102
    assert "This version is not the active one." in response.content.decode()
    assert response.context["query"] == f"?entity_type=importer&version={v2.pk}"
    assert login(staff["scs"]).get("/criteria/?version=999999").status_code == 404
    response = login(officer).get(f"/criteria/?version={v2.pk}&entity_type=importer")
    assert response.context["version"].version == "2026.1"


# Downloads -------------------------------------------------------------------------------------------------


def test_csv_has_a_header_and_one_row_per_criterion_for_the_type(login, officer, v1):
    response = login(officer).get("/criteria/download.csv?entity_type=importer")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="msc-2026.1-importer-criteria.csv"'
    rows = _csv_rows(response)
    expected = list(selectors.criteria_for(v1, "importer"))
    assert [r["id"] for r in rows] == [c.code for c in expected]
    assert len(rows) == 101
    first = rows[0]
    assert list(first) == [
        "catalog",
        "version",
        "entity_type",
        "focus_area",
        "category_number",
        "category",
        "id",
        "level",
        "title",
        "requirement",
        "guidance",
        "applies_to",
        "crosswalk_eu_aeo_saq",
        "crosswalk_wco_safe",
    ]
    assert (first["catalog"], first["version"], first["entity_type"]) == ("msc", "2026.1", "importer")
    assert (
        first["focus_area"] == "Corporate Security"
        and first["category"] == "Security Vision & Responsibility"
    )
    assert first["level"] in ("must", "should") and first["requirement"] == expected[0].requirement
    assert all("importer" in r["applies_to"].split(";") for r in rows)
    assert {r["id"] for r in rows if r["crosswalk_wco_safe"]}


def test_csv_all_types_and_a_revision(login, staff, v1, v2):
    client = login(staff["program_manager"])
    rows = _csv_rows(client.get("/criteria/download.csv?entity_type="))
    assert len(rows) == v1.criteria.count() and {r["entity_type"] for r in rows} == {"all"}
    rows = _csv_rows(client.get(f"/criteria/download.csv?entity_type=importer&version={v2.pk}"))
    assert len(rows) == 102 and "5.15" not in {r["id"] for r in rows} and "4.16" in {r["id"] for r in rows}


def test_pdf_download(login, officer):
    _company(officer)
    response = login(officer).get("/criteria/download.pdf")  # the company's type by default
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="msc-2026.1-importer-criteria.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 20_000
    # The same document again comes from the cache, without a query for the criteria.
    with CaptureQueriesContext(connection) as ctx:
        again = login(officer).get("/criteria/download.pdf?entity_type=importer")
    assert again.content == response.content
    assert not any("criteria_criterion" in q["sql"] for q in ctx.captured_queries)


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_download_unknown_type_is_400(login, officer, fmt):
    response = login(officer).get(f"/criteria/download.{fmt}?entity_type=spaceport")
    assert response.status_code == 400
    assert response.content.decode().startswith("Unknown entity type.")


def test_pdf_falls_back_to_latin1_without_dejavu(monkeypatch, tmp_path, v1):
    from greenlane.criteria import exports

    monkeypatch.setattr(exports, "DEJAVU_DIR", tmp_path)
    criteria = list(selectors.criteria_for(v1, "importer"))
    criteria[0].requirement = "Quotes “like these” — and ✓ symbols"
    body = exports.catalog_pdf(v1, "importer", "U.S. importer", criteria)
    assert body.startswith(b"%PDF-")


# Versions, compare, activate (staff) ---------------------------------------------------------------------


def test_versions_page(login, staff, officer, v1, v2):
    answer_all(officer, _company(officer))
    response = login(staff["auditor"]).get("/criteria/versions/")
    assert response.status_code == 200
    rows = {v.version: v for v in response.context["versions"]}
    assert (rows["2026.1"].criteria_count, rows["2026.2"].criteria_count) == (157, 158)
    assert (rows["2026.1"].category_count, rows["2026.1"].profile_count, rows["2026.2"].profile_count) == (
        12,
        1,
        0,
    )
    assert rows["2026.1"].is_active and rows["2026.2"].newer_than_active
    body = response.content.decode()
    assert v1.checksum[:16] in body and "Ready to activate" in body
    assert f"/criteria/versions/compare/?old={v1.pk}&amp;new={v2.pk}" in body


@pytest.mark.parametrize("url", ["/criteria/versions/", "/criteria/versions/compare/"])
def test_staff_pages_are_404_to_trade_users(login, officer, url):
    _company(officer)
    assert login(officer).get(url).status_code == 404


def test_compare_defaults_to_active_against_the_revision(login, staff, v1, v2):
    response = login(staff["scs"]).get("/criteria/versions/compare/")
    assert response.status_code == 200
    diff = response.context["diff"]
    assert (diff.old, diff.new) == (v1, v2)
    assert [o.code for o, _n in diff.changed] == ["3.9", "4.8", "7.23", "12.1"]
    assert [c.code for c in diff.added] == ["4.16", "9.22"]
    assert [c.code for c in diff.removed] == ["5.15"]
    level_change = response.context["changes"][0]
    assert level_change["fields"] == [("Level", "Should", "Must")]
    body = response.content.decode()
    assert "4 changed criteria" in body and "2 new criteria" in body and "1 removed criterion" in body
    # An SCS sees the changes but not the activation form.
    assert "A program manager or system administrator activates" in body
    assert "/criteria/versions/" + str(v2.pk) + "/activate/" not in body


def test_compare_for_one_entity_type_shows_old_and_new_text(login, staff, v1, v2):
    response = login(staff["program_manager"]).get(
        f"/criteria/versions/compare/?old={v1.pk}&new={v2.pk}&entity_type=customs_broker"
    )
    diff = response.context["diff"]
    assert [o.code for o, _n in diff.changed] == ["4.8", "7.23", "12.1"]
    assert [c.code for c in diff.added] == ["4.16"] and diff.removed == []
    body = response.content.decode()
    old_48, new_48 = diff.changed[0]
    changed_fields = [f[0] for f in response.context["changes"][0]["fields"]]
    assert "Requirement" in changed_fields
    assert old_48.requirement in body and new_48.requirement in body
    assert f'action="/criteria/versions/{v2.pk}/activate/"' in body
    assert 'name="confirm"' in body and "required" in body


def test_compare_same_version_twice_is_an_error(login, staff, v1):
    response = login(staff["scs"]).get(f"/criteria/versions/compare/?old={v1.pk}&new={v1.pk}")
    assert response.status_code == 400
    assert "Choose two different versions." in response.content.decode()


def test_activate_from_the_page_migrates_profiles(login, staff, officer, v1, v2):
    partner = _company(officer)
    answer_all(officer, partner)
    client = login(staff["program_manager"])
    response = client.post(f"/criteria/versions/{v2.pk}/activate/", {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == "/criteria/versions/"
    v2.refresh_from_db()
    assert v2.is_active
    new = SecurityProfile.objects.get(partner=partner, is_current=True)
    assert new.catalog_version == v2
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith(
        "Version 2026.2 is active. 1 security profiles moved to it: 4 changed and 2 new"
    )


def test_activate_needs_confirmation(login, staff, v1, v2):
    client = login(staff["system_admin"])
    back = f"/criteria/versions/compare/?old={v1.pk}&new={v2.pk}"
    response = client.post(f"/criteria/versions/{v2.pk}/activate/", {"back": back})
    assert response.status_code == 302 and response["Location"] == back
    response = client.post(f"/criteria/versions/{v2.pk}/activate/", {"back": "https://evil.example/"})
    assert response["Location"] == "/criteria/versions/"
    v2.refresh_from_db()
    assert not v2.is_active


@pytest.mark.parametrize("role", ["scs", "supervisory_scs", "auditor", "vetting_officer"])
def test_activate_refused_to_other_staff(login, staff, officer, v1, v2, role):
    answer_all(officer, _company(officer))
    response = login(staff[role]).post(f"/criteria/versions/{v2.pk}/activate/", {"confirm": "yes"})
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == "Only a program manager or system admin activates a catalog version."
    v1.refresh_from_db(), v2.refresh_from_db()
    assert (v1.is_active, v2.is_active) == (True, False)
    assert not SecurityProfile.objects.filter(catalog_version=v2).exists()


def test_activate_is_404_to_trade_users_and_post_only(login, staff, officer, v2):
    _company(officer)
    assert login(officer).post(f"/criteria/versions/{v2.pk}/activate/", {"confirm": "yes"}).status_code == 404
    assert login(staff["program_manager"]).get(f"/criteria/versions/{v2.pk}/activate/").status_code == 405
    assert login(staff["program_manager"]).post("/criteria/versions/999999/activate/").status_code == 404
    v2.refresh_from_db()
    assert not v2.is_active


def test_activating_an_older_version_is_refused_with_a_message(login, staff, v1, v2):
    client = login(staff["program_manager"])
    client.post(f"/criteria/versions/{v2.pk}/activate/", {"confirm": "yes"})
    response = client.post(f"/criteria/versions/{v1.pk}/activate/", {"confirm": "yes"})
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages[-1] == "Version 2026.1 is older than the active 2026.2; activate only newer versions."
    v1.refresh_from_db()
    assert not v1.is_active
