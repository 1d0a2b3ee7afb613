"""Profile export: JSON (documented shape) and PDF, current or one frozen snapshot; members and staff only."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from greenlane.criteria.models import CatalogVersion
from greenlane.partners.tests.factories import complete_importer
from greenlane.profiles import exports, services
from greenlane.profiles.models import ProfileSnapshot
from greenlane.profiles.revision import catalog_activate_and_migrate

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@acme.example")


@pytest.fixture
def partner(officer):
    """A draft importer, profile submitted twice: 1.1 backed by two versions of a policy, 6.1 a gap."""
    partner = complete_importer(officer, name="Acme Imports")
    doc = services.evidence_upload(
        actor=officer,
        partner_id=partner.pk,
        filename="policy.pdf",
        data=PDF,
        title="Security policy",
        description="Signed by the CEO.",
    ).document
    services.evidence_upload(
        actor=officer, partner_id=partner.pk, filename="policy-2.pdf", data=PDF + b" ", document_id=doc.pk
    )
    services.answer_save(
        actor=officer,
        partner_id=partner.pk,
        criterion_code="1.1",
        status="implemented",
        narrative="Posted in the lobby.",
        evidence_ids=[doc.pk],
    )
    services.answer_save(
        actor=officer,
        partner_id=partner.pk,
        criterion_code="6.1",
        status="partially_implemented",
        narrative="Half the trailers.",
        action_plan={"owner": "Pat", "due_date": "2026-09-30", "steps": "Fit the rest.", "status": "open"},
    )
    services.profile_submit(actor=officer, partner_id=partner.pk)
    return partner


@pytest.fixture
def stranger(user_factory):
    other = user_factory("other@rival.example")
    complete_importer(other, name="Rival Imports", with_profile=False)
    return other


def _json(response) -> dict:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def test_json_export_of_the_current_profile(login, officer, partner):
    response = login(officer).get(f"/companies/{partner.pk}/profile/export.json")
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="{partner.reference}-profile-2026.1-r2.json"'
    )
    data = _json(response)
    assert list(data) == [
        "format",
        "format_version",
        "exported_at",
        "partner",
        "profile",
        "answers",
        "evidence",
        "snapshots",
    ]
    assert (data["format"], data["format_version"]) == ("greenlane.profile", 1)
    assert data["partner"] == {
        "id": partner.pk,
        "reference": partner.reference,
        "legal_name": "Acme Imports",
        "dba_name": "",
        "entity_type": "importer",
        "country": "US",
        "status": "draft",
        "identifiers": [{"type": i.type, "value": i.value} for i in partner.identifiers.all()],
    }
    profile = data["profile"]
    assert profile["catalog"]["version"] == "2026.1" and len(profile["catalog"]["checksum"]) == 64
    assert (profile["state"], profile["revision"], profile["migrated_from"]) == ("submitted", 2, None)
    assert profile["completeness"] == {
        "total": 101,
        "answered": 101,
        "must_total": profile["completeness"]["must_total"],
        "must_answered": profile["completeness"]["must_total"],
        "flagged": 0,
        "percent": 100,
    }
    answers = {a["code"]: a for a in data["answers"]}
    assert len(answers) == 101
    a11 = answers["1.1"]
    assert set(a11) == {
        "code",
        "title",
        "level",
        "category",
        "status",
        "narrative",
        "justification",
        "flag",
        "updated_at",
        "evidence",
        "action_plan",
    }
    assert (a11["status"], a11["narrative"], a11["category"], a11["action_plan"]) == (
        "implemented",
        "Posted in the lobby.",
        1,
        None,
    )
    [ev] = a11["evidence"]
    assert (ev["title"], ev["version"], ev["sha256"]) == (
        "Security policy",
        2,
        hashlib.sha256(PDF + b" ").hexdigest(),
    )
    assert answers["6.1"]["action_plan"] == {
        "owner": "Pat",
        "due_date": "2026-09-30",
        "steps": "Fit the rest.",
        "status": "open",
    }
    [doc] = data["evidence"]
    assert (doc["title"], doc["description"], doc["status"]) == (
        "Security policy",
        "Signed by the CEO.",
        "valid",
    )
    assert [(f["version"], f["name"], f["content_type"], f["size"]) for f in doc["files"]] == [
        (2, "policy-2.pdf", "application/pdf", len(PDF) + 1),
        (1, "policy.pdf", "application/pdf", len(PDF)),
    ]
    assert [(s["revision"], s["catalog_version"], s["submitted_by"]) for s in data["snapshots"]] == [
        (2, "2026.1", "officer@acme.example"),
        (1, "2026.1", "officer@acme.example"),
    ]


def test_snapshot_json_reproduces_the_frozen_submission(login, officer, partner):
    first = ProfileSnapshot.objects.get(profile__partner=partner, revision=1)
    response = login(officer).get(f"/companies/{partner.pk}/profile/export.json?snapshot={first.pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{partner.reference}-snapshot-2026.1-r1.json"'
    )
    data = _json(response)
    assert (data["format"], data["snapshot"]["id"], data["snapshot"]["revision"]) == (
        "greenlane.profile-snapshot",
        first.pk,
        1,
    )
    assert data["data"] == first.data
    # The frozen payload still verifies against the hash recorded at submission.
    canonical = json.dumps(data["data"], sort_keys=True, separators=(",", ":"))
    assert hashlib.sha256(canonical.encode()).hexdigest() == first.sha256 == data["snapshot"]["sha256"]
    # Revision 1 predates the answer to 1.1 with evidence.
    assert {a["code"]: a for a in data["data"]["answers"]}["1.1"]["evidence"] == []


def test_pdf_export_current_and_snapshot(login, officer, partner, monkeypatch):
    class Plain(exports.Document):  # uncompressed core-font text, so the test can read it
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.set_compression(False)

    from greenlane.criteria import exports as criteria_exports

    monkeypatch.setattr(criteria_exports, "DEJAVU_DIR", criteria_exports.Path("/nonexistent"))
    monkeypatch.setattr(exports, "Document", Plain)
    client = login(officer)
    response = client.get(f"/companies/{partner.pk}/profile/export.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == f'attachment; filename="{partner.reference}-profile-2026.1-r2.pdf"'
    )
    body = response.content
    assert body.startswith(b"%PDF-")
    for text in (
        b"Acme Imports",
        partner.reference.encode(),
        b"Minimum Security Criteria 2026.1",
        b"Completeness",
        b"101 of 101 criteria answered",
        b"1. Security Vision & Responsibility",
        b"1.1 Senior management statement of support",
        b"Posted in the lobby.",
        b"Security policy \\(v2\\)",
        b"Partially implemented",
        b"Pat, due 2026-09-30 \\(open\\): Fit the rest.",
    ):
        assert text in body, text
    snapshot = ProfileSnapshot.objects.get(profile__partner=partner, revision=1)
    response = client.get(f"/companies/{partner.pk}/profile/export.pdf?snapshot={snapshot.pk}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert b"Submitted security profile, catalog 2026.1, revision 1" in response.content
    assert snapshot.sha256.encode() in response.content


def test_pdf_export_with_unicode_font(login, officer, partner):
    services.answer_save(
        actor=officer,
        partner_id=partner.pk,
        criterion_code="1.2",
        status="implemented",
        narrative="Équipe sûreté — “cross-functional” ✓ 安全",
    )
    response = login(officer).get(f"/companies/{partner.pk}/profile/export.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_staff_may_download_read_only(login, staff, partner):
    snapshot = ProfileSnapshot.objects.filter(profile__partner=partner).first()
    for role in ("auditor", "scs"):
        client = login(staff[role])
        assert client.get(f"/companies/{partner.pk}/profile/export.json").status_code == 200
        assert (
            client.get(f"/companies/{partner.pk}/profile/export.pdf?snapshot={snapshot.pk}").status_code
            == 200
        )
    # The download page itself is a company page.
    assert login(staff["auditor"]).get(f"/companies/{partner.pk}/profile/export/").status_code == 404


@pytest.mark.parametrize("suffix", ["export.json", "export.pdf", "export/"])
def test_foreign_company_is_404(login, stranger, partner, suffix):
    assert login(stranger).get(f"/companies/{partner.pk}/profile/{suffix}").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, partner):
    response = client.get(f"/companies/{partner.pk}/profile/export.json")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_snapshot_of_another_company_or_nonsense_is_404(login, officer, partner, stranger):
    rival = stranger.memberships.get().partner
    from greenlane.profiles.tests.factories import submitted_profile

    theirs = submitted_profile(stranger, rival)
    client = login(officer)
    for query in (f"snapshot={theirs.pk}", "snapshot=abc", "snapshot=999999", "snapshot="):
        assert client.get(f"/companies/{partner.pk}/profile/export.json?{query}").status_code == 404, query
        assert client.get(f"/companies/{partner.pk}/profile/export.pdf?{query}").status_code == 404, query


def test_company_without_a_profile_has_nothing_to_export(login, stranger):
    rival = stranger.memberships.get().partner
    client = login(stranger)
    assert client.get(f"/companies/{rival.pk}/profile/export.json").status_code == 404
    response = client.get(f"/companies/{rival.pk}/profile/export/")
    assert response.status_code == 200
    assert "has not started its security profile" in response.content.decode()


def test_export_page_lists_downloads(login, officer, partner):
    response = login(officer).get(f"/companies/{partner.pk}/profile/export/")
    assert response.status_code == 200
    body = response.content.decode()
    for snapshot in ProfileSnapshot.objects.filter(profile__partner=partner):
        assert f"/companies/{partner.pk}/profile/export.pdf?snapshot={snapshot.pk}" in body
        assert f"/companies/{partner.pk}/profile/export.json?snapshot={snapshot.pk}" in body
    assert f'href="/companies/{partner.pk}/profile/export.json"' in body


def test_after_a_catalog_revision_the_export_shows_flags_and_the_archive(login, staff, officer, partner):
    v2 = CatalogVersion.objects.get(version="2026.2")
    catalog_activate_and_migrate(actor=staff["program_manager"], version_id=v2.pk)
    data = _json(login(officer).get(f"/companies/{partner.pk}/profile/export.json"))
    profile = data["profile"]
    assert (profile["catalog"]["version"], profile["state"], profile["revision"]) == ("2026.2", "draft", 1)
    assert profile["migrated_from"]["catalog_version"] == "2026.1"
    assert profile["completeness"]["flagged"] == 6
    flags = {a["code"]: a["flag"] for a in data["answers"] if a["flag"]}
    assert flags == {
        "3.9": "changed",
        "4.8": "changed",
        "7.23": "changed",
        "12.1": "changed",
        "4.16": "new",
        "9.22": "new",
    }
    answers = {a["code"]: a for a in data["answers"]}
    assert answers["1.1"]["evidence"][0]["title"] == "Security policy" and "5.15" not in answers
    # The submissions on 2026.1 remain listed and downloadable.
    assert [s["catalog_version"] for s in data["snapshots"]] == ["2026.1", "2026.1"]


def test_json_export_query_count_does_not_grow_with_evidence(login, officer, partner):
    client = login(officer)
    client.get(f"/companies/{partner.pk}/profile/export.json")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/companies/{partner.pk}/profile/export.json").status_code == 200
        return len(ctx)

    before = count()
    for code in ("1.2", "1.3", "1.4", "2.1"):
        doc = services.evidence_upload(
            actor=officer,
            partner_id=partner.pk,
            filename=f"{code}.pdf",
            data=PDF + code.encode(),
            title=f"Doc {code}",
        ).document
        services.answer_save(
            actor=officer,
            partner_id=partner.pk,
            criterion_code=code,
            status="implemented",
            narrative="Done.",
            evidence_ids=[doc.pk],
        )
    assert count() == before
