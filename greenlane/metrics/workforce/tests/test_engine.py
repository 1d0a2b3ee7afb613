"""The pure projection: due years by law, growth, hours model, staffing needed."""

from __future__ import annotations

import datetime as dt

from greenlane.metrics.workforce import engine
from greenlane.metrics.workforce.engine import Member, Parameters, RecordedValidation, Specialist

D = dt.date
P = Parameters(start_year=2026, years=5, growth=0.0)


def spec(office="ny", hours=1720.0, key=1):
    return Specialist(key, "S", office, "scs", {y: hours for y in range(2026, 2031)}, "standard")


def test_never_validated_is_due_a_year_after_certification_then_every_four():
    assert engine.due_years(Member("ny", "importer", D(2025, 6, 1)), P) == [2026, 2030]


def test_overdue_first_validation_counts_in_the_first_year():
    assert engine.due_years(Member("ny", "importer", D(2020, 1, 1)), P) == [2026, 2030]


def test_validated_member_revalidates_four_years_later():
    assert engine.due_years(Member("ny", "importer", D(2019, 1, 1), D(2024, 3, 1)), P) == [2028]


def test_growth_measured_from_certifications():
    years = [2020] * 100 + [2023] * 10 + [2024] * 11 + [2025] * 12
    # 10/100, 11/110, 12/121 -> mean 0.0997
    assert engine.measured_growth(years, 2026) == 0.0997
    assert engine.measured_growth([2026], 2026) is None


def test_hours_model_falls_back_to_the_default_with_few_records():
    model = engine.hours_model([RecordedValidation("importer", "on_site", 60.0)] * 4)
    assert model.source == "default" and model.overall == engine.DEFAULT_HOURS_PER_VALIDATION
    assert "fewer than 5" in model.note


def test_hours_model_by_entity_type_and_visit_kind():
    recs = [RecordedValidation("importer", "on_site", 60.0)] * 5 + [
        RecordedValidation("sea_carrier", "virtual", 20)
    ]
    model = engine.hours_model(recs)
    assert model.source == "recorded" and model.for_type("importer") == 60.0
    assert model.for_type("sea_carrier") == model.overall == round((300 + 20) / 6, 1)
    assert {
        "entity_type": "sea_carrier",
        "visit_kind": "virtual",
        "validations": 1,
        "mean_hours": 20.0,
    } in model.groups
    assert "sea_carrier" in model.note


def test_specialists_needed_vs_on_board():
    hours = engine.hours_model([])  # 46 h default
    members = [Member("ny", "importer", D(2025, 6, 1))] * 60  # 60 due in 2026
    plan = engine.project(P, members, [spec()], hours)
    row = next(r for r in plan.rows if r.office == "ny" and r.year == 2026)
    assert row.first_validations == 60 and row.hours_needed == 60 * 46
    per_person = 1720 * engine.VALIDATION_SHARE
    assert row.needed == -(-60 * 46 // per_person) == 3
    assert row.on_board == 1 and row.gap == 2
    quiet = next(r for r in plan.rows if r.office == "ny" and r.year == 2027)
    assert quiet.validations == 0 and quiet.needed == 0 and quiet.gap == -1


def test_growth_adds_first_validations_the_next_year():
    p = Parameters(start_year=2026, years=3, growth=0.1)
    members = [Member("ny", "importer", D(2020, 1, 1), D(2025, 1, 1))] * 100
    plan = engine.project(p, members, [], engine.hours_model([]))
    assert [m["new_members"] for m in plan.membership] == [10, 11, 12]
    rows = {r.year: r for r in plan.rows}
    assert rows[2026].first_validations == 0
    assert rows[2027].first_validations == 10 and rows[2028].first_validations == 11


def test_risk_plan_extra_and_lower_availability_need_more_people():
    members = [Member("mia", "importer", D(2025, 6, 1))] * 20
    part_time = Specialist(1, "S", "mia", "scs", {y: 860.0 for y in range(2026, 2031)}, "planning")
    plan = engine.project(P, members, [part_time], engine.hours_model([]), {("mia", 2026): 5})
    row = next(r for r in plan.rows if r.year == 2026)
    assert row.risk_plan == 5 and row.validations == 25
    assert row.needed == -(-25 * 46 // (860 * engine.VALIDATION_SHARE))


def test_new_members_are_split_in_whole_members_by_office():
    members = [Member("ny", "importer", D(2020, 1, 1), D(2025, 1, 1))] * 2 + [
        Member("mia", "importer", D(2020, 1, 1), D(2025, 1, 1))
    ]
    p = Parameters(start_year=2026, years=2, growth=1.0)  # 3 new members in 2026
    plan = engine.project(p, members, [], engine.hours_model([]))
    new = {r.office: r.new_members for r in plan.rows if r.year == 2026}
    assert new == {"ny": 2, "mia": 1}
    assert all(r.hours_needed == r.validations * 46 for r in plan.rows)
