from __future__ import annotations

import pytest

from greenlane.audit.models import AuditEvent
from greenlane.community import practice_selectors, practice_services
from greenlane.community.choices import PRACTICE_TRANSITIONS, PracticeStatus, size_band
from greenlane.community.models import BestPractice
from greenlane.core.errors import Forbidden, InvalidInput, NotFound, TransitionRefused
from greenlane.partners.selectors import partner_for

pytestmark = pytest.mark.django_db

DESCRIPTION = "Seals are verified with the VVTT method at every gate, logged and checked by a second guard."


def _submit(actor, partner, **kw):
    values = {
        "title": "Two-person seal verification",
        "description": DESCRIPTION,
        "category": 6,
        "naics_sector": "42",
        "criterion_codes": [],
        "partner_id": partner.pk,
    }
    values.update(kw)
    return practice_services.practice_submit(actor=actor, **values)


def _state():
    return (
        list(BestPractice.objects.order_by("pk").values_list("pk", "status", "company_consent")),
        AuditEvent.objects.filter(action__startswith="community.").count(),
    )


def _criterion_codes(n=2) -> list[str]:
    from greenlane.criteria import selectors as criteria_selectors
    from greenlane.criteria.models import Criterion

    version = criteria_selectors.active_version()
    return list(
        Criterion.objects.filter(catalog_version=version, category__number=6).values_list("code", flat=True)[
            :n
        ]
    )


def test_size_bands():
    assert [size_band(n) for n in (None, 0, 5, 10, 49, 50, 249, 250, 999, 1000)] == [
        "unknown",
        "unknown",
        "micro",
        "small",
        "small",
        "medium",
        "medium",
        "large",
        "large",
        "very_large",
    ]


def test_member_submits_staff_approves_anonymised_by_default(world, staff):
    codes = _criterion_codes()
    practice = _submit(world.contributor, world.member, criterion_codes=codes)
    assert practice.status == "submitted" and practice.source == "member"
    assert sorted(c.code for c in practice.criteria.all()) == sorted(codes)
    # Not in the catalog until approved.
    everyone = practice_selectors.PracticeFilter()
    assert practice_selectors.catalog(world.other_officer, everyone, limit=None, offset=None).count == 0
    with pytest.raises(NotFound):
        practice_selectors.practice_for(world.other_officer, practice.pk)
    practice_services.practice_decide(
        actor=staff["program_manager"], practice_id=practice.pk, decision="approved"
    )
    page = practice_selectors.catalog(world.other_officer, everyone, limit=None, offset=None)
    assert [p.pk for p in page.items] == [practice.pk]
    assert "Acme" not in page.items[0].shown_company
    # The officer consents: the company is named.
    practice_services.practice_consent(
        actor=world.officer, partner_id=world.member.pk, practice_id=practice.pk, consent=True
    )
    assert practice_selectors.practice_for(world.other_officer, practice.pk).shown_company == "Acme Imports"
    actions = list(
        AuditEvent.objects.filter(action__startswith="community.practice")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "community.practice_submit",
        "community.practice_approved",
        "community.practice_consent",
    ]


def test_filters(world, staff):
    pm = staff["program_manager"]
    a = _submit(world.officer, world.member, title="Gate seals", naics_sector="42")
    b = _submit(world.officer, world.member, title="Badge audits", category=5, naics_sector="31-33")
    for p in (a, b):
        practice_services.practice_decide(actor=pm, practice_id=p.pk, decision="approved")

    def titles(**kw):
        page = practice_selectors.catalog(
            world.officer, practice_selectors.PracticeFilter(**kw), limit=None, offset=None
        )
        return sorted(p.title for p in page.items)

    assert titles() == ["Badge audits", "Gate seals"]
    assert titles(category=6) == ["Gate seals"]
    assert titles(naics_sector="31-33") == ["Badge audits"]
    assert titles(size_band=a.size_band) == ["Badge audits", "Gate seals"]
    assert titles(size_band="very_large") == []
    assert titles(q="badge") == ["Badge audits"]


def test_refusals_change_nothing(world, staff):
    before = _state()
    with pytest.raises(Forbidden):  # a consultant does not submit for the company
        _submit(world.consultant, world.member)
    with pytest.raises(NotFound):  # another company
        _submit(world.officer, world.other)
    with pytest.raises(Forbidden):  # a company that is not certified
        _submit(world.outsider, world.draft)
    with pytest.raises(InvalidInput) as exc:
        _submit(world.officer, world.member, naics_sector="99")
    assert exc.value.field == "naics_sector"
    with pytest.raises(InvalidInput) as exc:
        _submit(world.officer, world.member, criterion_codes=["99.9"])
    assert exc.value.field == "criteria"
    with pytest.raises(InvalidInput) as exc:
        _submit(world.officer, world.member, category=99)
    assert exc.value.field == "category"
    with pytest.raises(InvalidInput) as exc:
        _submit(world.officer, world.member, description="short")
    assert exc.value.field == "description"
    with pytest.raises(InvalidInput) as exc:
        _submit(world.officer, world.member, validation_id=5)
    assert exc.value.field == "validation_id"
    with pytest.raises(Forbidden):
        _submit(staff["vetting_officer"], world.member)
    with pytest.raises(InvalidInput) as exc:
        _submit(staff["scs"], world.member, partner_id=999999)
    assert exc.value.field == "partner_id"
    assert _state() == before
    practice = _submit(staff["scs"], world.member, validation_id=42)
    assert practice.source == "validation" and practice.validation_id == 42
    before = _state()
    with pytest.raises(Forbidden):
        practice_services.practice_decide(actor=staff["scs"], practice_id=practice.pk, decision="approved")
    with pytest.raises(NotFound):
        practice_services.practice_decide(actor=world.officer, practice_id=practice.pk, decision="approved")
    with pytest.raises(InvalidInput) as exc:  # a rejection says why
        practice_services.practice_decide(
            actor=staff["supervisory_scs"], practice_id=practice.pk, decision="rejected"
        )
    assert exc.value.field == "note"
    with pytest.raises(Forbidden):  # only the officer names the company
        practice_services.practice_consent(
            actor=world.contributor, partner_id=world.member.pk, practice_id=practice.pk, consent=True
        )
    with pytest.raises(NotFound):
        practice_services.practice_consent(
            actor=world.other_officer, partner_id=world.other.pk, practice_id=practice.pk, consent=True
        )
    assert _state() == before


def test_every_transition_pair(world, staff):
    pm = staff["program_manager"]
    for current in PracticeStatus.values:
        for target in PracticeStatus.values:
            practice = _submit(world.officer, world.member)
            BestPractice.objects.filter(pk=practice.pk).update(status=current)
            allowed = target in PRACTICE_TRANSITIONS[current]
            if target == PracticeStatus.WITHDRAWN:
                call = lambda p=practice: practice_services.practice_withdraw(actor=pm, practice_id=p.pk)  # noqa: E731
            elif target in (PracticeStatus.APPROVED, PracticeStatus.REJECTED):
                call = lambda p=practice, t=target: practice_services.practice_decide(  # noqa: E731
                    actor=pm, practice_id=p.pk, decision=t, note="Reviewed."
                )
            else:
                continue  # nothing moves a practice back to submitted
            if allowed:
                assert call().status == target
            else:
                with pytest.raises((TransitionRefused, InvalidInput)):
                    call()
                practice.refresh_from_db()
                assert practice.status == current


def test_company_withdraws_its_own(world, staff):
    practice = _submit(world.officer, world.member)
    with pytest.raises(NotFound):
        practice_services.practice_withdraw(
            actor=world.other_officer, practice_id=practice.pk, partner_id=world.other.pk
        )
    practice_services.practice_withdraw(
        actor=world.contributor, practice_id=practice.pk, partner_id=world.member.pk
    )
    practice.refresh_from_db()
    assert practice.status == "withdrawn"
    access = partner_for(world.officer, world.member.pk)
    assert [p.pk for p in practice_selectors.company_practices(access)] == [practice.pk]


def test_submitter_hears_of_the_decision(world, staff):
    from greenlane.notifications.models import Notification

    practice = _submit(world.contributor, world.member)
    practice_services.practice_decide(
        actor=staff["program_manager"], practice_id=practice.pk, decision="rejected", note="Too general."
    )
    notice = Notification.objects.get(kind="community.practice")
    assert notice.recipient == world.contributor and notice.body == "Too general."
