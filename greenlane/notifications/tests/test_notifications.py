import pytest
from django.core import mail

from greenlane.core.errors import InvalidInput, NotFound
from greenlane.notifications import selectors, services
from greenlane.notifications.models import Notification
from greenlane.notifications.tasks import email_notifications

pytestmark = pytest.mark.django_db


def test_notify_creates_one_per_distinct_active_recipient_and_emails_after_commit(
    user_factory, django_capture_on_commit_callbacks
):
    a, b = user_factory("a@x.example"), user_factory("b@x.example")
    gone = user_factory("gone@x.example", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        n = services.notify(
            recipients=[a, b, a, gone], kind="test.kind", title="Partner suspended", body="Details", url="/x/"
        )
    assert n == 2
    assert Notification.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@x.example", "b@x.example"]
    assert "http://" in mail.outbox[0].body and "/x/" in mail.outbox[0].body
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_email_task_is_idempotent(user_factory):
    a = user_factory("a@x.example")
    note = Notification.objects.create(recipient=a, kind="k", title="T")
    assert email_notifications.call([note.pk]) == 1
    assert email_notifications.call([note.pk]) == 0
    assert len(mail.outbox) == 1


def test_no_email_when_asked(user_factory, django_capture_on_commit_callbacks):
    a = user_factory("a@x.example")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[a], kind="k", title="T", email=False)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("title", "url", "field"), [("", "/x/", "title"), ("T", "https://evil.example/", "url")]
)
def test_bad_input_stores_nothing(user_factory, title, url, field):
    a = user_factory("a@x.example")
    with pytest.raises(InvalidInput) as exc:
        services.notify(recipients=[a], kind="k", title=title, url=url)
    assert exc.value.field == field
    assert Notification.objects.count() == 0


def test_read_is_own_only_and_keeps_first_time(user_factory):
    a, b = user_factory("a@x.example"), user_factory("b@x.example")
    note = Notification.objects.create(recipient=a, kind="k", title="T")
    with pytest.raises(NotFound):
        services.notification_read(actor=b, notification_id=note.pk)
    first = services.notification_read(actor=a, notification_id=note.pk).read_at
    again = services.notification_read(actor=a, notification_id=note.pk).read_at
    assert first == again
    assert selectors.unread_count(a) == 0


def test_partner_recipients_filters_roles(user_factory):
    from greenlane.partners.tests.factories import complete_importer

    officer = user_factory("officer@acme.example")
    partner = complete_importer(officer, name="Acme")
    assert partner_recipient_emails(partner) == ["officer@acme.example"]
    assert services.partner_recipients(partner, roles=["consultant"]) == []


def partner_recipient_emails(partner):
    return [u.email for u in services.partner_recipients(partner)]


def test_inbox_open_and_read_all(user_factory, login):
    a = user_factory("a@x.example")
    client = login(a)
    first = Notification.objects.create(recipient=a, kind="k", title="First note", url="/companies/")
    Notification.objects.create(recipient=a, kind="k", title="Second note")
    page = client.get("/notifications/")
    assert page.status_code == 200
    assert b"First note" in page.content and b"Second note" in page.content
    assert b"gl-count" in page.content  # the unread badge in the header
    response = client.post(f"/notifications/{first.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/companies/"
    assert client.get("/notifications/?show=unread").content.count(b"Second note") == 1
    client.post("/notifications/read-all/")
    assert selectors.unread_count(a) == 0
    assert b"Nothing unread." in client.get("/notifications/?show=unread").content


def test_inbox_empty_state(user_factory, login):
    client = login(user_factory("a@x.example"))
    assert b"No notifications yet" in client.get("/notifications/").content


def test_api(user_factory, auth_header, client):
    a, b = user_factory("a@x.example"), user_factory("b@x.example")
    note = Notification.objects.create(recipient=a, kind="k", title="T")
    Notification.objects.create(recipient=b, kind="k", title="Not yours")
    body = client.get("/api/v1/notifications", **auth_header(a)).json()
    assert body["count"] == 1 and body["unread"] == 1 and body["items"][0]["title"] == "T"
    assert client.post(f"/api/v1/notifications/{note.pk}/read", **auth_header(b)).status_code == 404
    assert client.post(f"/api/v1/notifications/{note.pk}/read", **auth_header(a)).json()["read_at"]
    assert client.post("/api/v1/notifications/read-all", **auth_header(a)).json() == {"changed": 0}
