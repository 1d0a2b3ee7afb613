"""Validations: staff work any validation (specialists and supervisors write, other staff read or are
refused); a company reads its own (another company's is 404), answers document requests, and its officer
or administrator answers required actions. Objects hang off the certified member (target M)."""

import datetime as dt

from tests.test_access_matrix import api, page

STAFF_PAGE = "staff=200 trade=404 anon=302"
TRADE_PAGE = "trade=200 staff=404 anon=302"
STAFF_WRITE_FORM = "staff=200 specialists=302 trade=404 anon=302"


def _api_write(code: int) -> str:
    return f"staff=403 specialists={code} trade=404 anon=401"


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def _yesterday() -> str:
    return (_today() - dt.timedelta(days=1)).isoformat()


def _soon() -> str:
    return (_today() + dt.timedelta(days=10)).isoformat()


def _answer_upload(world, v) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"answer": "Attached.", "file": SimpleUploadedFile("log.pdf", b"%PDF-1.4 matrix")}


M = {"target": "M"}
ROWS = [
    # Staff pages
    page("GET", "/staff/validations/", STAFF_PAGE, scoped=False),
    page("GET", "/staff/validations/new/", STAFF_PAGE, scoped=False),
    page("GET", "/staff/validations/reviews/", STAFF_PAGE, scoped=False),
    page("GET", "/staff/validations/{validation}/", STAFF_PAGE, **M),
    page("GET", "/staff/validations/{validation}/report.pdf", STAFF_PAGE, **M),
    page("GET", "/staff/validations/files/{attachment}/", STAFF_PAGE, **M),
    page(
        "POST",
        "/staff/validations/{validation}/findings/",
        STAFF_WRITE_FORM,
        body=lambda w, v: {f"result_{v['code']}": "meets"},
        **M,
    ),
    page(
        "POST",
        "/staff/validations/{validation}/do/hours/",
        STAFF_WRITE_FORM,
        body=lambda w, v: {"hours-activity": "report", "hours-hours": "2", "hours-on": _yesterday()},
        **M,
    ),
    page("POST", "/staff/validations/{validation}/visits/{visit}/done/", "staff=302 trade=404 anon=302", **M),
    page("POST", "/staff/validations/{validation}/items/{item}/verify/", "staff=302 trade=404 anon=302", **M),
    # Company pages
    page("GET", "/companies/{pid}/validations/", TRADE_PAGE, **M),
    page(
        "GET",
        "/companies/{pid}/validations/{published}/",
        TRADE_PAGE,
        cross="trade=404 staff=404 anon=302",
        **M,
    ),
    page(
        "GET",
        "/companies/{pid}/validations/{published}/report.pdf",
        TRADE_PAGE,
        cross="trade=404 staff=404 anon=302",
        **M,
    ),
    page(
        "GET",
        "/companies/{pid}/validations/files/{attachment}/",
        TRADE_PAGE,
        cross="trade=404 staff=404 anon=302",
        **M,
    ),
    page(
        "POST",
        "/companies/{pid}/validations/{validation}/requests/{docreq}/answer/",
        "trade=302 staff=404 anon=302",
        body=lambda w, v: {f"req{v['request']}-answer": "Attached."},
        cross="trade=404 staff=404 anon=302",
        **M,
    ),
    page(
        "POST",
        "/companies/{pid}/validations/{published}/items/{required}/respond/",
        "managers=302 contributor=200 consultant=200 staff=404 anon=302",
        body=lambda w, v: {f"item{v['required']}-response": "Our plan."},
        cross="trade=404 staff=404 anon=302",
        **M,
    ),
    # API
    api("GET", "/validations", "authenticated=200 anon=401", scoped=False),
    api(
        "POST",
        "/validations",
        "staff=403 specialists=409 trade=404 anon=401",
        scoped=False,
        body=lambda w, v: {"partner_id": v["pid"], "kind": "revalidation", "specialist_id": w["scs"]},
        **M,
    ),
    api("GET", "/validations/{validation}", "authenticated=200 anon=401", **M),
    api("GET", "/validations/{validation}/findings", "authenticated=200 anon=401", **M),
    api("GET", "/validations/{validation}/hours", "staff=200 trade=404 anon=401", **M),
    api(
        "PUT",
        "/validations/{validation}/sites",
        _api_write(200),
        body=lambda w, v: {"site_ids": [v["vsite"]]},
        **M,
    ),
    api(
        "POST",
        "/validations/{validation}/visits",
        _api_write(201),
        body=lambda w, v: {"kind": "virtual", "scheduled_for": f"{_soon()}T10:00:00Z"},
        **M,
    ),
    api(
        "POST",
        "/validations/{validation}/document-requests",
        _api_write(201),
        body=lambda w, v: {"text": "Seal log", "due_on": _soon()},
        **M,
    ),
    api(
        "PUT",
        "/validations/{validation}/findings",
        _api_write(200),
        body=lambda w, v: {"findings": [{"code": v["code"], "result": "meets"}]},
        **M,
    ),
    api(
        "POST",
        "/validations/{validation}/hours",
        _api_write(201),
        body=lambda w, v: {"activity": "report", "hours": "1.5", "on": _yesterday()},
        **M,
    ),
    api(
        "POST",
        "/validations/{validation}/items",
        _api_write(201),
        body=lambda w, v: {"kind": "recommendation", "text": "Train the gate staff."},
        **M,
    ),
    api(
        "POST", "/validations/{validation}/items/{item}/verify", _api_write(200), body={"verified": True}, **M
    ),
    api("POST", "/validations/{published}/items/{required}/close", _api_write(200), body={"note": "ok"}, **M),
    api(
        "POST",
        "/validations/{validation}/report/submit",
        _api_write(422),
        body={"outcome": "meets", "summary": "Met."},
        **M,
    ),
    api(
        "POST",
        "/validations/{vreview}/report/review",
        "staff=403 supervisors=200 trade=404 anon=401",
        body={"decision": "approve"},
        **M,
    ),
    api("POST", "/validations/{published}/close", _api_write(409), body={"reason": ""}, **M),
    api("POST", "/validations/{validation}/cancel", _api_write(200), body={"reason": "Matrix"}, **M),
    api(
        "POST",
        "/validations/{validation}/document-requests/{docreq}/answer",
        "trade=200 staff=404 anon=401",
        body={"answer": "Here it is."},
        **M,
    ),
    api(
        "POST",
        "/validations/{validation}/document-requests/{docreq}/answer-upload",
        "trade=200 staff=404 anon=401",
        multipart=True,
        body=_answer_upload,
        **M,
    ),
    api(
        "POST",
        "/validations/{published}/items/{required}/response",
        "managers=200 contributor=403 consultant=403 staff=404 anon=401",
        body={"response": "Our plan."},
        **M,
    ),
]


def _objects(ctx, partner) -> dict:
    from django.utils import timezone

    from greenlane.partners.models import Site
    from greenlane.validations import services
    from greenlane.validations.models import ReportReview, Validation, ValidationItem
    from greenlane.validations.snapshot import codes

    scs = ctx.staff["scs"]
    officer = partner.memberships.filter(role="company_officer").first().user
    site = partner.sites.first() or Site.objects.create(
        partner=partner, kind="headquarters", name="HQ", street="1 Main St", city="Newark", country="US"
    )
    working = services.validation_create(
        actor=scs, partner_id=partner.pk, kind="initial", specialist_id=scs.pk
    )
    code = sorted(codes(working.snapshot))[0]
    services.findings_record(actor=scs, validation_id=working.pk, rows=[{"code": code, "result": "meets"}])
    visit = services.visit_schedule(
        actor=scs,
        validation_id=working.pk,
        kind="virtual",
        scheduled_for=timezone.now() + dt.timedelta(days=5),
    )
    soon = timezone.localdate() + dt.timedelta(days=10)
    request = services.document_request_create(
        actor=scs, validation_id=working.pk, text_="Seal log", due_on=soon
    )
    answered = services.document_request_create(actor=scs, validation_id=working.pk, text_="Map", due_on=soon)
    services.document_request_answer(
        actor=officer,
        validation_id=working.pk,
        request_id=answered.pk,
        answer="Attached.",
        filename="map.txt",
        data=b"Gate 1, gate 2.\n",
    )
    item = services.item_create(
        actor=scs, validation_id=working.pk, kind="best_practice", text_="Video seals"
    )
    # Later states, written directly (a company has one open validation at a time through the services).
    now = timezone.now()
    published = Validation.objects.create(
        partner=partner,
        kind="oversight",
        status="published",
        specialist=scs,
        snapshot=working.snapshot,
        outcome="meets",
        report_summary="Met.",
        submitted_at=now,
        published_at=now,
        supervisor=ctx.staff["supervisory_scs"],
    )
    required = ValidationItem.objects.create(
        validation=published,
        kind="required_action",
        criterion_code=code,
        text="Log seals",
        created_by=scs,
        response="We will.",
        responded_at=now,
        responder=officer,
        due_on=soon,
    )
    review = Validation.objects.create(
        partner=partner,
        kind="for_cause",
        status="report_review",
        specialist=scs,
        snapshot=working.snapshot,
        outcome="meets",
        report_summary="Met.",
        submitted_at=now,
    )
    ReportReview.objects.create(validation=review, submitted_by=scs, proposed_outcome="meets")
    return {
        "validation": working.pk,
        "code": code,
        "visit": visit.pk,
        "docreq": request.pk,
        "attachment": answered.attachments.get().pk,
        "item": item.pk,
        "vsite": site.pk,
        "published": published.pk,
        "required": required.pk,
        "vreview": review.pk,
    }


def build(ctx):
    return _objects(ctx, ctx.own["M"]), _objects(ctx, ctx.foreign["M"])
