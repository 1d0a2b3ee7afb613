"""Program staff workspace: search partners, open one, assign a specialist, move it through review."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlane.accounts.choices import StaffRole
from greenlane.accounts.models import FieldOffice, User
from greenlane.audit import selectors as audit_selectors
from greenlane.core.transitions import allowed_targets
from greenlane.core.web import attempt, querystring_without, staff_only

from . import forms, permissions, selectors, services
from .choices import TRANSITIONS
from .models import AgreementVersion
from .readiness import checklist

TABS = ("business", "entity", "sites", "contacts", "history")


def _specialists():
    return list(
        User.objects.filter(is_active=True, staff_role__in=[StaffRole.SCS, StaffRole.SUPERVISORY_SCS])
        .select_related("field_office")
        .order_by("full_name", "email")
    )


def _manual_targets(status: str) -> list[str]:
    return sorted(
        t for t in allowed_targets(TRANSITIONS, status) if (status, t) not in services.LIFECYCLE_PAIRS
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@staff_only
def partner_search(request):
    specialists = _specialists()
    form = forms.SearchForm(
        request.GET or None, offices=FieldOffice.objects.order_by("name"), specialists=specialists
    )
    data = form.cleaned_data if form.is_valid() else {}
    scs = data.get("assigned_scs") or ""
    criteria = selectors.PartnerSearch(
        q=data.get("q", ""),
        status=data.get("status", ""),
        entity_type=data.get("entity_type", ""),
        country=data.get("country", ""),
        field_office=_int(data.get("field_office")),
        assigned_scs=_int(scs),
        unassigned=scs == "none",
    )
    page = selectors.search_partners(
        request.user, criteria, limit=_int(request.GET.get("limit")), offset=_int(request.GET.get("offset"))
    )
    return render(
        request,
        "partners/staff/search.html",
        {
            "form": form,
            "page": page,
            "querystring_base": querystring_without(request, "offset"),
        },
    )


@staff_only
def partner_detail(request, pk):
    access = selectors.partner_detail(request.user, pk)
    partner = access.partner
    tab = request.GET.get("tab", "business")
    if tab not in TABS:
        tab = "business"
    ctx = {
        "partner": partner,
        "tab": tab,
        "tabs": TABS,
        "can_operate": permissions.can_operate(request.user),
        "can_assign": permissions.can_assign(request.user),
        "transition_form": forms.TransitionForm(allowed=_manual_targets(partner.status)),
        "assign_form": forms.AssignForm(
            specialists=_specialists(), initial={"scs": str(partner.assigned_scs_id or "")}
        ),
        "steps": checklist(
            partner, current_agreement=AgreementVersion.objects.filter(is_current=True).first()
        ),
    }
    if tab == "history":
        ctx["page"] = audit_selectors.partner_events(
            access, limit=_int(request.GET.get("limit")), offset=_int(request.GET.get("offset"))
        )
        ctx["querystring_base"] = querystring_without(request, "offset")
    return render(request, "partners/staff/detail.html", ctx)


@staff_only
@require_POST
def partner_transition(request, pk):
    access = selectors.partner_for(request.user, pk)
    form = forms.TransitionForm(request.POST, allowed=_manual_targets(access.partner.status))
    if form.is_valid():
        ok, partner = attempt(
            request,
            None,
            lambda: services.partner_transition(
                actor=request.user,
                partner_id=pk,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if ok:
            messages.success(request, _("Status changed to %(s)s.") % {"s": partner.get_status_display()})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("staff:partner_detail", pk)


@staff_only
@require_POST
def partner_assign(request, pk):
    form = forms.AssignForm(request.POST, specialists=_specialists())
    if form.is_valid():
        scs_id = _int(form.cleaned_data["scs"])
        ok, _p = attempt(
            request,
            None,
            lambda: services.partner_assign_scs(
                actor=request.user, partner_id=pk, scs_id=scs_id, reason=form.cleaned_data["reason"]
            ),
        )
        if ok:
            messages.success(request, _("Specialist assignment saved."))
    else:
        messages.error(request, _("Choose a specialist from the list."))
    return redirect("staff:partner_detail", pk)
