"""The planning engine's inputs and outputs: plain dataclasses, no Django."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

MONTHS = tuple(range(1, 13))

# Hours a validation takes, by entity type and visit kind: the domestic visit (on site or virtual) and each
# foreign country's sites. Program defaults; the caller may pass its own table in Parameters.
DEFAULT_HOURS: dict[str, dict[str, int]] = {
    "importer": {"domestic": 40, "virtual": 24, "foreign": 16},
    "exporter": {"domestic": 32, "virtual": 20, "foreign": 16},
    "customs_broker": {"domestic": 24, "virtual": 16, "foreign": 16},
    "consolidator": {"domestic": 32, "virtual": 20, "foreign": 16},
    "third_party_logistics": {"domestic": 32, "virtual": 20, "foreign": 16},
    "air_carrier": {"domestic": 40, "virtual": 24, "foreign": 16},
    "sea_carrier": {"domestic": 40, "virtual": 24, "foreign": 16},
    "rail_carrier": {"domestic": 32, "virtual": 20, "foreign": 16},
    "highway_carrier": {"domestic": 24, "virtual": 16, "foreign": 16},
    "mexican_long_haul_carrier": {"domestic": 24, "virtual": 16, "foreign": 16},
    "foreign_manufacturer": {"domestic": 16, "virtual": 16, "foreign": 24},
    "marine_port_terminal_operator": {"domestic": 40, "virtual": 24, "foreign": 16},
}
FALLBACK_HOURS = {"domestic": 32, "virtual": 20, "foreign": 16}
STANDARD_MONTHLY_HOURS = 128  # a specialist's hours for validations in a month (16 days), before leave


def hours_needed(
    entity_type: str,
    foreign_countries: int,
    table: dict[str, dict[str, int]] | None = None,
    *,
    visit: str = "domestic",
) -> int:
    """Hours of one validation: the domestic (or virtual) visit plus every foreign country's sites."""
    row = (table or DEFAULT_HOURS).get(entity_type, FALLBACK_HOURS)
    return int(
        row.get(visit, FALLBACK_HOURS[visit])
        + row.get("foreign", FALLBACK_HOURS["foreign"]) * foreign_countries
    )


@dataclass(frozen=True)
class Candidate:
    """A certified partner that may be validated this year."""

    partner_id: int
    entity_type: str
    office: str  # the field office that owns the partner ("" when none: any office may take it)
    countries: tuple[str, ...]  # countries of its foreign sites (each is one leg of a trip)
    score: float  # the selection score, 0-100
    hours: int  # hours of the validation itself (see hours_needed), trip travel not included
    due: dt.date | None = None  # the legal due date (first validation or revalidation)
    sector: str = ""  # industry sector for the sector sample (entity type, or NAICS sector when known)

    @property
    def sector_key(self) -> str:
        return self.sector or self.entity_type


@dataclass(frozen=True)
class Specialist:
    id: int
    office: str
    hours: tuple[int, ...]  # available hours for months 1..12

    def available(self, month: int) -> int:
        return self.hours[month - 1]


@dataclass(frozen=True)
class Parameters:
    year: int
    trip_overhead: int = 12  # travel hours of one trip (one specialist, one month, one country)
    cross_office_share: float = 0.0  # share of a specialist's monthly hours usable for other offices
    oversight_sample: int = 0  # partners drawn at random (seeded) for routine oversight
    sector_minimum: int = 0  # at least this many validations of each sector
    seed: int = 0
    time_limit: float = 30.0  # seconds for the whole optimisation
    workers: int = 2
    deadline_weight: int = 1_000_000  # one deadline met outweighs any amount of risk
    month_penalty: float = 0.002  # per score point and month: higher risk earlier
    trip_penalty: int = 1  # per trip (score points x 100): fewer, fuller trips

    def __post_init__(self) -> None:
        if not 1900 < self.year < 3000:
            raise ValueError("year must be a calendar year")
        if not 0.0 <= self.cross_office_share <= 1.0:
            raise ValueError("cross_office_share must be between 0 and 1")
        if self.trip_overhead < 0 or self.oversight_sample < 0 or self.sector_minimum < 0:
            raise ValueError("trip overhead, oversight sample and sector minimum cannot be negative")
        if self.time_limit <= 0:
            raise ValueError("time_limit must be positive")

    def deadline_month(self, due: dt.date | None) -> int | None:
        """The last month that meets a due date: None beyond this year, 1 when already overdue."""
        if due is None or due.year > self.year:
            return None
        if due.year < self.year:
            return 1
        return due.month

    def is_overdue(self, due: dt.date | None) -> bool:
        return due is not None and due.year < self.year


@dataclass(frozen=True)
class Entry:
    partner_id: int
    specialist_id: int
    month: int
    hours: int
    trip_keys: tuple[str, ...] = ()  # "<specialist>-<month>-<country>" for each foreign country
    why: str = "risk"  # deadline | sample | oversight | risk


@dataclass
class Plan:
    method: str  # greedy | optimised
    entries: list[Entry]
    unplanned: list[int]  # partner ids considered and left out
    seconds: float = 0.0
    status: str = ""  # solver status (optimised) or "heuristic"
    notes: list[str] = field(default_factory=list)
