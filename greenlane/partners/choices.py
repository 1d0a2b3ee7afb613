"""Entity types, statuses and the lifecycle transition table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntityType(models.TextChoices):
    IMPORTER = "importer", _("U.S. importer")
    EXPORTER = "exporter", _("U.S. exporter")
    CUSTOMS_BROKER = "customs_broker", _("U.S. customs broker")
    CONSOLIDATOR = "consolidator", _("Consolidator (air freight, OTI, NVOCC)")
    THIRD_PARTY_LOGISTICS = "third_party_logistics", _("Third-party logistics provider")
    AIR_CARRIER = "air_carrier", _("Air carrier")
    SEA_CARRIER = "sea_carrier", _("Sea carrier")
    RAIL_CARRIER = "rail_carrier", _("Rail carrier")
    HIGHWAY_CARRIER = "highway_carrier", _("Highway carrier (U.S./Canada or U.S./Mexico)")
    MEXICAN_LONG_HAUL_CARRIER = "mexican_long_haul_carrier", _("Mexican long-haul highway carrier")
    FOREIGN_MANUFACTURER = "foreign_manufacturer", _("Foreign manufacturer")
    MARINE_PORT_TERMINAL_OPERATOR = (
        "marine_port_terminal_operator",
        _("Marine port authority / terminal operator"),
    )


class PartnerStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    CERTIFIED = "certified", _("Certified")
    DENIED = "denied", _("Denied")
    SUSPENDED = "suspended", _("Suspended")
    REMOVED = "removed", _("Removed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = PartnerStatus

# Allowed (from -> to) pairs. Anything else is refused by core.transitions.check_transition.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.UNDER_REVIEW, S.CERTIFIED, S.DENIED, S.WITHDRAWN}),
    S.UNDER_REVIEW: frozenset({S.CERTIFIED, S.DENIED, S.DRAFT, S.WITHDRAWN}),
    S.CERTIFIED: frozenset({S.SUSPENDED, S.REMOVED, S.WITHDRAWN}),
    S.SUSPENDED: frozenset({S.CERTIFIED, S.REMOVED, S.WITHDRAWN}),
    S.DENIED: frozenset({S.UNDER_REVIEW, S.DRAFT}),
    S.REMOVED: frozenset({S.DRAFT}),
    S.WITHDRAWN: frozenset({S.DRAFT}),
}

# Which transitions the company itself may make (through its own services), and which staff make.
COMPANY_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        (S.DRAFT, S.SUBMITTED),
        (S.DRAFT, S.WITHDRAWN),
        (S.SUBMITTED, S.WITHDRAWN),
        (S.UNDER_REVIEW, S.WITHDRAWN),
        (S.CERTIFIED, S.WITHDRAWN),
        (S.SUSPENDED, S.WITHDRAWN),
    }
)

# The per-state timestamp each target status stamps.
STATUS_TIMESTAMP: dict[str, str] = {
    S.SUBMITTED: "submitted_at",
    S.UNDER_REVIEW: "under_review_at",
    S.CERTIFIED: "certified_at",
    S.DENIED: "denied_at",
    S.SUSPENDED: "suspended_at",
    S.REMOVED: "removed_at",
    S.WITHDRAWN: "withdrawn_at",
}

# Statuses in which company data may still be edited by the company.
EDITABLE_STATUSES = frozenset({S.DRAFT})
ACTIVE_MEMBER_STATUSES = frozenset({S.CERTIFIED})


class Tier(models.IntegerChoices):
    NONE = 0, _("Not certified")
    TIER_1 = 1, _("Tier 1 — certified")
    TIER_2 = 2, _("Tier 2 — validated")
    TIER_3 = 3, _("Tier 3 — exceeds")


class SiteKind(models.TextChoices):
    HEADQUARTERS = "headquarters", _("Headquarters")
    CARGO_FACILITY = "cargo_facility", _("Cargo-handling facility")
    FOREIGN_SITE = "foreign_site", _("Foreign site")
    SECURITY_OFFICE = "security_office", _("Security / point-of-contact office")
    TRAINING_LOCATION = "training_location", _("Policy and training location")


class ContactKind(models.TextChoices):
    PRIMARY = "primary", _("Primary point of contact")
    SECURITY = "security", _("Security point of contact")
    TRADE = "trade", _("Trade point of contact")
    ALTERNATE = "alternate", _("Alternate contact")


class TransportMode(models.TextChoices):
    SEA = "sea", _("Sea")
    AIR = "air", _("Air")
    HIGHWAY = "highway", _("Highway")
    RAIL = "rail", _("Rail")
