"""Best-practice pages: the catalog (members and staff), a company's submissions, the staff review queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlane.core.web import attempt, querystring_without, staff_only
from greenlane.partners.selectors import partner_for

from . import forms, permissions
from . import practice_selectors as selectors
from . import practice_services as services
from .choices import PracticeStatus
from .web import paging, signed_in


def _filter(request, *, status: str = "") -> tuple[forms.PracticeFilterForm, selectors.PracticeFilter]:
    form = forms.PracticeFilterForm(request.GET or None, categories=selectors.categories())
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.PracticeFilter(
        q=data.get("q", ""),
        category=data.get("category"),
        naics_sector=data.get("naics_sector", ""),
        size_band=data.get("size_band", ""),
        status=status,
    )


@signed_in
def catalog(request):
    form, criteria = _filter(request)
    limit, offset = paging(request)
    return render(
        request,
        "community/practices.html",
        {
            "section": "practices",
            "form": form,
            "page": selectors.catalog(request.user, criteria, limit=limit, offset=offset),
            "querystring_base": querystring_without(request, "offset"),
        },
    )


@signed_in
def practice(request, practice_id):
    return render(
        request,
        "community/practice.html",
        {"section": "practices", "practice": selectors.practice_for(request.user, practice_id)},
    )


def _member(request, pid):
    if request.user.staff_role:
        raise Http404()
    return partner_for(request.user, pid)


@signed_in
def company_practices(request, pid):
    access = _member(request, pid)
    form = forms.PracticeForm(request.POST or None, categories=selectors.categories())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _created = attempt(
            request,
            form,
            lambda: services.practice_submit(
                actor=request.user,
                partner_id=access.partner.pk,
                title=data["title"],
                description=data["description"],
                category=data["category"],
                criterion_codes=data["criteria"],
                naics_sector=data["naics_sector"],
            ),
        )
        if ok:
            messages.success(
                request, _("Submitted for review. Staff approve practices before members see them.")
            )
            return redirect("community:company_practices", access.partner.pk)
    return render(
        request,
        "community/company_practices.html",
        {
            "access": access,
            "partner": access.partner,
            "form": form,
            "items": selectors.company_practices(access),
            "may_submit": access.role in permissions.PRACTICE_SUBMITTERS
            and access.partner.status in permissions.MEMBER_STATUSES,
            "is_officer": access.role == "company_officer",
        },
    )


@signed_in
@require_POST
def company_consent(request, pid, practice_id):
    access = _member(request, pid)
    consent = request.POST.get("consent") == "yes"
    ok, _p = attempt(
        request,
        None,
        lambda: services.practice_consent(
            actor=request.user, partner_id=access.partner.pk, practice_id=practice_id, consent=consent
        ),
    )
    if ok:
        messages.success(
            request,
            _("The catalog now names your company on this practice.")
            if consent
            else _("The catalog shows this practice without your company's name."),
        )
    return redirect("community:company_practices", access.partner.pk)


@signed_in
@require_POST
def company_withdraw(request, pid, practice_id):
    access = _member(request, pid)
    ok, _p = attempt(
        request,
        None,
        lambda: services.practice_withdraw(
            actor=request.user,
            partner_id=access.partner.pk,
            practice_id=practice_id,
            reason=request.POST.get("reason", ""),
        ),
    )
    if ok:
        messages.success(request, _("Practice withdrawn."))
    return redirect("community:company_practices", access.partner.pk)


# Staff ---------------------------------------------------------------------------------------------------


@staff_only
def review_queue(request):
    status = request.GET.get("status", PracticeStatus.SUBMITTED)
    if status not in PracticeStatus.values:
        status = ""
    form, criteria = _filter(request, status=status)
    limit, offset = paging(request)
    return render(
        request,
        "community/review_queue.html",
        {
            "form": form,
            "status": status,
            "statuses": PracticeStatus.choices,
            "page": selectors.review_queue(request.user, criteria, limit=limit, offset=offset),
            "querystring_base": querystring_without(request, "offset"),
            "can_author": permissions.can_author_practice(request.user),
        },
    )


@staff_only
def review(request, practice_id):
    return render(
        request,
        "community/review.html",
        {
            "practice": selectors.practice_for(request.user, practice_id),
            "form": forms.PracticeDecisionForm(),
            "can_decide": permissions.can_approve_practice(request.user),
        },
    )


@staff_only
@require_POST
def decide(request, practice_id):
    if not permissions.can_approve_practice(request.user):
        raise PermissionDenied
    form = forms.PracticeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("community:review", practice_id)
    decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
    if decision == PracticeStatus.WITHDRAWN:
        ok, _p = attempt(
            request,
            None,
            lambda: services.practice_withdraw(actor=request.user, practice_id=practice_id, reason=note),
        )
    else:
        ok, _p = attempt(
            request,
            None,
            lambda: services.practice_decide(
                actor=request.user, practice_id=practice_id, decision=decision, note=note
            ),
        )
    if ok:
        messages.success(request, _("Decision recorded."))
        return redirect("community:review_queue")
    return redirect("community:review", practice_id)


@staff_only
def staff_new(request):
    if request.method == "POST" and not permissions.can_author_practice(request.user):
        raise PermissionDenied
    form = forms.StaffPracticeForm(request.POST or None, categories=selectors.categories())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, created = attempt(
            request,
            form,
            lambda: services.practice_submit(
                actor=request.user,
                partner_id=data["partner_id"],
                validation_id=data["validation_id"],
                title=data["title"],
                description=data["description"],
                category=data["category"],
                criterion_codes=data["criteria"],
                naics_sector=data["naics_sector"],
            ),
        )
        if ok:
            messages.success(request, _("Recorded; it waits in the review queue."))
            return redirect("community:review", created.pk)
    return render(
        request,
        "community/staff_practice_new.html",
        {"form": form, "can_author": permissions.can_author_practice(request.user)},
    )
