"""The validation pages: staff journey, company pages, tenancy (404), constant queries on the queue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from greenlane.validations.models import Finding, HoursEntry
from greenlane.validations.snapshot import codes

from .support import member, opened, ready_report

pytestmark = pytest.mark.django_db


def test_staff_pages_walk_the_flow(login, scs, supervisor, officer, partner):
    c = login(scs)
    r = c.post(
        reverse("validations:create"),
        {"create-partner": partner.reference, "create-kind": "initial", "create-specialist": scs.pk},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    v = partner.validations.get()
    for tab in ("overview", "sites", "documents", "findings", "hours", "items", "report"):
        page = c.get(reverse("validations:detail", args=[v.pk]) + f"?tab={tab}")
        assert page.status_code == 200, tab
    first = sorted(codes(v.snapshot))[0]
    r = c.post(
        reverse("validations:findings", args=[v.pk]), {f"result_{first}": "meets", f"note_{first}": "ok"}
    )
    assert r.status_code == 302
    assert Finding.objects.get(validation=v).note == "ok"
    r = c.post(reverse("validations:findings", args=[v.pk]), {"result_99.9": "meets"})
    assert r.status_code == 200 and "not in the frozen profile" in r.content.decode()
    r = c.post(
        reverse("validations:action", args=[v.pk, "hours"]),
        {"hours-activity": "travel", "hours-hours": "-3", "hours-on": "2026-01-01"},
    )
    assert r.status_code == 200 and HoursEntry.objects.count() == 0
    assert "more than zero" in r.content.decode()
    r = c.get(reverse("validations:queue") + "?mine=on")
    assert v.reference in r.content.decode()
    assert c.get(reverse("validations:reviews")).status_code == 200
    assert c.get(reverse("validations:report_pdf", args=[v.pk]))["Content-Type"] == "application/pdf"


def test_company_pages_show_own_validation_and_hide_foreign(
    login, scs, supervisor, officer, partner, user_factory
):
    v = opened(scs, partner)
    ready_report(scs, v)
    first = sorted(codes(v.snapshot))[0]
    from greenlane.validations import services

    item = services.item_create(
        actor=scs, validation_id=v.pk, kind="required_action", text_="Fix", criterion_code=first
    )
    services.report_submit(actor=scs, validation_id=v.pk, outcome="meets", summary="Met.")
    c = login(officer)
    assert c.get(reverse("validations:company_pdf", args=[partner.pk, v.pk])).status_code == 404
    services.report_review(actor=supervisor, validation_id=v.pk, decision="approve")
    assert c.get(reverse("validations:company_list", args=[partner.pk])).status_code == 200
    page = c.get(reverse("validations:company_detail", args=[partner.pk, v.pk]))
    assert page.status_code == 200 and "Fix" in page.content.decode()
    r = c.post(
        reverse("validations:company_respond", args=[partner.pk, v.pk, item.pk]),
        {f"item{item.pk}-response": "Plan"},
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.response == "Plan"
    assert c.get(reverse("validations:company_pdf", args=[partner.pk, v.pk])).status_code == 200
    stranger = user_factory("x@other.example")
    other = member(stranger, name="Elsewhere Co")
    s = login(stranger)
    assert s.get(reverse("validations:company_detail", args=[partner.pk, v.pk])).status_code == 404
    assert s.get(reverse("validations:company_detail", args=[other.pk, v.pk])).status_code == 404
    assert s.get(reverse("validations:detail", args=[v.pk])).status_code == 404


def test_queue_queries_do_not_grow(login, scs, officer):
    c = login(scs)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse("validations:queue")).status_code == 200
        return len(ctx)

    opened(scs, member(officer, name="One Co"))
    few = count()
    for n in range(3):
        opened(scs, member(officer, name=f"Co {n}"))
    assert count() == few


def test_document_answer_with_upload_from_the_portal(login, scs, officer, partner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from greenlane.validations import services

    v = opened(scs, partner)
    req = services.document_request_create(
        actor=scs, validation_id=v.pk, text_="Seal log", due_on=timezone.localdate() + dt.timedelta(days=7)
    )
    c = login(officer)
    bad = SimpleUploadedFile("log.pdf", b"not a pdf", content_type="application/pdf")
    r = c.post(
        reverse("validations:company_answer", args=[partner.pk, v.pk, req.pk]),
        {f"req{req.pk}-answer": "here", f"req{req.pk}-file": bad},
    )
    assert r.status_code == 200
    req.refresh_from_db()
    assert req.answered_at is None
    good = SimpleUploadedFile("log.pdf", b"%PDF-1.4 ok", content_type="application/pdf")
    r = c.post(
        reverse("validations:company_answer", args=[partner.pk, v.pk, req.pk]),
        {f"req{req.pk}-answer": "here", f"req{req.pk}-file": good},
    )
    assert r.status_code == 302
    req.refresh_from_db()
    a = req.attachments.get()
    assert c.get(reverse("validations:company_attachment", args=[partner.pk, a.pk])).status_code == 200


def test_findings_tab_queries_do_not_grow_with_findings(login, scs, partner):
    from greenlane.validations import services

    v = opened(scs, partner)
    c = login(scs)
    url = reverse("validations:detail", args=[v.pk]) + "?tab=findings"
    all_codes = sorted(codes(v.snapshot))
    services.findings_record(actor=scs, validation_id=v.pk, rows=[{"code": all_codes[0], "result": "meets"}])
    with CaptureQueriesContext(connection) as one:
        assert c.get(url).status_code == 200
    services.findings_record(
        actor=scs, validation_id=v.pk, rows=[{"code": x, "result": "meets"} for x in all_codes]
    )
    with CaptureQueriesContext(connection) as every:
        assert c.get(url).status_code == 200
    assert len(every) == len(one)
