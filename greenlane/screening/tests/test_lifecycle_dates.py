"""Program dates computed from events: one partner's dates, and overdue and due-soon items across the
program in a constant number of queries, with filters by field office and kind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from greenlane.accounts.models import FieldOffice
from greenlane.core import clocks
from greenlane.criteria.models import CatalogVersion
from greenlane.partners.choices import Tier
from greenlane.partners.models import Partner, TierChange
from greenlane.profiles.models import AnnualReview, SecurityProfile
from greenlane.screening import deadlines, lifecycle
from greenlane.screening.deadlines import Kind
from greenlane.screening.models import Appeal, InfoRequest

from .test_lifecycle_support import URLS, ago, certified, denied, referral

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

TODAY = timezone.localdate


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@acme.example")


def review(partner, *, due_in: int, status: str = "open", cycle: int = 1) -> AnnualReview:
    catalog = CatalogVersion.objects.filter(is_active=True).first() or CatalogVersion.objects.first()
    profile, _ = SecurityProfile.objects.get_or_create(partner=partner, catalog_version=catalog)
    due = TODAY() + dt.timedelta(days=due_in)
    return AnnualReview.objects.create(
        partner=partner,
        profile=profile,
        cycle=cycle,
        opens_on=due - dt.timedelta(days=90),
        due_on=due,
        status=status,
    )


def validated(partner, *, days_ago: int) -> None:
    TierChange.objects.create(partner=partner, from_tier=1, to_tier=2, at=ago(days_ago), reason="Validated")
    Partner.objects.filter(pk=partner.pk).update(tier=Tier.TIER_2)
    partner.refresh_from_db()


def appeal(officer, partner, decision, *, filed_days_ago: int) -> Appeal:
    filed = ago(filed_days_ago)
    return Appeal.objects.create(
        partner=partner,
        subject="denial",
        decision=decision,
        grounds="Grounds.",
        filed_at=filed,
        filed_by=officer,
        filing_deadline=timezone.localdate(filed),
        decision_due=timezone.localdate(filed) + dt.timedelta(days=180),
    )


# --- one partner --------------------------------------------------------------------------------------------


def test_a_new_member_sees_its_first_validation_and_annual_review(officer):
    member = certified(officer, days_ago=100)
    on = TODAY()
    certified_on = on - dt.timedelta(days=100)
    items = {i.kind: i for i in deadlines.partner_dates(member).items}
    assert set(items) == {Kind.VALIDATION, Kind.ANNUAL_REVIEW}
    assert items[Kind.VALIDATION].due == clocks.first_validation_due(certified_on)
    window = clocks.annual_review_window(certified_on)
    assert (items[Kind.ANNUAL_REVIEW].due, items[Kind.ANNUAL_REVIEW].opens) == (window.due, window.opens)


def test_a_validated_member_sees_its_revalidation_and_its_review_in_progress(officer):
    member = certified(officer, days_ago=800)
    validated(member, days_ago=500)
    review(member, due_in=-3, status="returned", cycle=2)
    items = {i.kind: i for i in deadlines.partner_dates(member).items}
    assert items[Kind.REVALIDATION].due == clocks.revalidation_due(TODAY() - dt.timedelta(days=500))
    assert items[Kind.ANNUAL_REVIEW].is_overdue and items[Kind.ANNUAL_REVIEW].days_overdue == 3
    assert Kind.VALIDATION not in items


def test_a_denied_company_sees_its_appeal_window_then_the_appeal_decision_due(officer):
    partner, _decision = denied(officer, days_ago=80)
    items = {i.kind: i for i in deadlines.partner_dates(partner).items}
    assert (
        items[Kind.APPEAL_WINDOW].due == TODAY() + dt.timedelta(days=10)
        and items[Kind.APPEAL_WINDOW].is_due_soon
    )
    lifecycle.appeal_file(actor=officer, partner_id=partner.pk, subject="denial", grounds="Bond renewed.")
    items = {i.kind: i for i in deadlines.partner_dates(partner).items}
    assert Kind.APPEAL_WINDOW not in items
    assert items[Kind.APPEAL_DECISION].due == TODAY() + dt.timedelta(days=180)


def test_dates_page_and_api_show_a_company_only_its_own(
    officer, user_factory, login, client, auth_header, staff
):
    member = certified(officer, days_ago=30)
    other = user_factory("other@rival.example")
    page = login(officer).get(f"/companies/{member.pk}/dates/")
    assert page.status_code == 200 and "First validation" in page.content.decode()
    assert login(other).get(f"/companies/{member.pk}/dates/").status_code == 404
    assert login(staff["scs"]).get(f"/companies/{member.pk}/dates/").status_code == 404
    body = client.get(f"/api/v1/partners/{member.pk}/dates", **auth_header(officer)).json()
    assert [d["kind"] for d in body["dates"]] == [Kind.ANNUAL_REVIEW, Kind.VALIDATION]
    assert client.get(f"/api/v1/partners/{member.pk}/dates", **auth_header(other)).status_code == 404
    assert (
        client.get(f"/api/v1/partners/{member.pk}/dates", **auth_header(staff["auditor"])).status_code == 200
    )


# --- across the program -------------------------------------------------------------------------------------


def _population(officer, staff, *, n: int) -> dict:
    """n items of each kind, overdue or due soon, and as many that are not due yet."""
    scs = staff["scs"]
    made: dict[str, list] = {k: [] for k in Kind.PROGRAM}
    for i in range(n):
        made[Kind.CERTIFICATION].append(referral(officer, submitted_days_ago=85 + i, assigned_to=scs))
        referral(officer, submitted_days_ago=10, assigned_to=scs)  # not due yet
        r = referral(officer, submitted_days_ago=20, assigned_to=scs)
        made[Kind.INFO_REQUEST].append(
            InfoRequest.objects.create(
                referral=r,
                message="?",
                requested_by=scs,
                requested_at=ago(5),
                due_on=TODAY() - dt.timedelta(days=i),
            )
        )
        partner, decision = denied(officer, days_ago=200)
        made[Kind.APPEAL_DECISION].append(appeal(officer, partner, decision, filed_days_ago=175 + i))
        partner, decision = denied(officer, days_ago=30)
        appeal(officer, partner, decision, filed_days_ago=20)  # not due yet
        made[Kind.ANNUAL_REVIEW].append(review(certified(officer, days_ago=100), due_in=-i))
        made[Kind.VALIDATION].append(certified(officer, days_ago=360 + i))
        certified(officer, days_ago=100)  # not due yet
        member = certified(officer, days_ago=2000)
        validated(member, days_ago=4 * 365 + i)
        made[Kind.REVALIDATION].append(member)
    return made


def test_program_deadlines_list_every_kind_soonest_first(officer, staff):
    made = _population(officer, staff, n=2)
    result = deadlines.program_deadlines()
    assert result.counts == {k: 2 for k in Kind.PROGRAM}
    assert result.total == 12 and len(result.rows) == 12
    assert [r.due for r in result.rows] == sorted(r.due for r in result.rows)
    assert all(r.is_overdue or r.is_due_soon for r in result.rows)
    info = deadlines.program_deadlines(kind=Kind.INFO_REQUEST)
    assert {r.obj.pk for r in info.rows} == {x.pk for x in made[Kind.INFO_REQUEST]}
    assert set(info.counts) == {Kind.INFO_REQUEST}
    page_two = deadlines.program_deadlines(limit=5, offset=5)
    assert [(r.kind, r.due) for r in page_two.rows] == [(r.kind, r.due) for r in result.rows[5:10]]


def test_program_deadlines_filter_by_field_office(officer, staff, user_factory):
    miami_scs = user_factory("scs.miami@cbp.example", staff_role="scs", office="miami")
    miami = FieldOffice.objects.get(code="miami")
    referral(officer, submitted_days_ago=95, assigned_to=staff["scs"])
    theirs = referral(officer, submitted_days_ago=95, assigned_to=miami_scs)
    late = certified(officer, days_ago=400)
    Partner.objects.filter(pk=late.pk).update(field_office=miami)
    result = deadlines.program_deadlines(field_office=miami.pk)
    assert [(r.kind, r.partner.pk) for r in result.rows] == [
        (Kind.VALIDATION, late.pk),  # due 35 days ago
        (Kind.CERTIFICATION, theirs.partner_id),  # due 5 days ago
    ]


def test_the_leap_day_member_is_due_on_28_february():
    due_of = clocks.first_validation_due
    assert deadlines._latest_start(dt.date(2025, 2, 28), due_of, 1) == dt.date(2024, 2, 29)
    assert deadlines._latest_start(dt.date(2025, 6, 10), due_of, 1) == dt.date(2024, 6, 10)
    assert deadlines._latest_start(dt.date(2028, 2, 29), due_of, 1) == dt.date(2027, 2, 28)


def test_deadlines_page_runs_a_constant_number_of_queries(officer, staff, login):
    client = login(staff["supervisory_scs"])
    client.get("/staff/deadlines/")

    def measured() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/staff/deadlines/")
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    _population(officer, staff, n=1)
    few, _body = measured()
    _population(officer, staff, n=4)
    many, body = measured()
    assert many == few
    assert "Overdue" in body and "Revalidation (4 years)" in body and "Appeal decision (180 days)" in body


def test_deadlines_page_and_api_are_staff_only(officer, staff, login, client, auth_header):
    referral(officer, submitted_days_ago=95, assigned_to=staff["scs"], name="Late Co")
    assert login(officer).get("/staff/deadlines/").status_code == 404
    page = login(staff["auditor"]).get("/staff/deadlines/?kind=certification").content.decode()
    assert "Late Co" in page and "5 days late" in page
    body = client.get(
        "/api/v1/lifecycle/deadlines?kind=certification", **auth_header(staff["auditor"])
    ).json()
    assert body["counts"] == {"certification": 1} and body["items"][0]["state"] == "overdue"
    assert client.get("/api/v1/lifecycle/deadlines", **auth_header(officer)).status_code == 404
