"""compliance_summary / compliance_summaries: confirmed matches only, five-year windows as of `today`."""

from __future__ import annotations

import datetime as dt

import pytest

from greenlane.vetting import selectors, services
from greenlane.vetting.models import VettingMatch

from .support import do_import, ior_of, partner, row

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)


def by_identifier(p, **values) -> dict:
    return row(identifier_type="ior", identifier_value=ior_of(p), name="Some Other Name", **values)


def test_an_unmatched_partner_has_the_empty_summary(officer):
    p = partner(officer, name="Atlas Imports LLC")
    assert (
        selectors.compliance_summary(p, TODAY)
        == selectors.empty_summary()
        == {
            "penalties_5y": 0,
            "seizures_5y": 0,
            "liquidated_damages_5y": 0,
            "unpaid_debt": False,
            "unpaid_debt_amount": 0.0,
            "prior_suspension": False,
            "prior_removal": False,
            "watch_list_hit": False,
            "confirmed_matches": 0,
            "pending_fuzzy_matches": 0,
            "pending_matches": 0,
        }
    )


def test_windows_kinds_and_amounts(officer, staff):
    p = partner(officer, name="Atlas Imports LLC")
    do_import(
        [
            by_identifier(p, kind="penalty", date="2026-06-30"),  # today: counts
            by_identifier(p, kind="penalty", date="2021-06-30"),  # exactly 5 years: counts
            by_identifier(p, kind="penalty", date="2021-06-29"),  # a day older: not in the window
            by_identifier(p, kind="seizure", date="2023-01-15"),
            by_identifier(p, kind="liquidated_damages", date="2019-01-01"),  # too old
            by_identifier(p, kind="unpaid_debt", date="2010-05-05", amount="1200.50"),
            by_identifier(p, kind="unpaid_debt", date="2025-05-05", amount="99.50"),
            by_identifier(p, kind="prior_removal", date="2001-01-01"),
            row(kind="watch_list", name="Atlas Imports", address="", date="2024-01-01"),  # fuzzy: pending
            row(
                kind="prior_suspension", name="Atlas Imports Inc", address="", date="2024-01-01"
            ),  # dismissed below
        ],
        today=TODAY,
    )
    services.run_matching(p)
    suspension = VettingMatch.objects.get(partner=p, record__kind="prior_suspension")
    services.match_dismiss(actor=staff["vetting_officer"], match_id=suspension.pk, note="Namesake.")
    summary = selectors.compliance_summary(p, TODAY)
    assert summary == {
        "penalties_5y": 2,
        "seizures_5y": 1,
        "liquidated_damages_5y": 0,
        "unpaid_debt": True,
        "unpaid_debt_amount": 1300.0,
        "prior_suspension": False,
        "prior_removal": True,
        "watch_list_hit": False,
        "confirmed_matches": 8,
        "pending_fuzzy_matches": 1,
        "pending_matches": 1,
    }
    watch = VettingMatch.objects.get(partner=p, record__kind="watch_list")
    services.match_confirm(actor=staff["vetting_officer"], match_id=watch.pk)
    after = selectors.compliance_summary(p, TODAY)
    assert (after["watch_list_hit"], after["pending_fuzzy_matches"], after["confirmed_matches"]) == (
        True,
        0,
        9,
    )


def test_a_past_today_ignores_later_records_and_moves_the_window(officer):
    p = partner(officer, name="Atlas Imports LLC")
    do_import(
        [
            by_identifier(p, kind="penalty", date="2026-01-10"),
            by_identifier(p, kind="penalty", date="2018-03-01"),
            by_identifier(p, kind="unpaid_debt", date="2025-01-01", amount="10"),
        ],
        today=TODAY,
    )
    services.run_matching(p)
    assert selectors.compliance_summary(p, TODAY)["penalties_5y"] == 1
    then = selectors.compliance_summary(p, dt.date(2020, 1, 1))
    assert (
        then["penalties_5y"],
        then["unpaid_debt"],
        then["unpaid_debt_amount"],
        then["confirmed_matches"],
    ) == (1, False, 0.0, 1)


def test_bulk_summaries_equal_the_single_ones(officer):
    partners = [
        partner(officer, name=name) for name in ("Atlas Imports LLC", "Granite Freightways", "Zenith Apparel")
    ]
    rows = []
    for i, p in enumerate(partners):
        rows += [by_identifier(p, kind="penalty", date="2025-01-01") for _ in range(i)]
        rows += [by_identifier(p, kind="unpaid_debt", date="2024-01-01", amount=str(10 * i))] if i else []
    do_import(rows, today=TODAY)
    for p in partners:
        services.run_matching(p)
    ids = [p.pk for p in partners] + [999_999]
    bulk = selectors.compliance_summaries(ids, TODAY)
    assert set(bulk) == set(ids)
    for p in partners:
        assert bulk[p.pk] == selectors.compliance_summary(p.pk, TODAY)
    assert bulk[999_999] == selectors.empty_summary()
    assert [bulk[p.pk]["penalties_5y"] for p in partners] == [0, 1, 2]
    assert set(selectors.compliance_summaries(None, TODAY)) == {partners[1].pk, partners[2].pk}


def test_bulk_summaries_run_a_fixed_number_of_queries(officer, django_assert_num_queries):
    p = partner(officer, name="Atlas Imports LLC")
    with django_assert_num_queries(1):
        selectors.compliance_summaries([p.pk, *range(10_000_000, 10_004_000)], TODAY)
    with django_assert_num_queries(2):
        selectors.compliance_summaries(range(10_000_000, 10_009_000), TODAY)
