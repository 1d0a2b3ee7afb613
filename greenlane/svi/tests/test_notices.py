from __future__ import annotations

import pytest
from django.core import mail

from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Forbidden, InvalidInput
from greenlane.svi import notices
from greenlane.svi.models import CertificationNotice

from .support import S, certified, enrolled, move

pytestmark = pytest.mark.django_db


def test_send_and_verify(user_factory, client, django_capture_on_commit_callbacks):
    u = user_factory("svi-notice@example.com")
    p = certified(u, name="Notice Sender Co")
    with django_capture_on_commit_callbacks(execute=True):
        n = notices.notice_send(
            actor=u, partner_id=p.pk, recipient_company="Far Supplier", recipient_email="ops@far.example"
        )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ops@far.example"]
    assert f"/verify/{n.token}/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="svi.notice_send").count() == 1
    page = client.get(f"/verify/{n.token}/")
    assert page.status_code == 200 and b"genuine" in page.content and b"Notice Sender Co" in page.content
    move(p, S.SUSPENDED)
    page = client.get(f"/verify/{n.token}/")
    assert b"no longer certified" in page.content
    assert CertificationNotice.objects.get().verify_count == 2


def test_tampered_or_unknown_token(user_factory, client):
    u = user_factory("svi-notice2@example.com")
    p = certified(u)
    n = notices.notice_send(actor=u, partner_id=p.pk, recipient_company="X", recipient_email="x@x.example")
    CertificationNotice.objects.filter(pk=n.pk).update(recipient_company="Someone else")
    assert client.get(f"/verify/{n.token}/").status_code == 404
    assert client.get("/verify/forged-token/").status_code == 404


def test_refusals(user_factory):
    u = user_factory("svi-notice3@example.com")
    draft = enrolled(u)
    with pytest.raises(Forbidden):
        notices.notice_send(
            actor=u, partner_id=draft.pk, recipient_company="X", recipient_email="x@x.example"
        )
    p = certified(u)
    with pytest.raises(InvalidInput) as exc:
        notices.notice_send(actor=u, partner_id=p.pk, recipient_company="", recipient_email="bad")
    assert {e["field"] for e in exc.value.errors} == {"recipient_company", "recipient_email"}
    assert not CertificationNotice.objects.exists()
