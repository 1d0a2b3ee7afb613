"""Partner services: enrollment, bad input, agreement, submission, editing locks, people, specialists.

Every refusal also asserts that nothing changed: the partner's row, its children and the audit trail.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.partners import readiness, services
from greenlane.partners.choices import EntityType, PartnerStatus
from greenlane.partners.identifiers import REQUIRED_IDENTIFIERS, describe_group
from greenlane.partners.models import (
    AgreementSignature,
    AgreementVersion,
    Contact,
    Identifier,
    Membership,
    Partner,
    Site,
    TierChange,
)

pytestmark = pytest.mark.django_db

S = PartnerStatus
I = services.IdentifierInput  # noqa: E741

# A valid value of every identifier type, as a person might type it, and as it is stored.
EXAMPLES = {
    "ior": ("12 3456789aa", "12-3456789AA"),
    "ein": ("123456789", "12-3456789"),
    "duns": ("15-048-3782", "150483782"),
    "mid": ("cnacmman1234sha", "CNACMMAN1234SHA"),
    "scac": ("abcd", "ABCD"),
    "dot": ("USDOT 123456", "123456"),
    "fmc_org": ("012345n", "012345N"),
    "iata": ("2k", "2K"),
    "rfc": ("abc850101xx1", "ABC850101XX1"),
    "sct": ("0923-abc-12", "0923ABC12"),
    "eori": ("de1234567", "DE1234567"),
    "cbsa_bn": ("046454286", "046454286"),
}
ANSWERS = {
    "imported_last_12_months": True,
    "continuous_bond": True,
    "us_or_canada_office": True,
    "no_unpaid_cbp_debt": True,
    "security_officer_designated": True,
}
TRADE_NON_OFFICERS = ["company_admin", "contributor", "consultant"]
ASSIGNERS = ["supervisory_scs", "program_manager", "system_admin"]
NON_ASSIGNERS = ["scs", "vetting_officer", "intelligence_analyst", "targeting_officer", "auditor"]


def required_identifiers(entity_type: str) -> list[services.IdentifierInput]:
    return [I(group[0], EXAMPLES[group[0]][0]) for group in REQUIRED_IDENTIFIERS[entity_type]]


def world() -> dict:
    """Everything a refusal must leave alone."""
    return {
        "partners": list(Partner.objects.order_by("pk").values()),
        "identifiers": list(Identifier.objects.order_by("pk").values()),
        "memberships": list(Membership.objects.order_by("pk").values()),
        "sites": list(Site.objects.order_by("pk").values()),
        "contacts": list(Contact.objects.order_by("pk").values()),
        "signatures": list(AgreementSignature.objects.order_by("pk").values()),
        "tiers": TierChange.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@acme.example")


@pytest.fixture
def no_extra_steps(monkeypatch):
    """Only the partner's own application steps: other apps' steps (security profile) are tested there."""
    monkeypatch.setattr(readiness, "_extra_steps", [], raising=False)


def enroll(actor, *, entity_type="importer", identifiers=None, role="company_officer", **details) -> Partner:
    details.setdefault("legal_name", "Acme Imports LLC")
    details.setdefault("country", "US")
    return services.partner_create(
        actor=actor,
        entity_type=entity_type,
        role=role,
        identifiers=required_identifiers(entity_type) if identifiers is None else identifiers,
        **details,
    )


def complete(officer, **kwargs) -> Partner:
    """A draft importer with every partner-level step done except the signature."""
    partner = enroll(
        officer, business_start_date=dt.date(2001, 5, 1), employee_count=120, eligibility=ANSWERS, **kwargs
    )
    services.site_add(
        actor=officer,
        partner_id=partner.pk,
        kind="headquarters",
        name="Head office",
        street="1 Harbor Way",
        city="Newark",
        region="NJ",
        postal_code="07114",
        country="US",
    )
    services.contact_add(
        actor=officer,
        partner_id=partner.pk,
        kind="primary",
        name="Pat Officer",
        title="VP Security",
        email="pat@acme.example",
        phone="+1 555 0100",
    )
    return partner


def sign(officer, partner) -> AgreementSignature:
    return services.agreement_sign(
        actor=officer, partner_id=partner.pk, name="Pat Officer", title="VP Security", accept=True
    )


def join(officer, partner, user_factory, role, email=None):
    user = user_factory(email or f"{role}@acme.example")
    services.membership_add(actor=officer, partner_id=partner.pk, email=user.email, role=role)
    return user


# Enrollment ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("entity_type", EntityType.values)
def test_enroll_every_entity_type_with_its_required_identifiers(officer, entity_type):
    started = timezone.now()
    partner = enroll(
        officer,
        entity_type=entity_type,
        legal_name="  Harbor Trade Co  ",
        dba_name="Harbor",
        country="mx" if entity_type == "mexican_long_haul_carrier" else "us",
    )
    partner.refresh_from_db()
    assert partner.entity_type == entity_type
    assert partner.status == S.DRAFT and partner.tier == 0
    assert partner.legal_name == "Harbor Trade Co"
    assert partner.country == ("MX" if entity_type == "mexican_long_haul_carrier" else "US")
    assert partner.search_name == "harbor trade co harbor"
    assert partner.reference.startswith("GL-") and len(partner.reference) == 11
    assert partner.created_at >= started
    expected_ids = sorted((group[0], EXAMPLES[group[0]][1]) for group in REQUIRED_IDENTIFIERS[entity_type])
    stored = sorted(partner.identifiers.values_list("type", "value"))
    assert stored == expected_ids
    assert set(partner.identifiers.values_list("entity_type", flat=True)) == {entity_type}
    membership = Membership.objects.get(partner=partner)
    assert (membership.user, membership.role) == (officer, "company_officer")
    event = AuditEvent.objects.get(partner=partner)
    assert (event.action, event.actor, event.object_id) == ("partner.create", officer, str(partner.pk))
    assert event.after["status"] == "draft"
    assert event.after["creator_role"] == "company_officer"
    assert event.after["identifiers"] == [f"{t}:{v}" for t, v in expected_ids]
    steps = {s.code: s for s in readiness.checklist(partner, current_agreement=None)}
    assert steps["identifiers"].done


@pytest.mark.parametrize("entity_type", EntityType.values)
def test_a_missing_required_identifier_shows_in_the_checklist(officer, entity_type):
    partner = enroll(officer, entity_type=entity_type, identifiers=[])
    step = {s.code: s for s in readiness.checklist(partner, current_agreement=None)}["identifiers"]
    assert not step.done
    for group in REQUIRED_IDENTIFIERS[entity_type]:
        assert f"add {describe_group(group)}" in step.detail
    assert step.detail.count("add ") == len(REQUIRED_IDENTIFIERS[entity_type])


def test_creator_may_join_as_company_admin(officer):
    partner = enroll(officer, role="company_admin")
    assert Membership.objects.get(partner=partner).role == "company_admin"


@pytest.mark.parametrize("role", ["contributor", "consultant", "system_admin", ""])
def test_creator_role_must_be_officer_or_admin(officer, role):
    before = world()
    with pytest.raises(InvalidInput) as caught:
        enroll(officer, role=role)
    assert caught.value.field == "role"
    assert world() == before


@pytest.mark.parametrize("role", ["scs", "auditor", "system_admin"])
def test_staff_cannot_enroll(staff, role):
    before = world()
    with pytest.raises(Forbidden) as caught:
        enroll(staff[role])
    assert caught.value.message == "Program staff cannot enroll companies; companies enroll themselves."
    assert world() == before


def test_unknown_entity_type(officer):
    before = world()
    with pytest.raises(InvalidInput) as caught:
        enroll(officer, entity_type="freight_forwarder", identifiers=[])
    assert caught.value.field == "entity_type"
    assert "importer" in caught.value.message
    assert world() == before


@pytest.mark.parametrize(
    ("typed", "entity_type"),
    [
        ("12-3456789AA", "importer"),
        ("12 3456789aa", "importer"),
        ("123456789AA", "importer"),
    ],
)
def test_duplicate_identifier_is_refused_naming_the_field(officer, user_factory, typed, entity_type):
    enroll(officer, identifiers=[I("ior", "12-3456789AA")])
    other = user_factory("someone@else.example")
    before = world()
    with pytest.raises(InvalidInput) as caught:
        enroll(other, legal_name="Copycat", identifiers=[I("ior", typed)], entity_type=entity_type)
    assert caught.value.field == "identifiers[0].value"
    assert caught.value.message.startswith("IOR 12-3456789AA is already enrolled for this entity type.")
    assert world() == before


def test_duplicate_reports_the_index_of_the_identifier_at_fault(officer, user_factory):
    enroll(officer, entity_type="highway_carrier")
    before = world()
    with pytest.raises(InvalidInput) as caught:
        enroll(
            user_factory("b@else.example"),
            entity_type="highway_carrier",
            identifiers=[I("scac", "WXYZ"), I("dot", EXAMPLES["dot"][0])],
        )
    assert caught.value.field == "identifiers[1].value"
    assert [e["field"] for e in caught.value.errors] == ["identifiers[1].value"]
    assert world() == before


def test_every_bad_identifier_is_reported_at_once(officer):
    before = world()
    with pytest.raises(InvalidInput) as caught:
        enroll(
            officer,
            entity_type="highway_carrier",
            identifiers=[I("scac", "A1"), I("dot", "12"), I("scac", "ABCD"), I("scac", "abcd")],
        )
    assert [e["field"] for e in caught.value.errors] == [
        "identifiers[0].value",
        "identifiers[1].value",
        "identifiers[3].value",
    ]
    assert "2 to 4 letters" in caught.value.errors[0]["message"]
    assert "6 digits" in caught.value.errors[1]["message"]
    assert caught.value.errors[2]["message"] == "This identifier is listed twice."
    assert world() == before


def test_unknown_identifier_type_names_the_type_field(officer):
    before = world()
    with pytest.raises(InvalidInput) as caught:
        enroll(officer, identifiers=[I("vat", "DE123")])
    assert caught.value.field == "identifiers[0].type"
    assert world() == before


def test_same_identifier_allowed_for_a_different_entity_type(officer, user_factory):
    exporter = enroll(officer, entity_type="exporter", identifiers=[I("ein", "12-3456789")])
    broker = enroll(
        user_factory("broker@acme.example"),
        entity_type="customs_broker",
        identifiers=[I("ein", "12-3456789")],
    )
    assert exporter.pk != broker.pk
    assert Identifier.objects.filter(type="ein", value="12-3456789").count() == 2


def test_mid_may_be_shared_by_several_manufacturers(officer, user_factory):
    first = enroll(officer, entity_type="foreign_manufacturer", country="CN")
    second = enroll(user_factory("plant2@acme.example"), entity_type="foreign_manufacturer", country="CN")
    assert first.pk != second.pk
    assert Identifier.objects.filter(type="mid", value="CNACMMAN1234SHA").count() == 2


def test_identifier_replacement_keeps_own_values_and_refuses_anothers(officer, user_factory):
    mine = enroll(officer, identifiers=[I("ior", "12-3456789AA")])
    theirs = enroll(user_factory("x@other.example"), identifiers=[I("ior", "98-7654321BB")])
    # Re-sending one's own identifier is not a duplicate.
    services.partner_update(
        actor=officer,
        partner_id=mine.pk,
        changes={},
        identifiers=[I("ior", "12-3456789AA"), I("ein", "12-3456789")],
    )
    assert sorted(mine.identifiers.values_list("type", flat=True)) == ["ein", "ior"]
    before = world()
    with pytest.raises(InvalidInput) as caught:
        services.partner_update(
            actor=officer, partner_id=mine.pk, changes={}, identifiers=[I("ior", "98-7654321BB")]
        )
    assert caught.value.field == "identifiers[0].value"
    assert world() == before
    assert theirs.identifiers.get().value == "98-7654321BB"


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"legal_name": ""}, "legal_name"),
        ({"legal_name": "   "}, "legal_name"),
        ({"legal_name": "x" * 201}, "legal_name"),
        ({"dba_name": "x" * 201}, "dba_name"),
        ({"phone": "1" * 41}, "phone"),
        ({"website": "not a url"}, "website"),
        ({"website": "https://" + "a" * 200 + ".example"}, "website"),
        ({"business_history": "x" * 5001}, "business_history"),
        ({"employee_count": 5_000_001}, "employee_count"),
        ({"employee_count": -1}, "employee_count"),
        ({"country": "ZZ"}, "country"),
        ({"country": "USA"}, "country"),
        ({"country": ""}, "country"),
        ({"modes_of_transport": ["sea", "teleport"]}, "modes_of_transport"),
        ({"eligibility": {"owns_a_boat": True}}, "eligibility"),
        ({"eligibility": {"continuous_bond": "yes"}}, "eligibility"),
        ({"eligibility": {"broker_license": True}}, "eligibility"),
        ({"business_start_date": timezone.localdate() + dt.timedelta(days=1)}, "business_start_date"),
        ({"status": "certified"}, "status"),
    ],
)
def test_bad_details_are_refused_naming_the_field(officer, details, field):
    before = world()
    with pytest.raises(InvalidInput) as caught:
        enroll(officer, **details)
    assert caught.value.field == field, caught.value.as_dict()
    assert caught.value.message
    assert world() == before


def test_unknown_country_message_states_the_format(officer):
    with pytest.raises(InvalidInput) as caught:
        enroll(officer, country="ZZ")
    assert caught.value.message == "'ZZ' is not an ISO 3166 country code (two letters, e.g. US, MX, CA)."


def test_unknown_eligibility_question_lists_the_known_ones(officer):
    with pytest.raises(InvalidInput) as caught:
        enroll(officer, eligibility={"owns_a_boat": True})
    assert "owns_a_boat" in caught.value.message
    assert "continuous_bond" in caught.value.message


def test_future_start_date_message(officer):
    with pytest.raises(InvalidInput) as caught:
        enroll(officer, business_start_date=timezone.localdate() + dt.timedelta(days=1))
    assert caught.value.message == "The business start date cannot be in the future."


def test_update_refusals_change_nothing(officer):
    partner = complete(officer)
    for changes, field in [
        ({"legal_name": ""}, "legal_name"),
        ({"country": "XX"}, "country"),
        ({"business_start_date": timezone.localdate() + dt.timedelta(days=3)}, "business_start_date"),
        ({"eligibility": {"nope": False}}, "eligibility"),
        ({"reference": "GL-X"}, "reference"),
    ]:
        before = world()
        with pytest.raises(InvalidInput) as caught:
            services.partner_update(actor=officer, partner_id=partner.pk, changes=changes)
        assert caught.value.field == field
        assert world() == before


def test_update_records_only_what_changed(officer):
    partner = complete(officer)
    count = AuditEvent.objects.filter(partner=partner).count()
    services.partner_update(actor=officer, partner_id=partner.pk, changes={"employee_count": 120})
    assert AuditEvent.objects.filter(partner=partner).count() == count  # nothing changed: no event
    services.partner_update(
        actor=officer, partner_id=partner.pk, changes={"employee_count": 150, "phone": "5"}
    )
    event = AuditEvent.objects.filter(partner=partner).latest("id")
    assert event.action == "partner.update"
    assert event.before == {"employee_count": 120, "phone": ""}
    assert event.after == {"employee_count": 150, "phone": "5"}


# The partnership agreement ------------------------------------------------------------------------


def test_officer_signs_the_current_agreement(officer):
    partner = complete(officer)
    version = AgreementVersion.objects.get(is_current=True)
    signature = sign(officer, partner)
    assert signature.version == version
    assert (signature.user, signature.signer_name, signature.signer_title) == (
        officer,
        "Pat Officer",
        "VP Security",
    )
    assert signature.text_sha256 == AgreementVersion.digest(version.body) == version.body_sha256
    event = AuditEvent.objects.filter(partner=partner).latest("id")
    assert event.action == "agreement.sign"
    assert event.after["text_sha256"] == signature.text_sha256


@pytest.mark.parametrize("role", TRADE_NON_OFFICERS)
def test_signing_by_a_non_officer_is_forbidden_and_nothing_is_stored(officer, user_factory, role):
    partner = complete(officer)
    member = join(officer, partner, user_factory, role)
    before = world()
    with pytest.raises(Forbidden) as caught:
        services.agreement_sign(
            actor=member, partner_id=partner.pk, name="Someone", title="Helper", accept=True
        )
    assert caught.value.message == "Only a company officer may sign the partnership agreement."
    assert world() == before


def test_staff_cannot_sign(officer, staff):
    partner = complete(officer)
    before = world()
    with pytest.raises(Forbidden):
        services.agreement_sign(actor=staff["scs"], partner_id=partner.pk, name="S", title="T", accept=True)
    assert world() == before


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"accept": False}, InvalidInput, "accept"),
        ({"name": "  "}, InvalidInput, "name"),
        ({"name": "x" * 151}, InvalidInput, "name"),
        ({"title": ""}, InvalidInput, "title"),
        ({"title": "x" * 121}, InvalidInput, "title"),
    ],
)
def test_bad_signatures_are_refused(officer, kwargs, error, field):
    partner = complete(officer)
    before = world()
    with pytest.raises(error) as caught:
        services.agreement_sign(
            actor=officer,
            partner_id=partner.pk,
            **{"name": "Pat Officer", "title": "VP", "accept": True, **kwargs},
        )
    assert caught.value.field == field
    assert world() == before


def test_signing_twice_is_a_conflict(officer):
    partner = complete(officer)
    sign(officer, partner)
    before = world()
    with pytest.raises(Conflict) as caught:
        sign(officer, partner)
    assert "already signed" in caught.value.message
    assert world() == before


def test_a_foreign_company_is_not_found(officer, user_factory):
    partner = complete(officer)
    stranger = user_factory("stranger@else.example")
    before = world()
    for call in (
        lambda: sign(stranger, partner),
        lambda: services.partner_submit(actor=stranger, partner_id=partner.pk),
        lambda: services.partner_update(actor=stranger, partner_id=partner.pk, changes={"phone": "1"}),
        lambda: services.site_add(
            actor=stranger,
            partner_id=partner.pk,
            kind="headquarters",
            name="X",
            street="1",
            city="C",
            country="US",
        ),
        lambda: services.membership_add(
            actor=stranger, partner_id=partner.pk, email=stranger.email, role="company_officer"
        ),
        lambda: services.partner_withdraw(actor=stranger, partner_id=partner.pk, reason="x"),
    ):
        with pytest.raises(NotFound):
            call()
    assert world() == before


# Submission ---------------------------------------------------------------------------------------


def test_incomplete_submission_lists_every_missing_step(officer):
    partner = enroll(officer, identifiers=[])
    detail = Partner.objects.prefetch_related("identifiers", "sites", "contacts", "signatures").get(
        pk=partner.pk
    )
    expected = readiness.problems(detail, current_agreement=AgreementVersion.objects.get(is_current=True))
    before = world()
    with pytest.raises(InvalidInput) as caught:
        services.partner_submit(actor=officer, partner_id=partner.pk)
    fields = [e["field"] for e in caught.value.errors]
    assert fields == [s.code for s in expected]
    assert {"details", "identifiers", "eligibility", "sites", "contacts", "agreement"} <= set(fields)
    assert caught.value.field == fields[0]
    for error, step in zip(caught.value.errors, expected, strict=True):
        assert error["message"] == f"{step.label}: {step.detail}"
        assert step.detail.rstrip(".") in caught.value.message
    assert world() == before


def test_only_the_signature_missing(officer, no_extra_steps):
    partner = complete(officer)
    with pytest.raises(InvalidInput) as caught:
        services.partner_submit(actor=officer, partner_id=partner.pk)
    assert [e["field"] for e in caught.value.errors] == ["agreement"]


def test_submission_by_the_officer(officer, no_extra_steps):
    partner = complete(officer)
    sign(officer, partner)
    started = timezone.now()
    services.partner_submit(actor=officer, partner_id=partner.pk)
    partner.refresh_from_db()
    assert partner.status == S.SUBMITTED
    assert partner.submitted_at >= started
    event = AuditEvent.objects.filter(partner=partner).latest("id")
    assert (event.action, event.actor, event.before["status"], event.after["status"]) == (
        "partner.submit",
        officer,
        "draft",
        "submitted",
    )


@pytest.mark.parametrize("role", TRADE_NON_OFFICERS)
def test_submission_by_a_non_officer_is_forbidden(officer, user_factory, role, no_extra_steps):
    partner = complete(officer)
    sign(officer, partner)
    member = join(officer, partner, user_factory, role)
    before = world()
    with pytest.raises(Forbidden) as caught:
        services.partner_submit(actor=member, partner_id=partner.pk)
    assert "Only a company officer may submit" in caught.value.message
    assert world() == before


def test_staff_cannot_submit_for_a_company(officer, staff, no_extra_steps):
    partner = complete(officer)
    sign(officer, partner)
    before = world()
    with pytest.raises(Forbidden):
        services.partner_submit(actor=staff["scs"], partner_id=partner.pk)
    assert world() == before


def test_double_submission_is_a_conflict_with_one_submit_event(officer, no_extra_steps):
    partner = complete(officer)
    sign(officer, partner)
    services.partner_submit(actor=officer, partner_id=partner.pk)
    before = world()
    with pytest.raises(Conflict) as caught:
        services.partner_submit(actor=officer, partner_id=partner.pk)
    assert "already submitted" in caught.value.message
    assert world() == before
    assert AuditEvent.objects.filter(partner=partner, action="partner.submit").count() == 1


@pytest.mark.parametrize("status", [S.UNDER_REVIEW, S.CERTIFIED, S.DENIED, S.WITHDRAWN])
def test_only_a_draft_is_submitted(officer, status):
    partner = complete(officer)
    Partner.objects.filter(pk=partner.pk).update(status=status)
    before = world()
    with pytest.raises(Conflict) as caught:
        services.partner_submit(actor=officer, partner_id=partner.pk)
    assert "Only a draft application can be submitted" in caught.value.message
    assert world() == before


# Editing is locked while the application is under review --------------------------------------


@pytest.mark.parametrize("status", [S.SUBMITTED, S.UNDER_REVIEW, S.DENIED, S.REMOVED, S.WITHDRAWN])
def test_company_edits_are_locked_outside_draft_and_membership(officer, status):
    partner = complete(officer)
    site = partner.sites.get()
    contact = partner.contacts.get()
    Partner.objects.filter(pk=partner.pk).update(status=status)
    before = world()
    edits = [
        lambda: services.partner_update(
            actor=officer, partner_id=partner.pk, changes={"phone": "+1 555 0199"}
        ),
        lambda: services.partner_update(
            actor=officer, partner_id=partner.pk, changes={}, identifiers=[I("ior", "12-3456789ZZ")]
        ),
        lambda: services.site_add(
            actor=officer,
            partner_id=partner.pk,
            kind="cargo_facility",
            name="Yard",
            street="2 Dock",
            city="Newark",
            country="US",
        ),
        lambda: services.site_remove(actor=officer, partner_id=partner.pk, site_id=site.pk),
        lambda: services.contact_add(
            actor=officer, partner_id=partner.pk, kind="security", name="Sam", email="sam@acme.example"
        ),
        lambda: services.contact_remove(actor=officer, partner_id=partner.pk, contact_id=contact.pk),
        lambda: sign(officer, partner),
    ]
    for edit in edits:
        with pytest.raises(Conflict):
            edit()
    assert world() == before


@pytest.mark.parametrize("status", [S.DRAFT, S.CERTIFIED, S.SUSPENDED])
def test_company_may_edit_while_draft_or_member(officer, status):
    partner = complete(officer)
    Partner.objects.filter(pk=partner.pk).update(status=status)
    services.partner_update(actor=officer, partner_id=partner.pk, changes={"phone": "+1 555 0199"})
    assert Partner.objects.get(pk=partner.pk).phone == "+1 555 0199"


@pytest.mark.parametrize("role", ["company_admin", "contributor", "consultant"])
def test_every_trade_role_may_prepare(officer, user_factory, role):
    partner = complete(officer)
    member = join(officer, partner, user_factory, role)
    services.partner_update(actor=member, partner_id=partner.pk, changes={"employee_count": 7})
    services.site_add(
        actor=member,
        partner_id=partner.pk,
        kind="cargo_facility",
        name="Yard",
        street="2 Dock",
        city="Newark",
        country="us",
    )
    services.contact_add(
        actor=member, partner_id=partner.pk, kind="trade", name="Tia", email="tia@acme.example"
    )
    partner.refresh_from_db()
    assert partner.employee_count == 7
    assert partner.sites.get(name="Yard").country == "US"
    assert AuditEvent.objects.filter(partner=partner, actor=member).count() == 3


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"country": "ZZ"}, "country"),
        ({"name": ""}, "name"),
        ({"kind": "moon_base"}, "kind"),
        ({"city": "x" * 101}, "city"),
    ],
)
def test_bad_site_is_refused(officer, fields, field):
    partner = complete(officer)
    before = world()
    with pytest.raises(InvalidInput) as caught:
        services.site_add(
            actor=officer,
            partner_id=partner.pk,
            **{
                "kind": "cargo_facility",
                "name": "Yard",
                "street": "2 Dock",
                "city": "Newark",
                "country": "US",
                **fields,
            },
        )
    assert caught.value.field == field
    assert world() == before


def test_bad_contact_is_refused(officer):
    partner = complete(officer)
    before = world()
    with pytest.raises(InvalidInput) as caught:
        services.contact_add(
            actor=officer, partner_id=partner.pk, kind="primary", name="Ann", email="not-an-email"
        )
    assert caught.value.field == "email"
    assert world() == before


def test_removing_another_companys_site_is_not_found(officer, user_factory):
    mine = complete(officer)
    other_officer = user_factory("o@other.example")
    theirs = complete(other_officer, identifiers=[I("ior", "98-7654321BB")])
    before = world()
    with pytest.raises(NotFound):
        services.site_remove(actor=officer, partner_id=mine.pk, site_id=theirs.sites.get().pk)
    with pytest.raises(NotFound):
        services.contact_remove(actor=officer, partner_id=mine.pk, contact_id=theirs.contacts.get().pk)
    assert world() == before


# People -------------------------------------------------------------------------------------------


def test_officer_adds_and_removes_people(officer, user_factory):
    partner = complete(officer)
    consultant = join(officer, partner, user_factory, "consultant")
    membership = Membership.objects.get(partner=partner, user=consultant)
    event = AuditEvent.objects.filter(partner=partner).latest("id")
    assert (event.action, event.after) == (
        "membership.add",
        {"email": consultant.email, "role": "consultant"},
    )
    services.membership_remove(actor=officer, partner_id=partner.pk, membership_id=membership.pk)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = AuditEvent.objects.filter(partner=partner).latest("id")
    assert (event.action, event.before) == (
        "membership.remove",
        {"email": consultant.email, "role": "consultant"},
    )


def test_one_person_may_belong_to_several_companies(officer, user_factory):
    first = complete(officer)
    second = complete(user_factory("o2@other.example"), identifiers=[I("ior", "98-7654321BB")])
    consultant = user_factory("consultant@broker.example")
    services.membership_add(actor=officer, partner_id=first.pk, email=consultant.email, role="consultant")
    services.membership_add(
        actor=Membership.objects.get(partner=second).user,
        partner_id=second.pk,
        email="CONSULTANT@broker.example ",
        role="consultant",
    )
    assert set(Membership.objects.filter(user=consultant).values_list("partner_id", flat=True)) == {
        first.pk,
        second.pk,
    }


def test_the_last_officer_cannot_be_removed(officer):
    partner = complete(officer)
    membership = Membership.objects.get(partner=partner, user=officer)
    before = world()
    with pytest.raises(Conflict) as caught:
        services.membership_remove(actor=officer, partner_id=partner.pk, membership_id=membership.pk)
    assert caught.value.message == "A company keeps at least one company officer; add another officer first."
    assert world() == before


def test_an_officer_may_be_removed_when_another_remains(officer, user_factory):
    partner = complete(officer)
    join(officer, partner, user_factory, "company_officer", "second@acme.example")
    services.membership_remove(
        actor=officer,
        partner_id=partner.pk,
        membership_id=Membership.objects.get(partner=partner, user=officer).pk,
    )
    assert list(partner.memberships.values_list("role", flat=True)) == ["company_officer"]


def test_admin_cannot_add_an_officer(officer, user_factory):
    partner = complete(officer)
    admin = join(officer, partner, user_factory, "company_admin")
    newcomer = user_factory("new@acme.example")
    before = world()
    with pytest.raises(Forbidden) as caught:
        services.membership_add(
            actor=admin, partner_id=partner.pk, email=newcomer.email, role="company_officer"
        )
    assert caught.value.message == "Only a company officer may add another company officer."
    assert world() == before
    # ... but may add other roles.
    services.membership_add(actor=admin, partner_id=partner.pk, email=newcomer.email, role="contributor")
    assert Membership.objects.get(partner=partner, user=newcomer).role == "contributor"


def test_admin_cannot_remove_an_officer(officer, user_factory):
    partner = complete(officer)
    admin = join(officer, partner, user_factory, "company_admin")
    join(officer, partner, user_factory, "company_officer", "second@acme.example")
    before = world()
    with pytest.raises(Forbidden):
        services.membership_remove(
            actor=admin,
            partner_id=partner.pk,
            membership_id=Membership.objects.get(partner=partner, user=officer).pk,
        )
    assert world() == before


@pytest.mark.parametrize("role", ["contributor", "consultant"])
def test_contributors_and_consultants_do_not_manage_people(officer, user_factory, role):
    partner = complete(officer)
    member = join(officer, partner, user_factory, role)
    newcomer = user_factory("new@acme.example")
    before = world()
    with pytest.raises(Forbidden):
        services.membership_add(actor=member, partner_id=partner.pk, email=newcomer.email, role="contributor")
    with pytest.raises(Forbidden):
        services.membership_remove(
            actor=member,
            partner_id=partner.pk,
            membership_id=Membership.objects.get(partner=partner, user=member).pk,
        )
    assert world() == before


def test_membership_add_refusals(officer, user_factory, staff):
    partner = complete(officer)
    inactive = user_factory("gone@acme.example", is_active=False)
    cases = [
        ({"email": "nobody@acme.example", "role": "contributor"}, InvalidInput, "email"),
        ({"email": inactive.email, "role": "contributor"}, InvalidInput, "email"),
        ({"email": staff["scs"].email, "role": "contributor"}, InvalidInput, "email"),
        ({"email": officer.email, "role": "contributor"}, Conflict, "email"),
        ({"email": inactive.email, "role": "boss"}, InvalidInput, "role"),
    ]
    for kwargs, error, field in cases:
        before = world()
        with pytest.raises(error) as caught:
            services.membership_add(actor=officer, partner_id=partner.pk, **kwargs)
        assert caught.value.field == field, kwargs
        assert world() == before


# Specialists --------------------------------------------------------------------------------------


@pytest.fixture
def miami_scs(user_factory):
    return user_factory("miami.scs@cbp.example", staff_role="scs", office="miami")


@pytest.mark.parametrize("role", ASSIGNERS)
def test_assigners_assign_and_the_field_office_follows_the_specialist(officer, staff, miami_scs, role):
    partner = complete(officer)
    services.partner_assign_scs(
        actor=staff[role], partner_id=partner.pk, scs_id=miami_scs.pk, reason=" Load "
    )
    partner.refresh_from_db()
    assert partner.assigned_scs == miami_scs
    assert partner.field_office.code == "miami"
    event = AuditEvent.objects.filter(partner=partner).latest("id")
    assert (event.action, event.actor, event.reason) == ("partner.assign_scs", staff[role], "Load")
    assert event.before == {"assigned_scs": None, "field_office": None}
    assert event.after == {"assigned_scs": miami_scs.email, "field_office": "Miami"}

    # Re-assigning to a New York supervisory SCS moves the office; unassigning keeps it.
    services.partner_assign_scs(actor=staff[role], partner_id=partner.pk, scs_id=staff["supervisory_scs"].pk)
    partner.refresh_from_db()
    assert (partner.assigned_scs, partner.field_office.code) == (staff["supervisory_scs"], "new-york")
    services.partner_assign_scs(actor=staff[role], partner_id=partner.pk, scs_id=None)
    partner.refresh_from_db()
    assert (partner.assigned_scs, partner.field_office.code) == (None, "new-york")
    assert AuditEvent.objects.filter(partner=partner, action="partner.assign_scs").count() == 3


@pytest.mark.parametrize("role", NON_ASSIGNERS)
def test_non_assigners_are_forbidden(officer, staff, miami_scs, role):
    partner = complete(officer)
    before = world()
    with pytest.raises(Forbidden) as caught:
        services.partner_assign_scs(actor=staff[role], partner_id=partner.pk, scs_id=miami_scs.pk)
    assert caught.value.message == "Only a supervisory SCS or a program manager assigns specialists."
    assert world() == before


def test_trade_users_cannot_assign(officer, miami_scs):
    partner = complete(officer)
    before = world()
    with pytest.raises(Forbidden):
        services.partner_assign_scs(actor=officer, partner_id=partner.pk, scs_id=miami_scs.pk)
    assert world() == before


@pytest.mark.parametrize(
    "role",
    [
        "vetting_officer",
        "program_manager",
        "intelligence_analyst",
        "targeting_officer",
        "auditor",
        "system_admin",
    ],
)
def test_only_specialists_can_be_assigned(officer, staff, role):
    partner = complete(officer)
    before = world()
    with pytest.raises(InvalidInput) as caught:
        services.partner_assign_scs(
            actor=staff["program_manager"], partner_id=partner.pk, scs_id=staff[role].pk
        )
    assert caught.value.field == "assigned_scs"
    assert world() == before


def test_inactive_specialists_trade_users_and_missing_users_cannot_be_assigned(officer, staff, user_factory):
    partner = complete(officer)
    inactive = user_factory("retired@cbp.example", staff_role="scs", is_active=False)
    for scs_id in (inactive.pk, officer.pk, 987654):
        before = world()
        with pytest.raises(InvalidInput):
            services.partner_assign_scs(actor=staff["program_manager"], partner_id=partner.pk, scs_id=scs_id)
        assert world() == before


def test_assigning_a_missing_partner_is_not_found(staff, miami_scs):
    before = world()
    with pytest.raises(NotFound):
        services.partner_assign_scs(actor=staff["program_manager"], partner_id=424242, scs_id=miami_scs.pk)
    assert world() == before
