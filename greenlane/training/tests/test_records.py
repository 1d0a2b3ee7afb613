"""Staff training records and the due list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from greenlane.accounts.models import User
from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Forbidden, InvalidInput, NotFound
from greenlane.training import records, selectors
from greenlane.training.models import TrainingRecord

pytestmark = pytest.mark.django_db


def state():
    return list(TrainingRecord.objects.values_list("id", "course", "hours")), AuditEvent.objects.count()


def started(user: User, days_ago: int) -> User:
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - dt.timedelta(days=days_ago))
    user.refresh_from_db()
    return user


def test_supervisor_records_for_own_office(staff):
    record = records.training_record_create(
        actor=staff["supervisory_scs"],
        user_id=staff["scs"].pk,
        course="scs_course",
        completed_on=timezone.localdate(),
        hours="80",
        evidence="OTD roster 2026-14",
    )
    assert record.hours == Decimal("80.0")
    event = AuditEvent.objects.get(action="training.record")
    assert event.after["course"] == "scs_course" and event.actor == staff["supervisory_scs"]


@pytest.mark.parametrize(
    "over, field",
    [
        ({"course": "juggling"}, "course"),
        ({"completed_on": None}, "completed_on"),
        ({"completed_on": dt.date(2999, 1, 1)}, "completed_on"),
        ({"hours": "0"}, "hours"),
        ({"hours": "501"}, "hours"),
        ({"hours": "many"}, "hours"),
        ({"evidence": " "}, "evidence"),
    ],
)
def test_bad_record_names_the_field_and_stores_nothing(staff, over, field):
    values = {
        "user_id": staff["scs"].pk,
        "course": "ce",
        "completed_on": timezone.localdate(),
        "hours": "8",
        "evidence": "Course certificate",
        **over,
    }
    before = state()
    with pytest.raises(InvalidInput) as exc:
        records.training_record_create(actor=staff["program_manager"], **values)
    assert field in {e["field"] for e in exc.value.errors}
    assert state() == before


def test_who_may_record(staff, user_factory):
    other_office = user_factory("far@cbp.example", staff_role="scs", office="miami")
    values = {"course": "ce", "completed_on": timezone.localdate(), "hours": "8", "evidence": "x"}
    before = state()
    with pytest.raises(Forbidden):
        records.training_record_create(actor=staff["scs"], user_id=staff["scs"].pk, **values)
    with pytest.raises(Forbidden):
        records.training_record_create(actor=staff["supervisory_scs"], user_id=other_office.pk, **values)
    with pytest.raises(NotFound):
        records.training_record_create(
            actor=user_factory("t@trade.example"), user_id=staff["scs"].pk, **values
        )
    with pytest.raises(InvalidInput):  # not a trainee
        records.training_record_create(actor=staff["program_manager"], user_id=staff["auditor"].pk, **values)
    assert state() == before
    records.training_record_create(actor=staff["program_manager"], user_id=other_office.pk, **values)


def test_due_list_overdue_first_and_by_office(staff, user_factory):
    late = started(user_factory("late@cbp.example", staff_role="scs", office="miami"), 400)
    fresh = started(user_factory("fresh@cbp.example", staff_role="scs"), 10)
    rows = selectors.due_list(staff["auditor"])
    emails = [r.user.email for r in rows]
    assert emails.index(late.email) < emails.index(fresh.email)
    assert rows[0].overdue
    miami = selectors.due_list(staff["auditor"], field_office=late.field_office_id)
    assert [r.user.email for r in miami] == [late.email]
    with pytest.raises(NotFound):
        selectors.due_list(user_factory("t@trade.example"))


def test_owed_by_user_in_constant_queries(staff, user_factory, django_assert_num_queries):
    people = [user_factory(f"p{i}@cbp.example", staff_role="scs") for i in range(5)]
    with django_assert_num_queries(1):
        selectors.owed_by_user(people)
