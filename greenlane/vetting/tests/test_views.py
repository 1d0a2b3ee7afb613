"""Staff vetting pages: access (trade 404, staff read, vetters write), the upload with its error table, the
side-by-side review, and a constant number of queries per page."""

from __future__ import annotations

import itertools
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from greenlane.accounts.choices import StaffRole
from greenlane.audit.models import AuditEvent
from greenlane.vetting import services
from greenlane.vetting.models import ComplianceRecord, VettingMatch

from .support import csv_bytes, do_import, ior_of, partner, row

pytestmark = pytest.mark.django_db
VETTERS = ["vetting_officer", "program_manager", "system_admin"]
READERS = [r for r in StaffRole.values if r not in VETTERS]


@pytest.fixture
def setup(officer):
    p = partner(officer, name="Atlas Imports LLC")
    do_import(
        [
            row(source_ref="X", name="ATLAS IMPORTS, L.L.C.", address="1 Harbor Way, Newark NJ"),
            row(source_ref="Y", kind="seizure", identifier_type="ior", identifier_value=ior_of(p)),
        ]
    )
    services.run_matching(p)
    pending = VettingMatch.objects.get(partner=p, status="pending")
    return p, pending


def pages(p, m) -> list[str]:
    return [reverse("vetting:queue"), reverse("vetting:imports"), reverse("vetting:partner", args=[p.pk])]


def posts(p, m) -> list[tuple[str, dict]]:
    return [
        (reverse("vetting:confirm", args=[m.pk]), {"note": ""}),
        (reverse("vetting:dismiss", args=[m.pk]), {"note": "no"}),
        (reverse("vetting:run", args=[p.pk]), {}),
        (reverse("vetting:imports"), {"file": SimpleUploadedFile("f.csv", csv_bytes([row()]))}),
    ]


def test_trade_users_get_404_everywhere(setup, officer, login):
    p, m = setup
    client = login(officer)
    for url in pages(p, m):
        assert client.get(url).status_code == 404, url
    for url, data in posts(p, m):
        assert client.post(url, data).status_code == 404, url
    m.refresh_from_db()
    assert m.status == "pending" and ComplianceRecord.objects.count() == 2


def test_anonymous_users_are_sent_to_sign_in(setup, client):
    p, m = setup
    for url in pages(p, m):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"]


@pytest.mark.parametrize("role", StaffRole.values)
def test_every_staff_role_reads(setup, staff, login, role):
    p, m = setup
    client = login(staff[role])
    for url in pages(p, m):
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get(reverse("vetting:partner", args=[p.pk])).content.decode()
    assert ('action="/staff/vetting/matches/' in html) == (role in VETTERS)


@pytest.mark.parametrize("role", READERS)
def test_read_only_staff_cannot_write(setup, staff, login, role):
    p, m = setup
    client = login(staff[role])
    before = AuditEvent.objects.count()
    for url, data in posts(p, m):
        response = client.post(url, data)
        assert response.status_code in (302, 403), url
    m.refresh_from_db()
    assert m.status == "pending" and AuditEvent.objects.count() == before
    assert ComplianceRecord.objects.count() == 2


def test_upload_a_bad_file_lists_every_bad_row_and_imports_nothing(staff, login):
    client = login(staff["vetting_officer"])
    data = csv_bytes([row(), row(kind="fine"), row(country="XX"), row()])
    response = client.post(reverse("vetting:imports"), {"file": SimpleUploadedFile("bad.csv", data)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported" in html
    table = html.split('id="import-errors"')[1].split("</table>")[0]
    assert re.findall(r'<th scope="row">(\d+)</th><td>(\w+)</td>', table) == [("3", "kind"), ("4", "country")]
    assert ComplianceRecord.objects.count() == 0


def test_upload_a_good_file(staff, login):
    client = login(staff["vetting_officer"])
    data = csv_bytes([row(), row()])
    response = client.post(
        reverse("vetting:imports"),
        {"file": SimpleUploadedFile("good.csv", data), "source": "cbp-2026"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Imported good.csv: 2 rows; 2 new, 0 updated, 0 unchanged." in response.content.decode()
    assert ComplianceRecord.objects.filter(source="cbp-2026").count() == 2


def test_upload_without_a_file_shows_the_form_error(staff, login):
    response = login(staff["vetting_officer"]).post(reverse("vetting:imports"), {})
    assert response.status_code == 200 and "usa-error-message" in response.content.decode()


def test_queue_lists_partners_with_pending_matches_in_review_first(setup, officer, staff, login):
    _p, _m = setup
    other = partner(officer, name="Granite Freightways")
    do_import([row(source_ref="G", name="Granite Freightways Inc", address="")])
    services.run_matching(other)
    from greenlane.partners.models import Partner

    Partner.objects.filter(pk=other.pk).update(status="submitted")
    client = login(staff["auditor"])
    html = client.get(reverse("vetting:queue")).content.decode()
    assert html.index("Granite Freightways") < html.index("Atlas Imports LLC")
    filtered = client.get(reverse("vetting:queue"), {"partner_status": "draft"}).content.decode()
    assert "Atlas Imports LLC" in filtered and "Granite Freightways" not in filtered
    by_kind = client.get(reverse("vetting:queue"), {"kind": "seizure"}).content.decode()
    assert "No partner has a match waiting for review" in by_kind


def test_partner_page_shows_both_sides_and_confirms(setup, staff, login):
    p, m = setup
    client = login(staff["vetting_officer"])
    html = client.get(reverse("vetting:partner", args=[p.pk])).content.decode()
    assert "ATLAS IMPORTS, L.L.C." in html and "Atlas Imports LLC" in html
    assert f"IOR {ior_of(p)}" in html and "Score 100.0" in html and "Decided automatically" in html
    response = client.post(reverse("vetting:confirm", args=[m.pk]), {"note": "Same EIN on the bond."})
    assert response.status_code == 302 and response["Location"].endswith(f"#match-{m.pk}")
    m.refresh_from_db()
    assert (m.status, m.note) == ("confirmed", "Same EIN on the bond.")
    assert AuditEvent.objects.filter(action="vetting.match_confirm", object_id=str(m.pk)).count() == 1


def test_dismiss_without_a_note_is_refused_with_a_message(setup, staff, login):
    _p, m = setup
    response = login(staff["vetting_officer"]).post(
        reverse("vetting:dismiss", args=[m.pk]), {"note": ""}, follow=True
    )
    assert "a note is required to dismiss" in response.content.decode()
    m.refresh_from_db()
    assert m.status == "pending"


def test_run_from_the_page(setup, staff, login):
    p, _m = setup
    response = login(staff["vetting_officer"]).post(reverse("vetting:run", args=[p.pk]), follow=True)
    assert "Matching done: nothing changed." in response.content.decode()


def headings(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def test_pages_have_ordered_headings_and_labelled_fields(setup, staff, login):
    p, m = setup
    client = login(staff["vetting_officer"])
    for url in pages(p, m):
        html = client.get(url).content.decode()
        levels = headings(html)
        assert levels[0] == 1 and levels.count(1) == 1, url
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (url, levels)
        main = html.split('id="main-content"')[1]
        for tag in re.findall(r"<(?:textarea|select|input)\b[^>]*>", main):
            if 'type="hidden"' in tag:
                continue
            found = re.search(r'id="([^"]+)"', tag)
            assert found and f'for="{found.group(1)}"' in html, (url, tag)


def test_pages_run_a_constant_number_of_queries(officer, staff, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(staff["vetting_officer"])
    client.get(reverse("vetting:queue"))  # the session and MFA device are read once per client

    def measure(n: int) -> tuple[int, int]:
        ps = [partner(officer, name=f"Summit Trading {n}-{i}") for i in range(n)]
        do_import(
            [row(name=f"Summit Trading {n}-{i}", address="") for i in range(n) for _ in range(2)],
            source=f"s{n}",
        )
        for q in ps:
            services.run_matching(q)
        with CaptureQueriesContext(connection) as queue_q:
            assert client.get(reverse("vetting:queue")).status_code == 200
        with CaptureQueriesContext(connection) as partner_q:
            assert client.get(reverse("vetting:partner", args=[ps[0].pk])).status_code == 200
        return len(queue_q), len(partner_q)

    assert measure(3) == measure(12)
