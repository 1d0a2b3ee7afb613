"""Secure messages: who may write, attachments under the evidence rules, unread counts, hand-over."""

import pytest
from django.core.files.storage import default_storage

from conftest import make_user
from greenlane.comms import services
from greenlane.comms.models import Attachment, Message, Thread
from greenlane.comms.selectors import threads as selectors
from greenlane.core.errors import Forbidden, InvalidInput, NotFound
from greenlane.notifications.models import Notification

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def start(actor, partner, **kw):
    data = {"subject": "Seal log", "body": "How long do we keep it?", **kw}
    return services.thread_start(actor=actor, partner_id=partner.pk, **data)


def test_company_writes_specialist_is_notified(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        thread = start(world["officer_a"], world["a"], files=[services.Upload("plan.pdf", PDF)])
    assert Thread.objects.get(pk=thread.pk).message_count == 1
    notes = Notification.objects.filter(kind="comms.message")
    assert [n.recipient.email for n in notes] == ["scs@cbp.example"]
    assert notes[0].url == f"/staff/messages/{thread.pk}/"
    attachment = Attachment.objects.get()
    assert attachment.original_name == "plan.pdf" and attachment.content_type == "application/pdf"
    assert attachment.file.name.startswith(f"messages/{world['a'].pk}/")
    assert default_storage.exists(attachment.file.name)


def test_staff_reply_notifies_company_people(world, django_capture_on_commit_callbacks):
    thread = start(world["officer_a"], world["a"])
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(actor=world["staff"]["scs"], thread_id=thread.pk, body="Keep it two years.")
    emails = sorted(
        n.recipient.email for n in Notification.objects.filter(kind="comms.message", partner=world["a"])
    )
    assert emails == ["contributor@a.example", "officer@a.example"]
    assert (
        Notification.objects.get(recipient=world["officer_a"]).url
        == f"/companies/{world['a'].pk}/messages/{thread.pk}/"
    )


@pytest.mark.parametrize(
    "role", ["vetting_officer", "intelligence_analyst", "targeting_officer", "auditor", "system_admin"]
)
def test_staff_who_may_not_reach_are_refused(world, role):
    with pytest.raises(Forbidden) as exc:
        start(world["staff"][role], world["a"])
    assert "may not write" in exc.value.message
    assert not Thread.objects.exists() and not Message.objects.exists()


def test_other_scs_refused_supervisor_of_office_allowed(world):
    other = make_user("scs-other@cbp.example", staff_role="scs")
    with pytest.raises(Forbidden):
        start(other, world["a"])
    assert not Thread.objects.exists()
    start(world["staff"]["supervisory_scs"], world["a"])  # same field office (new-york)
    miami_super = make_user("super-miami@cbp.example", staff_role="supervisory_scs", office="miami")
    with pytest.raises(Forbidden):
        start(miami_super, world["a"])
    start(world["staff"]["program_manager"], world["b"])
    assert Thread.objects.count() == 2


def test_foreign_company_is_not_found(world):
    with pytest.raises(NotFound):
        start(world["officer_a"], world["b"])
    thread = start(world["officer_b"], world["b"])
    with pytest.raises(NotFound):
        services.message_post(actor=world["officer_a"], thread_id=thread.pk, body="Hi")
    with pytest.raises(NotFound):
        selectors.thread_for(world["officer_a"], thread.pk)
    assert Message.objects.count() == 1


def test_reader_cannot_write(world):
    thread = start(world["officer_a"], world["a"])
    assert selectors.thread_for(world["staff"]["auditor"], thread.pk) == thread
    with pytest.raises(Forbidden):
        services.message_post(actor=world["staff"]["auditor"], thread_id=thread.pk, body="Hello")
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    "upload,message",
    [
        (services.Upload("virus.exe", b"MZ\x90\x00"), "not accepted"),
        (services.Upload("fake.pdf", b"just text pretending"), "content is"),
        (services.Upload("empty.txt", b""), "empty"),
    ],
)
def test_attachment_rules_nothing_stored(world, upload, message, settings, tmp_path):
    with pytest.raises(InvalidInput) as exc:
        start(world["officer_a"], world["a"], files=[upload])
    assert exc.value.field == "file" and message in exc.value.message
    assert not Thread.objects.exists() and not Attachment.objects.exists()
    media = tmp_path / "media" / "messages"
    assert not media.exists() or not any(media.rglob("*"))


def test_attachment_too_large(world, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    with pytest.raises(InvalidInput) as exc:
        start(world["officer_a"], world["a"], files=[services.Upload("big.txt", b"x" * 11)])
    assert "limit" in exc.value.message
    assert not Thread.objects.exists()


@pytest.mark.parametrize(
    "kw,field",
    [
        ({"subject": ""}, "subject"),
        ({"body": "  "}, "body"),
        ({"body": "x" * 10001}, "body"),
        ({"criterion_code": "99.99"}, "criterion_code"),
        ({"validation_id": 424242}, "validation_id"),
        ({"validation_id": "abc"}, "validation_id"),
    ],
)
def test_bad_thread_refused(world, kw, field):
    with pytest.raises(InvalidInput) as exc:
        start(world["officer_a"], world["a"], **kw)
    assert field in {e["field"] for e in exc.value.errors}
    assert not Thread.objects.exists()


def test_criterion_link(world):
    thread = start(world["officer_a"], world["a"], criterion_code="6.2")
    assert thread.criterion_code == "6.2"


def test_unread_counts(world):
    thread = start(world["officer_a"], world["a"])
    scs = world["staff"]["scs"]
    assert selectors.staff_inbox(scs).items[0].unread == 1
    assert selectors.company_threads(world["officer_a"], world["a"].pk).items[0].unread == 0
    assert selectors.company_threads(world["contributor_a"], world["a"].pk).items[0].unread == 1
    services.message_post(actor=scs, thread_id=thread.pk, body="One")
    services.message_post(actor=scs, thread_id=thread.pk, body="Two")
    assert selectors.staff_inbox(scs).items[0].unread == 0  # writing marks read
    assert selectors.unread_message_total(world["officer_a"], world["a"]) == 2
    assert selectors.unread_message_total(world["contributor_a"], world["a"]) == 3
    assert selectors.unread_for_user(world["contributor_a"]) == 3
    services.thread_mark_read(actor=world["officer_a"], thread_id=thread.pk)
    assert selectors.unread_message_total(world["officer_a"], world["a"]) == 0


def test_inbox_scope(world):
    start(world["officer_a"], world["a"])
    start(world["officer_b"], world["b"])
    s = world["staff"]
    assert selectors.staff_inbox(s["scs"]).count == 1  # assigned to A only
    assert selectors.staff_inbox(s["supervisory_scs"]).count == 1  # new-york office: A
    assert selectors.staff_inbox(s["program_manager"]).count == 2
    assert selectors.staff_inbox(s["auditor"]).count == 2
    assert selectors.staff_inbox(s["vetting_officer"]).count == 0


def test_handover_follows_the_current_specialist(world, django_capture_on_commit_callbacks):
    s = world["staff"]
    thread = start(world["officer_a"], world["a"])
    services.message_post(actor=s["scs"], thread_id=thread.pk, body="Hello from your SCS")
    assert selectors.handover(selectors.thread_for(s["scs"], thread.pk)) is None
    new_scs = make_user("scs-new@cbp.example", staff_role="scs")
    type(world["a"]).objects.filter(pk=world["a"].pk).update(assigned_scs=new_scs)
    seen = selectors.thread_for(new_scs, thread.pk)  # the new SCS reads the thread at once
    note = selectors.handover(seen)
    assert note is not None and note.current == new_scs and note.previous == s["scs"]
    with pytest.raises(NotFound):
        selectors.thread_for(s["scs"], thread.pk)  # the old SCS no longer reaches the company
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(actor=world["officer_a"], thread_id=thread.pk, body="Anyone there?")
    notified = {n.recipient.email for n in Notification.objects.all()}
    assert "scs-new@cbp.example" in notified and "scs@cbp.example" not in notified


def test_no_specialist_supervisor_is_notified(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        start(world["officer_b"], world["b"])  # B has no SCS; its office is Miami
    miami = make_user("super-m@cbp.example", staff_role="supervisory_scs", office="miami")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        start(world["officer_b"], world["b"], subject="Second")
    assert [n.recipient for n in Notification.objects.all()] == [miami]
