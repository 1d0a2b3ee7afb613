from __future__ import annotations

import pytest

from greenlane.partners.models import Partner
from greenlane.svi.models import SviParticipation
from greenlane.svi.selectors import status_view_for

from .support import S, certified, enrolled, move

pytestmark = pytest.mark.django_db


def test_status_view_honours_consent(user_factory, django_assert_num_queries):
    officer = user_factory("svi-sel@example.com")
    viewer = certified(officer, name="Viewer Co")
    quiet = certified(officer, name="Quiet Co")
    shares = certified(officer, name="Sharing Co")
    outsider = certified(officer, name="Outsider Co")
    draft = enrolled(officer, name="Draft Co")
    SviParticipation.objects.create(partner=quiet)
    SviParticipation.objects.create(
        partner=shares, share="status_tier_contact", contact_name="Ana", contact_email="ana@example.com"
    )
    with django_assert_num_queries(1):
        views = status_view_for(viewer, [quiet.pk, shares.pk, outsider.pk, draft.pk, 999_999])
    assert set(views) == {quiet.pk, shares.pk, outsider.pk, draft.pk}
    assert (views[quiet.pk].name, views[quiet.pk].status, views[quiet.pk].tier) == (
        "Quiet Co",
        "certified",
        None,
    )
    assert views[quiet.pk].contact is None and views[quiet.pk].svi_member
    assert (views[shares.pk].status, views[shares.pk].tier) == ("certified", 1)
    assert views[shares.pk].contact is not None and views[shares.pk].contact.email == "ana@example.com"
    assert (views[outsider.pk].name, views[outsider.pk].status) == ("", "not participating")
    assert views[outsider.pk].since is None and not views[outsider.pk].svi_member
    assert views[draft.pk].status == "not participating"


def test_suspended_participant_shows_suspended(user_factory):
    officer = user_factory("svi-sel2@example.com")
    p = certified(officer)
    SviParticipation.objects.create(partner=p, share="status_tier")
    move(p, S.SUSPENDED)
    view = status_view_for(None, [p.pk])[p.pk]
    assert view.status == "suspended" and not view.is_certified
    assert view.since == Partner.objects.get(pk=p.pk).suspended_at.date()


def test_left_participant_is_not_participating(user_factory):
    officer = user_factory("svi-sel3@example.com")
    p = certified(officer)
    SviParticipation.objects.create(partner=p, active=False)
    assert status_view_for(None, [p.pk])[p.pk].status == "not participating"
    assert status_view_for(p, [p.pk])[p.pk].status == "certified"  # a company sees itself
