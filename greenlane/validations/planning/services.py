"""Writes of validation planning: weights, availability, computing, accepting and adjusting a plan, and
opening the validations of a month of an accepted plan."""

from __future__ import annotations

import datetime as dt
import logging
import math
import traceback
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.audit.services import record_event
from greenlane.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from greenlane.core.transitions import check_transition
from greenlane.partners.choices import Tier

from . import engine, permissions, selectors
from .choices import TRANSITIONS, EntrySource, EntryWhy, PlanMethod, PlanStatus
from .models import PlanAdjustment, PlanEntry, SelectionWeights, SpecialistAvailability, ValidationPlan

log = logging.getLogger(__name__)

MAX_TIME_LIMIT = 300
# A specialist's hours for validations in one month, at most: 23 working days of 8 hours.
MAX_HOURS_PER_MONTH = 184


def _require(actor, allowed: frozenset[str], message: str) -> None:
    role = getattr(actor, "staff_role", "")
    if not role:
        raise NotFound()
    if role not in allowed:
        raise Forbidden(message)


def _reason(reason: str | None, *, required: bool, message: str) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise InvalidInput(message, field="reason")
    if len(reason) > 2000:
        raise InvalidInput(_("Keep the reason under 2,000 characters."), field="reason")
    return reason


# --- weights and availability ----------------------------------------------------------------------------------


@transaction.atomic
def weights_update(*, actor, data: dict[str, Any], reason: str) -> SelectionWeights:
    """A new version of the selection weights (the old ones stay, for the plans that used them)."""
    _require(actor, permissions.PLANNERS, _("Only program managers change the selection weights."))
    if not isinstance(data, dict):
        raise InvalidInput(_("The weights must be an object of factor: weight."), field="weights")
    merged = {**engine.DEFAULT_WEIGHTS, **data}
    errors = engine.validate_weights(merged)
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    reason = _reason(reason, required=True, message=_("Say why the weights change."))
    SelectionWeights.objects.select_for_update().order_by("-version").first()
    before = selectors.current_weights_data()
    version = (SelectionWeights.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    weights = SelectionWeights.objects.create(version=version, data=merged, reason=reason, created_by=actor)
    record_event(
        actor=actor,
        action="planning.weights_update",
        obj=weights,
        summary=f"Selection weights version {version}",
        before=before,
        after=merged,
        reason=reason,
    )
    return weights


def _whole_hours(value: Any) -> int | None:
    """A whole number of hours from an int or a string of digits; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def availability_errors(changes: list[dict[str, Any]], year: Any) -> tuple[list[dict[str, str]], dict]:
    """Check a batch of (specialist, month, hours) changes; the problems name the cell `h-<specialist>-<month>`."""
    errors: list[dict[str, str]] = []
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        errors.append({"field": "year", "message": _("Year must be between 2000 and 2100.")})
    wanted = {c.get("specialist_id") for c in changes if isinstance(c, dict)}
    known = {
        s.pk: s for s in selectors.specialists().filter(pk__in=[w for w in wanted if isinstance(w, int)])
    }
    for change in changes:
        if not isinstance(change, dict):
            errors.append(
                {"field": "changes", "message": _("Each change names a specialist, a month and hours.")}
            )
            continue
        sid, month = change.get("specialist_id"), change.get("month")
        cell = f"h-{sid}-{month}"
        if sid not in known:
            errors.append(
                {"field": cell, "message": _("Choose an active specialist (SCS or supervisory SCS).")}
            )
            continue
        if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
            errors.append({"field": cell, "message": _("Month must be 1 to 12.")})
            continue
        hours = _whole_hours(change.get("hours"))
        if hours is None or not 0 <= hours <= MAX_HOURS_PER_MONTH:
            errors.append(
                {
                    "field": cell,
                    "message": _(
                        "%(who)s, month %(m)s: hours must be a whole number from 0 to %(max)s (got %(v)s)."
                    )
                    % {
                        "who": known[sid].email,
                        "m": month,
                        "max": MAX_HOURS_PER_MONTH,
                        "v": change.get("hours"),
                    },
                }
            )
    return errors, known


@transaction.atomic
def availability_update(
    *, actor, year: int, changes: list[dict[str, Any]], reason: str
) -> list[SpecialistAvailability]:
    """Set specialists' hours for validations in months of one year (leave, training and other duties taken
    out). All or nothing: one bad cell refuses the batch. A reason is required; one audit event per cell
    that changes; cells set to the value they already have are left alone."""
    _require(actor, permissions.AVAILABILITY_EDITORS, _("Your role cannot set specialists' hours."))
    if not isinstance(changes, list) or not changes:
        raise InvalidInput(_("Change at least one month's hours."), field="changes")
    errors, known = availability_errors(changes, year)
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    reason = _reason(
        reason, required=True, message=_("Say why the hours change (leave, training, other duties).")
    )
    existing = {
        (row.specialist_id, row.month): row
        for row in SpecialistAvailability.objects.select_for_update().filter(
            year=year, specialist_id__in=list(known)
        )
    }
    saved = []
    seen: set[tuple[int, int]] = set()
    for change in changes:
        sid, month, hours = change["specialist_id"], change["month"], _whole_hours(change["hours"])
        assert hours is not None
        if (sid, month) in seen:
            raise InvalidInput(
                _("Month %(m)s of %(who)s is changed twice.") % {"m": month, "who": known[sid].email},
                field=f"h-{sid}-{month}",
            )
        seen.add((sid, month))
        row = existing.get((sid, month))
        old = row.hours if row else engine.STANDARD_MONTHLY_HOURS
        if row is not None and old == hours:
            continue
        if row is None and hours == old:
            continue
        if row is None:
            row = SpecialistAvailability(specialist=known[sid], year=year, month=month, hours=hours)
        row.hours, row.note = hours, reason[:200]
        row.full_clean()
        row.save()
        record_event(
            actor=actor,
            action="planning.availability_set",
            obj=row,
            summary=f"{known[sid].email}: {hours} h in {year}-{month:02d}",
            before={"hours": old, "default": existing.get((sid, month)) is None},
            after={"hours": hours},
            reason=reason,
        )
        saved.append(row)
    return saved


def availability_set(
    *, actor, specialist_id: int, year: int, month: int, hours: int, note: str = ""
) -> SpecialistAvailability | None:
    """One specialist's hours in one month (see availability_update; the note is the reason). Returns the
    stored row (None when the month stays at the standard figure without a row)."""
    try:
        availability_update(
            actor=actor,
            year=year,
            changes=[
                {
                    "specialist_id": specialist_id,
                    "month": month,
                    "hours": hours if not isinstance(hours, str) else None,
                }
            ],
            reason=note or _("Hours set"),
        )
    except InvalidInput as exc:
        if not (exc.field or "").startswith("h-"):
            raise
        if not selectors.specialists().filter(pk=specialist_id).exists():
            field = "specialist"
        elif not isinstance(month, int) or not 1 <= month <= 12:
            field = "month"
        else:
            field = "hours"
        raise InvalidInput(exc.message, field=field) from exc
    return SpecialistAvailability.objects.filter(specialist_id=specialist_id, year=year, month=month).first()


# --- computing a plan ------------------------------------------------------------------------------------------


def _number(value: Any, *, field: str, low: float, high: float, integer: bool, label: str) -> Any:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or not low <= value <= high or (integer and int(value) != value):
        kind = _("a whole number") if integer else _("a number")
        raise InvalidInput(
            _("%(label)s must be %(kind)s from %(low)s to %(high)s.")
            % {"label": label, "kind": kind, "low": low, "high": high},
            field=field,
        )
    return int(value) if integer else float(value)


@dataclass(frozen=True)
class ComputeOptions:
    year: int
    time_limit: float = 20.0
    oversight_sample: int = 5
    sector_minimum: int = 1
    cross_office_share: float = 0.0
    seed: int = 0

    @classmethod
    def parse(cls, **raw: Any) -> ComputeOptions:
        year = _number(raw.get("year"), field="year", low=2000, high=2100, integer=True, label=_("Year"))
        return cls(
            year=year,
            time_limit=_number(
                raw.get("time_limit", 20),
                field="time_limit",
                low=1,
                high=MAX_TIME_LIMIT,
                integer=False,
                label=_("Time limit (seconds)"),
            ),
            oversight_sample=_number(
                raw.get("oversight_sample", 5),
                field="oversight_sample",
                low=0,
                high=5000,
                integer=True,
                label=_("Oversight sample"),
            ),
            sector_minimum=_number(
                raw.get("sector_minimum", 1),
                field="sector_minimum",
                low=0,
                high=500,
                integer=True,
                label=_("Sector minimum"),
            ),
            cross_office_share=_number(
                raw.get("cross_office_share", 0.0),
                field="cross_office_share",
                low=0,
                high=1,
                integer=False,
                label=_("Share of hours for other offices"),
            ),
            seed=_number(
                raw.get("seed", year), field="seed", low=0, high=2**31 - 1, integer=True, label=_("Seed")
            ),
        )

    def parameters(self) -> engine.Parameters:
        return engine.Parameters(
            year=self.year,
            time_limit=self.time_limit,
            oversight_sample=self.oversight_sample,
            sector_minimum=self.sector_minimum,
            cross_office_share=self.cross_office_share,
            seed=self.seed,
        )


@transaction.atomic
def plan_compute(*, actor, **options: Any) -> ValidationPlan:
    """Start computing a draft plan for a year (both the optimised and the greedy plan) in the background."""
    _require(actor, permissions.PLANNERS, _("Only program managers compute validation plans."))
    opts = ComputeOptions.parse(**options)
    weights = selectors.current_weights()
    plan = ValidationPlan.objects.create(
        year=opts.year,
        status=PlanStatus.COMPUTING,
        parameters=opts.__dict__,
        weights=weights,
        created_by=actor,
    )
    record_event(
        actor=actor,
        action="planning.plan_compute",
        obj=plan,
        summary=f"Validation plan for {opts.year} requested",
        after={
            "year": opts.year,
            "parameters": opts.__dict__,
            "weights": weights.version if weights else None,
        },
    )

    def enqueue() -> None:
        from .tasks import compute_plan

        compute_plan.enqueue(plan.pk)

    transaction.on_commit(enqueue)
    return plan


def plan_run(*, plan_id: int) -> ValidationPlan:
    """The task body: gather the inputs, run both planners, store entries and figures; failures are kept."""
    from . import inputs

    plan = ValidationPlan.objects.get(pk=plan_id)
    if plan.status != PlanStatus.COMPUTING:
        return plan
    try:
        opts = ComputeOptions(**plan.parameters)
        params = opts.parameters()
        data = inputs.gather(year=plan.year, weights=plan.weights.data if plan.weights else None)
        greedy = engine.greedy_plan(data.candidates, data.specialists, params)
        hint, _forced = engine.greedy_book(data.candidates, data.specialists, params)
        optimised = engine.optimise_plan(data.candidates, data.specialists, params, hint=hint)
        bound = engine.deadline_bound(data.candidates, data.specialists, params)
        summary = {
            "optimised": engine.summarise(optimised, data.candidates, data.specialists, params, bound=bound),
            "greedy": engine.summarise(greedy, data.candidates, data.specialists, params, bound=bound),
            "inputs": {
                "candidates": len(data.candidates),
                "specialists": len(data.specialists),
                "excluded_open_validation": data.excluded_open,
                "absent": data.absent,
            },
        }
    except Exception as exc:
        log.exception("plan %s failed", plan_id)
        return _plan_finish(
            plan, PlanStatus.FAILED, error=f"{exc.__class__.__name__}: {exc}\n{traceback.format_exc(limit=3)}"
        )
    with transaction.atomic():
        rows = []
        for plan_result in (optimised, greedy):
            for e in plan_result.entries:
                s = data.scored[e.partner_id]
                rows.append(
                    PlanEntry(
                        plan=plan,
                        method=plan_result.method,
                        partner_id=e.partner_id,
                        specialist_id=e.specialist_id,
                        month=e.month,
                        hours=e.hours,
                        score=s.value,
                        reasons=s.reasons,
                        due_on=s.due,
                        why=e.why if e.why in EntryWhy.values else EntryWhy.RISK,
                        trip_key=",".join(e.trip_keys)[:120],
                    )
                )
        PlanEntry.objects.bulk_create(rows, batch_size=1000)
        return _plan_finish(plan, PlanStatus.DRAFT, summary=summary)


@transaction.atomic
def _plan_finish(
    plan: ValidationPlan, status: str, *, summary: dict | None = None, error: str = ""
) -> ValidationPlan:
    plan = ValidationPlan.objects.select_for_update().get(pk=plan.pk)
    check_transition(TRANSITIONS, plan.status, status)
    before = {"status": plan.status}
    plan.status = status
    plan.summary = summary or {}
    plan.error = error[:4000]
    plan.computed_at = timezone.now()
    plan.save(update_fields=["status", "summary", "error", "computed_at"])
    figures = {}
    if summary:
        figures = {
            m: {"risk_covered": summary[m]["risk_covered"], "deadlines_met": summary[m]["deadlines"]["met"]}
            for m in ("optimised", "greedy")
        }
    record_event(
        actor=plan.created_by,
        action="planning.plan_computed" if status == PlanStatus.DRAFT else "planning.plan_failed",
        obj=plan,
        summary=f"Validation plan for {plan.year}: {status}",
        before=before,
        after={"status": status, **figures},
    )
    return plan


# --- accepting and adjusting -------------------------------------------------------------------------------


@transaction.atomic
def plan_accept(*, actor, plan_id: int, method: str) -> ValidationPlan:
    """Accept the optimised or the greedy version of a draft; the year's accepted plan is superseded."""
    _require(actor, permissions.PLANNERS, _("Only program managers accept validation plans."))
    if method not in PlanMethod.values:
        raise InvalidInput(_("Choose which plan to accept: optimised or greedy."), field="method")
    plan = ValidationPlan.objects.select_for_update().filter(pk=plan_id).first()
    if plan is None:
        raise NotFound()
    check_transition(TRANSITIONS, plan.status, PlanStatus.ACCEPTED, label=lambda s: str(PlanStatus(s).label))
    previous = list(
        ValidationPlan.objects.select_for_update().filter(year=plan.year, status=PlanStatus.ACCEPTED)
    )
    now = timezone.now()
    for old in previous:
        old.status, old.superseded_at = PlanStatus.SUPERSEDED, now
        old.save(update_fields=["status", "superseded_at"])
    plan.status, plan.method, plan.accepted_by, plan.accepted_at = PlanStatus.ACCEPTED, method, actor, now
    plan.save(update_fields=["status", "method", "accepted_by", "accepted_at"])
    # The other method's entries go: the accepted plan is the one worked from and adjusted.
    PlanEntry.objects.filter(plan=plan).exclude(method=method).delete()
    record_event(
        actor=actor,
        action="planning.plan_accept",
        obj=plan,
        summary=f"Validation plan for {plan.year} accepted ({method})",
        before={"status": PlanStatus.DRAFT, "superseded": [p.pk for p in previous]},
        after={"status": PlanStatus.ACCEPTED, "method": method},
    )
    return plan


@transaction.atomic
def entry_adjust(*, actor, entry_id: int, specialist_id: int, month: int, reason: str = "") -> PlanEntry:
    """Move an accepted plan's entry to another specialist or month. Beyond capacity needs a reason."""
    _require(actor, permissions.PLANNERS, _("Only program managers adjust validation plans."))
    entry = (
        PlanEntry.objects.select_for_update().select_related("plan", "specialist").filter(pk=entry_id).first()
    )
    if entry is None:
        raise NotFound()
    plan = ValidationPlan.objects.select_for_update().get(pk=entry.plan_id)
    if plan.status != PlanStatus.ACCEPTED or entry.method != plan.method:
        raise Conflict(_("Only entries of an accepted plan can be adjusted; accept the plan first."))
    if entry.validation_id:
        raise Conflict(_("This validation has been opened already; change it on the validation itself."))
    errors = []
    if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
        errors.append({"field": "month", "message": _("Month must be 1 to 12.")})
    specialist = selectors.specialists().filter(pk=specialist_id).first()
    if specialist is None:
        errors.append(
            {"field": "specialist", "message": _("Choose an active specialist (SCS or supervisory SCS).")}
        )
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    if specialist.pk == entry.specialist_id and month == entry.month:
        raise InvalidInput(
            _("Choose another specialist or month: this is where the entry is already."), field="month"
        )
    from . import refigure

    booked = selectors.booked_hours(plan, plan.method, specialist.pk, month)
    available = selectors.availability(plan.year, [specialist.pk])[specialist.pk][month - 1]
    # Where it goes, the entry costs its own hours plus travel to countries that specialist does not
    # already visit that month (a trip's travel is counted once).
    need = engine.move_cost(
        refigure.base_hours(entry),
        engine.countries_of(entry.trip_key),
        refigure.trip_countries(plan, specialist.pk, month, exclude=entry.pk),
        engine.Parameters(year=plan.year).trip_overhead,
    )
    over = booked + need > available
    reason = _reason(
        reason,
        required=over,
        message=_(
            "%(who)s has %(free)s h left in month %(m)s and this validation takes %(need)s h: give a reason to book beyond capacity."
        )
        % {"who": specialist.email, "free": max(0, available - booked), "m": month, "need": need},
    )
    before = {"specialist": entry.specialist_id, "month": entry.month, "hours": entry.hours}
    groups = {(entry.specialist_id, entry.month), (specialist.pk, month)}
    entry.specialist, entry.month, entry.source = specialist, month, EntrySource.MANUAL
    entry.note = reason
    entry.save(update_fields=["specialist", "month", "source", "note"])
    after = {
        "specialist": specialist.pk,
        "month": month,
        "hours": need,
        "booked_after": booked + need,
        "available": available,
    }
    adjustment = PlanAdjustment.objects.create(
        plan=plan,
        entry=entry,
        partner_id=entry.partner_id,
        actor=actor,
        before=before,
        after=after,
        reason=reason,
        over_capacity=over,
    )
    # The trips of both months are charged again and the plan's figures recomputed from the entries.
    figures = refigure.refigure(plan, groups)
    adjustment.after = {
        **after,
        "risk_covered": figures["risk_covered"],
        "deadlines_met": figures["deadlines"]["met"],
        "over_capacity": len(figures["over_capacity"]),
    }
    adjustment.save(update_fields=["after"])
    after = adjustment.after
    entry.refresh_from_db()
    record_event(
        actor=actor,
        action="planning.entry_adjust",
        partner=entry.partner,
        obj=entry,
        summary=f"Plan {plan.year}: moved to {specialist.email}, month {month}"
        + (" (beyond capacity)" if over else ""),
        before=before,
        after=after,
        reason=reason,
    )
    return entry


@dataclass
class MonthStart:
    created: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)


def plan_month_start(*, actor, plan_id: int, month: int) -> MonthStart:
    """Open a validation (validations.services.validation_create) for each entry of one month of the
    accepted plan not yet opened. Each entry commits on its own; the refused ones are listed, not fatal."""
    from greenlane.validations.choices import ValidationKind
    from greenlane.validations.services import validation_create

    _require(actor, permissions.STARTERS, _("Your role cannot open validations from the plan."))
    plan = ValidationPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        raise NotFound()
    if plan.status != PlanStatus.ACCEPTED:
        raise Conflict(_("Accept the plan before opening its validations."))
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise InvalidInput(_("Month must be 1 to 12."), field="month")
    result = MonthStart()
    todo = list(
        PlanEntry.objects.filter(
            plan=plan, method=plan.method, month=month, validation_id__isnull=True
        ).select_related("partner")
    )
    for entry in todo:
        if entry.why == EntryWhy.OVERSIGHT:
            kind = ValidationKind.OVERSIGHT
        elif entry.partner.tier <= Tier.TIER_1:
            kind = ValidationKind.INITIAL
        else:
            kind = ValidationKind.REVALIDATION
        try:
            with transaction.atomic():
                validation = validation_create(
                    actor=actor,
                    partner_id=entry.partner_id,
                    kind=kind,
                    specialist_id=entry.specialist_id,
                    planned_month=dt.date(plan.year, month, 1),
                    reason=_("Annual validation plan %(year)s") % {"year": plan.year},
                )
                PlanEntry.objects.filter(pk=entry.pk).update(validation_id=validation.pk)
                result.created += 1
        except DomainError as exc:
            result.skipped.append(
                {"partner": entry.partner.legal_name, "partner_id": entry.partner_id, "message": exc.message}
            )
    return result
