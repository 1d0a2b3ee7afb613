"""Gather what the rules judge about one partner (or many, set-based) into a flat dict of INPUTS."""

from __future__ import annotations

import datetime as dt
from typing import Any

from greenlane.partners import eligibility
from greenlane.partners import identifiers as ids
from greenlane.profiles.models import ProfileSnapshot

from .models import CountryThreat

DEFAULT_THREAT = 2
HIGH_THREAT = 4


def threat_levels() -> dict[str, int]:
    return dict(CountryThreat.objects.values_list("country", "level"))


def profile_inputs(summary: dict | None) -> dict[str, Any]:
    """From the snapshot's summary (see profiles.services.summarize)."""
    if not summary:
        return {"profile.submitted": False}
    return {
        "profile.submitted": True,
        "profile.must_total": summary["must_total"],
        "profile.must_not_implemented_share": summary["must_not_implemented_share"],
        "profile.must_gap_share": summary["must_gap_share"],
        "profile.not_applicable_share": summary["not_applicable_share"],
    }


def partner_inputs(
    partner,
    *,
    identifiers: list[tuple[str, str]],
    site_countries: list[str],
    threats: dict[str, int],
    today: dt.date,
) -> dict[str, Any]:
    answers = partner.eligibility or {}
    failed = [
        q.code
        for q in eligibility.questions_for(partner.entity_type)
        if answers.get(q.code) is not q.expected
    ]
    present = {t for t, _v in identifiers}
    years = (today - partner.business_start_date).days / 365.25 if partner.business_start_date else 0.0
    levels = [threats.get(c, DEFAULT_THREAT) for c in site_countries] or [
        threats.get(partner.country, DEFAULT_THREAT)
    ]
    return {
        "entity_type": partner.entity_type,
        "eligibility.all_met": not failed,
        "eligibility.failed_count": len(failed),
        "identifiers.complete": not ids.missing_identifier_groups(partner.entity_type, present),
        "business.years": round(years, 2),
        "business.employees": partner.employee_count or 0,
        "supply_chain.max_threat": max(levels),
        "supply_chain.high_threat_sites": sum(1 for v in levels if v >= HIGH_THREAT),
        "supply_chain.countries": len(set(site_countries)),
    }


def compliance_inputs(summary: dict[str, Any]) -> dict[str, Any]:
    return {
        "compliance.penalties_5y": summary.get("penalties_5y", 0),
        "compliance.seizures_5y": summary.get("seizures_5y", 0),
        "compliance.liquidated_damages_5y": summary.get("liquidated_damages_5y", 0),
        "compliance.unpaid_debt": bool(summary.get("unpaid_debt", False)),
        "compliance.unpaid_debt_amount": float(summary.get("unpaid_debt_amount", 0) or 0),
        "compliance.prior_suspension": bool(summary.get("prior_suspension", False)),
        "compliance.prior_removal": bool(summary.get("prior_removal", False)),
        "compliance.watch_list_hit": bool(summary.get("watch_list_hit", False)),
        "compliance.pending_matches": int(summary.get("pending_fuzzy_matches", 0)),
    }


def build_inputs(partner, snapshot: ProfileSnapshot | None, *, today: dt.date) -> dict[str, Any]:
    """Everything the rules see about one partner, as plain JSON-able values."""
    from greenlane.vetting.selectors import compliance_summary

    idents = list(partner.identifiers.values_list("type", "value"))
    countries = list(partner.sites.values_list("country", flat=True))
    return {
        **partner_inputs(
            partner, identifiers=idents, site_countries=countries, threats=threat_levels(), today=today
        ),
        **profile_inputs(snapshot.summary if snapshot else None),
        **compliance_inputs(compliance_summary(partner, today=today)),
    }


def build_inputs_bulk(partners: list, *, today: dt.date) -> dict[int, dict[str, Any]]:
    """The same inputs for many partners with a fixed number of queries (for simulations)."""
    from collections import defaultdict

    from greenlane.partners.models import Identifier, Site
    from greenlane.vetting.selectors import compliance_summaries

    ids_by = defaultdict(list)
    sites_by = defaultdict(list)
    pks = [p.pk for p in partners]
    # Id ranges rather than IN lists: the chunk's ids are contiguous enough, and rows of partners outside
    # the chunk are simply never read from the dicts below.
    lo, hi = (min(pks), max(pks)) if pks else (0, -1)
    for pid, t, v in Identifier.objects.filter(partner_id__gte=lo, partner_id__lte=hi).values_list(
        "partner_id", "type", "value"
    ):
        ids_by[pid].append((t, v))
    for pid, c in Site.objects.filter(partner_id__gte=lo, partner_id__lte=hi).values_list(
        "partner_id", "country"
    ):
        sites_by[pid].append(c)
    latest: dict[int, dict] = {}
    for pid, data in (
        ProfileSnapshot.objects.filter(
            profile__partner_id__gte=lo, profile__partner_id__lte=hi, profile__is_current=True
        )
        .order_by("profile__partner_id", "revision")
        .values_list("profile__partner_id", "summary")
    ):
        latest[pid] = data
    threats = threat_levels()
    summaries = compliance_summaries(pks, today=today)
    return {
        p.pk: {
            **partner_inputs(
                p, identifiers=ids_by[p.pk], site_countries=sites_by[p.pk], threats=threats, today=today
            ),
            **profile_inputs(latest.get(p.pk)),
            **compliance_inputs(summaries.get(p.pk, {})),
        }
        for p in partners
    }
