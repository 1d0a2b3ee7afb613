from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import verified_client
from greenlane.community import board_services, library_services, practice_services
from greenlane.community.models import BestPractice, Document, DocumentVersion, Post, Thread

from .conftest import PDF, TEXT

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_member_pages(world, thread, staff):
    client = verified_client(world.officer)
    for url in (
        "/community/boards/",
        f"/community/boards/{thread.topic_id}/",
        f"/community/boards/{thread.topic_id}/new/",
        f"/community/boards/threads/{thread.pk}/",
        f"/community/boards/posts/{thread.posts.get().pk}/report/",
        "/community/library/",
        "/community/best-practices/",
        f"/companies/{world.member.pk}/documents/",
        f"/companies/{world.member.pk}/best-practices/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    response = client.post(
        f"/community/boards/threads/{thread.pk}/reply/", {"body": "Bolt seals from a certified maker."}
    )
    assert response.status_code == 302
    assert Post.objects.filter(thread=thread).count() == 2
    assert (
        b"Bolt seals from a certified maker." in client.get(f"/community/boards/threads/{thread.pk}/").content
    )


def test_closed_to_uncertified_companies(world):
    client = verified_client(world.outsider)
    response = client.get("/community/boards/")
    assert response.status_code == 403
    assert b"certified member" in response.content
    assert client.get("/community/library/").status_code == 200


def test_post_in_locked_topic_by_page_stores_nothing(world, thread, topic, staff):
    board_services.topic_moderate(actor=staff["scs"], topic_id=topic.pk, action="lock")
    client = verified_client(world.officer)
    count = Post.objects.count(), Thread.objects.count()
    response = client.post(f"/community/boards/{topic.pk}/new/", {"title": "Hello", "body": "Anyone?"})
    assert response.status_code == 200
    assert b"locked" in response.content
    response = client.post(f"/community/boards/threads/{thread.pk}/reply/", {"body": "Anyone?"}, follow=True)
    assert b"locked" in response.content
    assert (Post.objects.count(), Thread.objects.count()) == count


def test_moderation_by_pages(world, thread, staff):
    post = thread.posts.get()
    member = verified_client(world.other_officer)
    assert member.post(f"/community/boards/posts/{post.pk}/report/", {"reason": "Spam"}).status_code == 302
    moderator = verified_client(staff["scs"])
    assert b"Spam" in moderator.get("/staff/community/moderation/").content
    report = post.reports.get()
    response = moderator.post(
        f"/staff/community/reports/{report.pk}/decide/",
        {"decision": "resolved", "note": "Spam removed", "hide_post": "on"},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.hidden and post.hidden_reason == "Spam removed"
    assert b"Spam removed" not in member.get(f"/community/boards/threads/{thread.pk}/").content
    # A non-moderating staff role may read the queue but not act; a member gets 404.
    auditor = verified_client(staff["auditor"])
    assert auditor.get("/staff/community/moderation/").status_code == 200
    assert auditor.post(f"/staff/community/posts/{post.pk}/unhide/").status_code == 403
    assert member.get("/staff/community/moderation/").status_code == 404
    assert (
        moderator.post(f"/staff/community/threads/{thread.pk}/moderate/", {"action": "lock"}).status_code
        == 302
    )
    thread.refresh_from_db()
    assert thread.locked


def test_exchange_upload_bad_file_and_foreign_404(world, staff, settings):
    client = verified_client(world.officer)
    url = f"/companies/{world.member.pk}/documents/"
    response = client.post(
        url,
        {"title": "Plan", "category": "other", "file": SimpleUploadedFile("plan.pdf", b"not a pdf at all")},
    )
    assert response.status_code == 200
    assert b"its content is" in response.content
    assert Document.objects.count() == 0
    response = client.post(
        url, {"title": "Plan", "category": "other", "file": SimpleUploadedFile("plan.pdf", PDF)}
    )
    assert response.status_code == 302
    doc = Document.objects.get()
    response = client.post(
        f"{url}{doc.pk}/", {"note": "Signed", "file": SimpleUploadedFile("plan.txt", TEXT)}
    )
    assert response.status_code == 302
    assert client.get(f"{url}{doc.pk}/versions/1/download/").status_code == 200
    assert client.get(f"{url}{doc.pk}/versions/2/download/").status_code == 200
    # Another company's people: 404 on the list, the document, the download (through either company id).
    other = verified_client(world.other_officer)
    for path in (url, f"{url}{doc.pk}/", f"{url}{doc.pk}/versions/1/download/"):
        assert other.get(path).status_code == 404
    other_url = f"/companies/{world.other.pk}/documents/{doc.pk}/"
    assert other.get(other_url).status_code == 404
    # The assigned specialist reaches it; a specialist of another company does not.
    assert verified_client(staff["scs"]).get(f"{url}{doc.pk}/").status_code == 200
    assert verified_client(staff["targeting_officer"]).get(url).status_code == 404
    assert DocumentVersion.objects.count() == 2


def test_list_pages_constant_queries(world, staff, topic):
    member = verified_client(world.officer)
    moderator = verified_client(staff["program_manager"])

    def grow(n):
        for i in range(n):
            thread = board_services.thread_create(
                actor=world.officer, topic_id=topic.pk, title=f"T{i}", body="Body", display="company"
            )
            board_services.post_create(actor=staff["scs"], thread_id=thread.pk, body="Staff answer")
            post = board_services.post_create(actor=world.contributor, thread_id=thread.pk, body="More")
            board_services.report_create(actor=world.other_officer, post_id=post.pk, reason="Rude")
            library_services.library_publish(
                actor=staff["program_manager"], title=f"Guide {i}", filename="g.txt", data=TEXT, tags="a, b"
            )
            library_services.exchange_upload(
                actor=world.officer, partner_id=world.member.pk, title=f"Doc {i}", filename="d.txt", data=TEXT
            )
            practice = practice_services.practice_submit(
                actor=world.officer,
                partner_id=world.member.pk,
                title=f"Practice {i}",
                description="A practice described at length here.",
                category=6,
                naics_sector="42",
                criterion_codes=[],
            )
            if i % 2:
                practice_services.practice_decide(
                    actor=staff["program_manager"], practice_id=practice.pk, decision="approved"
                )

    thread_url = lambda: f"/community/boards/threads/{Thread.objects.order_by('id').first().pk}/"  # noqa: E731
    urls = [
        (member, "/community/boards/"),
        (member, f"/community/boards/{topic.pk}/"),
        (member, "/community/library/"),
        (member, f"/companies/{world.member.pk}/documents/"),
        (member, "/community/best-practices/"),
        (member, f"/companies/{world.member.pk}/best-practices/"),
        (moderator, "/staff/community/moderation/"),
        (moderator, "/staff/community/best-practices/?status=submitted"),
        (moderator, "/staff/community/library/"),
    ]
    grow(2)
    small = [_queries(c, u) for c, u in urls] + [_queries(member, thread_url())]
    grow(4)
    assert BestPractice.objects.count() == 6
    large = [_queries(c, u) for c, u in urls] + [_queries(member, thread_url())]
    assert small == large
