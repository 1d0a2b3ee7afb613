"""Access rows for bpregister: a member's business-partner register (its own people only) and the
login-free questionnaire link."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.test_access_matrix import api, page

OWN_PAGE = "trade=200 staff=404 anon=302"
OWN_POST = "trade=302 staff=404 anon=302"
CROSS_PAGE = "trade=404 staff=404 anon=302"
OWN_API = "trade=200 staff=404 anon=401"
CROSS_API = "trade=404 staff=404 anon=401"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ENTRY = {"name": "Matrix Packers", "partner_type": "packer", "country": "MX"}
P = "/companies/{pid}/business-partners/"
E = P + "{entry}/"
A = "/register/partners/{pid}/entries"


def _csv(world, values) -> dict:
    return {"file": SimpleUploadedFile("list.csv", b"name,partner_type,country\nCSV Packers,packer,MX\n")}


def _audit_upload(world, values) -> dict:
    return {
        "date": "2026-01-15",
        "kind": "site_visit",
        "result": "passed",
        "file": SimpleUploadedFile("visit.png", PNG, content_type="image/png"),
    }


def _answers(world, values) -> dict:
    from greenlane.bpregister.models import Questionnaire

    q = Questionnaire.objects.get(pk=values["questionnaire"])
    return {"respondent_name": "Matrix"} | {f"a_{x['id']}": "yes" for x in q.questions}


def _entry_for(ctx, partner, actor):
    from greenlane.bpregister import services

    entry = services.entry_create(
        actor=actor,
        partner_id=partner.pk,
        data=services.EntryInput(
            name=f"Trucks of {partner.pk}", partner_type="highway_carrier", country="MX"
        ),
    )
    audit = services.audit_record(
        actor=actor,
        partner_id=partner.pk,
        entry_id=entry.pk,
        date=entry.created_at.date(),
        kind="site_visit",
        result="findings",
        file_name="visit.png",
        file_data=PNG,
    )
    questionnaire, raw = services.questionnaire_send(
        actor=actor, partner_id=partner.pk, entry_id=entry.pk, email="ops@trucks.example"
    )
    return {"entry": entry.pk, "audit": audit.pk, "questionnaire": questionnaire.pk, "qtoken": raw}


def build(ctx):
    own = _entry_for(ctx, ctx.own["M"], ctx.officer)
    foreign = _entry_for(ctx, ctx.foreign["M"], ctx.foreign_officer)
    # The public link is nobody's tenant object: the same (own) token in both.
    foreign["qtoken"], foreign["questionnaire"] = own["qtoken"], own["questionnaire"]
    return own, foreign


ROWS = [
    page("GET", P, OWN_PAGE, target="M"),
    page("GET", P + "new/", OWN_PAGE, target="M"),
    page("POST", P + "new/", OWN_POST, target="M", body=ENTRY),
    page("GET", P + "import/", OWN_PAGE, target="M"),
    page("POST", P + "import/", OWN_PAGE, target="M", multipart=True, body=_csv),
    page("GET", E, OWN_PAGE, target="M", cross=CROSS_PAGE),
    page("GET", E + "edit/", OWN_PAGE, target="M", cross=CROSS_PAGE),
    page("POST", E + "edit/", OWN_POST, target="M", cross=CROSS_PAGE, body=ENTRY),
    page("POST", E + "delete/", OWN_POST, target="M", cross=CROSS_PAGE, body={"reason": "Matrix"}),
    page("POST", E + "audits/", OWN_POST, target="M", cross=CROSS_PAGE, multipart=True, body=_audit_upload),
    page("GET", E + "audits/{audit}/file/", OWN_PAGE, target="M", cross=CROSS_PAGE),
    page("POST", E + "reevaluate/", OWN_POST, target="M", cross=CROSS_PAGE, body={"notes": "Matrix"}),
    page(
        "POST",
        E + "questionnaires/",
        OWN_POST,
        target="M",
        cross=CROSS_PAGE,
        body={"email": "matrix@trucks.example"},
    ),
    page("GET", E + "questionnaires/{questionnaire}/", OWN_PAGE, target="M", cross=CROSS_PAGE),
    page("GET", "/register/questionnaire/{qtoken}/", "*=200", scoped=False),
    page("POST", "/register/questionnaire/{qtoken}/", "*=200", scoped=False, body=_answers),
    api("GET", A, OWN_API, target="M"),
    api("POST", A, "trade=201 staff=404 anon=401", target="M", body=ENTRY),
    api("POST", A + "/import", OWN_API, target="M", multipart=True, body=_csv),
    api("GET", A + "/{entry}", OWN_API, target="M", cross=CROSS_API),
    api("PUT", A + "/{entry}", OWN_API, target="M", cross=CROSS_API, body=ENTRY),
    api("DELETE", A + "/{entry}", "trade=204 staff=404 anon=401", target="M", cross=CROSS_API),
    api("GET", A + "/{entry}/audits", OWN_API, target="M", cross=CROSS_API),
    api(
        "POST",
        A + "/{entry}/audits",
        "trade=201 staff=404 anon=401",
        target="M",
        cross=CROSS_API,
        body={"date": "2026-01-15", "kind": "document_review", "result": "passed"},
    ),
    api(
        "POST",
        A + "/{entry}/audits/upload",
        "trade=201 staff=404 anon=401",
        target="M",
        cross=CROSS_API,
        multipart=True,
        body=_audit_upload,
    ),
    api(
        "POST",
        A + "/{entry}/reevaluations",
        "trade=201 staff=404 anon=401",
        target="M",
        cross=CROSS_API,
        body={"notes": ""},
    ),
    api("GET", "/register/partners/{pid}/reevaluations/overdue", OWN_API, target="M"),
    api("GET", A + "/{entry}/questionnaires", OWN_API, target="M", cross=CROSS_API),
    api(
        "POST",
        A + "/{entry}/questionnaires",
        "trade=201 staff=404 anon=401",
        target="M",
        cross=CROSS_API,
        body={"email": "matrix@trucks.example"},
    ),
]
