"""The transition table (every pair, allowed and refused) and the partner tier service."""

from __future__ import annotations

import pytest

from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound, TransitionRefused
from greenlane.partners import services as partner_services
from greenlane.partners.models import TierChange
from greenlane.partners.tiers import partner_tier_set
from greenlane.validations.choices import TRANSITIONS, ValidationStatus
from greenlane.validations.models import Validation
from greenlane.validations.services._common import move

PAIRS = [(a, b) for a in ValidationStatus.values for b in ValidationStatus.values]


@pytest.mark.parametrize(("current", "target"), PAIRS)
def test_every_pair_is_allowed_or_refused_by_the_table(current, target):
    v = Validation(status=current)
    if target in TRANSITIONS[current]:
        before = move(v, target)
        assert v.status == target and before["status"] == current
    else:
        with pytest.raises(TransitionRefused):
            move(v, target)
        assert v.status == current


def test_terminal_states_have_no_way_out():
    assert TRANSITIONS[ValidationStatus.CLOSED] == frozenset()
    assert TRANSITIONS[ValidationStatus.CANCELLED] == frozenset()


@pytest.mark.django_db
def test_tier_set_for_certified_members_only_and_audited(scs, officer, partner, user_factory):
    n = AuditEvent.objects.count()
    change = partner_tier_set(actor=scs, partner_id=partner.pk, to_tier=2, reason="Validated")
    partner.refresh_from_db()
    assert partner.tier == 2 and (change.from_tier, change.to_tier) == (1, 2)
    assert AuditEvent.objects.filter(action="partner.tier").count() == 1
    assert AuditEvent.objects.count() == n + 1
    with pytest.raises(InvalidInput):
        partner_tier_set(actor=scs, partner_id=partner.pk, to_tier=7, reason="x")
    with pytest.raises(InvalidInput):
        partner_tier_set(actor=scs, partner_id=partner.pk, to_tier=3, reason=" ")
    with pytest.raises(NotFound):
        partner_tier_set(actor=officer, partner_id=partner.pk, to_tier=3, reason="x")
    with pytest.raises(Forbidden):
        partner_tier_set(
            actor=user_factory("aud@cbp.example", staff_role="auditor"),
            partner_id=partner.pk,
            to_tier=3,
            reason="x",
        )
    partner_services.partner_apply_decision(
        actor=None, partner_id=partner.pk, to_status="withdrawn", reason="x"
    )
    with pytest.raises(Conflict):
        partner_tier_set(actor=scs, partner_id=partner.pk, to_tier=3, reason="x")
    assert TierChange.objects.filter(partner=partner, to_tier=3).count() == 0
