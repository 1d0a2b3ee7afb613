"""The workforce plan read from the portal: roster, availability, members' validation clocks, recorded hours,
the accepted risk plan and the training each specialist owes; the projection itself is engine.project()."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.apps import apps
from django.db.models import Sum
from django.utils import timezone

from greenlane.accounts.choices import StaffRole
from greenlane.accounts.models import User
from greenlane.core import clocks
from greenlane.core.errors import Forbidden, InvalidInput, NotFound
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner, TierChange

from . import engine

ROSTER_ROLES = (StaffRole.SCS, StaffRole.SUPERVISORY_SCS)
READERS = frozenset(
    {StaffRole.SUPERVISORY_SCS, StaffRole.PROGRAM_MANAGER, StaffRole.SYSTEM_ADMIN, StaffRole.AUDITOR}
)
MEMBER_STATUSES = (PartnerStatus.CERTIFIED, PartnerStatus.SUSPENDED)
MAX_YEARS, MAX_GROWTH = 10, 1.0
DEFAULT_GROWTH = (
    0.05  # when the certification history is too short to measure (documented in docs/workforce.md)
)


def require_reader(user) -> None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "staff_role", ""):
        raise NotFound()
    if user.staff_role not in READERS:
        raise Forbidden("The workforce plan is for supervisors and program managers.")


def _office(office) -> str:
    return office.code if office is not None else engine.UNASSIGNED


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def check_parameters(years, growth, annual_hours) -> tuple[int, float | None, float]:
    errors = []
    try:
        years = int(years)
        if not 1 <= years <= MAX_YEARS:
            raise ValueError
    except (TypeError, ValueError):
        errors.append({"field": "years", "message": f"Years must be a whole number from 1 to {MAX_YEARS}."})
    if growth is not None:
        try:
            growth = float(growth)
            if not -0.5 <= growth <= MAX_GROWTH:
                raise ValueError
        except (TypeError, ValueError):
            errors.append(
                {"field": "growth", "message": "Growth is a yearly rate from -0.5 to 1 (0.05 is 5%)."}
            )
    try:
        annual_hours = float(annual_hours)
        if not 500 <= annual_hours <= 2400:
            raise ValueError
    except (TypeError, ValueError):
        errors.append(
            {"field": "annual_hours", "message": "Standard annual hours must be from 500 to 2,400."}
        )
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    return years, growth, annual_hours


# --- inputs -----------------------------------------------------------------------------------------------


def _availability(user_ids: list[int], years: list[int]) -> dict[int, dict[int, tuple[float, int]]]:
    """Planning's availability: for each person and year, the hours entered and how many months they cover."""
    model = _model("planning.SpecialistAvailability")
    if model is None:
        return {}
    out: dict[int, dict[int, tuple[float, int]]] = defaultdict(dict)
    rows = model.objects.filter(specialist_id__in=user_ids, year__in=years).values_list(
        "specialist_id", "year", "hours"
    )
    for uid, year, hours in rows.iterator(chunk_size=5000):
        total, months = out[uid].get(year, (0.0, 0))
        out[uid][year] = (total + float(hours), months + 1)
    return out


def roster(years: list[int], standard_hours: float, today: dt.date) -> list[engine.Specialist]:
    from greenlane.training.selectors import owed_by_user

    people = list(
        User.objects.filter(staff_role__in=ROSTER_ROLES, is_active=True)
        .select_related("field_office")
        .order_by("field_office__code", "full_name", "email")
    )
    availability = _availability([u.pk for u in people], years)
    owed = owed_by_user(people, today)
    out = []
    for u in people:
        entered = availability.get(u.pk, {})
        hours = {}
        for y in years:
            total, months = entered.get(y, (0.0, 0))
            hours[y] = total + (12 - months) * standard_hours / 12
        items = owed[u.pk]
        out.append(
            engine.Specialist(
                key=u.pk,
                name=u.display_name,
                office=_office(u.field_office),
                role=u.staff_role,
                hours_by_year=hours,
                availability_source="planning" if entered else "standard",
                training_owed=len(items),
                training_overdue=sum(1 for o in items if o.overdue),
                training_hours_owed=float(sum((o.hours_owed for o in items), Decimal(0))),
            )
        )
    return out


def members() -> list[engine.Member]:
    """Each member's validation clock: certification date and last validation (closed validation, else the
    last move to Tier 2 or 3 recorded before the validations app existed)."""
    last: dict[int, dt.date] = {}
    for partner_id, at in TierChange.objects.filter(to_tier__gte=2).values_list("partner_id", "at"):
        day = timezone.localdate(at)
        if partner_id not in last or day > last[partner_id]:
            last[partner_id] = day
    validation = _model("validations.Validation")
    if validation is not None:
        closed = validation.objects.filter(status="closed", closed_at__isnull=False).values_list(
            "partner_id", "closed_at"
        )
        for partner_id, at in closed.iterator(chunk_size=5000):
            day = timezone.localdate(at)
            if partner_id not in last or day > last[partner_id]:
                last[partner_id] = day
    rows = (
        Partner.objects.filter(status__in=MEMBER_STATUSES, certified_at__isnull=False)
        .values_list("pk", "entity_type", "certified_at", "field_office__code")
        .iterator(chunk_size=5000)
    )
    return [
        engine.Member(office or engine.UNASSIGNED, etype, timezone.localdate(at), last.get(pk))
        for pk, etype, at, office in rows
    ]


def recorded_validations() -> list[engine.RecordedValidation]:
    validation, entry, visit = (
        _model("validations.Validation"),
        _model("validations.HoursEntry"),
        _model("validations.Visit"),
    )
    if validation is None or entry is None:
        return []
    totals = dict(
        entry.objects.filter(validation__status="closed")
        .values("validation_id")
        .annotate(total=Sum("hours"))
        .values_list("validation_id", "total")
    )
    kinds: dict[int, set[str]] = defaultdict(set)
    if visit is not None:
        for vid, kind in visit.objects.filter(validation_id__in=list(totals)).values_list(
            "validation_id", "kind"
        ):
            kinds[vid].add(kind)
    types = dict(validation.objects.filter(pk__in=list(totals)).values_list("pk", "partner__entity_type"))
    out = []
    for vid, total in totals.items():
        k = kinds.get(vid, set())
        kind = "on_site" if "on_site" in k else "virtual" if "virtual" in k else "none"
        if total and total > 0:
            out.append(engine.RecordedValidation(types.get(vid, ""), kind, float(total)))
    return out


def risk_plan_extra(years: list[int]) -> tuple[dict[tuple[str, int], int], list[int]]:
    """Validations an accepted plan adds beyond the legal deadlines (risk, sector sample, oversight)."""
    plan_model, entry_model = _model("planning.ValidationPlan"), _model("planning.PlanEntry")
    if plan_model is None or entry_model is None:
        return {}, []
    plans = list(plan_model.objects.filter(status="accepted", year__in=years).values_list("pk", "year"))
    extra: dict[tuple[str, int], int] = defaultdict(int)
    rows = entry_model.objects.filter(plan_id__in=[p for p, _y in plans]).exclude(why="deadline")
    for office, year in rows.values_list("partner__field_office__code", "plan__year"):
        extra[(office or engine.UNASSIGNED, year)] += 1
    return dict(extra), sorted(y for _p, y in plans)


def certified_years() -> list[int]:
    return [
        timezone.localdate(at).year
        for at in Partner.objects.filter(certified_at__isnull=False).values_list("certified_at", flat=True)
    ]


# --- the plan ---------------------------------------------------------------------------------------------


def build_plan(
    *,
    years: int = 5,
    growth: float | None = None,
    annual_hours: float = engine.STANDARD_ANNUAL_HOURS,
    today: dt.date | None = None,
) -> engine.Plan:
    years, growth, annual_hours = check_parameters(years, growth, annual_hours)
    today = today or timezone.localdate()
    span = list(range(today.year, today.year + years))
    measured = engine.measured_growth(certified_years(), today.year)
    used = growth if growth is not None else (measured if measured is not None else DEFAULT_GROWTH)
    params = engine.Parameters(
        start_year=today.year,
        years=years,
        growth=used,
        standard_hours=annual_hours,
        first_validation_years=clocks.FIRST_VALIDATION_YEARS,
        revalidation_years=clocks.REVALIDATION_YEARS,
    )
    extra, plan_years = risk_plan_extra(span)
    plan = engine.project(
        params,
        members(),
        roster(span, annual_hours, today),
        engine.hours_model(recorded_validations()),
        extra,
    )
    if growth is None:
        plan.notes.insert(
            0,
            f"Growth {used:.1%} a year, measured from certifications over the last three years."
            if measured is not None
            else f"Growth {used:.1%} a year: too little certification history to measure, the default is used.",
        )
    else:
        plan.notes.insert(0, f"Growth {used:.1%} a year, as given.")
    plan.notes.append(
        f"Risk plan validations from the accepted plan(s) for {', '.join(map(str, plan_years))}."
        if plan_years
        else "No accepted validation plan in the horizon: demand is the legal deadlines and growth only."
    )
    return plan


def plan_dict(plan: engine.Plan) -> dict:
    p = plan.parameters
    rows = plan.rows
    by_year: dict[int, dict] = {}
    for r in rows:
        t = by_year.setdefault(
            r.year,
            {"year": r.year, "validations": 0, "hours_needed": 0.0, "needed": 0, "on_board": 0, "gap": 0},
        )
        t["validations"] += r.validations
        t["hours_needed"] = round(t["hours_needed"] + r.hours_needed, 1)
        t["needed"] += r.needed
        t["on_board"] += r.on_board
        t["gap"] += r.gap
    return {
        "parameters": {
            "start_year": p.start_year,
            "years": p.years,
            "growth": p.growth,
            "standard_annual_hours": p.standard_hours,
            "validation_share": p.validation_share,
            "default_hours_per_validation": p.default_hours,
            "first_validation_years": p.first_validation_years,
            "revalidation_years": p.revalidation_years,
        },
        "membership": plan.membership,
        "hours_per_validation": {
            "source": plan.hours.source,
            "records": plan.hours.records,
            "overall": plan.hours.overall,
            "by_entity_type": plan.hours.by_entity_type,
            "groups": plan.hours.groups,
            "note": plan.hours.note,
        },
        "roster": [
            {
                "id": s.key,
                "name": s.name,
                "office": s.office,
                "role": s.role,
                "hours_by_year": {str(y): round(h, 1) for y, h in s.hours_by_year.items()},
                "availability_source": s.availability_source,
                "training_owed": s.training_owed,
                "training_overdue": s.training_overdue,
                "training_hours_owed": s.training_hours_owed,
            }
            for s in plan.specialists
        ],
        "offices": [
            {
                "office": r.office,
                "year": r.year,
                "first_validations": r.first_validations,
                "revalidations": r.revalidations,
                "risk_plan": r.risk_plan,
                "validations": r.validations,
                "new_members": r.new_members,
                "hours_needed": r.hours_needed,
                "capacity_hours": r.capacity_hours,
                "needed": r.needed,
                "on_board": r.on_board,
                "gap": r.gap,
            }
            for r in rows
        ],
        "totals": [by_year[y] for y in sorted(by_year)],
        "notes": plan.notes,
    }


def workforce_plan(years: int = 5, growth: float | None = None, **kwargs) -> dict:
    """The plan as plain data (for the metrics app's annual program plan PDF, the API and the command)."""
    return plan_dict(build_plan(years=years, growth=growth, **kwargs))


def workforce_plan_for(
    user, *, years: int = 5, growth: float | None = None, annual_hours: float = engine.STANDARD_ANNUAL_HOURS
) -> dict:
    require_reader(user)
    return workforce_plan(years, growth, annual_hours=annual_hours)
