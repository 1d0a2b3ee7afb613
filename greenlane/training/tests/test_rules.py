"""The pure training rules: what each person owes from the catalog and their records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from greenlane.training.rules import (
    CatalogError,
    Person,
    Record,
    add_months,
    load_catalog,
    owed,
    parse_catalog,
)

D = dt.date
CAT = load_catalog()


def codes(items):
    return {o.course: o for o in items}


def test_catalog_loads_with_the_four_rules():
    assert {c.rule for c in CAT.courses} == {"once", "hours_total", "recurring", "hours_per_year"}
    assert CAT.get("scs_course").hours == Decimal(80)


def test_new_specialist_owes_everything_due_from_start():
    person = Person(1, "scs", D(2026, 1, 10))
    out = codes(owed(person, [], CAT, D(2026, 3, 1)))
    assert set(out) == {"scs_course", "ojt", "antiterrorism_refresher"}  # CE starts the year after
    assert out["scs_course"].due == D(2026, 7, 9) and not out["scs_course"].overdue
    assert out["ojt"].hours_owed == Decimal(120)


def test_overdue_after_the_deadline_and_sorted_by_due():
    person = Person(1, "scs", D(2024, 1, 1))
    items = owed(person, [], CAT, D(2026, 6, 1))
    assert [o.due for o in items] == sorted(o.due for o in items)
    assert all(o.overdue for o in items if o.course != "ce") and codes(items)["ce"].overdue


def test_completed_once_course_is_not_owed():
    person = Person(1, "scs", D(2026, 1, 1))
    recs = [Record("scs_course", D(2026, 2, 1), Decimal(80))]
    assert "scs_course" not in codes(owed(person, recs, CAT, D(2026, 3, 1)))


def test_on_the_job_hours_add_up():
    person = Person(1, "scs", D(2026, 1, 1))
    recs = [Record("ojt", D(2026, 2, 1), Decimal(40)), Record("ojt", D(2026, 3, 1), Decimal(50))]
    assert codes(owed(person, recs, CAT, D(2026, 4, 1)))["ojt"].hours_owed == Decimal(30)
    recs.append(Record("ojt", D(2026, 3, 15), Decimal(30)))
    assert "ojt" not in codes(owed(person, recs, CAT, D(2026, 4, 1)))


def test_recurring_course_expires_after_its_validity():
    person = Person(1, "scs", D(2020, 1, 1))
    recs = [Record("antiterrorism_refresher", D(2024, 5, 31), Decimal(8))]
    item = codes(owed(person, recs, CAT, D(2026, 1, 1)))["antiterrorism_refresher"]
    assert item.due == D(2026, 5, 31) and not item.overdue
    item = codes(owed(person, recs, CAT, D(2026, 6, 1)))["antiterrorism_refresher"]
    assert item.overdue


def test_continuing_education_per_calendar_year():
    person = Person(1, "scs", D(2023, 6, 1))
    full_2025 = [Record("ce", D(2025, 3, 1), Decimal(24))]
    item = codes(owed(person, full_2025, CAT, D(2026, 2, 1)))["ce"]
    assert item.due == D(2026, 12, 31) and item.hours_owed == Decimal(24) and not item.overdue
    short_2025 = [Record("ce", D(2025, 3, 1), Decimal(10))]
    item = codes(owed(person, short_2025, CAT, D(2026, 2, 1)))["ce"]
    assert item.due == D(2025, 12, 31) and item.hours_owed == Decimal(14) and item.overdue
    done = [*full_2025, Record("ce", D(2026, 1, 20), Decimal(24))]
    assert "ce" not in codes(owed(person, done, CAT, D(2026, 2, 1)))


def test_roles_outside_the_catalog_owe_nothing():
    assert owed(Person(1, "vetting_officer", D(2020, 1, 1)), [], CAT, D(2026, 1, 1)) == []


def test_supervisors_do_not_owe_on_the_job_training():
    items = codes(owed(Person(1, "supervisory_scs", D(2026, 1, 1)), [], CAT, D(2026, 2, 1)))
    assert "ojt" not in items and "scs_course" in items


@pytest.mark.parametrize(
    "raw, message",
    [
        ({}, "'courses'"),
        ({"courses": [{"code": "x", "rule": "sometimes", "hours": 1}]}, "'rule'"),
        ({"courses": [{"code": "x", "rule": "once", "hours": 0, "due_within_days": 5}]}, "'hours'"),
        ({"courses": [{"code": "x", "rule": "once", "hours": 1}]}, "'due_within_days'"),
        (
            {"courses": [{"code": "x", "rule": "recurring", "hours": 1, "due_within_days": 5}]},
            "'valid_months'",
        ),
        (
            {"courses": [{"code": "x", "rule": "hours_per_year", "hours": 1}] * 2},
            "repeated",
        ),
    ],
)
def test_bad_catalog_is_refused_with_the_field(raw, message):
    with pytest.raises(CatalogError, match=message):
        parse_catalog(raw)


def test_add_months_clamps_the_day():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)
