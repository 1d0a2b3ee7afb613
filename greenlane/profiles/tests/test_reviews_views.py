"""Annual review pages: the company's review and the staff queue and decision page."""

from __future__ import annotations

import itertools
import re

import pytest
from django.urls import reverse

from greenlane.partners import services as partner_services
from greenlane.profiles import review_selectors as rs
from greenlane.profiles import review_services, services
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


def review_url(partner) -> str:
    return reverse("profiles:review", args=[partner.pk])


def headings(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def assert_heading_order(html: str) -> None:
    levels = headings(html)
    assert levels and levels[0] == 1 and levels.count(1) == 1
    for previous, current in itertools.pairwise(levels):
        assert current <= previous + 1, levels


def assert_every_input_labelled(html: str) -> None:
    for tag in re.findall(r"<(?:textarea|select|input)\b[^>]*>", html):
        if 'type="hidden"' in tag or 'type="submit"' in tag:
            continue
        found = re.search(r'id="([^"]+)"', tag)
        assert found and f'for="{found.group(1)}"' in html, tag


def decide_all(actor, partner):
    review = rs.unfinished_review(partner)
    for item in rs.items(review):
        if not item.decision:
            review_services.review_item_confirm(
                actor=actor, partner_id=partner.pk, criterion_code=item.answer.criterion.code
            )
    return review


@pytest.fixture
def window_open(officer, staff):
    """Certified a year ago less 60 days: review 1 is open today and due in 60 days."""
    return certified_with_open_window(officer, staff)


# --- company -----------------------------------------------------------------------------------------------


def test_visiting_inside_the_window_opens_the_review_and_lists_every_answer(window_open, officer, login):
    client = login(officer)
    r = client.get(review_url(window_open))
    assert r.status_code == 200
    review = AnnualReview.objects.get(partner=window_open)
    html = r.content.decode()
    count = ReviewItem.objects.filter(review=review).count()
    assert f"0 of {count} answers re-confirmed or updated" in html
    assert html.count("Re-confirm unchanged") == count
    category = reverse("profiles:category", args=[window_open.pk, 6])
    assert f'href="{category}#c-6-2"' in html
    assert "60 days left" in html
    assert_heading_order(html)
    assert_every_input_labelled(html)


def test_the_page_renders_in_a_constant_number_of_queries(
    window_open, officer, login, django_assert_max_num_queries
):
    client = login(officer)
    client.get(review_url(window_open))
    with django_assert_max_num_queries(25):
        assert client.get(review_url(window_open)).status_code == 200


def test_confirm_then_submit_through_the_pages(window_open, officer, login):
    client = login(officer)
    client.get(review_url(window_open))
    r = client.post(reverse("profiles:review_confirm", args=[window_open.pk, "6.2"]))
    assert r.status_code == 302 and r.url.endswith("/review/#r-c-6-2")
    assert (
        ReviewItem.objects.get(answer__criterion__code="6.2", review__partner=window_open).decision
        == "confirmed"
    )
    assert "Submit the annual review" not in client.get(review_url(window_open)).content.decode()
    r = client.post(reverse("profiles:review_submit", args=[window_open.pk]), follow=True)
    assert "answers are neither re-confirmed nor updated" in r.content.decode()
    assert AnnualReview.objects.get(partner=window_open).status == "open"
    decide_all(officer, window_open)
    html = client.get(review_url(window_open)).content.decode()
    assert "Submit the annual review" in html
    r = client.post(reverse("profiles:review_submit", args=[window_open.pk]), follow=True)
    assert "Annual review submitted" in r.content.decode()
    assert AnnualReview.objects.get(partner=window_open).status == "submitted"


def test_before_the_window_the_page_says_when_it_opens_and_submit_changes_nothing(officer, staff, login):
    partner = certified_member(officer, staff, on=rs.today())
    client = login(officer)
    html = client.get(review_url(partner)).content.decode()
    window = rs.next_window(partner)
    assert "No annual review is open" in html and window.opens.isoformat() in html
    assert_heading_order(html)
    before = state(partner)
    r = client.post(reverse("profiles:review_submit", args=[partner.pk]), follow=True)
    assert "is not open: it opens on" in r.content.decode()
    assert state(partner) == before


def test_a_consultant_sees_no_submit_button_and_cannot_submit(window_open, officer, user_factory, login):
    consultant = user_factory("consultant@advisers.example")
    partner_services.membership_add(
        actor=officer, partner_id=window_open.pk, email=consultant.email, role="consultant"
    )
    client = login(consultant)
    client.get(review_url(window_open))
    decide_all(consultant, window_open)
    html = client.get(review_url(window_open)).content.decode()
    assert "Submit the annual review" not in html and "Only a company officer submits" in html
    before = state(window_open)
    r = client.post(reverse("profiles:review_submit", args=[window_open.pk]), follow=True)
    assert "Only a company officer may submit" in r.content.decode()
    assert state(window_open) == before


def test_foreign_users_and_staff_get_404_on_company_pages(window_open, user_factory, staff, login):
    stranger = login(user_factory("stranger@elsewhere.example"))
    scs = login(staff["scs"])
    for client in (stranger, scs):
        assert client.get(review_url(window_open)).status_code == 404
        assert (
            client.post(reverse("profiles:review_confirm", args=[window_open.pk, "6.2"])).status_code == 404
        )
        assert client.post(reverse("profiles:review_submit", args=[window_open.pk])).status_code == 404
    assert AnnualReview.objects.count() == 0


def test_returned_review_shows_the_comments_and_can_be_resubmitted(window_open, officer, staff, login):
    client = login(officer)
    client.get(review_url(window_open))
    review = decide_all(officer, window_open)
    review_services.review_submit(actor=officer, partner_id=window_open.pk)
    review_services.review_decide(
        actor=staff["scs"],
        review_id=review.pk,
        decision="return",
        comment="Please be more specific.",
        item_comments={"6.2": "Who keeps the seal log?"},
    )
    html = client.get(review_url(window_open)).content.decode()
    assert "Returned by your specialist" in html and "Please be more specific." in html
    assert "Who keeps the seal log?" in html and "1 criterion has a comment below" in html
    assert html.count("Re-confirm unchanged") == 1
    assert_heading_order(html)
    services.answer_save(
        actor=officer,
        partner_id=window_open.pk,
        criterion_code="6.2",
        status="implemented",
        narrative="The security manager keeps the seal log.",
    )
    r = client.post(reverse("profiles:review_submit", args=[window_open.pk]), follow=True)
    assert "Annual review submitted" in r.content.decode()
    review.refresh_from_db()
    assert review.status == "submitted"


def test_an_overdue_review_warns_and_a_late_submission_is_marked_late(officer, staff, login):
    partner = certified_with_open_window(officer, staff, days_to_due=-3)
    client = login(officer)
    html = client.get(review_url(partner)).content.decode()
    assert "Overdue by 3 days" in html and "cause for suspension" in html
    decide_all(officer, partner)
    assert "recorded as late" in client.get(review_url(partner)).content.decode()
    client.post(reverse("profiles:review_submit", args=[partner.pk]))
    review = AnnualReview.objects.get(partner=partner)
    assert review.status == "submitted" and rs.is_late(review)


# --- staff -------------------------------------------------------------------------------------------------


def test_trade_users_get_404_on_staff_pages(window_open, officer, login):
    client = login(officer)
    client.get(review_url(window_open))
    review = AnnualReview.objects.get(partner=window_open)
    assert client.get(reverse("reviews:queue")).status_code == 404
    assert client.get(reverse("reviews:detail", args=[review.pk])).status_code == 404
    assert (
        client.post(reverse("reviews:decide", args=[review.pk]), {"decision": "approve"}).status_code == 404
    )


def test_the_queue_defaults_to_mine_for_a_specialist_and_shows_overdue_as_a_suspension_cause(
    officer, staff, login, user_factory
):
    mine = certified_with_open_window(officer, staff, days_to_due=-5, name="Mine Co")
    other_scs = user_factory("other.scs@cbp.example", staff_role="scs", office="miami")
    theirs = certified_with_open_window(officer, staff, days_to_due=-2, name="Theirs Co")
    partner_services.partner_assign_scs(
        actor=staff["supervisory_scs"], partner_id=theirs.pk, scs_id=other_scs.pk
    )
    review_services.review_open_due()
    client = login(staff["scs"])
    html = client.get(reverse("reviews:queue") + "?tab=overdue").content.decode()
    assert "Mine Co" in html and "Theirs Co" not in html
    assert "Overdue: suspension cause" in html and "5 days late" in html
    assert_heading_order(html)
    assert_every_input_labelled(html)
    html = client.get(reverse("reviews:queue") + "?tab=overdue&scs=any").content.decode()
    assert html.index("Mine Co") < html.index("Theirs Co")  # ordered by deadline
    html = client.get(
        reverse("reviews:queue") + f"?tab=overdue&scs=any&field_office={other_scs.field_office_id}"
    )
    assert "Theirs Co" in html.content.decode() and "Mine Co" not in html.content.decode()
    supervisor = (
        login(staff["supervisory_scs"]).get(reverse("reviews:queue") + "?tab=overdue").content.decode()
    )
    assert "Mine Co" in supervisor and "Theirs Co" in supervisor
    assert mine.legal_name == "Mine Co"


def test_any_staff_may_view_a_review_but_only_deciders_see_the_form(window_open, officer, staff, login):
    login(officer).get(review_url(window_open))
    review = decide_all(officer, window_open)
    review_services.review_submit(actor=officer, partner_id=window_open.pk)
    url = reverse("reviews:detail", args=[review.pk])
    auditor = login(staff["auditor"])
    html = auditor.get(url).content.decode()
    assert "Only the assigned specialist" in html and 'name="decision"' not in html
    assert_heading_order(html)
    before = state(window_open)
    r = auditor.post(reverse("reviews:decide", args=[review.pk]), {"decision": "approve"})
    assert r.status_code == 403 and "Only the assigned specialist" in r.content.decode()
    assert state(window_open) == before
    html = login(staff["scs"]).get(url).content.decode()
    assert 'value="approve"' in html and 'name="item-6.2"' in html
    assert_heading_order(html)
    assert_every_input_labelled(html)


def test_returning_without_a_comment_keeps_what_was_typed_and_returning_with_one_works(
    window_open, officer, staff, login
):
    login(officer).get(review_url(window_open))
    review = decide_all(officer, window_open)
    review_services.review_submit(actor=officer, partner_id=window_open.pk)
    client = login(staff["scs"])
    before = state(window_open)
    r = client.post(reverse("reviews:decide", args=[review.pk]), {"decision": "return", "item-6.2": "  "})
    assert r.status_code == 422 and "add an overall comment" in r.content.decode()
    assert state(window_open) == before
    r = client.post(
        reverse("reviews:decide", args=[review.pk]),
        {"decision": "return", "item-6.2": "Who keeps the log?", "item-1.1": ""},
    )
    assert r.status_code == 302
    review.refresh_from_db()
    assert review.status == "returned"
    assert (
        ReviewItem.objects.get(review=review, answer__criterion__code="6.2").staff_comment
        == "Who keeps the log?"
    )


def test_approving_from_the_page(window_open, officer, staff, login):
    login(officer).get(review_url(window_open))
    review = decide_all(officer, window_open)
    review_services.review_submit(actor=officer, partner_id=window_open.pk)
    r = login(staff["program_manager"]).post(
        reverse("reviews:decide", args=[review.pk]), {"decision": "approve", "comment": "Fine."}, follow=True
    )
    assert "Annual review approved." in r.content.decode()
    review.refresh_from_db()
    assert review.status == "approved" and review.decision_comment == "Fine."


def test_a_review_that_is_not_submitted_cannot_be_decided_from_the_page(window_open, officer, staff, login):
    login(officer).get(review_url(window_open))
    review = AnnualReview.objects.get(partner=window_open)
    client = login(staff["scs"])
    html = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "A decision is possible once the company submits" in html
    before = state(window_open)
    r = client.post(reverse("reviews:decide", args=[review.pk]), {"decision": "approve"})
    assert r.status_code == 409
    assert state(window_open) == before
