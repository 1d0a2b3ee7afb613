"""Pages and API: bad input answered clearly with nothing stored, certificate download, constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from greenlane.training import services
from greenlane.training.models import Registration, Seminar

from .support import held, member, open_seminar

pytestmark = pytest.mark.django_db


def test_register_beyond_capacity_page_says_so_and_stores_nothing(staff, user_factory, login):
    seminar = open_seminar(staff["scs"], capacity=1, waitlist_enabled=False)
    partner, (a, b) = member(user_factory, people=2)
    services.registration_create(actor=a, partner_id=partner.pk, seminar_id=seminar.pk)
    client = login(b)
    page = client.get(f"/companies/{partner.pk}/training/seminars/{seminar.pk}/")
    assert b"has no waiting list" in page.content and b"Register me" not in page.content
    response = client.post(f"/companies/{partner.pk}/training/seminars/{seminar.pk}/register/", follow=True)
    assert b"registration refused" in response.content
    assert Registration.objects.filter(user=b).count() == 0


def test_api_register_full_is_409_and_waitlist_is_201(staff, user_factory, auth_header):
    seminar = open_seminar(staff["scs"], capacity=1)
    partner, (a, b) = member(user_factory, people=2)
    url = f"/api/v1/training/seminars/{seminar.pk}/registrations"
    first = Client().post(url, {"partner_id": partner.pk}, content_type="application/json", **auth_header(a))
    second = Client().post(url, {"partner_id": partner.pk}, content_type="application/json", **auth_header(b))
    assert (first.status_code, first.json()["status"]) == (201, "registered")
    assert (second.status_code, second.json()["status"]) == (201, "waitlisted")
    Seminar.objects.filter(pk=seminar.pk).update(waitlist_enabled=False)
    c, _ = member(user_factory)
    third_user = c.memberships.get().user
    third = Client().post(
        url, {"partner_id": c.pk}, content_type="application/json", **auth_header(third_user)
    )
    assert third.status_code == 409 and "no waiting list" in third.json()["detail"]


def test_api_bad_seminar_is_422_with_the_field(staff, auth_header):
    body = {
        "title": "x",
        "format": "online",
        "link": "ftp://nowhere",
        "starts_at": "2099-05-01T09:00:00Z",
        "ends_at": "2099-05-01T08:00:00Z",
        "capacity": 0,
        "registration_deadline": "2099-04-28T17:00:00Z",
    }
    response = Client().post(
        "/api/v1/training/seminars", body, content_type="application/json", **auth_header(staff["scs"])
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"link", "ends_at", "capacity"}
    assert Seminar.objects.count() == 0


def test_certificate_download_and_verify_page(staff, user_factory, login):
    seminar = open_seminar(staff["scs"])
    partner, (a,) = member(user_factory)
    reg = services.registration_create(actor=a, partner_id=partner.pk, seminar_id=seminar.pk)
    client = login(a)
    assert (
        client.get(f"/companies/{partner.pk}/training/registrations/{reg.pk}/certificate.pdf").status_code
        == 404
    )
    held(seminar, staff["scs"])
    services.attendance_record(actor=staff["scs"], seminar_id=seminar.pk, present={reg.pk})
    reg.refresh_from_db()
    pdf = client.get(f"/companies/{partner.pk}/training/registrations/{reg.pk}/certificate.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    ok = Client().get(f"/training/verify/?code={reg.certificate_code}")
    assert b"Valid certificate" in ok.content
    assert b"No certificate has this code" in Client().get("/training/verify/?code=nope").content


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_in_constant_queries(staff, user_factory, login):
    partner, people = member(user_factory, people=4)
    staff_client, member_client = login(staff["program_manager"]), login(people[0])
    urls = ["/staff/training/seminars/", f"/companies/{partner.pk}/training/", "/staff/training/"]

    def grow():
        seminar = open_seminar(staff["scs"], capacity=2)
        for user in people[:3]:
            services.registration_create(actor=user, partner_id=partner.pk, seminar_id=seminar.pk)
        user_factory(f"scs{Seminar.objects.count()}@cbp.example", staff_role="scs")

    grow()
    before = [_count(staff_client if "staff" in u else member_client, u) for u in urls]
    for _i in range(3):
        grow()
    after = [_count(staff_client if "staff" in u else member_client, u) for u in urls]
    assert after == before


def test_members_do_not_get_the_online_link_from_listings(staff, user_factory, auth_header):
    seminar = open_seminar(staff["scs"], format="online", place="", link="https://meet.example/secret")
    _partner, (a,) = member(user_factory)
    listing = Client().get("/api/v1/training/seminars", **auth_header(a)).json()
    assert listing["items"][0]["link"] is None
    assert Client().get(f"/api/v1/training/seminars/{seminar.pk}", **auth_header(a)).json()["link"] is None
    staff_view = (
        Client().get(f"/api/v1/training/seminars/{seminar.pk}", **auth_header(staff["auditor"])).json()
    )
    assert staff_view["link"] == "https://meet.example/secret"
