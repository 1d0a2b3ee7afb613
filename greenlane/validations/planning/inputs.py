"""Gather the planning engine's inputs from the database: certified partners as scored candidates, and the
specialists with their monthly hours. A constant number of queries whatever the population.

Inputs the database does not hold are stated in every partner's reasons (`absent`): there is no trade data
(import value and volume) in the portal yet, and FAST participation is inferred from the partner's modes of
transport (a highway carrier) until membership data exists.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone

from greenlane.accounts.choices import StaffRole
from greenlane.accounts.models import User
from greenlane.core import clocks
from greenlane.partners.choices import EntityType, PartnerStatus, SiteKind, Tier, TransportMode
from greenlane.partners.models import Partner, Site, TierChange
from greenlane.profiles.choices import ReviewStatus
from greenlane.profiles.models import AnnualReview
from greenlane.screening.models import CountryThreat, Suspension
from greenlane.vetting.choices import MatchStatus, RecordKind
from greenlane.vetting.models import VettingMatch

from .engine import STANDARD_MONTHLY_HOURS, Candidate, Features, Specialist, hours_needed, score
from .models import SpecialistAvailability

HOME = "US"
DEFAULT_THREAT = 2
PLANNERS_LEAD = (StaffRole.SCS, StaffRole.SUPERVISORY_SCS)
ANOMALY_KINDS = (
    RecordKind.SEIZURE,
    RecordKind.PENALTY,
    RecordKind.LIQUIDATED_DAMAGES,
    RecordKind.WATCH_LIST,
    RecordKind.PRIOR_SUSPENSION,
    RecordKind.PRIOR_REMOVAL,
)
FAST_TYPES = (EntityType.HIGHWAY_CARRIER, EntityType.MEXICAN_LONG_HAUL_CARRIER)
ABSENT = ("import_value", "import_volume")


@dataclass
class Scored:
    partner_id: int
    features: Features
    value: float
    reasons: list[dict[str, Any]]
    due: dt.date | None
    due_kind: str  # "first" | "revalidation" | ""


@dataclass
class Inputs:
    year: int
    candidates: list[Candidate]
    specialists: list[Specialist]
    scored: dict[int, Scored]
    absent: list[str]
    excluded_open: int = 0  # certified partners left out: a validation is already open
    notes: list[str] = field(default_factory=list)


def next_year(today: dt.date | None = None) -> int:
    return (today or timezone.localdate()).year + 1


def _last_validated(ids: list[int] | None) -> tuple[dict[int, dt.date], set[int]]:
    """Last completed validation per partner (validations app), else the last move to Tier 2 or 3; and the
    partners with a validation still open (they are not planned again)."""
    last: dict[int, dt.date] = {}
    open_ids: set[int] = set()
    changes = TierChange.objects.filter(to_tier__gte=Tier.TIER_2)
    if ids is not None:
        changes = changes.filter(partner_id__in=ids)
    for pid, at in changes.values("partner_id").annotate(at=Max("at")).values_list("partner_id", "at"):
        last[pid] = timezone.localdate(at)
    try:
        from greenlane.validations.choices import ValidationStatus as V
        from greenlane.validations.models import Validation
    except ImportError:  # the execution app is optional for planning
        return last, open_ids
    done = Validation.objects.filter(status=V.CLOSED, closed_at__isnull=False)
    live = Validation.objects.exclude(status__in=[V.CLOSED, V.CANCELLED])
    if ids is not None:
        done, live = done.filter(partner_id__in=ids), live.filter(partner_id__in=ids)
    for pid, at in done.values("partner_id").annotate(at=Max("closed_at")).values_list("partner_id", "at"):
        day = timezone.localdate(at)
        if pid not in last or day > last[pid]:
            last[pid] = day
    open_ids = set(live.values_list("partner_id", flat=True))
    return last, open_ids


def _anomalies(ids: list[int] | None) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    matches = VettingMatch.objects.filter(status=MatchStatus.CONFIRMED, record__kind__in=ANOMALY_KINDS)
    suspensions = Suspension.objects.all()
    returned = AnnualReview.objects.filter(status=ReviewStatus.RETURNED)
    if ids is not None:
        matches = matches.filter(partner_id__in=ids)
        suspensions = suspensions.filter(partner_id__in=ids)
        returned = returned.filter(partner_id__in=ids)
    for pid, kind, n in (
        matches.values("partner_id", "record__kind")
        .annotate(n=Count("id"))
        .values_list("partner_id", "record__kind", "n")
    ):
        out[pid] += [f"{RecordKind(kind).label}".lower()] * n
    for pid, n in suspensions.values("partner_id").annotate(n=Count("id")).values_list("partner_id", "n"):
        out[pid] += ["suspension"] * n
    for pid, n in returned.values("partner_id").annotate(n=Count("id")).values_list("partner_id", "n"):
        out[pid] += ["annual review returned"] * n
    return out


def gather(
    *,
    year: int,
    weights: dict[str, Any] | None = None,
    partner_ids: list[int] | None = None,
    statuses: tuple[str, ...] = (PartnerStatus.CERTIFIED,),
) -> Inputs:
    from .selectors import current_weights_data

    weights = weights if weights is not None else current_weights_data()
    start = dt.date(year, 1, 1)
    partners = Partner.objects.filter(status__in=statuses)
    if partner_ids is not None:
        partners = partners.filter(pk__in=partner_ids)
    rows = list(
        partners.values(
            "id", "entity_type", "country", "field_office_id", "tier", "certified_at", "modes_of_transport"
        )
    )
    ids = [r["id"] for r in rows] if partner_ids is not None else None
    threats = dict(CountryThreat.objects.values_list("country", "level"))
    countries: dict[int, set[str]] = defaultdict(set)
    all_countries: dict[int, set[str]] = defaultdict(set)
    sites = Site.objects.filter(partner__status__in=statuses)
    if ids is not None:
        sites = sites.filter(partner_id__in=ids)
    for pid, kind, country in sites.values_list("partner_id", "kind", "country"):
        all_countries[pid].add(country)
        if country != HOME or kind == SiteKind.FOREIGN_SITE:
            countries[pid].add(country)
    last, open_ids = _last_validated(ids)
    anomalies = _anomalies(ids)
    candidates: list[Candidate] = []
    scored: dict[int, Scored] = {}
    excluded = 0
    for r in rows:
        pid = r["id"]
        certified = timezone.localdate(r["certified_at"]) if r["certified_at"] else None
        validated = last.get(pid)
        due, due_kind = None, ""
        if r["tier"] <= Tier.TIER_1 and certified is not None and validated is None:
            due, due_kind = clocks.first_validation_due(certified), "first"
        elif validated is not None or certified is not None:
            due, due_kind = clocks.revalidation_due(validated or certified), "revalidation"  # type: ignore[arg-type]
        seen = all_countries[pid] | {r["country"]}
        level_country = max(sorted(seen), key=lambda c: threats.get(c, DEFAULT_THREAT))
        fast = r["entity_type"] in FAST_TYPES and TransportMode.HIGHWAY in (r["modes_of_transport"] or [])
        found = anomalies.get(pid, [])
        features = Features(
            threat_level=threats.get(level_country, DEFAULT_THREAT),
            threat_country=level_country,
            anomalies=len(found),
            anomaly_detail=tuple(sorted(set(found))),
            import_value=None,
            import_volume=None,
            fast=fast,
            years_since_validation=((start - validated).days / 365.25) if validated else None,
            days_to_due=(due - start).days if due else None,
            sector=r["entity_type"],
            absent=ABSENT,
        )
        value, reasons = score(features, weights)
        for reason in reasons:
            if reason["factor"] == "fast":
                reason["note"] += " (inferred from entity type and highway mode: no FAST membership data)"
        scored[pid] = Scored(pid, features, value, reasons, due, due_kind)
        if pid in open_ids:
            excluded += 1
            continue
        office = str(r["field_office_id"] or "")
        candidates.append(
            Candidate(
                partner_id=pid,
                entity_type=r["entity_type"],
                office=office,
                countries=tuple(sorted(countries[pid])),
                score=value,
                hours=hours_needed(r["entity_type"], len(countries[pid])),
                due=due,
                sector=r["entity_type"],
            )
        )
    return Inputs(
        year=year,
        candidates=candidates,
        specialists=specialists(year) if partner_ids is None else [],
        scored=scored,
        absent=list(ABSENT),
        excluded_open=excluded,
    )


def specialists(year: int) -> list[Specialist]:
    """Active SCS and supervisory SCS, with their hours by month (the standard figure where none is set)."""
    users = list(
        User.objects.filter(staff_role__in=PLANNERS_LEAD, is_active=True)
        .order_by("id")
        .values_list("id", "field_office_id")
    )
    hours: dict[int, list[int]] = {uid: [STANDARD_MONTHLY_HOURS] * 12 for uid, _o in users}
    for uid, month, h in SpecialistAvailability.objects.filter(
        year=year, specialist_id__in=hours
    ).values_list("specialist_id", "month", "hours"):
        hours[uid][month - 1] = h
    return [Specialist(id=uid, office=str(office or ""), hours=tuple(hours[uid])) for uid, office in users]


def partner_score(partner_id: int, *, year: int) -> Scored | None:
    data = gather(year=year, partner_ids=[partner_id], statuses=tuple(PartnerStatus.values))
    return data.scored.get(partner_id)


__all__ = ["Inputs", "Scored", "gather", "next_year", "partner_score", "specialists"]
