"""The dashboard panel and the list pages: a fixed number of queries at any volume."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from conftest import verified_client
from greenlane.comms.models import Bulletin, BulletinRead, Message, Thread, ThreadRead
from greenlane.comms.selectors.dashboard import dashboard_context

pytestmark = pytest.mark.django_db


def fill(world, bulletins: int, threads: int) -> None:
    """Bulk rows (a fixture): live bulletins (a tenth alerts, a third read), threads with 3 messages each."""
    pm, officer, partner = world["staff"]["program_manager"], world["officer_a"], world["a"]
    now = timezone.now()
    rows = [
        Bulletin(
            kind="alert" if i % 10 == 0 else "bulletin",
            severity="high" if i % 10 == 0 else "",
            title=f"Bulletin {i}",
            body="Text",
            status="published",
            publish_at=now - dt.timedelta(minutes=i + 1),
            published_at=now,
            author=pm,
            aud_entity_types=",importer," if i % 2 else "",
        )
        for i in range(bulletins)
    ]
    ids = [b.pk for b in Bulletin.objects.bulk_create(rows)]
    BulletinRead.objects.bulk_create([BulletinRead(bulletin_id=pk, user=officer) for pk in ids[::3]])
    made = Thread.objects.bulk_create(
        [Thread(partner=partner, subject=f"Thread {i}", created_by=officer) for i in range(threads)]
    )
    Message.objects.bulk_create(
        [
            Message(thread=t, author=author, body="x", from_staff=author.staff_role != "")
            for t in made
            for author in (officer, world["staff"]["scs"], world["staff"]["scs"])
        ]
    )
    ThreadRead.objects.bulk_create([ThreadRead(thread=t, user=officer, last_read_id=0) for t in made[::2]])


@pytest.mark.parametrize("bulletins,threads", [(10, 2), (1000, 100)])
def test_panel_constant_queries(world, django_assert_num_queries, bulletins, threads):
    fill(world, bulletins, threads)
    with django_assert_num_queries(5):
        context = dashboard_context(world["officer_a"], world["a"])
        html = render_to_string("comms/includes/dashboard_panel.html", context)
    assert len(context["comms_bulletins"]) == 5 and len(context["comms_threads"]) == min(threads, 5)
    assert all(t.unread == 2 for t in context["comms_threads"])
    assert context["comms_unread_messages"] == 2 * threads
    unread = bulletins - len(range(0, bulletins, 3))
    assert context["comms_unread_bulletins"] == unread
    assert not context["comms_bulletins"][0].is_read  # unread first
    assert "Bulletin" in html and "Thread" in html


def _page_queries(world) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(world["officer_a"])
    staff = verified_client(world["staff"]["scs"])
    pid = world["a"].pk
    counts = {}
    for name, c, url in [
        ("bulletins", client, "/bulletins/"),
        ("alerts", client, "/alerts/"),
        ("threads", client, f"/companies/{pid}/messages/"),
        ("inbox", staff, "/staff/messages/"),
        ("staff bulletins", staff, "/staff/bulletins/"),
    ]:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        counts[name] = len(ctx)
    return counts


def test_list_pages_constant_queries(world):
    fill(world, 10, 3)
    small = _page_queries(world)
    fill(world, 300, 60)
    assert _page_queries(world) == small


def test_nav_context_for_trade_users(world, rf):
    from greenlane.comms import services
    from greenlane.comms.context_processors import comms

    thread = services.thread_start(actor=world["officer_a"], partner_id=world["a"].pk, subject="S", body="B")
    services.message_post(actor=world["staff"]["scs"], thread_id=thread.pk, body="Answer")
    request = rf.get("/")
    request.user = world["officer_a"]
    assert comms(request) == {
        "comms_messages_url": f"/companies/{world['a'].pk}/messages/",
        "comms_unread_total": 1,
    }
    request.user = world["staff"]["scs"]
    assert comms(request) == {}
