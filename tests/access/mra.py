"""Access rows for mra: foreign programs (staff pages and API), member consent, foreign status lookup."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.test_access_matrix import COMPANY_API, STAFF_API, STAFF_PAGE, TRADE_PAGE, TRADE_POST, api, page

GROUPS = {"mra_managers": ["vetting_officer", "program_manager", "system_admin"]}
CSV = b"program_id,name,address,country,status,validation_date,status_date\nDE7777777,Matrix GmbH,B,DE,active,2020-01-01,\n"


def _upload(world, values) -> dict:
    return {"program": "eu_aeo", "file": SimpleUploadedFile("matrix.csv", CSV, content_type="text/csv")}


def build(ctx):
    import io

    from greenlane.mra import programs, services
    from greenlane.mra.models import ForeignProgram

    programs.sync(ForeignProgram)

    result = services.status_import(
        actor=ctx.staff["program_manager"],
        program_code="eu_aeo",
        stream=io.BytesIO(CSV.replace(b"Matrix GmbH", b"Matrix Seed GmbH")),
        file_name="seed.csv",
    )
    shared = {"mra_import": result.log.pk}
    return shared, shared


ROWS = [
    page("GET", "/staff/mra/", STAFF_PAGE, scoped=False),
    page("GET", "/staff/mra/imports/", STAFF_PAGE, scoped=False),
    page(
        "POST",
        "/staff/mra/imports/",
        "staff=403 mra_managers=302 trade=404 anon=302",
        scoped=False,
        multipart=True,
        body=_upload,
    ),
    page("GET", "/staff/mra/imports/{mra_import}/", STAFF_PAGE, scoped=False),
    page("GET", "/staff/mra/members/", STAFF_PAGE, scoped=False),
    page(
        "GET",
        "/staff/mra/programs/eu_aeo/export/",
        "staff=302 mra_managers=200 trade=404 anon=302",
        scoped=False,
    ),
    page("GET", "/companies/{pid}/mra/", TRADE_PAGE, target="M"),
    page(
        "POST", "/companies/{pid}/mra/", TRADE_POST, target="M", body={"program": "eu_aeo", "action": "grant"}
    ),
    api("GET", "/mra/programs", COMPANY_API, scoped=False),
    api(
        "POST",
        "/mra/lookup",
        COMPANY_API,
        scoped=False,
        body={"identifiers": [{"type": "eori", "value": "DE7777777"}]},
    ),
    api(
        "POST",
        "/mra/imports",
        "staff=403 mra_managers=201 trade=404 anon=401",
        scoped=False,
        multipart=True,
        body=_upload,
    ),
    api("GET", "/mra/imports", STAFF_API, scoped=False),
    api("GET", "/mra/imports/{mra_import}", STAFF_API, scoped=False),
    api("GET", "/mra/members", STAFF_API, scoped=False),
    api("GET", "/mra/programs/eu_aeo/export", "staff=403 mra_managers=200 trade=404 anon=401", scoped=False),
    api("GET", "/mra/partners/{pid}/consents", COMPANY_API, target="M"),
    api(
        "POST",
        "/mra/partners/{pid}/consents",
        "officer=200 not_officer=403 staff=403 anon=401",
        target="M",
        body={"program": "eu_aeo", "consent": True},
    ),
]
