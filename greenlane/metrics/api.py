"""/api/v1/metrics: measures, stored values, drill-downs, benefits statements, FAST simulation, exports."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from ninja import Query, Router, Schema

from greenlane.core.errors import InvalidInput

from . import selectors, services
from .engine import dimensions_of, fast
from .engine.compute import drill_sql, parse_period
from .schemas import (
    BenefitsOut,
    DrillOut,
    ExportIn,
    ExportOut,
    FastIn,
    FastOut,
    MeasureListOut,
    SeriesOut,
)

router = Router(tags=["Performance measures"])


def _measure(m) -> dict[str, Any]:
    p = parse_period("2000")
    num, _ = drill_sql(m, p, "numerator")
    den, _ = drill_sql(m, p, "denominator")
    strip = "on_day >= DATE '2000-01-01' AND on_day < DATE '2001-01-01' AND "
    return {
        "id": m.id, "name": m.name, "definition": m.definition, "seed_measure": m.seed_measure,
        "source": m.source, "unit": m.unit, "kind": m.kind, "numerator_label": m.numerator_label,
        "denominator_label": m.denominator_label, "dimensions": list(dimensions_of(m)),
        "numerator_sql": num.replace(strip, ""), "denominator_sql": den.replace(strip, ""),
    }  # fmt: skip


def _value(r) -> dict[str, Any]:
    return {
        "measure_id": r.measure_id, "period": r.period, "period_level": r.period_level,
        "dimension": r.dimension, "dimension_value": r.dimension_value, "value": r.value,
        "numerator": r.numerator, "denominator": r.denominator, "no_data_reason": r.no_data_reason,
        "snapshot_at": r.snapshot_at, "computed_at": r.computed_at, "run_id": r.run_id,
    }  # fmt: skip


class ListQuery(Schema):
    period: str = ""


@router.get("/measures", response=MeasureListOut, summary="Every measure with its stored value for a period")
def list_measures(request, q: Query[ListQuery]):
    if q.period:
        services.period_or_error(q.period)
    period, rows, run = selectors.overview(request.auth, q.period or None)
    end = parse_period(period).last_day if period else None
    return {
        "period": period,
        "stale": selectors.staleness(run, end),
        "items": [
            {"measure": _measure(r.measure), "latest": _value(r.result) if r.result else None} for r in rows
        ],
    }


class ValuesQuery(Schema):
    level: str = "month"
    mode: str = ""
    tier: str = ""
    entity_type: str = ""
    field_office: str = ""
    visit_kind: str = ""
    port: str = ""


@router.get(
    "/measures/{measure_id}/values", response=SeriesOut, summary="A measure's stored values over time"
)
def measure_values(request, measure_id: str, q: Query[ValuesQuery]):
    s = selectors.series(request.auth, measure_id, {k: v for k, v in q.dict().items() if v})
    return {
        "measure": _measure(s.measure), "level": s.level, "dimension": s.dimension,
        "dimension_value": s.dimension_value, "stale": s.stale, "items": [_value(p) for p in s.points],
    }  # fmt: skip


class DrillQuery(Schema):
    period: str
    side: str = "numerator"
    dimension: str = ""
    value: str = ""
    limit: int = 25
    offset: int = 0


@router.get(
    "/measures/{measure_id}/records", response=DrillOut, summary="The records behind one value (paged)"
)
def measure_records(request, measure_id: str, q: Query[DrillQuery]):
    page = selectors.drill(
        request.auth, measure_id, q.period, side=q.side, dimension=q.dimension, value=q.value,
        limit=q.limit, offset=q.offset,
    )  # fmt: skip
    return {
        "measure_id": measure_id, "period": page.period, "side": page.side, "dimension": page.dimension,
        "dimension_value": page.dimension_value, "columns": page.columns,
        "items": [[_json(v) for v in row] for row in page.items], "count": page.count,
        "limit": page.limit, "offset": page.offset,
    }  # fmt: skip


def _json(v: Any) -> Any:
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


class BenefitsQuery(Schema):
    period: str = ""
    exam_cost_usd: float | None = None
    document_review_cost_usd: float | None = None
    delay_cost_usd_per_hour: float | None = None


@router.get("/partners/{partner_id}/benefits", response=BenefitsOut, summary="A member's benefits statement")
def benefits(request, partner_id: int, q: Query[BenefitsQuery]):
    params = {k: v for k, v in q.dict().items() if v not in (None, "")}
    partner, st = selectors.benefits(request.auth, partner_id, params)
    d = st.as_dict()
    d.pop("member_shipments", None)
    d.pop("cells", None)
    return {"partner_id": partner.pk, **d}


@router.post("/fast-lane/simulate", response=FastOut, summary="Run the FAST lane simulation")
def fast_simulate(request, payload: FastIn):
    selectors.require_reader(request.auth)
    params = fast.FastParams(**payload.dict())
    errors = fast.check(params)
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    try:
        return fast.simulate(params).as_dict()
    except ValueError as exc:
        raise InvalidInput(str(exc), field="arrivals_per_hour") from None


def _job(job) -> dict[str, Any]:
    url = reverse("metrics:export_download", args=[job.pk]) if job.status == "done" else None
    return {
        "id": job.pk, "kind": job.kind, "fmt": job.fmt, "status": job.status, "progress": job.progress,
        "rows": job.rows, "file_name": job.file_name, "error": job.error, "created_at": job.created_at,
        "finished_at": job.finished_at, "download_url": url,
    }  # fmt: skip


@router.post(
    "/exports", response={201: ExportOut}, summary="Start an export (CSV, XLSX or PDF) in the background"
)
def export_create(request, payload: ExportIn):
    data = payload.dict()
    kind, fmt = data.pop("kind"), data.pop("fmt")
    job = services.export_request(actor=request.auth, kind=kind, params=data, fmt=fmt)
    job.refresh_from_db()
    return 201, _job(job)


@router.get("/exports/{job_id}", response=ExportOut, summary="An export's status and progress")
def export_get(request, job_id: int):
    return _job(selectors.export_job(request.auth, job_id))
