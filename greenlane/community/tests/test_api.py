from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import bearer
from greenlane.community.models import Document, Post, Thread

from .conftest import PDF, TEXT

pytestmark = pytest.mark.django_db
API = "/api/v1/community"


def _call(user, method, path, body=None):
    client = Client()
    payload = json.dumps(body) if body is not None else ""
    return client.generic(method, API + path, payload, "application/json", **bearer(user))


def test_boards_api(world, staff):
    created = _call(staff["scs"], "POST", "/topics", {"title": "Cargo theft", "description": "Trends"})
    assert created.status_code == 201
    topic_id = created.json()["id"]
    assert _call(world.officer, "POST", "/topics", {"title": "No"}).status_code == 404
    assert [t["title"] for t in _call(world.officer, "GET", "/topics").json()] == ["Cargo theft"]
    thread = _call(
        world.officer, "POST", f"/topics/{topic_id}/threads", {"title": "GPS", "body": "Trackers?"}
    )
    assert thread.status_code == 201
    thread_id = thread.json()["id"]
    reply = _call(
        world.contributor, "POST", f"/threads/{thread_id}/posts", {"body": "Yes", "display": "company"}
    )
    assert reply.status_code == 201 and reply.json()["signature"] == "Acme Imports"
    posts = _call(world.other_officer, "GET", f"/threads/{thread_id}/posts").json()
    assert posts["count"] == 2
    # Moderation: lock, then a post is refused with 409 and nothing stored.
    locked = _call(staff["scs"], "POST", f"/threads/{thread_id}/moderate", {"action": "lock"})
    assert locked.status_code == 200 and locked.json()["locked"] is True
    count = Post.objects.count()
    refused = _call(world.officer, "POST", f"/threads/{thread_id}/posts", {"body": "Hello?"})
    assert refused.status_code == 409 and "locked" in refused.json()["detail"]
    assert Post.objects.count() == count
    bad = _call(staff["scs"], "POST", f"/threads/{thread_id}/moderate", {"action": "explode"})
    assert bad.status_code == 422 and bad.json()["field"] == "action"
    # Reports and their decision.
    post_id = reply.json()["id"]
    report = _call(world.other_officer, "POST", f"/posts/{post_id}/reports", {"reason": "Off topic"})
    assert report.status_code == 201
    assert _call(world.officer, "GET", "/reports").status_code == 404
    assert _call(staff["auditor"], "GET", "/reports").json()["count"] == 1
    decided = _call(
        staff["scs"],
        "POST",
        f"/reports/{report.json()['id']}/decide",
        {"decision": "resolved", "note": "Hidden", "hide_post": True},
    )
    assert decided.status_code == 200 and decided.json()["status"] == "resolved"
    hidden = _call(world.other_officer, "GET", f"/threads/{thread_id}/posts").json()["items"][1]
    assert hidden["hidden"] is True and hidden["body"] == "" and hidden["hidden_reason"] is None
    shown = _call(staff["scs"], "POST", f"/posts/{post_id}/hide", {"hidden": False})
    assert shown.json()["hidden"] is False
    assert _call(world.outsider, "GET", "/topics").status_code == 403
    assert Thread.objects.count() == 1


def test_library_api(world, staff):
    client = Client()
    response = client.post(
        f"{API}/library",
        {
            "title": "Seal guide",
            "category": "guide",
            "tags": "seals",
            "file": SimpleUploadedFile("g.pdf", PDF),
        },
        **bearer(staff["program_manager"]),
    )
    assert response.status_code == 201, response.content
    doc_id = response.json()["id"]
    response = client.post(
        f"{API}/library/{doc_id}/versions",
        {"file": SimpleUploadedFile("g.txt", TEXT), "note": "v2"},
        **bearer(staff["program_manager"]),
    )
    assert response.status_code == 201 and response.json()["version"] == 2
    detail = _call(world.officer, "GET", f"/library/{doc_id}").json()
    assert [v["version"] for v in detail["versions"]] == [2, 1]
    assert detail["versions"][1]["download_url"] == f"/community/library/{doc_id}/versions/1/download/"
    assert _call(world.officer, "GET", "/library?q=seal").json()["count"] == 1
    bad = client.post(
        f"{API}/library",
        {"title": "x", "file": SimpleUploadedFile("x.pdf", b"hello")},
        **bearer(staff["program_manager"]),
    )
    assert bad.status_code == 422 and bad.json()["field"] == "file"
    assert (
        client.post(
            f"{API}/library",
            {"title": "x", "file": SimpleUploadedFile("x.pdf", PDF)},
            **bearer(world.officer),
        ).status_code
        == 404
    )


def test_exchange_api_tenancy(world, staff):
    client = Client()
    response = client.post(
        f"{API}/exchange/{world.member.pk}/documents",
        {"title": "Seal log", "file": SimpleUploadedFile("log.txt", TEXT)},
        **bearer(world.officer),
    )
    assert response.status_code == 201
    doc_id = response.json()["id"]
    assert _call(world.officer, "GET", f"/exchange/{world.member.pk}/documents").json()["count"] == 1
    assert _call(world.other_officer, "GET", f"/exchange/{world.member.pk}/documents").status_code == 404
    assert (
        _call(world.other_officer, "GET", f"/exchange/{world.other.pk}/documents/{doc_id}").status_code == 404
    )
    assert _call(staff["scs"], "GET", f"/exchange/{world.member.pk}/documents/{doc_id}").status_code == 200
    refused = client.post(
        f"{API}/exchange/{world.member.pk}/documents/{doc_id}/versions",
        {"file": SimpleUploadedFile("log.exe", b"MZ\x90\x00")},
        **bearer(world.officer),
    )
    assert refused.status_code == 422
    assert Document.objects.get().latest_version == 1


def test_practices_api(world, staff):
    body = {
        "partner_id": world.member.pk,
        "title": "Gate seal checks",
        "category": 6,
        "naics_sector": "42",
        "description": "Two guards check every seal at the gate and log it.",
        "criteria": [],
    }
    created = _call(world.officer, "POST", "/best-practices", body)
    assert created.status_code == 201, created.content
    practice_id = created.json()["id"]
    assert _call(world.other_officer, "GET", f"/best-practices/{practice_id}").status_code == 404
    assert (
        _call(
            staff["scs"], "POST", f"/best-practices/{practice_id}/decide", {"decision": "approved"}
        ).status_code
        == 403
    )
    approved = _call(
        staff["program_manager"], "POST", f"/best-practices/{practice_id}/decide", {"decision": "approved"}
    )
    assert approved.json()["status"] == "approved"
    listed = _call(world.other_officer, "GET", "/best-practices?category=6&naics_sector=42").json()
    assert listed["count"] == 1 and "Acme" not in listed["items"][0]["company"]
    consent = _call(
        world.officer,
        "POST",
        f"/best-practices/{practice_id}/consent",
        {"partner_id": world.member.pk, "consent": True},
    )
    assert consent.json()["company"] == "Acme Imports"
    assert _call(world.other_officer, "GET", "/best-practices?size_band=very_large").json()["count"] == 0
    bad = _call(world.officer, "POST", "/best-practices", {**body, "naics_sector": "00"})
    assert bad.status_code == 422 and bad.json()["field"] == "naics_sector"
