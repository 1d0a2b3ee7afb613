from __future__ import annotations

import pytest

from greenlane.svi.models import MonitoringLink, SviParticipation, Webhook

from .support import S, certified, ior_of, move

pytestmark = pytest.mark.django_db
API = "/api/v1/svi"


@pytest.fixture
def two(user_factory, auth_header):
    ua, ub = user_factory("svi-api-a@example.com"), user_factory("svi-api-b@example.com")
    a, b = certified(ua, name="Api Alpha"), certified(ub, name="Api Bravo")
    return ua, ub, a, b, auth_header(ua), auth_header(ub)


def test_join_request_accept_monitored(client, two):
    _ua, _ub, _a, b, ha, hb = two
    r = client.post(f"{API}/join", {"share": "status_tier"}, content_type="application/json", **ha)
    assert r.status_code == 201 and r.json()["participating"] and r.json()["may_query"]
    client.post(f"{API}/join", {}, content_type="application/json", **hb)
    r = client.post(
        f"{API}/requests",
        {"identifier_type": "ior", "identifier_value": ior_of(b), "message": "hi"},
        content_type="application/json",
        **ha,
    )
    assert r.status_code == 201 and r.json()["status"] == "pending" and r.json()["direction"] == "outgoing"
    link_id = r.json()["id"]
    r = client.get(f"{API}/requests", **hb)
    assert [x["direction"] for x in r.json()] == ["incoming"]
    r = client.post(f"{API}/requests/{link_id}/accept", **hb)
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    r = client.get(f"{API}/monitored", **ha)
    item = r.json()["items"][0]
    assert item["partner"]["name"] == "Api Bravo" and item["partner"]["status"] == "certified"
    assert item["partner"]["tier"] is None  # Bravo shares status only
    move(b, S.SUSPENDED)
    assert client.get(f"{API}/monitored", **ha).json()["items"][0]["partner"]["status"] == "suspended"


def test_decline_then_403(client, two):
    _ua, _ub, _a, b, ha, hb = two
    client.post(f"{API}/join", {}, content_type="application/json", **ha)
    client.post(f"{API}/join", {}, content_type="application/json", **hb)
    link = client.post(f"{API}/requests", {"target_id": b.pk}, content_type="application/json", **ha).json()
    r = client.post(
        f"{API}/requests/{link['id']}/decline", {"reason": "no"}, content_type="application/json", **hb
    )
    assert r.json()["status"] == "declined"
    r = client.post(f"{API}/requests", {"target_id": b.pk}, content_type="application/json", **ha)
    assert r.status_code == 403 and "unblock" in r.json()["detail"]
    # the requester cannot act on the target's side: 404
    assert client.post(f"{API}/requests/{link['id']}/unblock", **ha).status_code == 404
    assert MonitoringLink.objects.count() == 1


def test_verify_json_and_refusals(client, two, user_factory, auth_header):
    _ua, _ub, a, b, ha, hb = two
    r = client.post(
        f"{API}/verify", [{"type": "ior", "value": ior_of(b)}], content_type="application/json", **ha
    )
    assert r.status_code == 403 and "Join it first" in r.json()["detail"]
    client.post(f"{API}/join", {}, content_type="application/json", **ha)
    client.post(f"{API}/join", {"share": "status_tier"}, content_type="application/json", **hb)
    items = [
        {"type": "ior", "value": ior_of(b)},
        {"type": "ior", "value": "x"},
        {"value": "1"},
        {"type": "eori", "value": "DE1"},
    ]
    r = client.post(f"{API}/verify", items, content_type="application/json", **ha)
    assert r.status_code == 200
    body = r.json()
    assert [x["result"] for x in body["results"]] == ["found", "error", "error", "not_found"]
    assert body["results"][0]["tier"] == 1 and body["results"][0]["company"] == "Api Bravo"
    move(a, S.SUSPENDED)
    r = client.post(f"{API}/verify", items, content_type="application/json", **ha)
    assert r.status_code == 403 and "suspended" in r.json()["detail"]


def test_single_status_lookup_audited(client, two):
    from greenlane.audit.models import AuditEvent

    _ua, _ub, a, b, ha, hb = two
    client.post(f"{API}/join", {}, content_type="application/json", **ha)
    r = client.get(f"{API}/status", {"type": "ior", "value": ior_of(b)}, **ha)
    assert r.status_code == 200 and r.json()["partner"]["status"] == "not participating"
    assert r.json()["partner"]["name"] == ""
    client.post(f"{API}/join", {}, content_type="application/json", **hb)
    r = client.get(f"{API}/status", {"type": "ior", "value": ior_of(b).lower()}, **ha)
    assert r.json()["partner"]["status"] == "certified" and r.json()["program"] == "C-TPAT"
    assert client.get(f"{API}/status", {"type": "ior", "value": "??"}, **ha).status_code == 422
    assert AuditEvent.objects.filter(action="svi.lookup", partner=a).count() == 2
    assert (
        client.get(f"{API}/status", {"type": "ior", "value": "1", "partner": b.pk}, **ha).status_code == 404
    )


def test_webhooks_api(client, two):
    _ua, _ub, _a, _b, ha, hb = two
    client.post(f"{API}/join", {}, content_type="application/json", **ha)
    r = client.post(f"{API}/webhooks", {"url": "https://10.0.0.1/x"}, content_type="application/json", **ha)
    assert r.status_code == 422 and r.json()["field"] == "url"
    r = client.post(
        f"{API}/webhooks", {"url": "https://hooks.example.com/x"}, content_type="application/json", **ha
    )
    assert r.status_code == 201 and r.json()["secret"].startswith("whsec_")
    hook_id = r.json()["id"]
    assert "secret" not in client.get(f"{API}/webhooks", **ha).json()[0]
    assert client.get(f"{API}/webhooks/{hook_id}/deliveries", **ha).json()["count"] == 0
    assert client.get(f"{API}/webhooks/{hook_id}/deliveries", **hb).status_code == 404
    assert client.post(f"{API}/webhooks/{hook_id}/rotate", **ha).status_code == 200
    assert client.delete(f"{API}/webhooks/{hook_id}", **hb).status_code == 404
    assert client.delete(f"{API}/webhooks/{hook_id}", **ha).status_code == 204
    assert not Webhook.objects.get().active


def test_settings_leave_notices(client, two):
    _ua, _ub, _a, _b, ha, _hb = two
    assert client.get(f"{API}/settings", **ha).json()["participating"] is False
    client.post(f"{API}/join", {}, content_type="application/json", **ha)
    r = client.put(f"{API}/settings", {"share": "status_tier_contact"}, content_type="application/json", **ha)
    assert r.status_code == 422 and r.json()["field"] == "contact_email"
    r = client.post(f"{API}/leave", {}, content_type="application/json", **ha)
    assert r.json()["participating"] is False and not SviParticipation.objects.get().active
    r = client.post(
        f"{API}/notices",
        {"recipient_company": "Far", "recipient_email": "a@far.example"},
        content_type="application/json",
        **ha,
    )
    assert r.status_code == 201
    assert client.get(f"{API}/notices", **ha).json()["count"] == 1


def test_staff_and_anonymous(client, staff, auth_header):
    assert client.get(f"{API}/monitored").status_code == 401
    assert client.get(f"{API}/monitored", **auth_header(staff["scs"])).status_code == 404
