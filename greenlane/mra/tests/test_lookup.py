import datetime as dt

import pytest

from greenlane.mra import selectors, services
from greenlane.mra.models import ForeignProgram

from .support import csv_file, sample

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


def _load(manager):
    services.status_import(
        actor=manager, program_code="eu_aeo", stream=sample("eu_aeo.csv"), file_name="eu_aeo.csv", today=TODAY
    )
    services.status_import(
        actor=manager,
        program_code="ca_pip",
        stream=sample("ca_pip.json"),
        file_name="ca_pip.json",
        today=TODAY,
    )


def test_programs_are_loaded_as_data():
    codes = set(ForeignProgram.objects.values_list("code", flat=True))
    assert {"eu_aeo", "ca_pip", "mx_oea", "uk_aeo", "br_oea", "co_oea", "gt_oea"} <= codes
    assert len(codes) == 18
    assert ForeignProgram.objects.get(code="eu_aeo").mra_signed == dt.date(2012, 5, 4)


def test_lookup_finds_members_by_normalised_identifier(manager):
    _load(manager)
    pairs = [("eori", "de 1234567890123"), ("cbsa_bn", "100118785RM0001"), ("eori", "DE999"), ("bogus", "x")]
    found = selectors.foreign_status_lookup(pairs)
    assert set(found) == {("eori", "de 1234567890123"), ("cbsa_bn", "100118785RM0001")}
    eu = found[("eori", "de 1234567890123")]
    assert (eu.program_code, eu.status, eu.company_name) == ("eu_aeo", "active", "Rheinwerk Logistik GmbH")
    assert eu.validation_date == dt.date(2019, 3, 14)
    assert found[("cbsa_bn", "100118785RM0001")].as_of == dt.date(2026, 11, 26)


def test_lookup_reports_suspended_and_revoked(manager):
    _load(manager)
    found = selectors.foreign_status_lookup([("eori", "IT01234567890"), ("eori", "ESB12345678")])
    assert found[("eori", "IT01234567890")].status == "suspended"
    assert found[("eori", "ESB12345678")].status == "revoked"


def test_active_listing_wins_over_inactive_one_in_another_program(manager):
    services.status_import(
        actor=manager,
        program_code="uk_aeo",
        stream=csv_file("GB123456789000,Thames Freight Ltd,London,GB,active,2021-05-01,"),
        file_name="uk.csv",
        today=TODAY,
    )
    services.status_import(
        actor=manager,
        program_code="eu_aeo",
        stream=csv_file("GB123456789000,Thames Freight Ltd,London,GB,revoked,2015-05-01,2020-12-31"),
        file_name="eu.csv",
        today=TODAY,
    )
    found = selectors.foreign_status_lookup([("eori", "GB123456789000")])
    assert found[("eori", "GB123456789000")].program_code == "uk_aeo"


def test_lookup_of_ten_thousand_pairs_runs_few_queries(manager, django_assert_max_num_queries):
    _load(manager)
    pairs = [("eori", f"DE{n:010d}") for n in range(10_000)] + [("eori", "DE1234567890123")]
    with django_assert_max_num_queries(14):
        found = selectors.foreign_status_lookup(pairs)
    assert list(found) == [("eori", "DE1234567890123")]


def test_empty_lookup_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.foreign_status_lookup([]) == {}


def test_our_types_normalise_as_enrollment_does_but_bn_members_match_on_root(manager):
    from greenlane.mra import identifiers

    assert identifiers.normalize("cbsa_bn", "100118785 RM0001") == "100118785RM0001"
    assert identifiers.member_key("cbsa_bn", "100118785 RM0001") == "100118785"
    _load(manager)
    found = selectors.foreign_status_lookup([("cbsa_bn", "100118785"), ("cbsa_bn", "100055433RM0002")])
    assert found[("cbsa_bn", "100118785")].company_name == "Fraser River Forwarding Ltd."
    assert found[("cbsa_bn", "100055433RM0002")].company_name == "Maple Leaf Cartage Inc."
