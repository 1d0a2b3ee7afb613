from __future__ import annotations

import pytest

from greenlane.audit.models import AuditEvent
from greenlane.community import board_selectors, board_services
from greenlane.community.models import AbuseReport, Post, Thread, Topic
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound, TransitionRefused

pytestmark = pytest.mark.django_db


def _state():
    return (
        Topic.objects.count(),
        Thread.objects.count(),
        Post.objects.count(),
        AbuseReport.objects.count(),
        AuditEvent.objects.filter(action__startswith="community.").count(),
    )


def test_topic_needs_a_moderator(world, staff):
    before = _state()
    for actor in (world.officer, staff["auditor"], staff["vetting_officer"]):
        with pytest.raises(Forbidden):
            board_services.topic_create(actor=actor, title="Anything")
    assert _state() == before
    with pytest.raises(InvalidInput) as exc:
        board_services.topic_create(actor=staff["scs"], title="  ")
    assert exc.value.field == "title"
    with pytest.raises(InvalidInput) as exc:
        board_services.topic_create(actor=staff["scs"], title="x", audience_entity_types=["spaceship"])
    assert exc.value.field == "audience_entity_types"
    assert _state() == before


def test_member_starts_a_thread_and_replies_audited(thread, world):
    assert thread.partner == world.member and thread.post_count == 1
    post = board_services.post_create(
        actor=world.contributor, thread_id=thread.pk, body="ISO 17712 high-security.", display="company"
    )
    thread.refresh_from_db()
    assert thread.post_count == 2
    assert post.partner == world.member
    assert board_selectors.signature(post) == "Acme Imports"
    first = thread.posts.order_by("id").first()
    assert board_selectors.signature(first) == "Olivia Officer · Acme Imports"
    actions = list(
        AuditEvent.objects.filter(action__startswith="community.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["community.topic_create", "community.thread_create", "community.post_create"]


def test_post_in_locked_topic_or_thread_is_refused_nothing_stored(thread, topic, world, staff):
    board_services.thread_moderate(actor=staff["scs"], thread_id=thread.pk, action="lock", reason="Off topic")
    before = _state()
    with pytest.raises(Conflict) as exc:
        board_services.post_create(actor=world.officer, thread_id=thread.pk, body="Still here?")
    assert "locked" in exc.value.message
    assert _state() == before
    board_services.topic_moderate(actor=staff["scs"], topic_id=topic.pk, action="lock")
    before = _state()
    with pytest.raises(Conflict):
        board_services.thread_create(actor=world.officer, topic_id=topic.pk, title="New", body="Hello")
    with pytest.raises(Conflict):
        board_services.post_create(actor=staff["scs"], thread_id=thread.pk, body="Staff too")
    assert _state() == before
    with pytest.raises(Conflict):
        board_services.topic_moderate(actor=staff["scs"], topic_id=topic.pk, action="lock")
    board_services.topic_moderate(actor=staff["scs"], topic_id=topic.pk, action="unlock")
    board_services.thread_moderate(actor=staff["scs"], thread_id=thread.pk, action="unlock")
    assert board_services.post_create(actor=world.officer, thread_id=thread.pk, body="Open again").pk


def test_who_may_post(thread, world, staff):
    before = _state()
    with pytest.raises(Forbidden):  # a consultant reads but does not speak for the company
        board_services.post_create(actor=world.consultant, thread_id=thread.pk, body="Hi")
    with pytest.raises(Forbidden):  # no certified company
        board_services.post_create(actor=world.outsider, thread_id=thread.pk, body="Hi")
    with pytest.raises(InvalidInput) as exc:  # may not post for another company
        board_services.post_create(
            actor=world.officer, thread_id=thread.pk, body="Hi", partner_id=world.other.pk
        )
    assert exc.value.field == "partner_id"
    with pytest.raises(InvalidInput):
        board_services.post_create(actor=world.officer, thread_id=thread.pk, body="Hi", display="anonymous")
    with pytest.raises(InvalidInput):
        board_services.post_create(actor=world.officer, thread_id=thread.pk, body="x" * 10001)
    assert _state() == before
    post = board_services.post_create(actor=staff["program_manager"], thread_id=thread.pk, body="From staff")
    assert post.partner is None
    assert "(program staff)" in board_selectors.signature(post)


def test_audience_by_entity_type(world, staff):
    carriers = board_services.topic_create(
        actor=staff["scs"], title="Sea carriers", audience_entity_types=["sea_carrier"]
    )
    access = board_selectors.board_access(world.officer)
    assert carriers not in board_selectors.topics(access)
    with pytest.raises(NotFound):
        board_selectors.topic_for(access, carriers.pk)
    with pytest.raises(NotFound):
        board_services.thread_create(actor=world.officer, topic_id=carriers.pk, title="x", body="y")
    staff_access = board_selectors.board_access(staff["auditor"])
    assert carriers in board_selectors.topics(staff_access)
    with pytest.raises(Forbidden):
        board_selectors.board_access(world.outsider)


def test_hide_and_unhide(thread, world, staff):
    post = thread.posts.get()
    before = _state()
    with pytest.raises(InvalidInput):
        board_services.post_hide(actor=staff["scs"], post_id=post.pk, reason=" ")
    with pytest.raises(Forbidden):
        board_services.post_hide(actor=staff["auditor"], post_id=post.pk, reason="x")
    assert _state() == before
    board_services.post_hide(actor=staff["scs"], post_id=post.pk, reason="Names a competitor's supplier.")
    member_view = board_selectors.posts(
        board_selectors.board_access(world.other_officer), thread, limit=None, offset=None
    )
    assert member_view.items[0].visible_body == ""
    staff_view = board_selectors.posts(
        board_selectors.board_access(staff["auditor"]), thread, limit=None, offset=None
    )
    assert staff_view.items[0].visible_body == post.body
    event = AuditEvent.objects.get(action="community.post_hide")
    assert event.reason == "Names a competitor's supplier." and event.after == {"hidden": True}
    with pytest.raises(Conflict):
        board_services.post_hide(actor=staff["scs"], post_id=post.pk, reason="again")
    board_services.post_unhide(actor=staff["scs"], post_id=post.pk)
    post.refresh_from_db()
    assert not post.hidden and post.hidden_reason == ""


def test_report_queue_and_decisions(thread, world, staff):
    post = thread.posts.get()
    report = board_services.report_create(actor=world.other_officer, post_id=post.pk, reason="Advertising.")
    with pytest.raises(Conflict):
        board_services.report_create(actor=world.other_officer, post_id=post.pk, reason="Again")
    with pytest.raises(InvalidInput):
        board_services.report_create(actor=world.contributor, post_id=post.pk, reason="")
    queue = board_selectors.reports(staff["auditor"], limit=None, offset=None)
    assert [r.pk for r in queue.items] == [report.pk]
    with pytest.raises(NotFound):
        board_selectors.reports(world.officer, limit=None, offset=None)
    before = _state()
    with pytest.raises(InvalidInput):  # hiding needs the note as reason
        board_services.report_decide(
            actor=staff["scs"], report_id=report.pk, decision="resolved", hide_post=True
        )
    with pytest.raises(Forbidden):
        board_services.report_decide(actor=staff["auditor"], report_id=report.pk, decision="dismissed")
    assert _state() == before
    board_services.report_decide(
        actor=staff["scs"],
        report_id=report.pk,
        decision="resolved",
        note="Advertising removed.",
        hide_post=True,
    )
    post.refresh_from_db()
    report.refresh_from_db()
    assert post.hidden and post.hidden_reason == "Advertising removed." and report.status == "resolved"
    with pytest.raises(TransitionRefused):
        board_services.report_decide(actor=staff["scs"], report_id=report.pk, decision="dismissed")
    assert AuditEvent.objects.filter(action="community.report_resolved").count() == 1
