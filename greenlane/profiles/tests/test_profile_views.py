import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from greenlane.partners.tests.factories import complete_importer
from greenlane.profiles import selectors, services
from greenlane.profiles.models import EvidenceFile

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@acme.example")


@pytest.fixture
def draft(officer):
    partner = complete_importer(officer, with_profile=False)
    services.profile_ensure(actor=officer, partner_id=partner.pk)
    return partner


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_profile_pages_run_a_constant_number_of_queries(officer, draft, login):
    client = login(officer)
    base = f"/companies/{draft.pk}/profile/"
    services.evidence_upload(actor=officer, partner_id=draft.pk, filename="first.pdf", data=PDF)
    small, large = _queries(client, base + "category/1/"), _queries(client, base + "category/7/")
    assert small == large
    before = _queries(client, base)
    for n in range(3):
        services.evidence_upload(actor=officer, partner_id=draft.pk, filename=f"e{n}.pdf", data=PDF)
    services.answer_save(
        actor=officer,
        partner_id=draft.pk,
        criterion_code="7.1",
        status="implemented",
        evidence_ids=[d.pk for d in selectors.evidence_list(selectors.partner_for(officer, draft.pk))],
    )
    assert _queries(client, base) == before
    assert _queries(client, base + "category/7/") == large


def test_htmx_autosave_returns_only_the_status_line(officer, draft, login):
    client = login(officer)
    url = f"/companies/{draft.pk}/profile/answers/6.2/"
    r = client.post(
        url, {"c-6-2-status": "implemented", "c-6-2-narrative": "Seal log."}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200
    assert b"Saved at" in r.content and b"<form" not in r.content
    assert selectors.answer_for(selectors.current_profile(draft), "6.2").narrative == "Seal log."
    r = client.post(url, {"c-6-2-status": "not_applicable"}, HTTP_HX_REQUEST="true")
    assert r["HX-Retarget"] == "#c-6-2"
    assert b"Explain why criterion 6.2" in r.content
    assert selectors.answer_for(selectors.current_profile(draft), "6.2").status == "implemented"


def test_plain_post_without_javascript_redirects_back_to_the_criterion(officer, draft, login):
    r = login(officer).post(f"/companies/{draft.pk}/profile/answers/6.2/", {"c-6-2-status": "implemented"})
    assert r.status_code == 302
    assert r["Location"].endswith(f"/companies/{draft.pk}/profile/category/6/#c-6-2")


def test_evidence_upload_page_and_download(officer, draft, login, user_factory):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(officer)
    r = client.post(
        f"/companies/{draft.pk}/profile/evidence/",
        {"file": SimpleUploadedFile("policy.pdf", PDF), "title": "Seal policy"},
    )
    assert r.status_code == 302
    record = EvidenceFile.objects.get()
    r = client.get(f"/companies/{draft.pk}/profile/evidence/files/{record.pk}/download/")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert "attachment" in r["Content-Disposition"]
    assert b"".join(r.streaming_content) == PDF
    stranger = login(user_factory("x@y.example"))
    assert (
        stranger.get(f"/companies/{draft.pk}/profile/evidence/files/{record.pk}/download/").status_code == 404
    )
    r = client.post(
        f"/companies/{draft.pk}/profile/evidence/",
        {"file": SimpleUploadedFile("photo.png", PDF), "title": "Not a photo"},
    )
    assert r.status_code == 200
    assert b"its content is pdf" in r.content
    assert EvidenceFile.objects.count() == 1


def test_profile_api(officer, draft, client, auth_header):
    h = auth_header(officer)
    body = client.get(f"/api/v1/partners/{draft.pk}/profile", **h).json()
    assert body["catalog_version"] == "2026.1"
    assert {"criterion_id", "status", "level", "title"} <= set(body["answers"][0])
    r = client.put(
        f"/api/v1/partners/{draft.pk}/profile/answers/6.2",
        json.dumps({"status": "not_applicable", "narrative": ""}),
        content_type="application/json",
        **h,
    )
    assert r.status_code == 422 and r.json()["field"] == "justification"
    r = client.put(
        f"/api/v1/partners/{draft.pk}/profile/answers/6.2",
        json.dumps({"status": "implemented", "narrative": "Seals logged."}),
        content_type="application/json",
        **h,
    )
    assert r.status_code == 200 and r.json()["status"] == "implemented"
    r = client.post(f"/api/v1/partners/{draft.pk}/profile/evidence", {"file": _file("a.png", PDF)}, **h)
    assert r.status_code == 422 and r.json()["field"] == "file"
    r = client.post(
        f"/api/v1/partners/{draft.pk}/profile/evidence", {"file": _file("a.pdf", PDF), "title": "T"}, **h
    )
    assert r.status_code == 201 and r.json()["files"][0]["content_type"] == "application/pdf"
    r = client.post(f"/api/v1/partners/{draft.pk}/profile/submit", **h)
    assert r.status_code == 422 and len(r.json()["errors"]) > 10
    r = client.get("/api/v1/criteria?entity_type=highway_carrier", **h)
    assert r.status_code == 200 and r.json()["count"] > 50
    assert client.get("/api/v1/criteria?entity_type=spaceship", **h).status_code == 422


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)
