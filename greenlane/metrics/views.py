"""Performance measures pages (staff), the FAST simulation page, exports and the benefits statement."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlane.core.errors import DomainError, Forbidden, InvalidInput
from greenlane.core.web import querystring_without, staff_only, trade_only

from . import charts, exports, forms, permissions, selectors, services
from .engine import fast
from .engine.sources import DIMENSION_LABELS


def _reader(request) -> None:
    if not permissions.can_read(request.user):
        raise PermissionDenied


def _download(data: bytes, fmt: str, name: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=exports.CONTENT_TYPES[fmt])
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


@staff_only
def dashboard(request):
    _reader(request)
    period = request.GET.get("period") or None
    try:
        period, rows, run = selectors.overview(request.user, period)
    except InvalidInput as exc:
        messages.error(request, exc.message)
        period, rows, run = selectors.overview(request.user, None)
    end = None
    if period:
        end = selectors.parse_period(period).last_day
    return render(
        request,
        "metrics/dashboard.html",
        {
            "period": period,
            "rows": rows,
            "run": run,
            "stale": selectors.staleness(run, end),
            "years": selectors.periods("year"),
            "quarters": selectors.periods("quarter"),
            "can_compute": permissions.can_compute(request.user),
            "compute_form": forms.ComputeForm(initial={"period": period or "", "take_snapshot": True}),
            "plan_form": forms.PlanForm(initial={"year": (period or "")[:4] or None}),
        },
    )


@staff_only
def dashboard_export(request, fmt):
    _reader(request)
    try:
        data = exports.render(exports.measures_table(request.user, request.GET.get("period") or None), fmt)
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect("metrics:dashboard")
    return _download(data, fmt, f"measures.{fmt}")


@staff_only
@require_POST
def compute(request):
    form = forms.ComputeForm(request.POST)
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect("metrics:dashboard")
    try:
        run = services.run_compute(
            actor=request.user,
            period=form.cleaned_data["period"],
            take_snapshot=form.cleaned_data["take_snapshot"],
        )
    except Forbidden:
        raise PermissionDenied from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("metrics:dashboard")
    messages.success(
        request, _("Measures computed for %(p)s: %(n)d values.") % {"p": run.period, "n": run.result_count}
    )
    return redirect(reverse("metrics:dashboard") + f"?period={run.period}")


@staff_only
def measure(request, measure_id):
    _reader(request)
    m = selectors.measure_or_404(measure_id)
    error = None
    try:
        s = selectors.series(request.user, measure_id, request.GET.dict())
    except InvalidInput as exc:
        error = exc
        s = selectors.series(
            request.user,
            measure_id,
            {
                "level": request.GET.get("level", "month")
                if request.GET.get("level") in selectors.LEVELS
                else "month"
            },
        )
    title = m.name + (f" — {DIMENSION_LABELS[s.dimension]}: {s.dimension_value}" if s.dimension else "")
    return render(
        request,
        "metrics/measure.html",
        {
            "m": m,
            "s": s,
            "error": error,
            "spec": charts.series_spec(m, s.points, title),
            "title": title,
            "dimension_choices": [
                (d, DIMENSION_LABELS[d], s.dimension_values.get(d, [])) for d in selectors.dimensions_of(m)
            ],
            "levels": selectors.LEVELS,
            "source_title": selectors.source_title(m),
            "querystring": request.GET.urlencode(),
        },
        status=422 if error else 200,
    )


@staff_only
def measure_export(request, measure_id, fmt):
    _reader(request)
    selectors.measure_or_404(measure_id)
    try:
        data = exports.render(exports.values_table(request.user, measure_id, request.GET.dict()), fmt)
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect("metrics:measure", measure_id=measure_id)
    return _download(data, fmt, f"{measure_id}.{fmt}")


@staff_only
def drill(request, measure_id):
    _reader(request)
    selectors.measure_or_404(measure_id)
    g = request.GET
    try:
        page = selectors.drill(
            request.user, measure_id, g.get("period", ""), side=g.get("side", "numerator"),
            dimension=g.get("dimension", ""), value=g.get("value", ""),
            limit=_int(g.get("limit")), offset=_int(g.get("offset")),
        )  # fmt: skip
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect("metrics:measure", measure_id=measure_id)
    return render(
        request,
        "metrics/drill.html",
        {
            "page": page,
            "m": page.measure,
            "querystring_base": querystring_without(request, "offset"),
            "other_side": "denominator" if page.side == "numerator" else "numerator",
            "dimension_label": DIMENSION_LABELS.get(page.dimension, ""),
            "formats": list(exports.ROW_LIMITS.items()),
        },
    )


def _int(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


@staff_only
@require_POST
def export_create(request):
    _reader(request)
    p = request.POST
    kind = p.get("kind", "")
    params = {
        k: p.get(k, "") for k in ("measure_id", "period", "side", "dimension", "value", "year", "level")
    }
    try:
        job = services.export_request(actor=request.user, kind=kind, params=params, fmt=p.get("fmt", ""))
    except Forbidden:
        raise PermissionDenied from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(request.POST.get("back") or reverse("metrics:dashboard"))
    return redirect("metrics:export", job_id=job.pk)


@staff_only
def export_detail(request, job_id):
    _reader(request)
    job = selectors.export_job(request.user, job_id)
    return render(request, "metrics/export.html", {"job": job, "jobs": selectors.export_jobs(request.user)})


@staff_only
def export_download(request, job_id):
    _reader(request)
    job = selectors.export_job(request.user, job_id)
    if job.status != "done" or not job.file_path or not Path(job.file_path).is_file():
        raise Http404
    return FileResponse(open(job.file_path, "rb"), as_attachment=True, filename=job.file_name)


@staff_only
def fast_lane(request):
    _reader(request)
    result = None
    form = forms.FastForm(request.POST or None, initial=fast.FastParams().__dict__)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = fast.simulate(fast.FastParams(**form.cleaned_data))
            except ValueError as exc:  # e.g. no FAST truck at all with these parameters
                form.add_error(None, str(exc))
        if form.errors:
            status = 422
    latest = selectors.overview(request.user, None)
    fast_row = next((r for r in latest[1] if r.measure.id == "fast_time_savings"), None)
    return render(
        request, "metrics/fast.html", {"form": form, "result": result, "fast_row": fast_row}, status=status
    )


def _benefits_context(request, pid):
    form = forms.BenefitsForm(request.GET or None)
    params = {}
    if form.is_bound and form.is_valid():
        params = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    partner, st = selectors.benefits(request.user, pid, params)
    return {"form": form, "partner": partner, "st": st, "rows": exports.benefits_rows(st), "params": params}


@trade_only
def company_benefits(request, pid):
    ctx = _benefits_context(request, pid)
    return render(request, "metrics/benefits.html", {**ctx, "staff_view": False})


@trade_only
def company_benefits_pdf(request, pid):
    ctx = _benefits_context(request, pid)
    return _download(exports.benefits_pdf(ctx["partner"], ctx["st"]), "pdf", "benefits-statement.pdf")


@staff_only
def staff_benefits(request, pid):
    _reader(request)
    ctx = _benefits_context(request, pid)
    return render(request, "metrics/benefits.html", {**ctx, "staff_view": True})


@staff_only
def staff_benefits_pdf(request, pid):
    _reader(request)
    ctx = _benefits_context(request, pid)
    return _download(exports.benefits_pdf(ctx["partner"], ctx["st"]), "pdf", "benefits-statement.pdf")
