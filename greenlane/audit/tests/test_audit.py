"""The append-only audit trail: what an event records, that nothing edits it, and the pages that show it."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from greenlane.audit.models import AppendOnlyError, AuditEvent
from greenlane.audit.services import diff, record_event
from greenlane.core import context
from greenlane.partners import services
from greenlane.partners.models import Partner

pytestmark = pytest.mark.django_db


def enroll(officer, name="Acme Imports LLC", ior="12-3456789AA") -> Partner:
    return services.partner_create(
        actor=officer,
        entity_type="importer",
        legal_name=name,
        country="US",
        role="company_officer",
        identifiers=[services.IdentifierInput("ior", ior)],
    )


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@acme.example")


@pytest.fixture
def partner(officer):
    return enroll(officer)


# What an event records ----------------------------------------------------------------------------


def test_request_id_and_ip_come_from_the_request(client, officer, partner, auth_header):
    started = timezone.now()
    response = client.patch(
        f"/api/v1/partners/{partner.pk}",
        json.dumps({"employee_count": 42}),
        content_type="application/json",
        HTTP_X_REQUEST_ID="trace-7f3a.01_B",
        REMOTE_ADDR="203.0.113.7",
        **auth_header(officer),
    )
    assert response.status_code == 200, response.content
    assert response["X-Request-ID"] == "trace-7f3a.01_B"
    event = AuditEvent.objects.filter(partner=partner).latest("id")
    assert event.request_id == "trace-7f3a.01_B"
    assert event.ip == "203.0.113.7"
    assert event.actor == officer
    assert event.actor_label == "officer@acme.example"
    assert event.action == "partner.update"
    assert event.partner == partner
    assert (event.object_type, event.object_id) == ("partners.partner", str(partner.pk))
    assert event.before == {"employee_count": None}
    assert event.after == {"employee_count": 42}
    assert event.summary == "Updated employee_count"
    assert event.reason == ""
    assert started <= event.at <= timezone.now()


@pytest.mark.parametrize("incoming", ["", "has spaces", "x" * 65, "semi;colon", "<script>"])
def test_a_malformed_request_id_is_replaced(officer, partner, login, incoming):
    headers = {"HTTP_X_REQUEST_ID": incoming} if incoming else {}
    response = login(officer).post(
        f"/companies/{partner.pk}/details/",
        {"legal_name": "Acme Imports LLC", "country": "US", "employee_count": "9"},
        **headers,
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(partner=partner).latest("id")
    assert event.action == "partner.update"
    assert len(event.request_id) == 32 and event.request_id != incoming
    int(event.request_id, 16)
    assert response["X-Request-ID"] == event.request_id
    assert event.ip == "127.0.0.1"


def test_each_request_gets_its_own_id(client, officer, partner, auth_header):
    h = auth_header(officer)
    for count in (1, 2):
        client.patch(
            f"/api/v1/partners/{partner.pk}",
            json.dumps({"employee_count": count}),
            content_type="application/json",
            **h,
        )
    ids = list(
        AuditEvent.objects.filter(partner=partner, action="partner.update").values_list(
            "request_id", flat=True
        )
    )
    assert len(ids) == 2 and len(set(ids)) == 2


def test_outside_a_request_there_is_no_request_id_or_ip(partner):
    event = record_event(
        actor=None,
        action="test.system",
        partner=partner,
        summary="x" * 400,
        before={"when": dt.date(2026, 1, 2), "amount": decimal.Decimal("1.50")},
        after={"id": uuid.UUID(int=1), "tags": {"b"}, "partner": partner},
    )
    event.refresh_from_db()
    assert (event.request_id, event.ip) == ("", None)
    assert (event.actor, event.actor_label) == (None, "system")
    assert event.summary == "x" * 300
    assert event.before == {"when": "2026-01-02", "amount": "1.50"}
    assert event.after == {"id": "00000000-0000-0000-0000-000000000001", "tags": ["b"], "partner": partner.pk}
    assert (event.object_type, event.object_id) == ("", "")


def test_the_bound_context_is_used(partner, officer):
    token = context.bind(context.RequestContext(request_id="bound-id", ip="2001:db8::1"))
    try:
        event = record_event(actor=officer, action="test.bound", partner=partner, obj=partner, reason="Why")
    finally:
        context.unbind(token)
    event.refresh_from_db()
    assert (event.request_id, event.ip, event.reason) == ("bound-id", "2001:db8::1", "Why")
    assert record_event(actor=officer, action="test.after").request_id == ""


def test_diff_keeps_only_changed_keys():
    assert diff({"a": 1, "b": 2, "c": None}, {"a": 1, "b": 3, "d": 4}) == (
        {"b": 2, "d": None},
        {"b": 3, "d": 4},
    )
    assert diff({"a": 1}, {"a": 1}) == ({}, {})


# Nothing edits or deletes an event ---------------------------------------------------------------


def test_an_event_cannot_be_saved_again_or_deleted(partner):
    event = AuditEvent.objects.filter(partner=partner).get()
    event.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.save(update_fields=["summary"])
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).summary != "rewritten"


def test_querysets_cannot_update_or_delete(partner):
    before = list(AuditEvent.objects.values())
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(partner=partner).update(summary="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(partner=partner).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    event = AuditEvent.objects.get(partner=partner)
    event.summary = "rewritten"
    # Both run in an atomic block of their own; a savepoint keeps the test's transaction usable.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["summary"])
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent.objects.update_or_create(pk=event.pk, defaults={"summary": "rewritten"})
    assert list(AuditEvent.objects.values()) == before


def test_partners_and_users_with_events_cannot_be_deleted(partner, officer):
    count = AuditEvent.objects.count()
    with pytest.raises(ProtectedError), transaction.atomic():
        Partner.objects.filter(pk=partner.pk).delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        officer.delete()
    assert AuditEvent.objects.count() == count


def test_raw_sql_update_is_refused_by_the_database(partner):
    event = AuditEvent.objects.get(partner=partner)
    table = AuditEvent._meta.db_table
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {table} SET summary = %s WHERE id = %s", ["rewritten", event.pk])
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {table} SET reason = %s", ["mass rewrite"])
    assert AuditEvent.objects.get(pk=event.pk).summary == event.summary


def test_raw_sql_delete_is_refused_on_postgresql(partner):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite blocks UPDATE only: the test runner's flush empties tables with DELETE there")
    table = AuditEvent._meta.db_table
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {table}")
    assert AuditEvent.objects.filter(partner=partner).count() == 1


def test_no_api_route_edits_events():
    """The only audit routes are reads."""
    from django.urls import get_resolver

    from greenlane.api import api

    # (A business-partner register's "audits" are a member's own records of auditing its partners, not events.)
    for path, methods in api.get_openapi_schema()["paths"].items():
        if path.startswith("/api/v1/audit") or path.rstrip("/").endswith("/events"):
            assert set(methods) == {"get"}, path
    patterns = [str(p.pattern) for p in get_resolver().url_patterns]
    assert "staff/audit/" in patterns


# The pages that show events ----------------------------------------------------------------------


def test_partner_event_history_page_shows_its_own_events_newest_first(officer, partner, login, user_factory):
    services.partner_update(actor=officer, partner_id=partner.pk, changes={"phone": "+1 555 0100"})
    services.site_add(
        actor=officer,
        partner_id=partner.pk,
        kind="headquarters",
        name="Head office",
        street="1 Harbor Way",
        city="Newark",
        country="US",
    )
    other_officer = user_factory("other@else.example")
    other = enroll(other_officer, name="Other Co", ior="98-7654321BB")
    services.partner_update(actor=other_officer, partner_id=other.pk, changes={"phone": "+44 20 0000"})
    response = login(officer).get(f"/companies/{partner.pk}/history/")
    assert response.status_code == 200
    items = response.context["page"].items
    assert [e.action for e in items] == ["site.add", "partner.update", "partner.create"]
    assert all(e.partner_id == partner.pk for e in items)
    html = response.content.decode()
    assert "Added site Head office (Headquarters)" in html
    assert "Other Co" not in html and "+44 20 0000" not in html
    # The staff detail page's history tab shows the same rows.
    staff_page = login(user_factory("scs@cbp.example", staff_role="scs")).get(
        f"/staff/partners/{partner.pk}/?tab=history"
    )
    assert [e.pk for e in staff_page.context["page"].items] == [e.pk for e in items]


def test_event_history_pages(officer, partner, login):
    for n in range(4):
        services.partner_update(actor=officer, partner_id=partner.pk, changes={"employee_count": n + 1})
    response = login(officer).get(f"/companies/{partner.pk}/history/?limit=2&offset=1")
    page = response.context["page"]
    assert (page.count, page.limit, page.offset) == (5, 2, 1)
    assert [e.after for e in page.items] == [{"employee_count": 3}, {"employee_count": 2}]


def test_event_history_api(client, officer, partner, auth_header, user_factory):
    services.partner_update(actor=officer, partner_id=partner.pk, changes={"employee_count": 5})
    body = client.get(f"/api/v1/partners/{partner.pk}/events", **auth_header(officer)).json()
    assert body["count"] == 2
    assert [e["action"] for e in body["items"]] == ["partner.update", "partner.create"]
    assert body["items"][0]["actor"] == officer.email
    stranger = user_factory("stranger@else.example")
    assert client.get(f"/api/v1/partners/{partner.pk}/events", **auth_header(stranger)).status_code == 404


def _event(at, *, actor, action, partner=None, summary=""):
    event = AuditEvent(
        at=at, actor=actor, actor_label=actor.email, action=action, partner=partner, summary=summary
    )
    event.save()
    return event


@pytest.fixture
def log_data(staff, officer, user_factory):
    """Events on known days, by known actors, about known partners (besides whatever the set-up recorded)."""
    acme = enroll(officer)
    other_officer = user_factory("buyer@globex.example")
    globex = enroll(other_officer, name="Globex", ior="98-7654321BB")
    day = dt.datetime(2020, 3, 10, 15, 0, tzinfo=dt.UTC)
    rows = {
        "a": _event(day, actor=staff["scs"], action="partner.transition", partner=acme, summary="Row A"),
        "b": _event(
            day + dt.timedelta(days=1),
            actor=staff["scs"],
            action="partner.assign_scs",
            partner=globex,
            summary="Row B",
        ),
        "c": _event(
            day + dt.timedelta(days=2, hours=8, minutes=59),
            actor=staff["program_manager"],
            action="partner.transition",
            partner=globex,
            summary="Row C",
        ),
        "d": _event(
            day + dt.timedelta(days=3),
            actor=other_officer,
            action="site.add",
            partner=globex,
            summary="Row D",
        ),
        "e": _event(
            day + dt.timedelta(days=4),
            actor=staff["system_admin"],
            action="agreement.publish",
            summary="Row E",
        ),
    }
    return {"acme": acme, "globex": globex, "rows": rows}


def matches(event: AuditEvent, flt: dict) -> bool:
    """The filter's meaning, stated independently of the selector."""
    at = event.at.astimezone(dt.UTC).date()
    return all(
        [
            flt.get("actor", "").lower() in event.actor_label.lower(),
            event.action.startswith(flt.get("action", "")),
            not flt.get("partner_reference")
            or (event.partner is not None and event.partner.reference == flt["partner_reference"].upper()),
            not flt.get("date_from") or at >= dt.date.fromisoformat(flt["date_from"]),
            not flt.get("date_to") or at <= dt.date.fromisoformat(flt["date_to"]),
        ]
    )


@pytest.mark.parametrize(
    ("query", "fixed_rows"),
    [
        ({}, "edcba"),
        ({"actor": "scs@cbp"}, "ba"),
        ({"actor": "CBP.EXAMPLE"}, "ecba"),
        ({"actor": "globex"}, "d"),
        ({"action": "partner.transition"}, "ca"),
        ({"action": "partner."}, "cba"),
        ({"action": "site"}, "d"),
        ({"partner_reference": "{globex}"}, "dcb"),
        ({"partner_reference": "{acme_lower}"}, "a"),
        ({"date_from": "2020-03-11", "date_to": "2020-03-13"}, "dcb"),
        ({"date_from": "2020-03-14"}, "e"),
        ({"date_to": "2020-03-10"}, "a"),
        ({"actor": "scs@cbp", "action": "partner.transition", "partner_reference": "{acme}"}, "a"),
        ({"partner_reference": "GL-NOSUCH1"}, ""),
    ],
)
def test_staff_audit_log_filters(login, staff, log_data, query, fixed_rows):
    refs = {
        "{globex}": log_data["globex"].reference,
        "{acme}": log_data["acme"].reference,
        "{acme_lower}": log_data["acme"].reference.lower(),
    }
    params = {k: refs.get(v, v) for k, v in query.items()}
    response = login(staff["auditor"]).get("/staff/audit/", {**params, "limit": 100})
    assert response.status_code == 200
    got = [e.pk for e in response.context["page"].items]
    everything = AuditEvent.objects.select_related("partner").order_by("-at", "-id")
    assert got == [e.pk for e in everything if matches(e, params)]
    fixed = {e.pk: letter for letter, e in log_data["rows"].items()}
    assert "".join(fixed[pk] for pk in got if pk in fixed) == fixed_rows
    html = response.content.decode()
    for letter, event in log_data["rows"].items():
        assert (f"<br>{event.summary}" in html) == (letter in fixed_rows)


def test_staff_audit_log_pages(login, staff, officer, partner):
    for n in range(7):
        services.partner_update(actor=officer, partner_id=partner.pk, changes={"employee_count": n + 1})
    query = {"partner_reference": partner.reference, "limit": 3, "offset": 3}
    page = login(staff["scs"]).get("/staff/audit/", query).context["page"]
    assert (page.count, page.limit, page.offset) == (8, 3, 3)
    assert [e.after["employee_count"] for e in page.items] == [4, 3, 2]


@pytest.mark.parametrize("role", ["company_officer", "company_admin", "contributor", "consultant"])
def test_trade_users_get_404_on_the_staff_audit_log(officer, partner, user_factory, login, role):
    if role == "company_officer":
        user = officer
    else:
        user = user_factory(f"{role}@acme.example")
        services.membership_add(actor=officer, partner_id=partner.pk, email=user.email, role=role)
    assert login(user).get("/staff/audit/").status_code == 404
    assert login(user).get("/staff/audit/", {"partner_reference": partner.reference}).status_code == 404


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/staff/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/staff/audit/")


def test_every_staff_role_reads_the_audit_log(staff, login, partner):
    for role, user in staff.items():
        response = login(user).get("/staff/audit/")
        assert response.status_code == 200, role
        assert response.context["page"].count == AuditEvent.objects.count()
