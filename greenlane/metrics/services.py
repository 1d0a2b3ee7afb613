"""Writes: snapshots, compute runs (stored results), crossing-time imports and export jobs."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from greenlane.audit.services import record_event
from greenlane.core.errors import Forbidden, InvalidInput

from . import permissions, snapshot
from .engine import MEASURES, PeriodError, compute, parse_period
from .engine.compute import connect, data_extent
from .engine.crossings import CrossingsError, import_crossings
from .models import ExportJob, MeasureResult, MetricsRun

EXPORT_FORMATS = ("csv", "xlsx", "pdf")


def _require_compute(actor) -> None:
    if actor is not None and not permissions.can_compute(actor):
        raise Forbidden("Only program managers and system administrators compute the measures.")


def period_or_error(text: str, field: str = "period"):
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise InvalidInput(str(exc), field=field) from None


def snapshot_take(*, actor) -> snapshot.SnapshotInfo:
    _require_compute(actor)
    info = snapshot.take_snapshot()
    record_event(
        actor=actor,
        action="metrics.snapshot",
        summary=f"Portal snapshot for the measures: {sum(info.rows.values())} rows",
        after={"path": info.path, "rows": info.rows},
    )
    return info


def run_inputs(*, snapshot_dir: str | None) -> dict[str, Any]:
    crossings = snapshot.crossings_path()
    return {
        "snapshot_dir": snapshot_dir or "",
        "targeting": snapshot.targeting_files() or {},
        "crossings_path": str(crossings) if crossings.exists() else "",
    }


def run_compute(*, actor, period: str, take_snapshot: bool = False) -> MetricsRun:
    """Compute every measure for the period (and its quarters and months) and store the results."""
    _require_compute(actor)
    p = period_or_error(period)
    info = snapshot.take_snapshot() if take_snapshot else snapshot.latest_snapshot()
    spec = run_inputs(snapshot_dir=info.path if info else None)
    inputs = snapshot.inputs_from(spec)
    t0 = time.perf_counter()
    con = connect()
    try:
        results = compute(inputs, p, MEASURES, con=con)
        extent = data_extent(inputs, con=con)
    finally:
        con.close()
    seconds = time.perf_counter() - t0
    through = extent["shipments"]["last"]
    with transaction.atomic():
        run = MetricsRun.objects.create(
            period=p.key,
            snapshot_dir=info.path if info else "",
            snapshot_at=info.created_at if info else None,
            shipments_through=through,
            shipments_source=(spec["targeting"] or {}).get("scored_path", ""),
            crossings_source=spec["crossings_path"],
            inputs=spec,
            seconds=round(seconds, 3),
            computed_by=actor if getattr(actor, "pk", None) else None,
        )
        keys = {r.period for r in results}
        MeasureResult.objects.filter(period__in=keys, is_latest=True).update(is_latest=False)
        now = timezone.now()
        MeasureResult.objects.bulk_create(
            [
                MeasureResult(
                    run=run,
                    measure_id=r.measure_id,
                    period=r.period,
                    period_level=r.period_level,
                    dimension=r.dimension,
                    dimension_value=str(r.dimension_value)[:80],
                    numerator=r.numerator,
                    denominator=r.denominator,
                    value=r.value,
                    no_data_reason=r.no_data_reason[:200],
                    snapshot_at=run.snapshot_at,
                    computed_at=now,
                )
                for r in results
            ],
            batch_size=1000,
        )
        run.result_count = len(results)
        run.save(update_fields=["result_count"])
        record_event(
            actor=actor,
            action="metrics.compute",
            obj=run,
            summary=f"Measures computed for {p.key}: {len(results)} values",
            after={"period": p.key, "results": len(results), "snapshot_at": run.snapshot_at},
        )
    return run


def crossings_import(*, actor, path: str | Path) -> dict[str, Any]:
    _require_compute(actor)
    try:
        summary = import_crossings(path, snapshot.crossings_path())
    except CrossingsError as exc:
        raise InvalidInput(str(exc), field="file") from None
    record_event(
        actor=actor,
        action="metrics.crossings_import",
        summary=f"Crossing times imported: {summary.imported} rows, {summary.rejected} rejected",
        after={"imported": summary.imported, "rejected": summary.rejected},
    )
    return summary.__dict__


def export_request(*, actor, kind: str, params: dict[str, Any], fmt: str) -> ExportJob:
    """Queue an export; refused at once (nothing stored) if the format, the kind or the size is wrong."""
    from . import exports, selectors, tasks

    selectors.require_reader(actor)
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput("Format must be csv, xlsx or pdf.", field="fmt")
    table_rows = exports.count_rows(actor, kind, params)  # raises InvalidInput for bad params
    limit = exports.row_limit(fmt)
    if table_rows > limit:
        raise InvalidInput(
            f"This export has {table_rows:,} rows; the limit for {fmt.upper()} is {limit:,} rows. "
            "Narrow the period or the filter.",
            field="fmt",
        )
    with transaction.atomic():
        job = ExportJob.objects.create(requested_by=actor, kind=kind, params=params, fmt=fmt, rows=table_rows)
        record_event(actor=actor, action="metrics.export", obj=job, summary=f"Export {kind} as {fmt}")
        transaction.on_commit(lambda: tasks.run_export.enqueue(job.pk))
    return job


def export_run(job_id: int) -> None:
    """Body of the background task: write the file, updating progress as it goes."""
    from . import exports

    job = ExportJob.objects.get(pk=job_id)
    job.status, job.progress = "running", 1
    job.save(update_fields=["status", "progress"])

    def progress(pct: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(progress=max(1, min(99, pct)))

    try:
        path, name = exports.write_job_file(job, progress)
    except Exception as exc:  # recorded on the job, shown on its page
        ExportJob.objects.filter(pk=job_id).update(
            status="failed", error=str(exc)[:400], finished_at=dt.datetime.now(dt.UTC)
        )
        return
    ExportJob.objects.filter(pk=job_id).update(
        status="done", progress=100, file_path=str(path), file_name=name, finished_at=dt.datetime.now(dt.UTC)
    )
