"""/api/v1/comms: the same rules as the services, in JSON and multipart."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from conftest import bearer
from greenlane.comms.models import Attachment, Bulletin, Message, Thread

pytestmark = pytest.mark.django_db


def call(user, method, url, body=None):
    client = Client()
    import json

    payload = json.dumps(body) if body is not None else ""
    return client.generic(method, "/api/v1/comms" + url, payload, "application/json", **bearer(user))


def test_bulletin_flow(world):
    pm = world["staff"]["program_manager"]
    made = call(
        pm,
        "POST",
        "/bulletins",
        {"title": "Seals", "body": "Check seals.", "audience": {"countries": ["CA"]}},
    )
    assert made.status_code == 201, made.content
    bid = made.json()["id"]
    assert made.json()["audience_size"] == 1 and made.json()["status"] == "draft"
    assert call(world["officer_b"], "GET", f"/bulletins/{bid}").status_code == 404  # a draft
    assert call(pm, "POST", f"/bulletins/{bid}/publish", {}).json()["status"] == "published"
    listing = call(world["officer_b"], "GET", "/bulletins").json()
    assert [b["title"] for b in listing["items"]] == ["Seals"] and listing["items"][0]["is_read"] is False
    assert call(world["officer_a"], "GET", "/bulletins").json()["count"] == 0
    assert call(world["officer_a"], "GET", f"/bulletins/{bid}").status_code == 404
    assert call(world["officer_a"], "POST", f"/bulletins/{bid}/read").status_code == 404
    assert call(world["officer_b"], "POST", f"/bulletins/{bid}/read").status_code == 200
    assert call(world["officer_b"], "GET", "/bulletins").json()["items"][0]["is_read"] is True
    receipts = call(pm, "GET", f"/bulletins/{bid}/receipts").json()
    assert receipts["count"] == 1 and receipts["items"][0]["companies"] == ["Bravo Imports"]
    assert call(pm, "POST", f"/bulletins/{bid}/withdraw", {"reason": "Old"}).json()["status"] == "withdrawn"
    assert call(pm, "POST", f"/bulletins/{bid}/publish", {}).status_code == 409


def test_bulletin_bad_input(world):
    pm = world["staff"]["program_manager"]
    r = call(pm, "POST", "/bulletins", {"title": "x", "body": "y", "audience": {"countries": ["ZZ"]}})
    assert r.status_code == 422 and r.json()["field"] == "audience.countries"
    r = call(pm, "POST", "/bulletins", {"title": "x", "body": "y", "kind": "alert"})
    assert r.status_code == 422 and r.json()["field"] == "severity"
    assert (
        call(world["staff"]["auditor"], "POST", "/bulletins", {"title": "x", "body": "y"}).status_code == 403
    )
    assert call(world["officer_a"], "POST", "/bulletins", {"title": "x", "body": "y"}).status_code == 404
    assert not Bulletin.objects.exists()


def test_schedule_via_api(world):
    pm = world["staff"]["program_manager"]
    bid = call(pm, "POST", "/bulletins", {"title": "Later", "body": "Soon."}).json()["id"]
    when = (timezone.now() + dt.timedelta(days=1)).isoformat()
    r = call(pm, "POST", f"/bulletins/{bid}/publish", {"publish_at": when})
    assert r.json()["status"] == "scheduled"


def test_audience_preview(world):
    r = call(world["staff"]["scs"], "GET", "/bulletins/audience?entity_types=importer&tiers=3")
    assert r.json() == {"companies": 1}
    assert call(world["officer_a"], "GET", "/bulletins/audience").status_code == 404


def test_thread_flow_json_and_multipart(world):
    officer, scs = world["officer_a"], world["staff"]["scs"]
    r = call(officer, "POST", "/threads", {"partner_id": world["a"].pk, "subject": "Hi", "body": "Question"})
    assert r.status_code == 201, r.content
    tid = r.json()["id"]
    assert r.json()["specialist"]["email"] == "scs@cbp.example"
    assert call(scs, "GET", "/threads").json()["items"][0]["unread"] == 1
    assert call(scs, "POST", f"/threads/{tid}/messages", {"body": "Answer"}).status_code == 201
    client = Client()
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    r = client.post(
        f"/api/v1/comms/threads/{tid}/messages/upload",
        {"body": "Plan attached", "file": [pdf]},
        **bearer(officer),
    )
    assert r.status_code == 201, r.content
    att = r.json()["attachments"][0]
    assert att["original_name"] == "plan.pdf"
    got = client.get(f"/api/v1/comms/threads/{tid}/attachments/{att['id']}", **bearer(scs))
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF")
    assert (
        client.get(
            f"/api/v1/comms/threads/{tid}/attachments/{att['id']}", **bearer(world["officer_b"])
        ).status_code
        == 404
    )
    detail = call(officer, "GET", f"/threads/{tid}").json()
    assert [m["body"] for m in detail["messages"]] == ["Question", "Answer", "Plan attached"]
    assert call(officer, "GET", f"/threads?partner_id={world['a'].pk}").json()["items"][0]["unread"] == 0
    assert call(officer, "POST", f"/threads/{tid}/read").json()["thread_id"] == tid


def test_thread_refusals_store_nothing(world):
    r = call(
        world["staff"]["vetting_officer"],
        "POST",
        "/threads",
        {"partner_id": world["a"].pk, "subject": "S", "body": "B"},
    )
    assert r.status_code == 403 and "may not write" in r.json()["detail"]
    r = call(
        world["officer_a"], "POST", "/threads", {"partner_id": world["b"].pk, "subject": "S", "body": "B"}
    )
    assert r.status_code == 404
    tid = call(
        world["officer_a"], "POST", "/threads", {"partner_id": world["a"].pk, "subject": "S", "body": "B"}
    ).json()["id"]
    bad = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    r = Client().post(
        f"/api/v1/comms/threads/{tid}/messages/upload",
        {"body": "x", "file": [bad]},
        **bearer(world["officer_a"]),
    )
    assert r.status_code == 422 and r.json()["field"] == "file"
    assert call(world["officer_b"], "POST", f"/threads/{tid}/messages", {"body": "x"}).status_code == 404
    assert (
        call(world["staff"]["auditor"], "POST", f"/threads/{tid}/messages", {"body": "x"}).status_code == 403
    )
    assert Thread.objects.count() == 1 and Message.objects.count() == 1 and not Attachment.objects.exists()


def test_anonymous_is_401():
    assert Client().get("/api/v1/comms/bulletins").status_code == 401
