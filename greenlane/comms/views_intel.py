"""Threat assessment pages: the audience's list and reading page (each opening logged), the access log,
the analyst's compose, publish and withdraw. Outside the audience everything is 404."""

from __future__ import annotations

import re

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlane.core.errors import DomainError, Forbidden, NotFound
from greenlane.core.web import attempt, querystring_without, staff_only
from greenlane.partners.models import Partner

from . import forms, permissions, services
from .choices import AssessmentStatus
from .models import HandlingMarking
from .selectors import assessments as selectors


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _visible_or_404(fn):
    def wrapper(request, *args, **kwargs):
        try:
            return fn(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return login_required(wrapper)


@_visible_or_404
def assessment_list(request):
    q = request.GET.get("q", "")[:200]
    marking = request.GET.get("marking", "")[:40]
    page = selectors.assessments_page(
        request.user,
        q=q,
        marking=marking,
        limit=_int(request.GET.get("limit")),
        offset=_int(request.GET.get("offset")),
    )
    return render(
        request,
        "comms/assessments.html",
        {
            "page": page,
            "q": q,
            "marking": marking,
            "markings": HandlingMarking.objects.order_by("rank"),
            "can_author": permissions.can_author_assessments(request.user),
            "querystring_base": querystring_without(request, "offset"),
        },
    )


@_visible_or_404
def assessment_detail(request, aid):
    assessment = selectors.assessment_for(request.user, aid)
    services.assessment_opened(actor=request.user, assessment=assessment)
    return render(
        request,
        "comms/assessment.html",
        {
            "a": assessment,
            "can_see_log": selectors.can_see_log(request.user, assessment),
            "can_edit": selectors.can_edit(request.user, assessment),
            "audience_partners": selectors.audience_partners(assessment)
            if selectors.can_see_log(request.user, assessment)
            else [],
            "reason_form": forms.ReasonForm(),
            "DRAFT": AssessmentStatus.DRAFT,
            "PUBLISHED": AssessmentStatus.PUBLISHED,
        },
    )


@_visible_or_404
def assessment_log(request, aid):
    assessment, page = selectors.access_log(
        request.user, aid, limit=_int(request.GET.get("limit")), offset=_int(request.GET.get("offset"))
    )
    return render(
        request,
        "comms/assessment_log.html",
        {"a": assessment, "page": page, "querystring_base": querystring_without(request, "offset")},
    )


def _partner_ids(text: str) -> list[int]:
    """References (GL-…) or ids, separated by commas or spaces; unknown references are reported."""
    ids: list[int] = []
    unknown: list[str] = []
    for token in [t for t in re.split(r"[\s,;]+", text or "") if t]:
        if token.isdigit():
            ids.append(int(token))
            continue
        found = Partner.objects.filter(reference=token.upper()).values_list("pk", flat=True).first()
        if found is None:
            unknown.append(token)
        else:
            ids.append(found)
    if unknown:
        from greenlane.core.errors import InvalidInput

        raise InvalidInput(
            _("No company with reference %(ref)s.") % {"ref": unknown[0]}, field="partner_refs"
        )
    return ids


def _input(form) -> services.AssessmentInput:
    data = form.cleaned_data
    return services.AssessmentInput(
        title=data["title"],
        summary=data.get("summary", ""),
        body=data["body"],
        marking=data["marking"],
        staff_roles=data.get("staff_roles") or [],
        entity_types=data.get("entity_types") or [],
        partner_ids=_partner_ids(data.get("partner_refs", "")),
    )


def _refusal(request):
    return render(
        request,
        "comms/refused.html",
        {"message": _("Only intelligence analysts and program managers write threat assessments.")},
        status=403,
    )


@staff_only
def assessment_new(request):
    if not permissions.can_author_assessments(request.user):
        return _refusal(request)
    form = forms.AssessmentForm(request.POST or None, initial={"marking": "members-only"})
    if request.method == "POST" and form.is_valid():
        ok, saved = attempt(
            request, form, lambda: services.assessment_create(actor=request.user, data=_input(form))
        )
        if ok:
            flash.success(request, _("Draft saved. Only you can see it until you publish it."))
            return redirect("comms:assessment", aid=saved.pk)
    return render(request, "comms/assessment_form.html", {"form": form, "a": None})


@staff_only
def assessment_edit(request, aid):
    assessment = selectors.assessment_for(request.user, aid)
    if not selectors.can_edit(request.user, assessment):
        raise Http404()
    if assessment.status != AssessmentStatus.DRAFT:
        flash.error(request, _("Only a draft can be changed."))
        return redirect("comms:assessment", aid=aid)
    initial = {
        "title": assessment.title,
        "summary": assessment.summary,
        "body": assessment.body,
        "marking": assessment.marking.code,
        "staff_roles": assessment.staff_roles,
        "entity_types": assessment.entity_types,
        "partner_refs": " ".join(p.reference for p in selectors.audience_partners(assessment)),
    }
    form = forms.AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _saved = attempt(
            request,
            form,
            lambda: services.assessment_update(actor=request.user, assessment_id=aid, data=_input(form)),
        )
        if ok:
            flash.success(request, _("Draft saved."))
            return redirect("comms:assessment", aid=aid)
    return render(request, "comms/assessment_form.html", {"form": form, "a": assessment})


def _act(request, aid, fn, done: str):
    try:
        fn()
    except Forbidden as exc:
        return render(request, "comms/refused.html", {"message": exc.message}, status=403)
    except NotFound:
        raise Http404() from None
    except DomainError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, done)
    return redirect("comms:assessment", aid=aid)


@staff_only
@require_POST
def assessment_publish(request, aid):
    return _act(
        request,
        aid,
        lambda: services.assessment_publish(actor=request.user, assessment_id=aid),
        _("Published to its audience."),
    )


@staff_only
@require_POST
def assessment_withdraw(request, aid):
    reason = request.POST.get("reason", "")
    return _act(
        request,
        aid,
        lambda: services.assessment_withdraw(actor=request.user, assessment_id=aid, reason=reason),
        _("Withdrawn."),
    )
