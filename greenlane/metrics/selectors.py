"""Reads for the measures pages and API: stored results only (fast), plus on-demand drill-downs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.core.errors import Forbidden, InvalidInput, NotFound
from greenlane.core.paging import clamp
from greenlane.partners.selectors import partner_for

from . import permissions, snapshot
from .engine import BY_ID, MEASURES, Measure, PeriodError, dimensions_of, drilldown, parse_period
from .engine import benefits as benefits_engine
from .engine.compute import connect
from .engine.sources import DIMENSION_LABELS, SOURCES, register
from .models import ExportJob, MeasureResult, MetricsRun

LEVELS = ("year", "quarter", "month")


def require_reader(user) -> None:
    if not getattr(user, "is_authenticated", False) or not user.staff_role:
        raise NotFound()
    if not permissions.can_read(user):
        raise Forbidden(
            "Performance measures are for program managers, supervisors, auditors and administrators."
        )


def measure_or_404(measure_id: str) -> Measure:
    m = BY_ID.get(measure_id)
    if m is None:
        raise NotFound()
    return m


def stale_days() -> int:
    return int(getattr(settings, "METRICS_STALE_DAYS", 7))


def staleness(
    run: MetricsRun | None, period_end: dt.date | None = None, measure: Measure | None = None
) -> list[str]:
    """Plain sentences saying how stale the inputs of a run are (empty when fresh)."""
    if run is None:
        return []
    notes = []
    if run.snapshot_at is None:
        notes.append(_("No portal snapshot was read: validation measures have no data."))
    else:
        age = (timezone.now() - run.snapshot_at).days
        if age > stale_days():
            notes.append(
                _("The portal snapshot is %(days)d days old (taken %(when)s); the limit is %(limit)d days.")
                % {"days": age, "when": run.snapshot_at.strftime("%Y-%m-%d %H:%M UTC"), "limit": stale_days()}
            )
    ship = measure is None or measure.source == "shipments"
    if ship and period_end is not None:
        if run.shipments_through is None:
            notes.append(_("No targeting data was read: shipment measures have no data."))
        elif run.shipments_through < period_end:
            notes.append(
                _("Shipment data ends on %(end)s, %(days)d days before the end of this period (%(pend)s).")
                % {
                    "end": run.shipments_through.isoformat(),
                    "days": (period_end - run.shipments_through).days,
                    "pend": period_end.isoformat(),
                }
            )
    return notes


@dataclass
class Row:
    measure: Measure
    result: MeasureResult | None


def latest_period(level: str = "year") -> str | None:
    return (
        MeasureResult.objects.filter(is_latest=True, period_level=level, dimension="")
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )


def periods(level: str) -> list[str]:
    return list(
        MeasureResult.objects.filter(is_latest=True, period_level=level, dimension="")
        .order_by("-period")
        .values_list("period", flat=True)
        .distinct()
    )


def overview(user, period: str | None) -> tuple[str | None, list[Row], MetricsRun | None]:
    """Every measure with its stored overall value for the period (default: the latest year)."""
    require_reader(user)
    if period:
        try:
            period = parse_period(period).key
        except PeriodError as exc:
            raise InvalidInput(str(exc), field="period") from None
    if not period:
        last = MetricsRun.objects.order_by("-computed_at", "-id").values_list("period", flat=True).first()
        period = last or latest_period("year")
    results = {}
    run = None
    if period:
        qs = MeasureResult.objects.filter(is_latest=True, period=period, dimension="").select_related("run")
        for r in qs:
            results[r.measure_id] = r
            run = run or r.run
    return period, [Row(m, results.get(m.id)) for m in MEASURES], run


@dataclass
class Series:
    measure: Measure
    level: str
    dimension: str
    dimension_value: str
    points: list[MeasureResult]
    run: MetricsRun | None
    stale: list[str] = field(default_factory=list)
    dimension_values: dict[str, list[str]] = field(default_factory=dict)


def clean_filters(m: Measure, params: dict[str, str]) -> tuple[str, str, str]:
    """(level, dimension, value) from the query; InvalidInput naming the field when wrong."""
    level = params.get("level") or "month"
    if level not in LEVELS:
        raise InvalidInput(_("Period must be year, quarter or month."), field="level")
    chosen = [(d, params.get(d, "")) for d in DIMENSION_LABELS if params.get(d)]
    if len(chosen) > 1:
        raise InvalidInput(
            _(
                "Choose one filter among entity type, tier, field office, mode and visit kind at a time: "
                "values are stored per single dimension."
            ),
            field=chosen[1][0],
        )
    if chosen:
        dim, value = chosen[0]
        if dim not in dimensions_of(m):
            raise InvalidInput(
                _("%(dim)s does not apply to this measure.") % {"dim": DIMENSION_LABELS[dim]}, field=dim
            )
        return level, dim, value
    return level, "", ""


def series(user, measure_id: str, params: dict[str, str]) -> Series:
    require_reader(user)
    m = measure_or_404(measure_id)
    level, dim, value = clean_filters(m, params)
    pts = list(
        MeasureResult.objects.filter(
            measure_id=m.id, is_latest=True, dimension=dim, dimension_value=value, period_level=level
        )
        .select_related("run")
        .order_by("period")
    )
    values: dict[str, list[str]] = {}
    rows = (
        MeasureResult.objects.filter(measure_id=m.id, is_latest=True)
        .exclude(dimension="")
        .values_list("dimension", "dimension_value")
        .distinct()
    )
    for d, v in rows:
        values.setdefault(d, []).append(v)
    for d in values:
        values[d].sort()
    run = pts[-1].run if pts else None
    end = parse_period(pts[-1].period).last_day if pts else None
    return Series(m, level, dim, value, pts, run, staleness(run, end, m), values)


@dataclass
class DrillPage:
    measure: Measure
    period: str
    side: str
    dimension: str
    dimension_value: str
    columns: list[str]
    items: list[tuple]
    count: int
    limit: int
    offset: int
    result: MeasureResult | None

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < self.count

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def next_offset(self) -> int:
        return self.offset + self.limit

    @property
    def previous_offset(self) -> int:
        return max(0, self.offset - self.limit)

    @property
    def first_index(self) -> int:
        return self.offset + 1 if self.count else 0

    @property
    def last_index(self) -> int:
        return min(self.offset + self.limit, self.count)


def drill(
    user,
    measure_id: str,
    period: str,
    *,
    side: str = "numerator",
    dimension: str = "",
    value: str = "",
    limit: int | None = None,
    offset: int | None = None,
    max_limit: int | None = None,
) -> DrillPage:
    """The records behind a stored value, read again from the run's own inputs."""
    require_reader(user)
    m = measure_or_404(measure_id)
    if side not in ("numerator", "denominator"):
        raise InvalidInput(_("Side must be numerator or denominator."), field="side")
    try:
        p = parse_period(period)
    except PeriodError as exc:
        raise InvalidInput(str(exc), field="period") from None
    if dimension and dimension not in dimensions_of(m):
        raise InvalidInput(_("Unknown dimension for this measure."), field="dimension")
    result = (
        MeasureResult.objects.filter(
            measure_id=m.id, period=p.key, dimension=dimension, dimension_value=value, is_latest=True
        )
        .select_related("run")
        .first()
    )
    if result is None:
        raise NotFound(_("No stored value for this measure, period and filter."))
    if max_limit:
        lim, off = max(1, min(limit or max_limit, max_limit)), max(0, offset or 0)
    else:
        lim, off = clamp(limit, offset)
    d = drilldown(
        snapshot.inputs_from(result.run.inputs), m, p, side=side, dimension=dimension, dim_value=value,
        limit=lim, offset=off,
    )  # fmt: skip
    return DrillPage(m, p.key, side, dimension, value, d.columns, d.rows, d.count, lim, off, result)


# ---------------------------------------------------------------------------------------------------------
# Benefits statement


def _assumptions(params: dict[str, Any]) -> benefits_engine.Assumptions:
    kwargs: dict[str, Any] = {}
    for name, (lo, hi) in benefits_engine.BOUNDS.items():
        raw = params.get(name)
        if raw in (None, ""):
            continue
        try:
            v = float(raw)
        except (TypeError, ValueError):
            raise InvalidInput(_("%(f)s must be a number.") % {"f": name}, field=name) from None
        if not lo <= v <= hi:
            raise InvalidInput(
                _("%(f)s must be between %(lo)s and %(hi)s.") % {"f": name, "lo": f"{lo:g}", "hi": f"{hi:g}"},
                field=name,
            )
        kwargs[name] = v
    return benefits_engine.Assumptions(**kwargs)


def benefits_period_default() -> str:
    run = MetricsRun.objects.exclude(shipments_through=None).first()
    if run and run.shipments_through:
        return str(run.shipments_through.year)
    return str(timezone.localdate().year - 1)


def benefits(user, partner_id, params: dict[str, Any]) -> tuple[Any, benefits_engine.Statement]:
    """A member's statement: its own (trade) or any (measure readers); a foreign company is NotFound."""
    access = partner_for(user, partner_id)
    if user.staff_role and not permissions.can_read(user):
        raise NotFound()
    partner = access.partner
    text = params.get("period") or benefits_period_default()
    try:
        p = parse_period(text)
    except PeriodError as exc:
        raise InvalidInput(str(exc), field="period") from None
    a = _assumptions(params)
    from greenlane.partners.models import Identifier

    iors = list(
        Identifier.objects.filter(partner=partner, type__iexact="ior").values_list("value", flat=True)
    )
    files = snapshot.targeting_files()
    if files is None:
        st = benefits_engine.Statement(
            available=False,
            reason=_("No shipment data has been scored yet, so there is nothing to compare."),
            period=p.key,
        )
        return partner, st
    if partner.status != "certified":
        st = benefits_engine.Statement(
            available=False, reason=_("Benefits statements are for certified members."), period=p.key
        )
        return partner, st
    spec = {"targeting": files}
    con = connect()
    try:
        register(con, snapshot.inputs_from(spec))
        st = benefits_engine.statement(con, iors, p, a)
    finally:
        con.close()
    return partner, st


def export_job(user, job_id) -> ExportJob:
    require_reader(user)
    job = ExportJob.objects.filter(pk=job_id, requested_by=user).first()
    if job is None:
        raise NotFound()
    return job


def export_jobs(user, limit: int = 20) -> list[ExportJob]:
    require_reader(user)
    return list(ExportJob.objects.filter(requested_by=user)[:limit])


def source_title(m: Measure) -> str:
    return SOURCES[m.source].title
