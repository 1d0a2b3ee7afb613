"""Staff pages of validation planning: plans (compute, compare, accept, adjust, start a month), the selection
weights, and a partner's score with its reasons."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from greenlane.core.errors import DomainError
from greenlane.core.web import attempt, querystring_without, staff_only

from . import engine, forms, inputs, permissions, selectors, services
from .choices import PlanStatus
from .figures import side_by_side

TRIPS_SHOWN = 50


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@staff_only
def plans(request):
    page = selectors.plans(
        request.user, limit=_int(request.GET.get("limit")), offset=_int(request.GET.get("offset"))
    )
    form = forms.ComputeForm(
        initial={
            "year": inputs.next_year(),
            "time_limit": 20,
            "oversight_sample": 5,
            "sector_minimum": 1,
            "cross_office_share": 0,
        }
    )
    return render(
        request,
        "planning/plans.html",
        {
            "page": page,
            "form": form,
            "can_plan": permissions.can_plan(request.user),
            "querystring_base": querystring_without(request, "offset"),
        },
    )


@staff_only
@require_POST
def compute(request):
    form = forms.ComputeForm(request.POST)
    if form.is_valid():
        ok, plan = attempt(
            request, form, lambda: services.plan_compute(actor=request.user, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("The plan is being computed; this page shows its progress."))
            return redirect("planning:plan", plan.pk)
    status = 403 if not permissions.can_plan(request.user) else 200
    page = selectors.plans(request.user, limit=None, offset=None)
    return render(
        request,
        "planning/plans.html",
        {"page": page, "form": form, "can_plan": permissions.can_plan(request.user), "querystring_base": ""},
        status=status,
    )


@staff_only
def plan(request, pk):
    plan = selectors.plan_for(request.user, pk)
    filters = forms.EntryFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    default_method = (
        plan.method if plan.status in (PlanStatus.ACCEPTED, PlanStatus.SUPERSEDED) else "optimised"
    )
    method = data.get("method") or default_method
    entries = selectors.entries(
        plan,
        method=method,
        month=data.get("month"),
        limit=_int(request.GET.get("limit")),
        offset=_int(request.GET.get("offset")),
    )
    summary = plan.summary.get(method) or {}
    trips = [dict(t) for t in (summary.get("trip_list") or [])[:TRIPS_SHOWN]]
    names = {
        u.pk: u.display_name for u in get_user_model().objects.filter(pk__in={t["specialist"] for t in trips})
    }
    for t in trips:
        t["specialist_name"] = names.get(t["specialist"], f"#{t['specialist']}")
    return render(
        request,
        "planning/plan.html",
        {
            "plan": plan,
            "method": method,
            "figures": side_by_side(plan.summary),
            "summary": summary,
            "inputs": plan.summary.get("inputs") or {},
            "adjusted": (plan.summary.get(plan.method) or {}).get("adjustments") or 0,
            "as_computed": (plan.summary.get("as_computed") or {}).get(plan.method) or {},
            "load": selectors.load(plan, method) if plan.status != PlanStatus.COMPUTING else [],
            "trips": trips,
            "trip_count": len(summary.get("trip_list") or []),
            "entries": entries,
            "filters": filters,
            "adjustments": selectors.adjustments(plan, limit=25, offset=0),
            "months": range(1, 13),
            "can_plan": permissions.can_plan(request.user),
            "can_start": permissions.can_start(request.user),
            "querystring_base": querystring_without(request, "offset"),
            "ACCEPTED": PlanStatus.ACCEPTED,
            "DRAFT": PlanStatus.DRAFT,
            "COMPUTING": PlanStatus.COMPUTING,
        },
    )


@staff_only
@require_POST
def accept(request, pk):
    plan = selectors.plan_for(request.user, pk)
    method = request.POST.get("method", "")
    ok, _plan = attempt(
        request, None, lambda: services.plan_accept(actor=request.user, plan_id=plan.pk, method=method)
    )
    if ok:
        messages.success(
            request, _("Plan accepted. Adjust entries by hand below, then open each month's validations.")
        )
    return redirect("planning:plan", plan.pk)


@staff_only
@require_POST
def start_month(request, pk):
    plan = selectors.plan_for(request.user, pk)
    month = _int(request.POST.get("month"))
    ok, result = attempt(
        request, None, lambda: services.plan_month_start(actor=request.user, plan_id=plan.pk, month=month)
    )
    if ok:
        messages.success(
            request,
            ngettext("%(n)s validation opened.", "%(n)s validations opened.", result.created)
            % {"n": result.created},
        )
        for skipped in result.skipped[:10]:
            messages.warning(request, f"{skipped['partner']}: {skipped['message']}")
    return redirect("planning:plan", plan.pk)


@staff_only
def adjust(request, pk):
    entry = selectors.entry_for(request.user, pk)
    specialists = list(selectors.specialists())
    form = forms.AdjustForm(
        request.POST or None,
        specialists=specialists,
        initial={"specialist": str(entry.specialist_id), "month": entry.month},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            ok, _entry = attempt(
                request,
                form,
                lambda: services.entry_adjust(
                    actor=request.user,
                    entry_id=entry.pk,
                    specialist_id=int(form.cleaned_data["specialist"]),
                    month=form.cleaned_data["month"],
                    reason=form.cleaned_data["reason"],
                ),
            )
            if ok:
                messages.success(request, _("Entry moved; the change is in the adjustment log."))
                return redirect(reverse("planning:plan", args=[entry.plan_id]) + "#adjustments")
        if not permissions.can_plan(request.user):
            status = 403
    return render(
        request,
        "planning/adjust.html",
        {"entry": entry, "form": form, "can_plan": permissions.can_plan(request.user)},
        status=status,
    )


@staff_only
def weights(request):
    current = selectors.current_weights()
    data = selectors.current_weights_data()
    form = forms.WeightsForm(request.POST or None, initial_weights=data)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            ok, _w = attempt(
                request,
                form,
                lambda: services.weights_update(
                    actor=request.user, data={**data, **form.weights()}, reason=form.cleaned_data["reason"]
                ),
            )
            if ok:
                messages.success(request, _("New weights saved; plans computed from now on use them."))
                return redirect("planning:weights")
        if not permissions.can_plan(request.user):
            status = 403
    history = selectors.weights_history(
        request.user, limit=_int(request.GET.get("limit")), offset=_int(request.GET.get("offset"))
    )
    return render(
        request,
        "planning/weights.html",
        {
            "form": form,
            "current": current,
            "data": data,
            "page": history,
            "labels": forms.FACTOR_LABELS,
            "can_plan": permissions.can_plan(request.user),
            "querystring_base": querystring_without(request, "offset"),
        },
        status=status,
    )


@staff_only
def score(request, pid):
    partner = selectors.partner_for_score(request.user, pid)
    year = _int(request.GET.get("year")) or inputs.next_year()
    if not 2000 <= year <= 2100:
        year = inputs.next_year()
    scored = inputs.partner_score(partner.pk, year=year)
    if scored is None:
        raise Http404()
    return render(
        request,
        "planning/score.html",
        {
            "partner": partner,
            "scored": scored,
            "year": year,
            "labels": forms.FACTOR_LABELS,
            "weights": selectors.current_weights(),
        },
    )


def _year(value) -> int:
    year = _int(value)
    return year if year is not None and 2000 <= year <= 2100 else inputs.next_year()


@staff_only
def availability(request):
    """Specialists x months of hours available for validations in a year; editors change cells with a reason."""
    year = _year(request.GET.get("year") or request.POST.get("year"))
    office = _int(request.GET.get("office"))
    grid = selectors.availability_grid(
        request.user,
        year,
        office=office,
        limit=_int(request.GET.get("limit")),
        offset=_int(request.GET.get("offset")),
    )
    can_edit = permissions.can_edit_availability(request.user)
    errors: list[dict] = []
    posted: dict[str, str] = {}
    reason = ""
    status = 200
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        changes = []
        for row in grid.items:
            for month, hours, _set in row.cells:
                key = f"h-{row.specialist.pk}-{month}"
                raw = request.POST.get(key)
                if raw is None:
                    continue
                posted[key] = raw.strip()
                if posted[key] != str(hours):
                    changes.append({"specialist_id": row.specialist.pk, "month": month, "hours": posted[key]})
        if not can_edit:
            status = 403
            errors = [{"field": "", "message": _("Your role cannot set specialists' hours.")}]
        elif not changes:
            messages.info(request, _("Nothing changed: every month already has those hours."))
            return redirect(request.get_full_path())
        else:
            try:
                saved = services.availability_update(
                    actor=request.user, year=year, changes=changes, reason=reason
                )
            except DomainError as exc:
                errors = exc.errors or [{"field": exc.field or "", "message": exc.message}]
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)s month changed; the change is in the audit log.",
                        "%(n)s months changed; the changes are in the audit log.",
                        len(saved),
                    )
                    % {"n": len(saved)},
                )
                return redirect(request.get_full_path())
    cell_errors = {e["field"]: e["message"] for e in errors if (e.get("field") or "").startswith("h-")}
    table = [
        {
            "specialist": row.specialist,
            "total": row.total,
            "cells": [
                {
                    "key": f"h-{row.specialist.pk}-{month}",
                    "month": month,
                    "value": posted.get(f"h-{row.specialist.pk}-{month}", hours),
                    "set": is_set,
                    "error": cell_errors.get(f"h-{row.specialist.pk}-{month}", ""),
                }
                for month, hours, is_set in row.cells
            ],
        }
        for row in grid.items
    ]
    return render(
        request,
        "planning/availability.html",
        {
            "year": year,
            "years": range(year - 1, year + 3),
            "office": office,
            "offices": selectors.specialist_offices(),
            "page": grid,
            "months": range(1, 13),
            "can_edit": can_edit,
            "errors": errors,
            "table": table,
            "reason": reason,
            "standard": engine.STANDARD_MONTHLY_HOURS,
            "maximum": services.MAX_HOURS_PER_MONTH,
            "querystring_base": querystring_without(request, "offset"),
        },
        status=status,
    )
