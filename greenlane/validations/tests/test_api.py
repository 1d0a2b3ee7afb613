"""The validations API: staff work the record, the company reads its own and answers; bad input refused."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from greenlane.validations.models import Finding, HoursEntry
from greenlane.validations.snapshot import codes

from .support import member, opened, ready_report

pytestmark = pytest.mark.django_db
BASE = "/api/v1/validations"


def _call(client: Client, method: str, url: str, headers: dict, body=None):
    fn = getattr(client, method)
    if body is None:
        return fn(url, **headers)
    return fn(url, data=json.dumps(body), content_type="application/json", **headers)


def test_staff_create_record_and_company_scope(scs, supervisor, officer, partner, auth_header, user_factory):
    c = Client()
    h = auth_header(scs)
    r = _call(c, "post", BASE, h, {"partner_id": partner.pk, "kind": "initial", "specialist_id": scs.pk})
    assert r.status_code == 201, r.content
    vid = r.json()["id"]
    code = sorted(codes(partner.validations.get().snapshot))[0]
    r = _call(c, "put", f"{BASE}/{vid}/findings", h, {"findings": [{"code": "99.9", "result": "meets"}]})
    assert r.status_code == 422 and r.json()["field"] == "findings.99.9"
    assert Finding.objects.count() == 0
    r = _call(c, "put", f"{BASE}/{vid}/findings", h, {"findings": [{"code": code, "result": "meets"}]})
    assert r.status_code == 200 and r.json()[0]["criterion_code"] == code
    r = _call(c, "post", f"{BASE}/{vid}/hours", h, {"activity": "on_site", "hours": "-2", "on": "2026-01-05"})
    assert r.status_code == 422 and r.json()["field"] == "hours"
    assert HoursEntry.objects.count() == 0
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    r = _call(c, "post", f"{BASE}/{vid}/hours", h, {"activity": "on_site", "hours": "7.5", "on": yesterday})
    assert r.status_code == 201
    detail = _call(c, "get", f"{BASE}/{vid}", h).json()
    assert detail["findings_recorded"] == 1 and detail["hours_total"] == "7.50"

    # The company reads its own validation (no hours, no report yet); a foreign company gets 404.
    oh = auth_header(officer)
    mine = _call(c, "get", f"{BASE}?partner={partner.pk}", oh).json()
    assert [v["id"] for v in mine["items"]] == [vid]
    assert _call(c, "get", f"{BASE}/{vid}", oh).json()["hours_total"] is None
    assert _call(c, "get", f"{BASE}/{vid}/findings", oh).json() == []
    assert _call(c, "get", f"{BASE}/{vid}/hours", oh).status_code == 404
    stranger = user_factory("other@trade.example")
    other = member(stranger, name="Other Co")
    sh = auth_header(stranger)
    assert _call(c, "get", f"{BASE}/{vid}", sh).status_code == 404
    assert _call(c, "get", f"{BASE}?partner={partner.pk}", sh).status_code == 404
    assert _call(c, "get", f"{BASE}?partner={other.pk}", sh).json()["count"] == 0
    assert (
        _call(
            c, "post", BASE, oh, {"partner_id": partner.pk, "kind": "initial", "specialist_id": scs.pk}
        ).status_code
        == 404
    )


def test_report_review_by_author_is_403_and_publish_then_company_responds(
    scs, supervisor, officer, partner, auth_header
):
    c = Client()
    v = opened(scs, partner)
    ready_report(scs, v)
    code = sorted(codes(v.snapshot))[0]
    h = auth_header(scs)
    r = _call(
        c,
        "post",
        f"{BASE}/{v.pk}/items",
        h,
        {"kind": "required_action", "text": "Fix", "criterion_code": code},
    )
    item = r.json()["id"]
    r = _call(c, "post", f"{BASE}/{v.pk}/report/submit", h, {"outcome": "meets", "summary": "Met."})
    assert r.status_code == 200 and r.json()["status"] == "report_review"
    r = _call(c, "post", f"{BASE}/{v.pk}/report/review", h, {"decision": "approve"})
    assert r.status_code == 403
    sh = auth_header(supervisor)
    r = _call(c, "post", f"{BASE}/{v.pk}/report/review", sh, {"decision": "approve"})
    assert r.status_code == 200 and r.json()["status"] == "published"
    oh = auth_header(officer)
    r = _call(c, "post", f"{BASE}/{v.pk}/items/{item}/response", oh, {"response": "We will."})
    assert r.status_code == 200 and r.json()["response"] == "We will."
    assert _call(c, "post", f"{BASE}/{v.pk}/items/{item}/close", h, {"note": "ok"}).status_code == 200
    r = _call(c, "post", f"{BASE}/{v.pk}/close", h, {"reason": ""})
    assert r.status_code == 200 and r.json()["tier_result"] == 2
    assert len(_call(c, "get", f"{BASE}/{v.pk}/findings", oh).json()) == len(codes(v.snapshot))


def test_company_answers_a_document_request_with_a_file(scs, officer, partner, auth_header, user_factory):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from greenlane.validations import services
    from greenlane.validations.models import Attachment, DocumentRequest

    v = opened(scs, partner)
    req = services.document_request_create(
        actor=scs, validation_id=v.pk, text_="Seal log", due_on=timezone.localdate() + dt.timedelta(days=14)
    )
    url = f"{BASE}/{v.pk}/document-requests/{req.pk}/answer-upload"
    c = Client()
    oh = auth_header(officer)
    for name, data in (("log.pdf", b"MZ\x90\x00 not a pdf"), ("empty.pdf", b"")):
        r = c.post(url, {"answer": "Here", "file": SimpleUploadedFile(name, data)}, **oh)
        assert r.status_code == 422 and r.json()["field"] == "file", r.content
    r = c.post(url, {"answer": "Here"}, **oh)
    assert r.status_code == 422
    req.refresh_from_db()
    assert req.answered_at is None and Attachment.objects.count() == 0
    stranger = user_factory("someone@else.example")
    r = c.post(
        url, {"answer": "x", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")}, **auth_header(stranger)
    )
    assert r.status_code == 404
    r = c.post(url, {"answer": "Attached.", "file": SimpleUploadedFile("log.pdf", b"%PDF-1.4 test")}, **oh)
    assert r.status_code == 200, r.content
    assert r.json()["files"] == ["log.pdf"] and r.json()["answer"] == "Attached."
    assert DocumentRequest.objects.get(pk=req.pk).attachments.get().content_type == "application/pdf"
