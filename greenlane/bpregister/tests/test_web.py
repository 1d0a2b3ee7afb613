import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from greenlane.bpregister import services
from greenlane.bpregister.models import Questionnaire, RegisterAudit, RegisterEntry
from greenlane.mra.tests.support import certified

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _entry(officer, member, **kw):
    data = {"name": "Bajío Trucking", "partner_type": "highway_carrier", "country": "MX", **kw}
    return services.entry_create(actor=officer, partner_id=member.pk, data=services.EntryInput(**data))


def test_list_detail_and_create_pages(login, officer, member):
    client = login(officer)
    assert (
        "No business partner matches"
        in client.get(f"/companies/{member.pk}/business-partners/").content.decode()
    )
    response = client.post(
        f"/companies/{member.pk}/business-partners/new/",
        {"name": "Norte Packers", "partner_type": "packer", "country": "MX"},
    )
    entry = RegisterEntry.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{entry.pk}/")
    page = client.get(f"/companies/{member.pk}/business-partners/{entry.pk}/").content.decode()
    assert "Norte Packers" in page and "No security questionnaire answered." in page
    listing = client.get(f"/companies/{member.pk}/business-partners/").content.decode()
    assert "Norte Packers" in listing


def test_create_with_bad_input_shows_errors(login, officer, member):
    response = login(officer).post(
        f"/companies/{member.pk}/business-partners/new/",
        {"name": "X", "partner_type": "packer", "country": "DE", "id_type": "eori", "id_value": "US1"},
    )
    assert response.status_code == 200
    assert "EU member state" in response.content.decode()
    assert RegisterEntry.objects.count() == 0


def test_another_companys_entry_is_404(login, officer, member, user_factory):
    entry = _entry(officer, member)
    stranger = user_factory("stranger@x.example")
    other = certified(stranger)
    client = login(stranger)
    assert client.get(f"/companies/{member.pk}/business-partners/").status_code == 404
    assert client.get(f"/companies/{other.pk}/business-partners/{entry.pk}/").status_code == 404
    assert client.post(f"/companies/{other.pk}/business-partners/{entry.pk}/delete/").status_code == 404
    assert RegisterEntry.objects.count() == 1


def test_staff_get_404(login, staff, member):
    assert (
        login(staff["program_manager"]).get(f"/companies/{member.pk}/business-partners/").status_code == 404
    )


def test_audit_with_file_and_download(login, officer, member):
    entry = _entry(officer, member)
    client = login(officer)
    response = client.post(
        f"/companies/{member.pk}/business-partners/{entry.pk}/audits/",
        {
            "date": timezone.localdate().isoformat(),
            "kind": "site_visit",
            "result": "passed",
            "file": SimpleUploadedFile("visit.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    audit = RegisterAudit.objects.get()
    download = client.get(f"/companies/{member.pk}/business-partners/{entry.pk}/audits/{audit.pk}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG


def test_audit_with_future_date_shows_error(login, officer, member):
    entry = _entry(officer, member)
    response = login(officer).post(
        f"/companies/{member.pk}/business-partners/{entry.pk}/audits/",
        {
            "date": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
            "kind": "site_visit",
            "result": "passed",
        },
    )
    assert response.status_code == 200 and "cannot be in the future" in response.content.decode()
    assert RegisterAudit.objects.count() == 0


def test_questionnaire_journey_through_login_free_link(
    login, officer, member, client, django_capture_on_commit_callbacks
):
    entry = _entry(officer, member)
    with django_capture_on_commit_callbacks(execute=True):
        login(officer).post(
            f"/companies/{member.pk}/business-partners/{entry.pk}/questionnaires/",
            {"email": "ops@bajio.example"},
        )
    link = next(line for line in mail.outbox[0].body.splitlines() if "/register/questionnaire/" in line)
    path = link[link.index("/register/questionnaire/") :].strip()
    page = client.get(path)
    assert page.status_code == 200 and "ISO 17712" in page.content.decode()
    q = Questionnaire.objects.get()
    data = {"respondent_name": "Ana Ruiz"} | {f"a_{x['id']}": "yes" for x in q.questions} | {"a_seals": "no"}
    done = client.post(path, data)
    assert done.status_code == 200 and "Thank you" in done.content.decode()
    again = client.get(path)
    assert again.status_code == 410 and "already answered" in again.content.decode()
    assert client.post(path, data).status_code == 410
    detail = login(officer).get(f"/companies/{member.pk}/business-partners/{entry.pk}/").content.decode()
    assert "Answered" in detail and "questionnaire answers are" in detail
    answers = login(officer).get(
        f"/companies/{member.pk}/business-partners/{entry.pk}/questionnaires/{q.pk}/"
    )
    assert "Ana Ruiz" in answers.content.decode()


def test_expired_link_page(client, officer, member):
    entry = _entry(officer, member)
    q, token = services.questionnaire_send(
        actor=officer, partner_id=member.pk, entry_id=entry.pk, email="a@b.example"
    )
    Questionnaire.objects.filter(pk=q.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(f"/register/questionnaire/{token}/")
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert client.get("/register/questionnaire/unknown/").status_code == 410


def test_incomplete_answers_show_errors(client, officer, member):
    entry = _entry(officer, member)
    _q, token = services.questionnaire_send(
        actor=officer, partner_id=member.pk, entry_id=entry.pk, email="a@b.example"
    )
    response = client.post(f"/register/questionnaire/{token}/", {"respondent_name": ""})
    assert response.status_code == 200 and "Please correct" in response.content.decode()
    assert Questionnaire.objects.get().answered_at is None


def test_reevaluate_and_delete_pages(login, officer, member):
    entry = _entry(officer, member)
    client = login(officer)
    client.post(f"/companies/{member.pk}/business-partners/{entry.pk}/reevaluate/", {"notes": "ok"})
    assert entry.reevaluations.count() == 1
    client.post(f"/companies/{member.pk}/business-partners/{entry.pk}/delete/", {"reason": "gone"})
    assert RegisterEntry.objects.count() == 0


def test_import_page(login, officer, member):
    content = b"name,partner_type,country\nNorte Packers,packer,MX\nBad,packer,QQ\n"
    response = login(officer).post(
        f"/companies/{member.pk}/business-partners/import/",
        {"file": SimpleUploadedFile("p.csv", content, content_type="text/csv")},
    )
    page = response.content.decode()
    assert "1 added" in page and "import-errors" in page
    assert RegisterEntry.objects.count() == 1


def test_list_page_query_count_constant(login, officer, member, django_assert_max_num_queries):
    for i in range(12):
        _entry(officer, member, name=f"P{i}", id_type="eori", id_value=f"DE{100 + i}", country="DE")
    client = login(officer)
    client.get(f"/companies/{member.pk}/business-partners/")
    with django_assert_max_num_queries(20):
        assert client.get(f"/companies/{member.pk}/business-partners/").status_code == 200


# --- API ---------------------------------------------------------------------------------------------------


def test_api_crud_and_actions(client, officer, member, auth_header):
    h = auth_header(officer)
    base = f"/api/v1/register/partners/{member.pk}/entries"
    created = client.post(
        base,
        {"name": "Rhein", "partner_type": "warehouse", "country": "DE"},
        content_type="application/json",
        **h,
    )
    assert created.status_code == 201
    body = created.json()
    assert body["risk"]["level"] in ("low", "medium", "high") and body["risk"]["reasons"][0]["text"]
    eid = body["id"]
    assert client.get(base, **h).json()["count"] == 1
    updated = client.put(
        f"{base}/{eid}",
        {"name": "Rhein GmbH", "partner_type": "warehouse", "country": "DE"},
        content_type="application/json",
        **h,
    )
    assert updated.json()["name"] == "Rhein GmbH"
    audit = client.post(
        f"{base}/{eid}/audits",
        {"date": timezone.localdate().isoformat(), "kind": "document_review", "result": "failed"},
        content_type="application/json",
        **h,
    )
    assert audit.status_code == 201
    assert client.get(f"{base}/{eid}", **h).json()["latest_audit"] == "failed"
    r = client.post(f"{base}/{eid}/reevaluations", {"notes": ""}, content_type="application/json", **h)
    assert r.status_code == 201 and r.json()["risk_level"] == "high"
    q = client.post(
        f"{base}/{eid}/questionnaires", {"email": "x@rhein.example"}, content_type="application/json", **h
    )
    assert q.status_code == 201 and "token" not in q.json()
    assert len(client.get(f"{base}/{eid}/questionnaires", **h).json()) == 1
    assert client.get(f"/api/v1/register/partners/{member.pk}/reevaluations/overdue", **h).json() == []
    assert client.delete(f"{base}/{eid}", **h).status_code == 204


def test_api_bad_input_and_tenancy(client, officer, member, user_factory, auth_header):
    h = auth_header(officer)
    base = f"/api/v1/register/partners/{member.pk}/entries"
    bad = client.post(
        base, {"name": "", "partner_type": "x", "country": "QQ"}, content_type="application/json", **h
    )
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {
        "name",
        "partner_type",
        "country",
    }
    entry = _entry(officer, member)
    stranger = user_factory("s@x.example")
    certified(stranger)
    assert client.get(f"{base}/{entry.pk}", **auth_header(stranger)).status_code == 404
    assert RegisterEntry.objects.count() == 1


def test_api_import(client, officer, member, auth_header):
    response = client.post(
        f"/api/v1/register/partners/{member.pk}/entries/import",
        {"file": SimpleUploadedFile("p.csv", b"name,partner_type,country\nA,packer,MX\nB,packer,QQ\n")},
        **auth_header(officer),
    )
    assert response.status_code == 200
    assert response.json()["created"] == 1 and response.json()["errors"][0]["line"] == 3
