"""The workforce projection: validations due by law and by the risk plan, hours they take, specialists needed
per field office and year against those on board. Pure Python (no Django): plain data in, plain data out.

The method follows the human capital plan of the 2004 strategic plan (Objective 5.1): current workload, the
program's annual growth, the time an average validation takes and the validations a specialist can do a year.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

FIRST_VALIDATION_YEARS = 1  # mirrors greenlane.core.clocks (the caller passes its values; kept pure here)
REVALIDATION_YEARS = 4
STANDARD_ANNUAL_HOURS = 1720.0  # 2,080 paid hours less leave, holidays and training
VALIDATION_SHARE = 0.6  # share of a specialist's hours on validations; the rest is outreach, reviews, advice
DEFAULT_HOURS_PER_VALIDATION = 46.0  # 1,720 h × 0.6 / 22.5 validations a year (20–25 per specialist)
MIN_RECORDS = 5  # fewer recorded validations than this in a group: use the wider average or the default
UNASSIGNED = "unassigned"


@dataclass(frozen=True)
class Member:
    office: str
    entity_type: str
    certified_on: dt.date
    last_validated_on: dt.date | None = None


@dataclass(frozen=True)
class Specialist:
    key: int
    name: str
    office: str
    role: str
    hours_by_year: dict[int, float]  # available hours a year (from availability, else the standard figure)
    availability_source: str
    training_owed: int = 0
    training_overdue: int = 0
    training_hours_owed: float = 0.0


@dataclass(frozen=True)
class RecordedValidation:
    entity_type: str
    visit_kind: str
    hours: float


@dataclass(frozen=True)
class Parameters:
    start_year: int
    years: int
    growth: float
    standard_hours: float = STANDARD_ANNUAL_HOURS
    validation_share: float = VALIDATION_SHARE
    default_hours: float = DEFAULT_HOURS_PER_VALIDATION
    first_validation_years: int = FIRST_VALIDATION_YEARS
    revalidation_years: int = REVALIDATION_YEARS


@dataclass
class HoursModel:
    source: str  # "recorded" or "default"
    records: int
    overall: float
    by_entity_type: dict[str, float]
    groups: list[dict]
    note: str

    def for_type(self, entity_type: str) -> float:
        return self.by_entity_type.get(entity_type, self.overall)


@dataclass
class OfficeYear:
    office: str
    year: int
    first_validations: int = 0
    revalidations: int = 0
    risk_plan: int = 0
    new_members: int = 0
    hours_needed: float = 0.0
    capacity_hours: float = 0.0
    on_board: int = 0
    needed: int = 0

    @property
    def validations(self) -> int:
        return self.first_validations + self.revalidations + self.risk_plan

    @property
    def gap(self) -> int:
        return self.needed - self.on_board


@dataclass
class Plan:
    parameters: Parameters
    hours: HoursModel
    membership: list[dict]
    rows: list[OfficeYear]
    specialists: list[Specialist]
    notes: list[str] = field(default_factory=list)


def measured_growth(certified_years: Iterable[int], current_year: int, window: int = 3) -> float | None:
    """Mean yearly growth over the last `window` full years: new members in the year / members before it."""
    counts: dict[int, int] = defaultdict(int)
    for year in certified_years:
        counts[year] += 1
    rates = []
    for year in range(current_year - window, current_year):
        before = sum(n for y, n in counts.items() if y < year)
        if before and counts.get(year):
            rates.append(counts[year] / before)
    return round(sum(rates) / len(rates), 4) if rates else None


def hours_model(
    records: list[RecordedValidation], default: float = DEFAULT_HOURS_PER_VALIDATION
) -> HoursModel:
    """Hours per validation by entity type from recorded hours; the documented default when too few."""
    if len(records) < MIN_RECORDS:
        return HoursModel(
            "default",
            len(records),
            default,
            {},
            [],
            f"Only {len(records)} closed validations with recorded hours (fewer than {MIN_RECORDS}): "
            f"the default of {default:g} hours per validation is used.",
        )
    overall = sum(r.hours for r in records) / len(records)
    by_type: dict[str, list[float]] = defaultdict(list)
    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    for r in records:
        by_type[r.entity_type].append(r.hours)
        groups[(r.entity_type, r.visit_kind)].append(r.hours)
    per_type = {t: sum(h) / len(h) for t, h in by_type.items() if len(h) >= MIN_RECORDS}
    thin = sorted(t for t, h in by_type.items() if len(h) < MIN_RECORDS)
    note = f"Measured from {len(records)} closed validations."
    if thin:
        note += f" Entity types with fewer than {MIN_RECORDS} use the overall mean: {', '.join(thin)}."
    return HoursModel(
        "recorded",
        len(records),
        round(overall, 1),
        {t: round(h, 1) for t, h in per_type.items()},
        [
            {
                "entity_type": t,
                "visit_kind": k,
                "validations": len(h),
                "mean_hours": round(sum(h) / len(h), 1),
            }
            for (t, k), h in sorted(groups.items())
        ],
        note,
    )


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def due_years(member: Member, p: Parameters) -> list[int]:
    """Years in the horizon a member is due for validation by law; an overdue one counts in the first year."""
    end = p.start_year + p.years - 1
    if member.last_validated_on is None:
        due = _add_years(member.certified_on, p.first_validation_years)
    else:
        due = _add_years(member.last_validated_on, p.revalidation_years)
    years = []
    year = max(due.year, p.start_year)
    while year <= end:
        years.append(year)
        year += p.revalidation_years
    return years


def project(
    p: Parameters,
    members: list[Member],
    specialists: list[Specialist],
    hours: HoursModel,
    risk_extra: dict[tuple[str, int], int] | None = None,
) -> Plan:
    years = list(range(p.start_year, p.start_year + p.years))
    offices = sorted({m.office for m in members} | {s.office for s in specialists})
    rows = {(o, y): OfficeYear(o, y) for o in offices for y in years}
    type_mix: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    for m in members:
        type_mix[m.office][m.entity_type] += 1
        for i, year in enumerate(due_years(m, p)):
            row = rows[(m.office, year)]
            first = m.last_validated_on is None and i == 0
            if first:
                row.first_validations += 1
            else:
                row.revalidations += 1
            row.hours_needed += hours.for_type(m.entity_type)

    # Growth: new members each year in proportion to each office's share; each is validated the next year,
    # then every revalidation period.
    total_members = len(members)
    membership = []
    running = float(total_members)
    for year in years:
        new = running * p.growth
        running += new
        membership.append({"year": year, "members": round(running), "new_members": round(new)})
        for office, office_new in _split(new, offices, type_mix, total_members).items():
            rows[(office, year)].new_members = office_new
            mean_hours = _mix_hours(type_mix[office], hours)
            due = year + p.first_validation_years
            while due <= years[-1]:
                row = rows[(office, due)]
                if due == year + p.first_validation_years:
                    row.first_validations += office_new
                else:
                    row.revalidations += office_new
                row.hours_needed += office_new * mean_hours
                due += p.revalidation_years

    for (office, year), extra in (risk_extra or {}).items():
        if (office, year) in rows:
            row = rows[(office, year)]
            row.risk_plan += extra
            row.hours_needed += extra * _mix_hours(type_mix[office], hours)

    for (office, year), row in rows.items():
        staff = [s for s in specialists if s.office == office]
        row.on_board = len(staff)
        row.capacity_hours = (
            sum(s.hours_by_year.get(year, p.standard_hours) for s in staff) * p.validation_share
        )
        # One more person brings the office's mean availability (the standard figure when nobody is on board).
        per_person = row.capacity_hours / len(staff) if staff else p.standard_hours * p.validation_share
        row.needed = math.ceil(round(row.hours_needed / per_person, 6)) if row.hours_needed else 0
        row.hours_needed = round(row.hours_needed, 1)
        row.capacity_hours = round(row.capacity_hours, 1)

    notes = [hours.note]
    if any(not s.office or s.office == UNASSIGNED for s in specialists):
        notes.append("Some specialists have no field office: they are counted under 'unassigned'.")
    return Plan(p, hours, membership, [rows[k] for k in sorted(rows)], specialists, notes)


def _split(new: float, offices: list[str], mix: dict[str, dict[str, int]], total: int) -> dict[str, int]:
    """Whole new members per office in proportion to its members (largest remainders get the leftovers)."""
    if not offices:
        return {}
    whole = round(new)
    shares = {o: (sum(mix[o].values()) / total if total else 1 / len(offices)) * whole for o in offices}
    out = {o: int(v) for o, v in shares.items()}
    for o in sorted(offices, key=lambda o: shares[o] - out[o], reverse=True)[: whole - sum(out.values())]:
        out[o] += 1
    return out


def _mix_hours(mix: dict[str, int], hours: HoursModel) -> float:
    total = sum(mix.values())
    if not total:
        return hours.overall
    return sum(hours.for_type(t) * n for t, n in mix.items()) / total
