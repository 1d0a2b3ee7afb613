"""The plan read from the portal: roster, members' clocks, recorded hours, availability, risk plan; page, API,
exports and the command."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import load_workbook

from greenlane.accounts.models import FieldOffice
from greenlane.core.errors import Forbidden, InvalidInput, NotFound
from greenlane.metrics.workforce import plan_for_report, selectors
from greenlane.partners.models import Partner
from greenlane.screening.tests.test_lifecycle_support import certified

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def world(user_factory):
    ny, miami = FieldOffice.objects.get(code="new-york"), FieldOffice.objects.get(code="miami")
    officer = user_factory("wf-officer@member.example")
    for i in range(6):  # certified over a year ago: first validation overdue, due now
        p = certified(officer, days_ago=400 + i)
        Partner.objects.filter(pk=p.pk).update(field_office=ny if i < 4 else miami)
    scs = user_factory("wf-scs@cbp.example", staff_role="scs", office="new-york")
    sup = user_factory("wf-sup@cbp.example", staff_role="supervisory_scs", office="miami")
    return {"ny": ny, "miami": miami, "scs": scs, "sup": sup, "officer": officer}


def office_row(plan, office, year=YEAR):
    return next(r for r in plan["offices"] if r["office"] == office and r["year"] == year)


def test_plan_counts_members_due_by_office_and_the_roster(world):
    plan = selectors.workforce_plan(3, 0.0)
    ny = office_row(plan, "new-york")
    assert ny["first_validations"] + ny["revalidations"] >= 4 and ny["on_board"] == 1
    assert office_row(plan, "miami")["on_board"] == 1
    assert plan["hours_per_validation"]["source"] == "default"
    assert "default" in plan["hours_per_validation"]["note"]
    scs = next(s for s in plan["roster"] if s["id"] == world["scs"].pk)
    assert scs["availability_source"] == "standard" and scs["training_owed"] >= 1
    assert [t["year"] for t in plan["totals"]] == [YEAR, YEAR + 1, YEAR + 2]
    assert plan["parameters"]["growth"] == 0.0 and "as given" in plan["notes"][0]


def test_measured_growth_is_the_default(world):
    plan = selectors.workforce_plan(2)
    assert "measured" in plan["notes"][0] or "too little" in plan["notes"][0]


def test_recorded_hours_replace_the_default(world):
    from greenlane.validations.models import HoursEntry, Validation, Visit
    from greenlane.validations.tests.support import member, opened

    scs = world["scs"]
    first = opened(scs, member(world["officer"]))
    for _i in range(5):
        v = Validation.objects.create(
            partner=first.partner,
            kind="initial",
            status="closed",
            specialist=scs,
            snapshot=first.snapshot,
            closed_at=timezone.now(),
        )
        HoursEntry.objects.create(
            validation=v, staff=scs, activity="on_site", hours=20, on=timezone.localdate(), recorded_by=scs
        )
        HoursEntry.objects.create(
            validation=v, staff=scs, activity="report", hours=20, on=timezone.localdate(), recorded_by=scs
        )
        Visit.objects.create(validation=v, kind="on_site", scheduled_for=timezone.now(), created_by=scs)
    plan = selectors.workforce_plan(1, 0.0)
    hours = plan["hours_per_validation"]
    assert hours["source"] == "recorded" and hours["overall"] == 40.0 and hours["records"] == 5
    assert hours["groups"] == [
        {"entity_type": "importer", "visit_kind": "on_site", "validations": 5, "mean_hours": 40.0}
    ]


def test_availability_from_planning_and_the_accepted_risk_plan(world):
    from greenlane.validations.planning.models import PlanEntry, SpecialistAvailability, ValidationPlan

    for month in range(1, 13):
        SpecialistAvailability.objects.create(specialist=world["scs"], year=YEAR, month=month, hours=70)
    plan_row = ValidationPlan.objects.create(year=YEAR, status="accepted")
    partners = list(Partner.objects.filter(field_office=world["ny"])[:2])
    for why, partner in zip(("risk", "deadline"), partners, strict=True):
        PlanEntry.objects.create(
            plan=plan_row,
            method="optimised",
            partner=partner,
            specialist=world["scs"],
            month=6,
            hours=40,
            score=1.0,
            why=why,
        )
    plan = selectors.workforce_plan(1, 0.0)
    scs = next(s for s in plan["roster"] if s["id"] == world["scs"].pk)
    assert scs["availability_source"] == "planning" and scs["hours_by_year"][str(YEAR)] == 840.0
    assert office_row(plan, "new-york")["risk_plan"] == 1
    assert any("accepted plan" in n for n in plan["notes"])


@pytest.mark.parametrize("kwargs, field", [
    ({"years": 0}, "years"), ({"years": 11}, "years"), ({"growth": 5}, "growth"),
    ({"annual_hours": 10}, "annual_hours"),
])  # fmt: skip
def test_bad_parameters_are_refused_with_the_field(staff, kwargs, field):
    with pytest.raises(InvalidInput) as exc:
        selectors.workforce_plan_for(staff["program_manager"], **kwargs)
    assert exc.value.field == field


def test_who_reads_the_plan(staff, user_factory):
    with pytest.raises(NotFound):
        selectors.workforce_plan_for(user_factory("t@trade.example"))
    with pytest.raises(Forbidden):
        selectors.workforce_plan_for(staff["scs"])
    assert selectors.workforce_plan_for(staff["auditor"], years=1)["parameters"]["years"] == 1


def test_page_and_exports(world, staff, login):
    client = login(staff["supervisory_scs"])
    page = client.get("/staff/workforce/?years=2&growth=0.1")
    assert page.status_code == 200 and b"new-york" in page.content and b"standard figure" in page.content
    assert client.get("/staff/workforce/?years=99").status_code == 200  # the form shows the error
    csv_body = client.get("/staff/workforce/plan.csv?years=2").content.decode()
    assert csv_body.startswith("# Staffing by field office and year") and "new-york" in csv_body
    xlsx = client.get("/staff/workforce/plan.xlsx?years=2")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["offices", "totals", "membership", "roster", "notes"]
    assert login(staff["scs"]).get("/staff/workforce/").status_code == 403


def test_api(world, staff, auth_header):
    response = staff_get = None
    from django.test import Client

    response = Client().get(
        "/api/v1/workforce/plan?years=2&growth=0", **auth_header(staff["program_manager"])
    )
    assert response.status_code == 200
    body = response.json()
    assert body["parameters"]["years"] == 2 and len(body["totals"]) == 2
    bad = Client().get("/api/v1/workforce/plan?years=50", **auth_header(staff["program_manager"]))
    assert bad.status_code == 422 and bad.json()["field"] == "years"
    staff_get = Client().get("/api/v1/workforce/plan", **auth_header(staff["scs"]))
    assert staff_get.status_code == 403


def test_command(world):
    out = io.StringIO()
    call_command("workforce", "plan", "--years", "2", "--growth", "0.05", stdout=out)
    text = out.getvalue()
    assert "Workforce plan" in text and "new-york" in text and "specialists needed" in text
    out = io.StringIO()
    call_command("workforce", "plan", "--years", "1", "--json", stdout=out)
    assert json.loads(out.getvalue())["parameters"]["years"] == 1
    with pytest.raises(CommandError, match="Years"):
        call_command("workforce", "plan", "--years", "0", stdout=io.StringIO())


def test_plan_for_report_feeds_the_annual_plan(world):
    data = plan_for_report(2)
    assert data["columns"][0] == "Field office" and data["rows"]


def test_members_only_count_certified(world):
    before = sum(r["validations"] for r in selectors.workforce_plan(1, 0.0)["offices"])
    Partner.objects.filter(status="certified").update(status="withdrawn")
    assert sum(r["validations"] for r in selectors.workforce_plan(1, 0.0)["offices"]) == 0
    assert before > 0


def test_first_validation_years_follow_the_clock(world):
    # Certified over a year ago and never validated: overdue, counted in the first year, then every four.
    plan = selectors.workforce_plan(5, 0.0)
    assert office_row(plan, "new-york")["first_validations"] == 4
    assert office_row(plan, "new-york", YEAR + 4)["revalidations"] == 4
    assert sum(office_row(plan, "new-york", YEAR + k)["validations"] for k in (1, 2, 3)) == 0
