"""Who sees what: every lifecycle page and read endpoint for every staff role, every trade role of the
company, another company's people and anonymous visitors. Staff pages and the staff API are 404 to
companies; a company's pages are 404 to staff and to other companies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from greenlane.accounts.choices import StaffRole, TradeRole
from greenlane.partners import services as partner_services
from greenlane.screening import lifecycle

from .test_lifecycle_support import URLS, certified, denied, referral

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


@pytest.fixture
def world(staff, user_factory, login, auth_header):
    officer = user_factory("officer@acme.example")
    people = {TradeRole.COMPANY_OFFICER: officer}
    r = referral(officer, assigned_to=staff["scs"])
    member = certified(officer, days_ago=50)
    lifecycle.suspension_start(
        actor=staff["scs"],
        partner_id=member.pk,
        cause="security_incident",
        benefits=["svi"],
        reason="Incident.",
    )
    plan = lifecycle.action_plan_submit(actor=officer, partner_id=member.pk, text="Plan.", consent=True)
    partner, _decision = denied(officer, days_ago=3)
    appeal = lifecycle.appeal_file(actor=officer, partner_id=partner.pk, subject="denial", grounds="Grounds.")
    request = lifecycle.referral_request_info(
        actor=staff["scs"],
        referral_id=r.pk,
        message="Send it.",
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )
    for role in (TradeRole.COMPANY_ADMIN, TradeRole.CONTRIBUTOR, TradeRole.CONSULTANT):
        person = user_factory(f"{role}@acme.example")
        for company in (r.partner, member, partner):
            partner_services.membership_add(
                actor=officer, partner_id=company.pk, email=person.email, role=role
            )
        people[role] = person
    stranger = user_factory("officer@rival.example")
    referral(stranger)  # the stranger has a company of its own
    return {
        "staff": staff,
        "people": people,
        "stranger": stranger,
        "ids": {
            "referral": r.pk,
            "under_review": r.partner_id,
            "member": member.pk,
            "denied": partner.pk,
            "appeal": appeal.pk,
            "plan": plan.pk,
            "request": request.pk,
        },
        "login": login,
        "auth": auth_header,
    }


STAFF_PAGES = [
    "/staff/referrals/",
    "/staff/referrals/?mine=on&status=awaiting_company",
    "/staff/referrals/{referral}/",
    "/staff/deadlines/",
    "/staff/deadlines/?kind=info_request",
    "/staff/partners/{member}/lifecycle/",
    "/staff/partners/{denied}/lifecycle/",
    "/staff/partners/{under_review}/lifecycle/",
    "/staff/appeals/",
    "/staff/appeals/?status=",
    "/staff/appeals/{appeal}/",
]
COMPANY_PAGES = [
    "/companies/{under_review}/dates/",
    "/companies/{member}/dates/",
    "/companies/{denied}/dates/",
    "/companies/{member}/appeals/",
    "/companies/{denied}/appeals/",
]
STAFF_API = [
    "/api/v1/lifecycle/referrals",
    "/api/v1/lifecycle/referrals/{referral}",
    "/api/v1/lifecycle/appeals",
    "/api/v1/lifecycle/appeals/{appeal}",
    "/api/v1/lifecycle/deadlines",
]
COMPANY_API = [
    "/api/v1/partners/{under_review}/dates",
    "/api/v1/partners/{member}/dates",
    "/api/v1/partners/{under_review}/info-requests",
    "/api/v1/partners/{member}/suspensions",
    "/api/v1/partners/{member}/removals",
    "/api/v1/partners/{denied}/appeals",
]


def test_staff_pages(world):
    from django.test import Client

    for template in STAFF_PAGES:
        url = template.format(**world["ids"])
        for role, user in world["staff"].items():
            assert world["login"](user).get(url).status_code == 200, (url, role)
        for role, user in world["people"].items():
            assert world["login"](user).get(url).status_code == 404, (url, role)
        assert world["login"](world["stranger"]).get(url).status_code == 404, url
        assert Client().get(url).status_code == 302, url


def test_company_pages(world):
    from django.test import Client

    for template in COMPANY_PAGES:
        url = template.format(**world["ids"])
        for role, user in world["people"].items():
            assert world["login"](user).get(url).status_code == 200, (url, role)
        for role in (StaffRole.SCS, StaffRole.PROGRAM_MANAGER, StaffRole.AUDITOR):
            assert world["login"](world["staff"][role]).get(url).status_code == 404, (url, role)
        assert world["login"](world["stranger"]).get(url).status_code == 404, url
        assert Client().get(url).status_code == 302, url


def test_company_posts_on_another_company_are_404(world):
    client = world["login"](world["stranger"])
    ids = world["ids"]
    posts = [
        (f"/companies/{ids['under_review']}/requests/{ids['request']}/answer/", {"answer-response": "x"}),
        (f"/companies/{ids['member']}/action-plan/", {"plan-text": "x", "plan-consent": "on"}),
        (f"/companies/{ids['member']}/reapply/", {}),
        (f"/companies/{ids['denied']}/appeals/", {"appeal-subject": "denial", "appeal-grounds": "x"}),
        (f"/companies/{ids['denied']}/appeals/{ids['appeal']}/withdraw/", {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url


def test_staff_posts_are_404_for_companies(world):
    client = world["login"](world["people"][TradeRole.COMPANY_OFFICER])
    ids = world["ids"]
    for url in (
        f"/staff/referrals/{ids['referral']}/certify/",
        f"/staff/partners/{ids['member']}/lifecycle/reinstate/",
        f"/staff/partners/{ids['member']}/lifecycle/plan/",
        f"/staff/appeals/{ids['appeal']}/decide/",
    ):
        assert client.post(url, {}).status_code == 404, url


def test_staff_api(world, client):
    for template in STAFF_API:
        url = template.format(**world["ids"])
        for role, user in world["staff"].items():
            assert client.get(url, **world["auth"](user)).status_code == 200, (url, role)
        for role, user in world["people"].items():
            assert client.get(url, **world["auth"](user)).status_code == 404, (url, role)
        assert client.get(url).status_code == 401, url


def test_company_api(world, client):
    for template in COMPANY_API:
        url = template.format(**world["ids"])
        for role, user in world["people"].items():
            assert client.get(url, **world["auth"](user)).status_code == 200, (url, role)
        for role, user in world["staff"].items():
            assert client.get(url, **world["auth"](user)).status_code == 200, (url, role)
        assert client.get(url, **world["auth"](world["stranger"])).status_code == 404, url
        assert client.get(url).status_code == 401, url
