from __future__ import annotations

import pytest
from django.db import connection

from greenlane.audit.models import AuditEvent
from greenlane.community import library_selectors, library_services, search
from greenlane.community.models import Document, DocumentVersion
from greenlane.core.errors import Forbidden, InvalidInput, NotFound

from .conftest import PDF, TEXT

pytestmark = pytest.mark.django_db


def _state():
    return (
        Document.objects.count(),
        DocumentVersion.objects.count(),
        AuditEvent.objects.filter(action__startswith="community.").count(),
    )


def _stored_files(settings) -> list:
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT) / "community"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _publish(actor, title="Seal guide", **kw):
    kw.setdefault("category", "guide")
    return library_services.library_publish(actor=actor, title=title, filename="guide.pdf", data=PDF, **kw)


def test_library_publish_versions_and_read(world, staff, settings):
    doc = _publish(staff["program_manager"], description="How to verify seals", tags="seals, ISO 17712")
    assert doc.latest_version == 1 and doc.tags == ["seals", "iso 17712"]
    v2 = library_services.version_upload(
        actor=staff["program_manager"], document_id=doc.pk, filename="guide-v2.txt", data=TEXT, note="Typos"
    )
    assert v2.version == 2 and v2.content_type == "text/plain"
    found = library_selectors.library_document(world.outsider, doc.pk)  # any signed-in user reads
    assert [v.version for v in found.versions.all()] == [2, 1]
    assert library_selectors.version_of(found, 1).original_name == "guide.pdf"
    assert len(_stored_files(settings)) == 2
    assert AuditEvent.objects.filter(action="community.version_upload").get().reason == "Typos"


def test_library_refusals_store_nothing(world, staff, settings):
    doc = _publish(staff["program_manager"])
    before, files = _state(), _stored_files(settings)
    with pytest.raises(Forbidden):
        _publish(staff["scs"])
    with pytest.raises(Forbidden):
        library_services.version_upload(
            actor=staff["auditor"], document_id=doc.pk, filename="a.txt", data=TEXT
        )
    with pytest.raises(InvalidInput) as exc:  # a mislabelled file
        library_services.library_publish(
            actor=staff["program_manager"], title="x", filename="fake.pdf", data=b"plain text, not a PDF"
        )
    assert exc.value.field == "file"
    with pytest.raises(InvalidInput) as exc:
        library_services.library_publish(
            actor=staff["program_manager"], title="x", filename="run.exe", data=b"MZ"
        )
    assert exc.value.field == "file"
    with pytest.raises(InvalidInput) as exc:
        library_services.version_upload(
            actor=staff["program_manager"], document_id=doc.pk, filename="e.txt", data=b""
        )
    assert exc.value.field == "file"
    with pytest.raises(InvalidInput) as exc:
        _publish(staff["program_manager"], title="")
    assert exc.value.field == "title"
    with pytest.raises(InvalidInput) as exc:
        _publish(staff["program_manager"], category="poetry")
    assert exc.value.field == "category"
    settings.EVIDENCE_MAX_BYTES = 10
    with pytest.raises(InvalidInput) as exc:
        _publish(staff["program_manager"])
    assert "limit" in exc.value.message
    assert _state() == before and _stored_files(settings) == files


def test_exchange_tenancy_absolute(world, staff):
    doc = library_services.exchange_upload(
        actor=world.consultant,
        partner_id=world.member.pk,
        title="Seal log",
        filename="log.csv",
        data=b"a,b\n1,2\n",
    )
    assert doc.partner == world.member and doc.kind == "exchange"
    # The assigned specialist answers with a new version; the earlier one is kept.
    library_services.version_upload(
        actor=staff["scs"],
        partner_id=world.member.pk,
        document_id=doc.pk,
        filename="log.csv",
        data=b"a,b\n3,4\n",
    )
    access = library_selectors.exchange_access(world.officer, world.member.pk)
    assert [v.version for v in library_selectors.exchange_document(access, doc.pk).versions.all()] == [2, 1]
    before = _state()
    # Another company: its people, its document through their own company, staff who do not reach it.
    with pytest.raises(NotFound):
        library_selectors.exchange_access(world.other_officer, world.member.pk)
    other_access = library_selectors.exchange_access(world.other_officer, world.other.pk)
    with pytest.raises(NotFound):
        library_selectors.exchange_document(other_access, doc.pk)
    with pytest.raises(NotFound):
        library_services.version_upload(
            actor=world.other_officer,
            partner_id=world.other.pk,
            document_id=doc.pk,
            filename="x.txt",
            data=TEXT,
        )
    for role in ("vetting_officer", "intelligence_analyst", "targeting_officer", "system_admin"):
        with pytest.raises(NotFound):
            library_selectors.exchange_access(staff[role], world.member.pk)
    with pytest.raises(NotFound):  # an SCS not assigned to the company
        library_selectors.exchange_access(staff["scs"], world.other.pk)
    library_selectors.exchange_access(staff["auditor"], world.member.pk)  # reads
    with pytest.raises(Forbidden):
        library_services.exchange_upload(
            actor=staff["auditor"], partner_id=world.member.pk, title="x", filename="x.txt", data=TEXT
        )
    with pytest.raises(NotFound):  # a library id is not an exchange document
        library_services.version_upload(
            actor=world.officer,
            partner_id=world.member.pk,
            document_id=_publish(staff["program_manager"]).pk,
            filename="x.txt",
            data=TEXT,
        )
    assert _state()[0] == before[0] + 1  # only the library item above


def test_search_picks_by_vendor(world, staff):
    _publish(staff["program_manager"], title="Container seal verification", tags="seals")
    _publish(staff["program_manager"], title="Password policy template", category="template")
    page = library_selectors.library(
        world.officer, library_selectors.DocumentFilter(q="seal"), limit=None, offset=None
    )
    assert [d.title for d in page.items] == ["Container seal verification"]
    page = library_selectors.library(
        world.officer, library_selectors.DocumentFilter(q="password template"), limit=None, offset=None
    )
    assert [d.title for d in page.items] == ["Password policy template"]
    page = library_selectors.library(
        world.officer, library_selectors.DocumentFilter(category="template"), limit=None, offset=None
    )
    assert page.count == 1
    assert search.uses_full_text() is (connection.vendor == "postgresql")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_postgres_full_text_stems_words(world, staff):
    _publish(staff["program_manager"], title="Verifying seals on containers")
    page = library_selectors.library(
        world.officer, library_selectors.DocumentFilter(q="verify container"), limit=None, offset=None
    )
    assert page.count == 1


def test_exchange_notifies_the_other_side(world, staff):
    from greenlane.notifications.models import Notification

    doc = library_services.exchange_upload(
        actor=world.officer, partner_id=world.member.pk, title="Plan", filename="p.txt", data=TEXT
    )
    assert list(Notification.objects.values_list("recipient__email", flat=True)) == [staff["scs"].email]
    library_services.version_upload(
        actor=staff["scs"], partner_id=world.member.pk, document_id=doc.pk, filename="p.txt", data=TEXT
    )
    told = set(
        Notification.objects.filter(kind="community.exchange").values_list("recipient__email", flat=True)
    )
    assert told == {staff["scs"].email, world.officer.email, world.contributor.email, world.consultant.email}
