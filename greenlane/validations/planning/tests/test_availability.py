"""Specialists' monthly hours: the service (batch, all or nothing, reason, audit), the staff page and the API."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from conftest import make_user, verified_client
from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Forbidden, InvalidInput, NotFound
from greenlane.validations.planning import engine, selectors, services
from greenlane.validations.planning.models import SpecialistAvailability

YEAR = 2031
URL = reverse("planning:availability")


@pytest.fixture
def supervisor(db):
    return make_user("sup@cbp.example", staff_role="supervisory_scs")


def _events():
    return AuditEvent.objects.filter(action="planning.availability_set").count()


def test_update_sets_cells_with_one_event_each(supervisor, scs, scs2):
    saved = services.availability_update(
        actor=supervisor,
        year=YEAR,
        changes=[
            {"specialist_id": scs.pk, "month": 3, "hours": 64},
            {"specialist_id": scs2.pk, "month": 8, "hours": "0"},
            {"specialist_id": scs2.pk, "month": 9, "hours": engine.STANDARD_MONTHLY_HOURS},  # no change
        ],
        reason="Leave",
    )
    assert len(saved) == 2 and _events() == 2
    hours = selectors.availability(YEAR, [scs.pk, scs2.pk])
    assert hours[scs.pk][2] == 64 and hours[scs2.pk][7] == 0 and hours[scs2.pk][8] == 128
    event = AuditEvent.objects.filter(action="planning.availability_set").order_by("id").first()
    assert event.reason == "Leave" and event.before["hours"] == 128 and event.after["hours"] == 64


@pytest.mark.parametrize("bad", [-1, services.MAX_HOURS_PER_MONTH + 1, "12.5", "abc", "", None, 1.5, True])
def test_bad_hours_refuse_the_whole_batch(supervisor, scs, scs2, bad):
    with pytest.raises(InvalidInput) as exc:
        services.availability_update(
            actor=supervisor,
            year=YEAR,
            changes=[
                {"specialist_id": scs.pk, "month": 3, "hours": 64},
                {"specialist_id": scs2.pk, "month": 4, "hours": bad},
            ],
            reason="Leave",
        )
    assert exc.value.field == f"h-{scs2.pk}-4"
    assert str(services.MAX_HOURS_PER_MONTH) in exc.value.message
    assert SpecialistAvailability.objects.count() == 0 and _events() == 0


def test_reason_specialist_month_and_year_are_checked(supervisor, scs, officer):
    cases = [
        (
            {"year": YEAR, "changes": [{"specialist_id": scs.pk, "month": 3, "hours": 1}], "reason": " "},
            "reason",
        ),
        (
            {"year": 1999, "changes": [{"specialist_id": scs.pk, "month": 3, "hours": 1}], "reason": "x"},
            "year",
        ),
        (
            {"year": YEAR, "changes": [{"specialist_id": scs.pk, "month": 13, "hours": 1}], "reason": "x"},
            None,
        ),
        (
            {"year": YEAR, "changes": [{"specialist_id": officer.pk, "month": 1, "hours": 1}], "reason": "x"},
            None,
        ),
        ({"year": YEAR, "changes": [], "reason": "x"}, "changes"),
    ]
    for kwargs, field in cases:
        with pytest.raises(InvalidInput) as exc:
            services.availability_update(actor=supervisor, **kwargs)
        if field:
            assert exc.value.field == field
    assert SpecialistAvailability.objects.count() == 0 and _events() == 0


def test_who_may_set_hours(scs, scs2, officer, manager):
    change = {"year": YEAR, "changes": [{"specialist_id": scs2.pk, "month": 1, "hours": 1}], "reason": "x"}
    with pytest.raises(Forbidden):
        services.availability_update(actor=scs, **change)
    with pytest.raises(NotFound):
        services.availability_update(actor=officer, **change)
    assert SpecialistAvailability.objects.count() == 0
    assert services.availability_update(actor=manager, **change)
    admin = make_user("admin@cbp.example", staff_role="system_admin")
    change["changes"][0]["hours"] = 2
    assert services.availability_update(actor=admin, **change)


def test_page_shows_specialists_by_month_with_the_standard(
    supervisor, scs, scs2, django_assert_max_num_queries
):
    services.availability_update(
        actor=supervisor,
        year=YEAR,
        changes=[{"specialist_id": scs.pk, "month": 2, "hours": 40}],
        reason="Leave",
    )
    c = verified_client(supervisor)
    r = c.get(URL, {"year": YEAR})
    assert r.status_code == 200
    body = r.content.decode()
    assert f'name="h-{scs.pk}-2" value="40"' in body and f'name="h-{scs2.pk}-2" value="128"' in body
    assert "standard 128 h" in body and "Save the changed months" in body
    for i in range(10):
        make_user(f"more{i}@cbp.example", staff_role="scs")
    with django_assert_max_num_queries(14):
        assert c.get(URL, {"year": YEAR}).status_code == 200


def test_page_saves_changed_cells_with_a_reason(supervisor, scs, scs2):
    c = verified_client(supervisor)
    page = c.get(URL, {"year": YEAR})
    data = {f"h-{u.pk}-{m}": "128" for u in (supervisor, scs, scs2) for m in range(1, 13)}
    data.update({"year": YEAR, f"h-{scs.pk}-6": "0", "reason": "Detail to headquarters"})
    assert page.status_code == 200
    r = c.post(URL + f"?year={YEAR}", data)
    assert r.status_code == 302
    assert selectors.availability(YEAR, [scs.pk])[scs.pk][5] == 0 and _events() == 1


def test_page_bad_input_is_a_message_and_nothing_stored(supervisor, scs, scs2):
    c = verified_client(supervisor)
    data = {f"h-{u.pk}-{m}": "128" for u in (supervisor, scs, scs2) for m in range(1, 13)}
    data.update({f"h-{scs.pk}-6": "500", f"h-{scs2.pk}-1": "40", "reason": "Leave"})
    r = c.post(URL + f"?year={YEAR}", data)
    assert r.status_code == 200
    body = r.content.decode()
    assert "nothing was saved" in body and f'href="#h-{scs.pk}-6"' in body and 'aria-invalid="true"' in body
    assert 'value="500"' in body
    data.update({f"h-{scs.pk}-6": "60", "reason": ""})
    r = c.post(URL + f"?year={YEAR}", data)
    assert r.status_code == 200 and "Say why the hours change" in r.content.decode()
    assert SpecialistAvailability.objects.count() == 0 and _events() == 0


def test_page_readers_see_no_inputs_and_cannot_post(scs, scs2):
    c = verified_client(scs)
    r = c.get(URL)
    assert (
        r.status_code == 200
        and b"Save the changed months" not in r.content
        and b"<input class" not in r.content
    )
    r = c.post(URL + f"?year={YEAR}", {f"h-{scs2.pk}-1": "1", "reason": "x"})
    assert r.status_code == 403 and SpecialistAvailability.objects.count() == 0


def test_api_get_and_put(supervisor, scs, scs2, client, auth_header):
    h = auth_header(supervisor)
    r = client.get(f"/api/v1/validation-plans/availability?year={YEAR}", **h)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["standard_hours"] == 128 and body["maximum_hours"] == services.MAX_HOURS_PER_MONTH
    row = next(s for s in body["specialists"] if s["id"] == scs.pk)
    assert row["hours"] == [128] * 12 and row["set"] == [False] * 12
    payload = {
        "year": YEAR,
        "changes": [{"specialist_id": scs.pk, "month": 12, "hours": 16}],
        "reason": "Leave",
    }
    r = client.put("/api/v1/validation-plans/availability", json.dumps(payload), "application/json", **h)
    assert r.status_code == 200, r.content
    assert r.json()["specialists"][0]["hours"][11] == 16 and r.json()["specialists"][0]["set"][11]
    payload["changes"][0]["hours"] = -3
    r = client.put("/api/v1/validation-plans/availability", json.dumps(payload), "application/json", **h)
    assert r.status_code == 422 and r.json()["field"] == f"h-{scs.pk}-12"
    assert selectors.availability(YEAR, [scs.pk])[scs.pk][11] == 16
