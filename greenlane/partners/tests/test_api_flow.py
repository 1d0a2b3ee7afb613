import json

import pytest

from greenlane.audit.models import AuditEvent
from greenlane.partners.models import Partner

pytestmark = pytest.mark.django_db

CREATE = {
    "entity_type": "importer",
    "legal_name": "Blue Harbor Imports LLC",
    "country": "US",
    "identifiers": [{"type": "ior", "value": "12-3456789AA"}],
    "role": "company_officer",
}


def post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_enroll_sign_submit_through_the_api(client, user_factory, auth_header):
    officer = user_factory("officer@blueharbor.example")
    h = auth_header(officer)
    r = post(client, "/api/v1/partners", CREATE, h)
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    assert r.json()["status"] == "draft"
    assert r.json()["your_role"] == "company_officer"
    r = client.patch(
        f"/api/v1/partners/{pid}",
        json.dumps(
            {
                "business_start_date": "1999-03-01",
                "employee_count": 40,
                "eligibility": {
                    "imported_last_12_months": True,
                    "continuous_bond": True,
                    "us_or_canada_office": True,
                    "no_unpaid_cbp_debt": True,
                    "security_officer_designated": True,
                },
            }
        ),
        content_type="application/json",
        **h,
    )
    assert r.status_code == 200, r.content
    assert (
        post(
            client,
            f"/api/v1/partners/{pid}/sites",
            {"kind": "headquarters", "name": "HQ", "street": "1 Main", "city": "Newark", "country": "US"},
            h,
        ).status_code
        == 201
    )
    assert (
        post(
            client,
            f"/api/v1/partners/{pid}/contacts",
            {"kind": "primary", "name": "Ann", "email": "ann@b.example"},
            h,
        ).status_code
        == 201
    )
    r = post(client, f"/api/v1/partners/{pid}/submit", {}, h)
    assert r.status_code == 422
    assert "agreement" in r.json()["detail"].lower()
    assert "security profile" in r.json()["detail"].lower()
    profile = client.get(f"/api/v1/partners/{pid}/profile", **h).json()
    assert profile["state"] == "draft" and profile["completeness"]["must_total"] > 50
    answers = [
        {"criterion_id": a["criterion_id"], "status": "implemented", "narrative": "Written procedure."}
        for a in profile["answers"]
    ]
    r = post(client, f"/api/v1/partners/{pid}/profile/answers", {"answers": answers}, h)
    assert r.status_code == 200, r.content
    assert r.json() == {"saved": len(answers)}
    r = post(client, f"/api/v1/partners/{pid}/profile/submit", {}, h)
    assert r.status_code == 201, r.content
    r = post(
        client, f"/api/v1/partners/{pid}/agreement", {"name": "Ann Lee", "title": "CEO", "accept": True}, h
    )
    assert r.status_code == 201, r.content
    r = post(client, f"/api/v1/partners/{pid}/submit", {}, h)
    assert r.status_code == 200, r.content
    assert r.json()["decision"] == "certified" and r.json()["partner_status"] == "certified"
    r = post(client, f"/api/v1/partners/{pid}/submit", {}, h)
    assert r.status_code == 409
    assert "Only a draft application can be submitted" in r.json()["detail"]
    events = client.get(f"/api/v1/partners/{pid}/events", **h).json()
    assert [e["action"] for e in events["items"]][:4] == [
        "partner.decision",
        "screening.decision",
        "partner.submit",
        "agreement.sign",
    ]


def test_bad_identifier_is_refused_and_nothing_is_created(client, user_factory, auth_header):
    officer = user_factory("o2@x.example")
    h = auth_header(officer)
    before = (Partner.objects.count(), AuditEvent.objects.filter(action="partner.create").count())
    r = post(client, "/api/v1/partners", {**CREATE, "identifiers": [{"type": "ior", "value": "123"}]}, h)
    assert r.status_code == 422
    body = r.json()
    assert body["field"] == "identifiers[0].value"
    assert "IOR number" in body["detail"]
    assert (Partner.objects.count(), AuditEvent.objects.filter(action="partner.create").count()) == before


def test_unknown_country_names_the_field(client, user_factory, auth_header):
    h = auth_header(user_factory("o3@x.example"))
    r = post(client, "/api/v1/partners", {**CREATE, "country": "ZZ"}, h)
    assert r.status_code == 422
    assert r.json()["field"] == "country"
    assert Partner.objects.count() == 0


def test_foreign_partner_is_404(client, user_factory, auth_header):
    a = user_factory("a@x.example")
    b = user_factory("b@y.example")
    r = post(client, "/api/v1/partners", CREATE, auth_header(a))
    pid = r.json()["id"]
    assert client.get(f"/api/v1/partners/{pid}", **auth_header(b)).status_code == 404
    assert client.get("/api/v1/partners/999999", **auth_header(b)).status_code == 404
