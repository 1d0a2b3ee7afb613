from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from greenlane.svi import services, webhooks
from greenlane.svi.models import BulkVerification, MonitoringLink, SviParticipation

from .support import S, certified, enrolled, ior_of, join, move

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(user_factory, login):
    u = user_factory("svi-view@example.com")
    p = certified(u, name="View Co")
    return u, p, login(u)


def test_join_from_home_then_settings(member):
    _u, p, c = member
    page = c.get(f"/companies/{p.pk}/svi/")
    assert page.status_code == 200 and b"Join the SVI" in page.content
    r = c.post(
        f"/companies/{p.pk}/svi/", {"share": "status_tier_contact", "contact_name": "", "contact_email": ""}
    )
    assert r.status_code == 200 and b"contact" in r.content
    assert not SviParticipation.objects.exists()
    r = c.post(f"/companies/{p.pk}/svi/", {"share": "status_tier", "auto_accept": "on"})
    assert r.status_code == 302
    sp = SviParticipation.objects.get()
    assert sp.share == "status_tier" and sp.auto_accept
    assert b"Save settings" in c.get(f"/companies/{p.pk}/svi/").content
    r = c.post(f"/companies/{p.pk}/svi/leave/", {"reason": "done"})
    assert r.status_code == 302 and not SviParticipation.objects.get().active


def test_non_certified_sees_reason(user_factory, login):
    u = user_factory("svi-view-draft@example.com")
    p = enrolled(u)
    page = login(u).get(f"/companies/{p.pk}/svi/verify/")
    assert (
        page.status_code == 200
        and b"Only certified members" in page.content
        and b'<form method="post" enctype' not in page.content
    )


def _many_monitored(u, p, n, user_factory):
    join(u, p)
    for i in range(n):
        other_user = user_factory(f"svi-many-{p.pk}-{i}@example.com")
        other = certified(other_user)
        join(
            other_user,
            other,
            auto_accept=True,
            share="status_tier_contact",
            contact_name="C",
            contact_email="c@x.example",
        )
        services.link_request(actor=u, partner_id=p.pk, target_id=other.pk)


def test_monitored_page_constant_queries(member, user_factory):
    u, p, c = member
    _many_monitored(u, p, 2, user_factory)
    with CaptureQueriesContext(connection) as small:
        assert c.get(f"/companies/{p.pk}/svi/monitored/").status_code == 200
    for i in range(5):
        other_user = user_factory(f"svi-more-{i}@example.com")
        other = certified(other_user)
        join(other_user, other, auto_accept=True)
        services.link_request(actor=u, partner_id=p.pk, target_id=other.pk)
    with CaptureQueriesContext(connection) as big:
        page = c.get(f"/companies/{p.pk}/svi/monitored/")
    assert len(big) == len(small)
    assert page.content.count(b"Stop monitoring") == 7 and b"c@x.example" in page.content


def test_search_and_request_and_accept(member, user_factory, login):
    u, p, c = member
    join(u, p)
    ou = user_factory("svi-view-other@example.com")
    other = certified(ou, name="Searchable Freight")
    join(ou, other)
    page = c.get(f"/companies/{p.pk}/svi/monitored/", {"q": "searchable"})
    assert b"Searchable Freight" in page.content
    assert c.post(f"/companies/{p.pk}/svi/requests/new/", {"target": other.pk}).status_code == 302
    link = MonitoringLink.objects.get()
    oc = login(ou)
    assert b"View Co" in oc.get(f"/companies/{other.pk}/svi/requests/").content
    assert oc.post(f"/companies/{other.pk}/svi/requests/{link.pk}/decline/").status_code == 302
    link.refresh_from_db()
    assert link.status == "declined"
    # bad identifier on the request form: the page again with the field's message
    r = c.post(f"/companies/{p.pk}/svi/requests/new/", {"identifier_type": "ior", "identifier_value": "zz"})
    assert r.status_code == 200
    r = c.post(
        f"/companies/{p.pk}/svi/requests/new/", {"identifier_type": "ior", "identifier_value": ior_of(other)}
    )
    assert r.status_code == 200 and b"unblock" in r.content  # blocked: the form says why
    assert MonitoringLink.objects.count() == 1
    assert c.post(f"/companies/{p.pk}/svi/requests/{link.pk}/bogus/").status_code == 404


def test_verify_upload_results_download(member):
    u, p, c = member
    join(u, p)
    upload = SimpleUploadedFile("ids.csv", b"type,value\nior,12-3456789AB\nfoo,1\n", content_type="text/csv")
    r = c.post(f"/companies/{p.pk}/svi/verify/", {"file": upload})
    run = BulkVerification.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/svi/verify/{run.pk}/")
    page = c.get(f"/companies/{p.pk}/svi/verify/{run.pk}/")
    assert b"Unknown identifier type" in page.content
    csv = c.get(f"/companies/{p.pk}/svi/verify/{run.pk}/download.csv")
    assert csv["Content-Type"].startswith("text/csv") and b"not_found" in csv.content
    assert c.get(f"/companies/{p.pk}/svi/verify/{run.pk}/download.xlsx").status_code == 200
    assert c.get(f"/companies/{p.pk}/svi/verify/{run.pk}/download.pdf").status_code == 404
    bad = SimpleUploadedFile("ids.csv", b"\xff\xfe\x00\x00", content_type="text/csv")
    r = c.post(f"/companies/{p.pk}/svi/verify/", {"file": bad})
    assert r.status_code == 200 and BulkVerification.objects.count() == 1


def test_suspended_member_is_refused_verification(member):
    u, p, c = member
    join(u, p)
    move(p, S.SUSPENDED)
    upload = SimpleUploadedFile("ids.csv", b"ior,12-3456789AB\n", content_type="text/csv")
    r = c.post(f"/companies/{p.pk}/svi/verify/", {"file": upload})
    assert r.status_code == 200 and b"suspended" in r.content
    assert not BulkVerification.objects.exists()


def test_webhook_pages_show_secret_once(member):
    u, p, c = member
    join(u, p)
    r = c.post(
        f"/companies/{p.pk}/svi/webhooks/",
        {"url": "http://hooks.example.com/", "events": ["partner.status_changed"]},
    )
    assert r.status_code == 200 and b"https://" in r.content
    r = c.post(
        f"/companies/{p.pk}/svi/webhooks/",
        {"url": "https://hooks.example.com/in", "events": ["partner.status_changed"]},
    )
    assert r.status_code == 200 and b"whsec_" in r.content
    hook = webhooks.Webhook.objects.get()
    page = c.get(f"/companies/{p.pk}/svi/webhooks/{hook.pk}/")
    assert hook.secret.encode() not in page.content and b"Nothing delivered yet" in page.content
    r = c.post(f"/companies/{p.pk}/svi/webhooks/{hook.pk}/rotate/")
    hook.refresh_from_db()
    assert hook.secret.encode() in r.content
    assert c.post(f"/companies/{p.pk}/svi/webhooks/{hook.pk}/delete/").status_code == 302
    assert c.get(f"/companies/{p.pk}/svi/webhooks/{hook.pk}/").status_code == 404


def test_foreign_company_pages_404(member, user_factory):
    _u, _p, c = member
    other = certified(user_factory("svi-view-foreign@example.com"))
    for suffix in ("", "monitored/", "requests/", "verify/", "webhooks/", "notices/"):
        assert c.get(f"/companies/{other.pk}/svi/{suffix}").status_code == 404
