"""Pages: compose with audience preview, publish, member reading (receipt), threads with attachments."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import verified_client
from greenlane.comms import services
from greenlane.comms.models import Attachment, Bulletin, BulletinRead, Message, Thread, ThreatAssessment

pytestmark = pytest.mark.django_db


def test_compose_preview_save_publish_and_read(world):
    pm = verified_client(world["staff"]["program_manager"])
    form = {
        "kind": "bulletin",
        "title": "Seal news",
        "body": "Text",
        "entity_types": ["importer"],
        "tiers": ["3"],
    }
    preview = pm.post("/staff/bulletins/new/", {**form, "action": "preview"})
    assert preview.status_code == 200 and b"1 company matches" in preview.content
    assert not Bulletin.objects.exists()
    saved = pm.post("/staff/bulletins/new/", {**form, "action": "save"})
    b = Bulletin.objects.get()
    assert saved.status_code == 302 and saved["Location"] == f"/staff/bulletins/{b.pk}/"
    assert pm.post(f"/staff/bulletins/{b.pk}/publish/", {"publish_at": ""}).status_code == 302
    b.refresh_from_db()
    assert b.status == "published"
    officer = verified_client(world["officer_b"])
    assert b"Seal news" in officer.get("/bulletins/").content
    assert officer.get(f"/bulletins/{b.pk}/").status_code == 200
    assert BulletinRead.objects.filter(user=world["officer_b"], bulletin=b).exists()
    assert verified_client(world["officer_a"]).get(f"/bulletins/{b.pk}/").status_code == 404
    detail = pm.get(f"/staff/bulletins/{b.pk}/")
    assert b"Bravo Imports" in detail.content  # read receipts by company


def test_compose_bad_input_shows_errors(world):
    pm = verified_client(world["staff"]["program_manager"])
    r = pm.post("/staff/bulletins/new/", {"kind": "alert", "title": "T", "body": "B", "action": "save"})
    assert r.status_code == 200 and b"needs a severity" in r.content
    r = pm.post(
        "/staff/bulletins/new/",
        {"kind": "bulletin", "title": "T", "body": "B", "publish_at": "tomorrow", "action": "save"},
    )
    assert r.status_code == 200 and b"usa-error-message" in r.content
    assert not Bulletin.objects.exists()


def test_non_editor_refused(world):
    r = verified_client(world["staff"]["auditor"]).get("/staff/bulletins/new/")
    assert r.status_code == 403 and b"Only program managers" in r.content


def test_markup_is_escaped(world):
    pm = world["staff"]["program_manager"]
    b = services.bulletin_create(
        actor=pm,
        data=services.BulletinInput(title="X", body="<script>alert(1)</script> **bold**\n\n- one\n- two"),
    )
    services.bulletin_publish(actor=pm, bulletin_id=b.pk)
    html = verified_client(world["officer_a"]).get(f"/bulletins/{b.pk}/").content
    assert b"<script>alert" not in html and b"&lt;script&gt;" in html
    assert b"<strong>bold</strong>" in html and b"<li>one</li>" in html


def test_thread_pages_with_attachment(world):
    officer = verified_client(world["officer_a"])
    pid = world["a"].pk
    f = SimpleUploadedFile("notes.txt", b"Seal notes\n", content_type="text/plain")
    r = officer.post(
        f"/companies/{pid}/messages/new/", {"subject": "Seals", "body": "See notes", "attachments": [f]}
    )
    thread = Thread.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/companies/{pid}/messages/{thread.pk}/"
    att = Attachment.objects.get()
    assert officer.get(f"/companies/{pid}/messages/{thread.pk}/files/{att.pk}/").status_code == 200
    scs = verified_client(world["staff"]["scs"])
    inbox = scs.get("/staff/messages/")
    assert b"Seals" in inbox.content
    page = scs.get(f"/staff/messages/{thread.pk}/")
    assert page.status_code == 200 and b"notes.txt" in page.content
    r = scs.post(f"/staff/messages/{thread.pk}/", {"body": "Thanks"})
    assert r.status_code == 302
    assert Message.objects.count() == 2
    # Cross: the thread under another company's URL is not found.
    other = verified_client(world["officer_b"])
    assert other.get(f"/companies/{world['b'].pk}/messages/{thread.pk}/").status_code == 404


def test_thread_bad_upload_and_refusal_store_nothing(world):
    officer = verified_client(world["officer_a"])
    pid = world["a"].pk
    bad = SimpleUploadedFile("fake.pdf", b"plain text", content_type="application/pdf")
    r = officer.post(f"/companies/{pid}/messages/new/", {"subject": "S", "body": "B", "attachments": [bad]})
    assert r.status_code == 200 and b"its content is" in r.content
    vetting = verified_client(world["staff"]["vetting_officer"])
    r = vetting.post(f"/staff/partners/{pid}/messages/new/", {"subject": "S", "body": "B"})
    assert r.status_code == 403 and b"may not write" in r.content
    assert not Thread.objects.exists() and not Attachment.objects.exists()


def test_handover_note_shown(world):
    from conftest import make_user

    thread = services.thread_start(actor=world["officer_a"], partner_id=world["a"].pk, subject="S", body="B")
    services.message_post(actor=world["staff"]["scs"], thread_id=thread.pk, body="Hello")
    new = make_user("new-scs@cbp.example", staff_role="scs", full_name="Nina New")
    type(world["a"]).objects.filter(pk=world["a"].pk).update(assigned_scs=new)
    page = verified_client(world["officer_a"]).get(f"/companies/{world['a'].pk}/messages/{thread.pk}/")
    assert b"Hand-over" in page.content and b"Nina New" in page.content


def test_assessment_compose_publish(world):
    analyst = verified_client(world["staff"]["intelligence_analyst"])
    form = {
        "title": "Reefer concealment",
        "body": "Text",
        "marking": "restricted",
        "staff_roles": ["scs"],
        "partner_refs": world["a"].reference,
    }
    r = analyst.post("/staff/intel/new/", form)
    a = ThreatAssessment.objects.get()
    assert r.status_code == 302 and list(a.aud_partners.all()) == [world["a"]]
    assert verified_client(world["officer_a"]).get(f"/intel/{a.pk}/").status_code == 404  # still a draft
    assert analyst.post(f"/staff/intel/{a.pk}/publish/").status_code == 302
    assert verified_client(world["officer_a"]).get(f"/intel/{a.pk}/").status_code == 200
    assert verified_client(world["officer_b"]).get(f"/intel/{a.pk}/").status_code == 404
    r = analyst.post("/staff/intel/new/", {**form, "partner_refs": "NOPE-1"})
    assert r.status_code == 200 and b"No company with reference" in r.content
    r = analyst.post("/staff/intel/new/", {**form, "marking": "law-enforcement-sensitive"})
    assert r.status_code == 200 and b"only program staff" in r.content
    assert ThreatAssessment.objects.count() == 1
