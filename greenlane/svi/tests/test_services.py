from __future__ import annotations

import pytest

from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound, TransitionRefused
from greenlane.partners import records
from greenlane.svi import services
from greenlane.svi.models import MonitoringLink, SviParticipation

from .support import S, certified, enrolled, ior_of, join, move

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user_factory):
    officer = user_factory("svi-a@example.com")
    other = user_factory("svi-b@example.com")
    a = certified(officer, name="Alpha Imports")
    b = certified(other, name="Bravo Freight")
    return officer, other, a, b


def _events(action):
    return AuditEvent.objects.filter(action=action).count()


def test_join_certified_only(world, user_factory):
    officer, _other, a, _b = world
    draft = enrolled(officer)
    with pytest.raises(Forbidden, match="Only certified members"):
        services.svi_join(actor=officer, partner_id=draft.pk)
    assert not SviParticipation.objects.filter(partner=draft).exists()
    p = join(officer, a, share="status_tier")
    assert p.active and p.share == "status_tier" and _events("svi.join") == 1
    with pytest.raises(Conflict):
        join(officer, a)
    assert _events("svi.join") == 1


def test_join_refuses_suspended_with_reason(world):
    officer, _o, a, _b = world
    move(a, S.SUSPENDED)
    with pytest.raises(Forbidden, match="suspended"):
        join(officer, a)
    assert not SviParticipation.objects.exists()


def test_join_bad_settings_named(world):
    officer, _o, a, _b = world
    with pytest.raises(InvalidInput) as exc:
        join(officer, a, share="everything")
    assert exc.value.field == "share"
    with pytest.raises(InvalidInput) as exc:
        join(officer, a, share="status_tier_contact")
    assert exc.value.field == "contact_email"
    assert not SviParticipation.objects.exists()


def test_only_managers_and_no_foreign(world, user_factory):
    officer, other, a, _b = world
    helper = user_factory("svi-helper@example.com")
    records.membership_add(actor=officer, partner_id=a.pk, email=helper.email, role="contributor")
    with pytest.raises(Forbidden, match="officer or administrator"):
        join(helper, a)
    with pytest.raises(NotFound):
        join(other, a)
    assert not SviParticipation.objects.exists()


def test_request_accept_and_monitor(world):
    officer, other, a, b = world
    join(officer, a)
    join(other, b)
    link = services.link_request(actor=officer, partner_id=a.pk, target_id=b.pk, message="Hello")
    assert link.status == "pending"
    with pytest.raises(Conflict):
        services.link_request(actor=officer, partner_id=a.pk, target_id=b.pk)
    with pytest.raises(NotFound):  # only the target accepts
        services.link_accept(actor=officer, partner_id=a.pk, link_id=link.pk)
    services.link_accept(actor=other, partner_id=b.pk, link_id=link.pk)
    link.refresh_from_db()
    assert link.status == "accepted" and link.decided_at
    with pytest.raises(TransitionRefused):
        services.link_accept(actor=other, partner_id=b.pk, link_id=link.pk)


def test_request_by_identifier_and_auto_accept(world):
    officer, other, a, b = world
    join(officer, a)
    join(other, b, auto_accept=True)
    link = services.link_request(
        actor=officer, partner_id=a.pk, identifier_type="ior", identifier_value=ior_of(b)
    )
    assert link.target_id == b.pk and link.status == "accepted"


def test_request_refusals_change_nothing(world, user_factory):
    officer, _other, a, b = world
    # not a participant yet
    with pytest.raises(Forbidden, match="Join it first"):
        services.link_request(actor=officer, partner_id=a.pk, target_id=b.pk)
    join(officer, a)
    with pytest.raises(InvalidInput) as exc:  # target not in the SVI
        services.link_request(actor=officer, partner_id=a.pk, target_id=b.pk)
    assert exc.value.field == "target"
    with pytest.raises(InvalidInput):
        services.link_request(
            actor=officer, partner_id=a.pk, identifier_type="ior", identifier_value="nonsense"
        )
    with pytest.raises(InvalidInput):
        services.link_request(actor=officer, partner_id=a.pk, target_id=a.pk)
    assert not MonitoringLink.objects.exists()


def test_decline_blocks_until_unblocked(world):
    officer, other, a, b = world
    join(officer, a)
    join(other, b)
    link = services.link_request(actor=officer, partner_id=a.pk, target_id=b.pk)
    services.link_decline(actor=other, partner_id=b.pk, link_id=link.pk, reason="We do not know you")
    with pytest.raises(Forbidden, match="unblock"):
        services.link_request(actor=officer, partner_id=a.pk, target_id=b.pk)
    assert MonitoringLink.objects.count() == 1
    services.link_unblock(actor=other, partner_id=b.pk, link_id=link.pk)
    again = services.link_request(actor=officer, partner_id=a.pk, target_id=b.pk)
    assert again.status == "pending" and MonitoringLink.objects.count() == 2


def test_block_accepted_monitor(world):
    officer, other, a, b = world
    join(officer, a)
    join(other, b, auto_accept=True)
    link = services.link_request(actor=officer, partner_id=a.pk, target_id=b.pk)
    services.link_block(actor=other, partner_id=b.pk, link_id=link.pk)
    link.refresh_from_db()
    assert link.status == "blocked"
    with pytest.raises(Conflict):  # the blocked requester cannot undo the block by ending the link
        services.link_end(actor=officer, partner_id=a.pk, link_id=link.pk)
    link.refresh_from_db()
    assert link.status == "blocked"


def test_suspended_cannot_request(world):
    officer, other, a, b = world
    join(officer, a)
    join(other, b)
    move(a, S.SUSPENDED)
    with pytest.raises(Forbidden, match="suspended"):
        services.link_request(actor=officer, partner_id=a.pk, target_id=b.pk)
    assert not MonitoringLink.objects.exists()


def test_leave_ends_all_links(world, user_factory):
    officer, other, a, b = world
    third_user = user_factory("svi-c@example.com")
    c = certified(third_user)
    join(officer, a)
    join(other, b, auto_accept=True)
    join(third_user, c)
    services.link_request(actor=officer, partner_id=a.pk, target_id=b.pk)
    incoming = services.link_request(actor=third_user, partner_id=c.pk, target_id=a.pk)
    services.link_decline(actor=officer, partner_id=a.pk, link_id=incoming.pk)
    services.svi_leave(actor=officer, partner_id=a.pk)
    assert set(MonitoringLink.objects.values_list("status", flat=True)) == {"ended"}
    assert not SviParticipation.objects.get(partner=a).active
    with pytest.raises(Conflict):
        services.svi_leave(actor=officer, partner_id=a.pk)
    # re-joining starts clean: the old block is gone
    join(officer, a)
    assert services.link_request(actor=third_user, partner_id=c.pk, target_id=a.pk).status == "pending"


def test_settings_auto_accept_accepts_waiting(world):
    officer, other, a, b = world
    join(officer, a)
    join(other, b)
    link = services.link_request(actor=officer, partner_id=a.pk, target_id=b.pk)
    services.svi_settings_update(actor=other, partner_id=b.pk, share="status_tier", auto_accept=True)
    link.refresh_from_db()
    assert link.status == "accepted"
    assert AuditEvent.objects.filter(action="svi.settings").count() == 1
    # no change, no event
    services.svi_settings_update(actor=other, partner_id=b.pk, share="status_tier", auto_accept=True)
    assert AuditEvent.objects.filter(action="svi.settings").count() == 1


def test_request_notifies_target(world):
    from greenlane.notifications.models import Notification

    officer, other, a, b = world
    join(officer, a)
    join(other, b)
    services.link_request(actor=officer, partner_id=a.pk, target_id=b.pk)
    note = Notification.objects.get(recipient=other)
    assert "Alpha Imports" in note.title and note.url.endswith("/svi/requests/")
