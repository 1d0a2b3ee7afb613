"""run_matching: identifier matches confirmed automatically, fuzzy ones pending, re-runs, dismissed stays."""

from __future__ import annotations

import pytest

from greenlane.audit.models import AuditEvent
from greenlane.partners.models import Partner
from greenlane.vetting import services
from greenlane.vetting.models import ComplianceRecord, VettingMatch

from .support import do_import, ior_of, partner, row

pytestmark = pytest.mark.django_db


def matches(p) -> dict[str, tuple]:
    return {
        m.record.source_ref: (m.method, m.status, float(m.score))
        for m in VettingMatch.objects.filter(partner=p).select_related("record")
    }


def run_events(p) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(partner=p, action="vetting.match_run").order_by("id"))


def test_an_exact_identifier_match_is_confirmed_automatically_and_audited(officer):
    p = partner(officer, name="Atlas Imports LLC")
    do_import(
        [
            row(
                source_ref="S-1",
                kind="seizure",
                name="Completely Different Name Corp",
                identifier_type="ior",
                identifier_value=ior_of(p),
            )
        ]
    )
    result = services.run_matching(p)
    assert [m.record.source_ref for m in result.auto_confirmed] == ["S-1"]
    match = VettingMatch.objects.get(partner=p)
    assert (match.method, match.status, float(match.score), match.reviewed_by) == (
        "identifier",
        "confirmed",
        100.0,
        None,
    )
    assert match.reviewed_at is not None
    assert match.note == f"Confirmed automatically: the same identifier (IOR {ior_of(p)})."
    (event,) = run_events(p)
    assert (event.actor, event.actor_label, event.after["auto_confirmed"], event.after["new"]) == (
        None,
        "system",
        [match.record_id],
        [],
    )


def test_an_ein_matches_the_ior_numbers_built_on_it(officer):
    p = partner(officer, name="Atlas Imports LLC")
    ein = ior_of(p)[:10]
    do_import(
        [
            row(source_ref="E-1", identifier_type="ein", identifier_value=ein),
            row(source_ref="E-2", identifier_type="ior", identifier_value=ein + "ZZ"),
        ]
    )
    services.run_matching(p)
    assert matches(p) == {
        "E-1": ("identifier", "confirmed", 100.0),
        "E-2": ("identifier", "confirmed", 100.0),
    }
    basis = VettingMatch.objects.get(record__source_ref="E-1").basis
    assert (basis["identifier"], basis["partner_identifier"], basis["derived"]) == (
        f"ein {ein}",
        f"ior {ior_of(p)}",
        True,
    )


def test_a_shared_mid_matches_but_waits_for_an_officer(officer):
    p = partner(
        officer,
        name="Shenzhen Bright Electronics Co., Ltd.",
        country="CN",
        entity_type="foreign_manufacturer",
        identifiers=(("mid", "CNBRIELE88SHE"),),
        street="88 Keji Road",
        city="Shenzhen",
        region="GD",
        postal_code="518000",
    )
    do_import(
        [
            row(
                source_ref="M-1",
                name="Another Factory",
                country="CN",
                identifier_type="mid",
                identifier_value="CNBRIELE88SHE",
            )
        ]
    )
    services.run_matching(p)
    assert matches(p) == {"M-1": ("identifier", "pending", 100.0)}


def test_fuzzy_matches_with_suffix_and_punctuation_variants_and_a_non_match(officer):
    p = partner(officer, name="Atlas Imports LLC", dba_name="Atlas Home")
    do_import(
        [
            row(source_ref="F-1", name="ATLAS IMPORTS, L.L.C.", address="1 Harbor Way, Newark, NJ 07114"),
            row(source_ref="F-2", name="Atlas Imprts Inc.", address=""),
            row(source_ref="F-3", name="Atlas Imports S.A. de C.V.", address="", country="MX"),
            row(source_ref="F-4", name="Granite Freightways", address="1 Harbor Way, Newark, NJ 07114"),
            row(source_ref="F-5", name="Atlas", address=""),
            # The same name abroad at another address: 0.80 * 100 + 0.15 * A + 0 stays under 85.
            row(source_ref="F-6", name="Atlas Imports SA de CV", address="Av. Reforma 1, CDMX", country="MX"),
        ]
    )
    result = services.run_matching(p)
    found = matches(p)
    assert set(found) == {"F-1", "F-2", "F-3"}
    assert found["F-1"] == ("name_address", "pending", 100.0)
    assert found["F-2"][:2] == ("name_address", "pending") and 90 <= found["F-2"][2] < 100
    assert found["F-3"] == ("name_address", "pending", 95.0)
    assert len(result.created) == 3 and result.auto_confirmed == []
    basis = VettingMatch.objects.get(record__source_ref="F-3").basis
    assert (basis["same_country"], basis["name"], basis["name_used"]) == (False, 100.0, "atlas imports")


def test_the_partner_sites_countries_count_as_same_country(officer):
    p = partner(officer, name="Atlas Imports LLC")
    from greenlane.partners import services as partner_services

    partner_services.site_add(
        actor=officer,
        partner_id=p.pk,
        kind="foreign_site",
        name="Plant",
        street="Calle 5",
        city="Monterrey",
        region="NL",
        postal_code="64000",
        country="MX",
    )
    do_import([row(source_ref="F-1", name="Atlas Imports", address="", country="MX")])
    services.run_matching(p.pk)
    assert matches(p) == {"F-1": ("name_address", "pending", 100.0)}


def test_rerunning_updates_pending_scores_withdraws_stale_ones_and_never_touches_decided(officer, staff):
    vetter = staff["vetting_officer"]
    p = partner(officer, name="Atlas Imports LLC")
    do_import(
        [
            row(source_ref="A", name="Atlas Imports", address="1 Harbor Way Newark NJ 07114"),
            row(source_ref="B", name="Atlas Imports Ltd", address="9 Elsewhere Blvd"),
            row(source_ref="C", name="Atlas Imports Inc", address="1 Harbor Way"),
            row(source_ref="D", name="Atlas Imports Co", address=""),
        ]
    )
    services.run_matching(p)
    assert set(matches(p)) == {"A", "B", "C", "D"}
    by_ref = {m.record.source_ref: m for m in VettingMatch.objects.filter(partner=p).select_related("record")}
    services.match_dismiss(actor=vetter, match_id=by_ref["C"].pk, note="Different company, checked the EIN.")
    services.match_confirm(actor=vetter, match_id=by_ref["D"].pk, note="")
    assert len(run_events(p)) == 1

    # Nothing changed: no event, no write.
    again = services.run_matching(p)
    assert not again.changed and len(run_events(p)) == 1

    # The source corrects B's address (score moves) and renames A and C (A no longer matches; C is dismissed).
    do_import(
        [
            row(source_ref="A", name="Zenith Apparel", address="1 Harbor Way Newark NJ 07114"),
            row(source_ref="B", name="Atlas Imports Ltd", address="1 Harbor Way, Newark"),
            row(source_ref="C", name="Atlas Imports Incorporated", address="1 Harbor Way"),
            row(source_ref="D", name="Atlas Imports Co", address=""),
        ]
    )
    old_b = float(by_ref["B"].score)
    result = services.run_matching(p)
    found = matches(p)
    assert set(found) == {"B", "C", "D"}
    assert found["B"][1] == "pending" and found["B"][2] > old_b
    assert found["C"][1] == "dismissed" and found["D"][1] == "confirmed"
    assert (result.removed, [m.record.source_ref for m in result.updated]) == (
        [ComplianceRecord.objects.get(source_ref="A").pk],
        ["B"],
    )
    event = run_events(p)[-1]
    assert (event.after["withdrawn"], event.after["updated"]) == (result.removed, [by_ref["B"].record_id])


def test_a_dismissed_match_is_never_resurrected_even_by_an_identifier(officer, staff):
    p = partner(officer, name="Atlas Imports LLC")
    do_import([row(source_ref="X", name="Atlas Imports", address="")])
    services.run_matching(p)
    match = VettingMatch.objects.get(partner=p)
    services.match_dismiss(actor=staff["vetting_officer"], match_id=match.pk, note="A namesake in Ohio.")
    do_import(
        [
            row(
                source_ref="X",
                name="Atlas Imports",
                address="",
                identifier_type="ior",
                identifier_value=ior_of(p),
            )
        ]
    )
    result = services.run_matching(p)
    match.refresh_from_db()
    assert (match.status, match.method, result.changed) == ("dismissed", "name_address", False)


def test_a_pending_fuzzy_match_becomes_an_identifier_match_when_the_record_gains_the_identifier(officer):
    p = partner(officer, name="Atlas Imports LLC")
    do_import([row(source_ref="X", name="Atlas Imports", address="")])
    services.run_matching(p)
    do_import(
        [
            row(
                source_ref="X",
                name="Atlas Imports",
                address="",
                identifier_type="ior",
                identifier_value=ior_of(p),
            )
        ]
    )
    services.run_matching(p)
    assert matches(p) == {"X": ("identifier", "confirmed", 100.0)}


def test_renaming_the_partner_withdraws_its_pending_name_matches(officer):
    p = partner(officer, name="Atlas Imports LLC")
    do_import([row(source_ref="X", name="Atlas Imports", address="")])
    services.run_matching(p)
    Partner.objects.filter(pk=p.pk).update(legal_name="Granite Freightways")
    result = services.run_matching(p.pk)
    assert VettingMatch.objects.filter(partner=p).count() == 0 and len(result.removed) == 1


def test_matching_without_any_record_or_identifier(officer):
    p = partner(officer, name="Atlas Imports LLC", identifiers=())
    assert not services.run_matching(p).changed


def test_staff_rerun_needs_a_vetter(officer, staff):
    from greenlane.core.errors import Forbidden, NotFound

    p = partner(officer, name="Atlas Imports LLC")
    do_import([row(source_ref="X", name="Atlas Imports", address="")])
    with pytest.raises(Forbidden):
        services.matching_run(actor=staff["auditor"], partner_id=p.pk)
    with pytest.raises(NotFound):
        services.matching_run(actor=officer, partner_id=p.pk)
    assert VettingMatch.objects.count() == 0
    result = services.matching_run(actor=staff["program_manager"], partner_id=p.pk)
    assert len(result.created) == 1 and run_events(p)[0].actor == staff["program_manager"]
    with pytest.raises(NotFound):
        services.matching_run(actor=staff["program_manager"], partner_id=999_999)


def test_the_index_follows_new_imports(officer):
    from greenlane.vetting import index

    p = partner(officer, name="Atlas Imports LLC")
    do_import([row(source_ref="X", name="Granite Freightways")])
    services.run_matching(p)
    first = index.get_index()
    assert first.record_count == 1
    do_import([row(source_ref="X", name="Granite Freightways")])  # nothing changed: same index
    assert index.get_index() is first
    do_import([row(source_ref="Y", name="Atlas Imports")])
    services.run_matching(p)
    assert index.get_index().record_count == 2 and set(matches(p)) == {"Y"}
