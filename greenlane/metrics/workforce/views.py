"""The workforce plan page (supervisors, program managers, auditors, administrators) and its exports."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from greenlane.core.errors import Forbidden
from greenlane.core.web import staff_only

from . import exports, forms, selectors


def _plan(request):
    form = forms.PlanForm(request.GET or None)
    return form, selectors.workforce_plan_for(request.user, **form.parameters())


@staff_only
def plan(request):
    try:
        form, data = _plan(request)
    except Forbidden:
        return render(request, "workforce/forbidden.html", status=403)
    offices = sorted({r["office"] for r in data["offices"]})
    return render(
        request,
        "workforce/plan.html",
        {
            "form": form,
            "plan": data,
            "by_office": [(o, [r for r in data["offices"] if r["office"] == o]) for o in offices],
            "querystring": request.GET.urlencode(),
        },
    )


@staff_only
def export(request, fmt):
    try:
        _form, data = _plan(request)
    except Forbidden:
        return render(request, "workforce/forbidden.html", status=403)
    year = data["parameters"]["start_year"]
    if fmt == "xlsx":
        response = HttpResponse(
            exports.plan_xlsx(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.plan_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="workforce-plan-{year}.{fmt}"'
    return response
