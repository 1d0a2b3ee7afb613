"""Annual review API: /api/v1/partners/{id}/reviews... and /api/v1/reviews."""

from __future__ import annotations

import json

import pytest

from greenlane.partners import services as partner_services
from greenlane.profiles import review_selectors as rs
from greenlane.profiles.models import AnnualReview, ReviewItem

from .test_reviews_support import (
    certified_member,
    certified_with_open_window,
    state,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@acme.example")


def post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def partner(officer, staff):
    return certified_with_open_window(officer, staff)


def confirm_all(client, partner, h) -> int:
    current = client.get(f"/api/v1/partners/{partner.pk}/reviews/current", **h).json()
    for item in current["items"]:
        if not item["decision"]:
            r = post(
                client,
                f"/api/v1/partners/{partner.pk}/reviews/current/items/{item['criterion_id']}/confirm",
                {},
                h,
            )
            assert r.status_code == 200, r.content
    return len(current["items"])


def test_company_flow_list_current_confirm_submit(client, partner, officer, auth_header):
    h = auth_header(officer)
    r = client.get(f"/api/v1/partners/{partner.pk}/reviews", **h)
    assert r.status_code == 200
    window = rs.next_window(partner)
    assert r.json() == {
        "next_window": {
            "cycle": 1,
            "opens_on": window.opens.isoformat(),
            "due_on": window.due.isoformat(),
            "is_open": True,
        },
        "items": [],
    }
    r = client.get(f"/api/v1/partners/{partner.pk}/reviews/current", **h)
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["cycle"], body["status"], body["overdue"], body["late"]) == (1, "open", False, False)
    assert body["due_on"] == window.due.isoformat()
    total = ReviewItem.objects.filter(review__partner=partner).count()
    assert body["progress"] == {"decided": 0, "total": total, "confirmed": 0, "updated": 0}
    item = next(i for i in body["items"] if i["criterion_id"] == "6.2")
    assert item["category"] == 6 and item["level"] == "must" and item["answer_status"] == "implemented"
    assert item["decision"] == "" and item["staff_comment"] == ""

    r = post(client, f"/api/v1/partners/{partner.pk}/reviews/current/items/6.2/confirm", {}, h)
    assert r.status_code == 200
    assert (r.json()["criterion_id"], r.json()["decision"]) == ("6.2", "confirmed")

    r = post(client, f"/api/v1/partners/{partner.pk}/reviews/current/submit", {}, h)
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_input" and r.json()["field"].startswith("items.")
    assert len(r.json()["errors"]) == total - 1

    confirm_all(client, partner, h)
    r = post(client, f"/api/v1/partners/{partner.pk}/reviews/current/submit", {}, h)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "submitted" and body["submitted_by"] == officer.email
    assert body["snapshot_revision"] is not None and body["late"] is False
    assert body["progress"]["decided"] == total

    r = client.get(f"/api/v1/partners/{partner.pk}/reviews", **h)
    assert r.json()["next_window"] is None
    assert [(i["cycle"], i["status"]) for i in r.json()["items"]] == [(1, "submitted")]
    assert r.json()["items"][0]["progress"]["confirmed"] == total


def test_unknown_criterion_is_404_and_changes_nothing(client, partner, officer, auth_header):
    h = auth_header(officer)
    client.get(f"/api/v1/partners/{partner.pk}/reviews/current", **h)
    before = state(partner)
    r = post(client, f"/api/v1/partners/{partner.pk}/reviews/current/items/99.9/confirm", {}, h)
    assert r.status_code == 404
    assert state(partner) == before


def test_outside_the_window_there_is_no_current_review_and_submit_is_refused(
    client, officer, staff, auth_header
):
    partner = certified_member(officer, staff, on=rs.today())
    h = auth_header(officer)
    window = rs.next_window(partner)
    r = client.get(f"/api/v1/partners/{partner.pk}/reviews/current", **h)
    assert r.status_code == 404
    assert f"opens on {window.opens.isoformat()}" in r.json()["detail"]
    before = state(partner)
    r = post(client, f"/api/v1/partners/{partner.pk}/reviews/current/submit", {}, h)
    assert r.status_code == 409
    assert r.json() == {
        "detail": (
            f"The annual review window for year 1 is not open: it opens on {window.opens.isoformat()}, "
            f"90 days before the certification anniversary ({window.due.isoformat()}). Nothing was changed."
        ),
        "code": "conflict",
        "field": "review",
    }
    r = post(client, f"/api/v1/partners/{partner.pk}/reviews/current/items/6.2/confirm", {}, h)
    assert r.status_code == 409
    assert state(partner) == before


def test_a_consultant_confirms_but_may_not_submit(client, partner, officer, user_factory, auth_header):
    consultant = user_factory("consultant@advisers.example")
    partner_services.membership_add(
        actor=officer, partner_id=partner.pk, email=consultant.email, role="consultant"
    )
    h = auth_header(consultant)
    confirm_all(client, partner, h)
    before = state(partner)
    r = post(client, f"/api/v1/partners/{partner.pk}/reviews/current/submit", {}, h)
    assert r.status_code == 403 and "Only a company officer" in r.json()["detail"]
    assert state(partner) == before


def test_a_foreign_partner_is_404_on_every_endpoint(client, partner, officer, user_factory, auth_header):
    h_officer = auth_header(officer)
    client.get(f"/api/v1/partners/{partner.pk}/reviews/current", **h_officer)
    review = AnnualReview.objects.get(partner=partner)
    stranger = auth_header(user_factory("stranger@elsewhere.example"))
    before = state(partner)
    base = f"/api/v1/partners/{partner.pk}/reviews"
    assert client.get(base, **stranger).status_code == 404
    assert client.get(f"{base}/current", **stranger).status_code == 404
    assert post(client, f"{base}/current/items/6.2/confirm", {}, stranger).status_code == 404
    assert post(client, f"{base}/current/submit", {}, stranger).status_code == 404
    assert client.get(f"/api/v1/partners/{partner.pk + 9999}/reviews", **h_officer).status_code == 404
    for h in (stranger, h_officer):
        assert client.get("/api/v1/reviews", **h).status_code == 404
        assert client.get(f"/api/v1/reviews/{review.pk}", **h).status_code == 404
        assert (
            post(client, f"/api/v1/reviews/{review.pk}/decision", {"decision": "approve"}, h).status_code
            == 404
        )
    assert state(partner) == before


def test_staff_list_filters_by_status_and_overdue(client, officer, staff, auth_header):
    late = certified_with_open_window(officer, staff, days_to_due=-4, name="Late Co")
    ontime = certified_with_open_window(officer, staff, days_to_due=40, name="On Time Co")
    h = auth_header(staff["auditor"])
    client.get(f"/api/v1/partners/{late.pk}/reviews/current", **auth_header(officer))
    client.get(f"/api/v1/partners/{ontime.pk}/reviews/current", **auth_header(officer))
    r = client.get("/api/v1/reviews", **h)
    assert r.status_code == 200
    assert [i["partner_name"] for i in r.json()["items"]] == ["Late Co", "On Time Co"]
    assert r.json()["count"] == 2
    r = client.get("/api/v1/reviews?overdue=true", **h)
    items = r.json()["items"]
    assert [(i["partner_name"], i["overdue"]) for i in items] == [("Late Co", True)]
    assert items[0]["assigned_scs"] == staff["scs"].email and items[0]["field_office"] == "New York"
    assert [i["partner_name"] for i in client.get("/api/v1/reviews?overdue=false", **h).json()["items"]] == [
        "On Time Co"
    ]
    assert client.get("/api/v1/reviews?status=submitted", **h).json()["count"] == 0
    r = client.get("/api/v1/reviews?status=bogus", **h)
    assert r.status_code == 422 and r.json()["field"] == "status"


def test_staff_decision_endpoint(client, partner, officer, staff, auth_header):
    h_company = auth_header(officer)
    confirm_all(client, partner, h_company)
    post(client, f"/api/v1/partners/{partner.pk}/reviews/current/submit", {}, h_company)
    review = AnnualReview.objects.get(partner=partner)
    url = f"/api/v1/reviews/{review.pk}/decision"

    before = state(partner)
    r = post(client, url, {"decision": "approve"}, auth_header(staff["vetting_officer"]))
    assert r.status_code == 403 and "Only the assigned specialist" in r.json()["detail"]
    h = auth_header(staff["scs"])
    r = post(client, url, {"decision": "reject"}, h)
    assert r.status_code == 422 and r.json()["field"] == "decision"
    r = post(client, url, {"decision": "return", "comment": ""}, h)
    assert r.status_code == 422 and r.json()["field"] == "comment"
    r = post(client, url, {"decision": "return", "items": {"42.1": "?"}}, h)
    assert r.status_code == 422 and r.json()["field"] == "items.42.1"
    assert state(partner) == before

    r = post(
        client,
        url,
        {"decision": "return", "comment": "One point.", "items": {"6.2": "Who keeps the log?"}},
        h,
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "returned" and body["decision_comment"] == "One point."
    assert body["decided_by"] == staff["scs"].email and body["partner_reference"] == partner.reference
    item = next(i for i in body["items"] if i["criterion_id"] == "6.2")
    assert (item["decision"], item["staff_comment"]) == ("", "Who keeps the log?")
    r = post(client, url, {"decision": "approve"}, h)
    assert r.status_code == 409

    current = client.get(f"/api/v1/partners/{partner.pk}/reviews/current", **h_company).json()
    assert current["status"] == "returned"
    assert (
        next(i for i in current["items"] if i["criterion_id"] == "6.2")["staff_comment"]
        == "Who keeps the log?"
    )
    r = client.put(
        f"/api/v1/partners/{partner.pk}/profile/answers/6.2",
        json.dumps({"status": "implemented", "narrative": "The security manager keeps the log."}),
        content_type="application/json",
        **h_company,
    )
    assert r.status_code == 200, r.content
    r = post(client, f"/api/v1/partners/{partner.pk}/reviews/current/submit", {}, h_company)
    assert r.status_code == 200, r.content
    assert r.json()["progress"]["updated"] == 1

    r = post(
        client, url, {"decision": "approve", "comment": "Thanks."}, auth_header(staff["supervisory_scs"])
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"
    r = client.get(f"/api/v1/partners/{partner.pk}/reviews/current", **h_company)
    assert r.status_code == 404 and "Review 2 opens on" in r.json()["detail"]
    r = client.get(f"/api/v1/reviews/{review.pk}", **h)
    assert r.status_code == 200 and r.json()["status"] == "approved"
