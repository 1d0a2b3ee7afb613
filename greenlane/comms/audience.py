"""Partner audiences: cleaning the rules, the partners a rule set matches, the rule sets a partner matches.

Both directions are one SQL query. Partners matching a bulletin: IN lists on indexed partner columns.
Bulletins matching a partner: per dimension "no rule, or the partner's value among the tokens"; the
partner's values are known, so the condition is a constant expression over the bulletin table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from greenlane.accounts.models import FieldOffice
from greenlane.core.errors import InvalidInput
from greenlane.partners.choices import EntityType, PartnerStatus
from greenlane.partners.models import COUNTRY_CODES, Partner

from .models import tokens

# Audience dimension -> (model column holding the tokens, partner column it matches).
DIMENSIONS: dict[str, tuple[str, str]] = {
    "entity_types": ("aud_entity_types", "entity_type"),
    "tiers": ("aud_tiers", "tier"),
    "countries": ("aud_countries", "country"),
    "field_offices": ("aud_offices", "field_office_id"),
    "statuses": ("aud_statuses", "status"),
}


@dataclass(frozen=True)
class Audience:
    """Empty lists mean "any"; all empty means every company."""

    entity_types: list[str] = field(default_factory=list)
    tiers: list[int] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    field_offices: list[int] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)

    def columns(self) -> dict[str, str]:
        """The model's token columns for this audience."""
        return {DIMENSIONS[name][0]: tokens(getattr(self, name)) for name in DIMENSIONS}

    @property
    def is_everyone(self) -> bool:
        return not any(getattr(self, name) for name in DIMENSIONS)


def _strings(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, Iterable):
        raise InvalidInput(_("Give a list."), field="audience")
    return [str(v).strip() for v in value if str(v).strip()]


def clean_audience(raw: dict | None) -> Audience:
    """Check every value of every dimension; the error names the field and the bad value."""
    raw = raw or {}
    unknown = sorted(set(raw) - set(DIMENSIONS))
    if unknown:
        raise InvalidInput(
            _("Unknown audience rule '%(key)s'. Known: %(known)s.")
            % {"key": unknown[0], "known": ", ".join(DIMENSIONS)},
            field=f"audience.{unknown[0]}",
        )
    errors: list[dict] = []

    def bad(name: str, value: str, message: str) -> None:
        errors.append({"field": f"audience.{name}", "message": message % {"value": value}})

    entity_types = _strings(raw.get("entity_types"))
    for v in entity_types:
        if v not in EntityType.values:
            bad("entity_types", v, _("'%(value)s' is not an entity type."))
    tiers: list[int] = []
    for v in _strings(raw.get("tiers")):
        if v not in {"1", "2", "3"}:
            bad("tiers", v, _("'%(value)s' is not a tier (1, 2 or 3)."))
        else:
            tiers.append(int(v))
    countries = [v.upper() for v in _strings(raw.get("countries"))]
    for v in countries:
        if v not in COUNTRY_CODES:
            bad("countries", v, _("'%(value)s' is not an ISO 3166 country code."))
    offices: list[int] = []
    office_values = _strings(raw.get("field_offices"))
    known_offices = set(FieldOffice.objects.values_list("pk", flat=True)) if office_values else set()
    for v in office_values:
        if not v.isdigit() or int(v) not in known_offices:
            bad("field_offices", v, _("'%(value)s' is not a field office."))
        else:
            offices.append(int(v))
    statuses = _strings(raw.get("statuses"))
    for v in statuses:
        if v not in PartnerStatus.values:
            bad("statuses", v, _("'%(value)s' is not a partner status."))
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    return Audience(
        entity_types=sorted(set(entity_types)),
        tiers=sorted(set(tiers)),
        countries=sorted(set(countries)),
        field_offices=sorted(set(offices)),
        statuses=sorted(set(statuses)),
    )


def audience_of(obj) -> Audience:
    """The Audience stored on a bulletin (its token columns)."""
    a = obj.audience
    return Audience(
        entity_types=a["entity_types"],
        tiers=[int(t) for t in a["tiers"]],
        countries=a["countries"],
        field_offices=[int(o) for o in a["field_offices"]],
        statuses=a["statuses"],
    )


def matching_partners(audience: Audience) -> QuerySet[Partner]:
    """The partners an audience reaches: one query (IN lists on indexed partner columns)."""
    qs = Partner.objects.all()
    if audience.entity_types:
        qs = qs.filter(entity_type__in=audience.entity_types)
    if audience.tiers:
        qs = qs.filter(tier__in=audience.tiers)
    if audience.countries:
        qs = qs.filter(country__in=audience.countries)
    if audience.field_offices:
        qs = qs.filter(field_office_id__in=audience.field_offices)
    if audience.statuses:
        qs = qs.filter(status__in=audience.statuses)
    return qs


def audience_count(audience: Audience) -> int:
    return matching_partners(audience).order_by().count()


def partner_values(partner) -> dict[str, str]:
    """The partner's value in each audience dimension, as its token text."""
    return {
        "entity_types": str(partner.entity_type),
        "tiers": str(partner.tier),
        "countries": str(partner.country),
        "field_offices": str(partner.field_office_id or ""),
        "statuses": str(partner.status),
    }


def q_for_values(values: dict[str, str], prefix: str = "") -> Q:
    """Rules that admit a partner with these values: every dimension empty or naming the value."""
    condition = Q()
    for name, (column, _partner_column) in DIMENSIONS.items():
        value = values[name]
        dim = Q(**{f"{prefix}{column}": ""})
        if value:
            dim |= Q(**{f"{prefix}{column}__contains": f",{value},"})
        condition &= dim
    return condition


def q_for_partners(partners: Iterable) -> Q:
    """Rules that admit at least one of these partners (no partner: nothing)."""
    combined: Q | None = None
    for partner in partners:
        q = q_for_values(partner_values(partner))
        combined = q if combined is None else combined | q
    return combined if combined is not None else Q(pk__in=[])
