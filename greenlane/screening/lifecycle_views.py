"""Lifecycle pages. Staff: the referral queue and a referral, a partner's suspension/removal page, appeals,
program deadlines. Company: its dates and open requests (answers, corrective action plan, re-application)
and its appeals. Views parse, call one service or selector, and render."""

from __future__ import annotations

from django.contrib import messages
from django.forms import Form as DjangoForm
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from greenlane.core.errors import DomainError, NotFound
from greenlane.core.web import attach_error, querystring_without, staff_only, trade_only
from greenlane.partners import permissions
from greenlane.partners.choices import PartnerStatus

from . import deadlines, lifecycle
from . import lifecycle_actions as actions
from . import lifecycle_forms as forms
from . import lifecycle_selectors as sel
from .choices import ReferralStatus

S = PartnerStatus


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _run(request, form, fn) -> bool:
    """Call a service. A business error goes on the form (or, without one, becomes a message); a foreign
    object is 404."""
    try:
        fn()
    except NotFound:
        raise Http404() from None
    except DomainError as exc:
        attach_error(request, form, exc)
        return False
    return True


def _submit(request, form, call, done, to: tuple, failed):
    """A posted form: valid and the service agrees -> message and redirect to `to`; else `failed()`."""
    if form.is_valid() and _run(request, form, lambda: call(form.cleaned_data)):
        messages.success(request, str(done))
        return redirect(*to)
    return failed()


# --- staff: referral queue and referral ---------------------------------------------------------------------


@staff_only
def referral_queue(request):
    offices = sel.field_offices()
    form = forms.QueueFilterForm(request.GET or None, offices=offices)
    criteria = form.cleaned_data if form.is_valid() else {}
    page = sel.referral_page(
        request.user,
        field_office=criteria.get("field_office"),
        mine=bool(criteria.get("mine")),
        status=criteria.get("status") or "",
        limit=_int(request.GET.get("limit")),
        offset=_int(request.GET.get("offset")),
    )
    return render(
        request,
        "screening/lifecycle/referral_queue.html",
        {
            "form": form,
            "page": page,
            "querystring_base": querystring_without(request, "offset"),
            "due_soon_days": deadlines.DUE_SOON_DAYS,
        },
    )


def _referral_forms(row, user) -> dict:
    referral = row.referral
    role = user.staff_role
    is_supervisor = role in lifecycle.SUPERVISORS
    can_work = is_supervisor or (role in lifecycle.SPECIALISTS and referral.assigned_to_id == user.pk)
    is_open = referral.status != ReferralStatus.DECIDED and referral.partner.status == S.UNDER_REVIEW
    proposed = referral.status == ReferralStatus.DENIAL_PROPOSED
    found: dict[str, DjangoForm] = {}
    if is_open and is_supervisor:
        found["reassign"] = forms.ReassignForm(specialists=sel.assignable_specialists())
    if is_open and can_work and referral.status == ReferralStatus.OPEN:
        found["info"] = forms.InfoRequestForm()
    if is_open and can_work and not proposed:
        found["certify"] = forms.CertifyForm()
        found["deny"] = forms.ProposeDenialForm()
    if is_open and proposed and is_supervisor:
        if referral.proposed_by_id != user.pk:
            found["approve"] = forms.ApproveDenialForm()
        found["sendback"] = forms.SendBackForm()
    return found


def _referral_page(request, referral_id, *, bound: tuple[str, DjangoForm] | None = None):
    row = sel.referral_for(request.user, referral_id)
    action_forms = _referral_forms(row, request.user)
    if bound is not None:
        action_forms[bound[0]] = bound[1]
    referral = row.referral
    return render(
        request,
        "screening/lifecycle/referral.html",
        {
            "row": row,
            "referral": referral,
            "partner": referral.partner,
            "decision": referral.decision,
            "forms": action_forms,
            "paused_days": deadlines.paused_days(referral, on=row.on),
            "events": sel.referral_events(referral),
            "proposer_is_me": referral.proposed_by_id == request.user.pk,
        },
    )


@staff_only
def referral_detail(request, referral_id):
    return _referral_page(request, referral_id)


REFERRAL_ACTIONS = {
    "reassign": (forms.ReassignForm, gettext_lazy("The referral is reassigned.")),
    "info": (
        forms.InfoRequestForm,
        gettext_lazy(
            "The request is sent to the company; the certification clock is paused until it answers."
        ),
    ),
    "certify": (forms.CertifyForm, gettext_lazy("Certified: the company is a Tier 1 member.")),
    "deny": (forms.ProposeDenialForm, gettext_lazy("Denial proposed; a supervisor must approve it.")),
    "approve": (forms.ApproveDenialForm, gettext_lazy("Denial approved; the company is told how to appeal.")),
    "sendback": (forms.SendBackForm, gettext_lazy("The proposal is sent back to the specialist.")),
}


@staff_only
@require_POST
def referral_action(request, referral_id, action):
    if action not in REFERRAL_ACTIONS:
        raise Http404()
    form_class, done = REFERRAL_ACTIONS[action]
    kwargs = {"specialists": sel.assignable_specialists()} if action == "reassign" else {}
    form = form_class(request.POST, **kwargs)
    return _submit(
        request,
        form,
        lambda cd: actions.on_referral(action, request.user, referral_id, cd),
        done,
        ("lifecycle:referral", referral_id),
        lambda: _referral_page(request, referral_id, bound=(action, form)),
    )


# --- staff: deadlines ---------------------------------------------------------------------------------------


@staff_only
def program_deadlines(request):
    offices = sel.field_offices()
    form = forms.DeadlineFilterForm(request.GET or None, offices=offices)
    criteria = form.cleaned_data if form.is_valid() else {}
    result = actions.deadlines_page(
        request.user,
        field_office=criteria.get("field_office"),
        kind=criteria.get("kind") or "",
        limit=_int(request.GET.get("limit")),
        offset=_int(request.GET.get("offset")),
    )
    limit, offset = result.limit, result.offset
    labels = deadlines.Kind.LABELS
    return render(
        request,
        "screening/lifecycle/deadlines.html",
        {
            "form": form,
            "result": result,
            "counts": [
                (k, labels[k], result.counts[k]) for k in deadlines.Kind.PROGRAM if k in result.counts
            ],
            "has_next": offset + limit < result.total,
            "next_offset": offset + limit,
            "previous_offset": max(offset - limit, 0) if offset else None,
            "querystring_base": querystring_without(request, "offset"),
            "due_soon_days": deadlines.DUE_SOON_DAYS,
        },
    )


# --- staff: a partner's suspension, plans, reinstatement, removal -------------------------------------------


def _staff_partner_page(request, pk, *, bound: tuple[str, DjangoForm] | None = None):
    life = sel.lifecycle_for(request.user, pk)
    partner = life.partner
    role = request.user.staff_role
    found: dict[str, DjangoForm] = {}
    if role in lifecycle.SPECIALISTS and partner.status == S.CERTIFIED:
        found["suspend"] = forms.SuspendForm()
    if role in lifecycle.SPECIALISTS and life.dates.suspension is not None:
        found["reinstate"] = forms.ReinstateForm()
        pending = next((p for p in life.dates.plans if p.status == "submitted"), None)
        if pending is not None:
            found["plan"] = forms.PlanReviewForm(initial={"plan_id": pending.pk})
    if role in lifecycle.SUPERVISORS and partner.status in (S.CERTIFIED, S.SUSPENDED):
        found["remove"] = forms.RemoveForm()
    if bound is not None:
        found[bound[0]] = bound[1]
    return render(
        request,
        "screening/lifecycle/staff_partner.html",
        {
            "life": life,
            "partner": partner,
            "dates": life.dates,
            "forms": found,
            "has_accepted_plan": any(p.status == "accepted" for p in life.dates.plans),
        },
    )


@staff_only
def staff_partner(request, pk):
    return _staff_partner_page(request, pk)


PARTNER_ACTIONS = {
    "suspend": (
        forms.SuspendForm,
        gettext_lazy("The member is suspended; the company is told which benefits are withdrawn."),
    ),
    "reinstate": (
        forms.ReinstateForm,
        gettext_lazy("The member is reinstated; its certification date is unchanged."),
    ),
    "remove": (forms.RemoveForm, gettext_lazy("The member is removed; it may re-apply one year from today.")),
    "plan": (forms.PlanReviewForm, gettext_lazy("The plan review is recorded and the company is told.")),
}


def _review_plan(user, pk, cd):
    plan = sel.plan_for(user, cd["plan_id"])
    if plan.suspension.partner_id != pk:
        raise NotFound()
    return lifecycle.action_plan_review(
        actor=user, plan_id=plan.pk, accept=cd["decision"] == "accept", note=cd["note"]
    )


@staff_only
@require_POST
def partner_action(request, pk, action):
    if action not in PARTNER_ACTIONS:
        raise Http404()
    form_class, done = PARTNER_ACTIONS[action]
    form = form_class(request.POST)
    call = (
        (lambda cd: _review_plan(request.user, pk, cd))
        if action == "plan"
        else (lambda cd: actions.on_partner(action, request.user, pk, cd))
    )
    return _submit(
        request,
        form,
        call,
        done,
        ("lifecycle:staff_partner", pk),
        lambda: _staff_partner_page(request, pk, bound=(action, form)),
    )


# --- staff: appeals -----------------------------------------------------------------------------------------


@staff_only
def appeal_queue(request):
    offices = sel.field_offices()
    form = forms.AppealFilterForm(request.GET or None, offices=offices, initial={"status": "filed"})
    criteria = form.cleaned_data if form.is_valid() else {"status": "filed"}
    page = sel.appeal_page(
        request.user,
        status=criteria.get("status") or "",
        field_office=criteria.get("field_office"),
        limit=_int(request.GET.get("limit")),
        offset=_int(request.GET.get("offset")),
    )
    on = deadlines.today()
    rows = [(a, deadlines.appeal_decision_due(a)) for a in page.items]
    return render(
        request,
        "screening/lifecycle/appeal_queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "today": on,
            "querystring_base": querystring_without(request, "offset"),
        },
    )


def _appeal_page(request, appeal_id, *, form=None):
    appeal = sel.appeal_for(request.user, appeal_id)
    can_decide = request.user.staff_role in lifecycle.SUPERVISORS and appeal.status == "filed"
    return render(
        request,
        "screening/lifecycle/appeal.html",
        {
            "appeal": appeal,
            "partner": appeal.partner,
            "decision_due": deadlines.appeal_decision_due(appeal),
            "today": deadlines.today(),
            "form": (form or forms.AppealDecideForm()) if can_decide else None,
        },
    )


@staff_only
def appeal_detail(request, appeal_id):
    return _appeal_page(request, appeal_id)


@staff_only
@require_POST
def appeal_decide(request, appeal_id):
    form = forms.AppealDecideForm(request.POST)
    return _submit(
        request,
        form,
        lambda cd: actions.decide_appeal(request.user, appeal_id, cd),
        _("The appeal is decided and the company is told."),
        ("lifecycle:appeal", appeal_id),
        lambda: _appeal_page(request, appeal_id, form=form),
    )


# --- company: dates, requests, corrective action, re-application, appeals -----------------------------------


def _company_ctx(life, **extra) -> dict:
    role = life.access.role
    return {
        "partner": life.partner,
        "role": role,
        "life": life,
        "dates": life.dates,
        "editable": False,
        "can_prepare": permissions.can_prepare(role),
        "is_officer": permissions.can_sign_and_submit(role),
        "can_withdraw": permissions.can_sign_and_submit(role)
        and life.partner.status in (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.CERTIFIED, S.SUSPENDED),
        **extra,
    }


def _dates_page(request, pk, *, answer: tuple[int, object] | None = None, plan_form=None):
    life = sel.lifecycle_for(request.user, pk)
    answer_forms = []
    for req in life.dates.open_requests:
        bound = answer[1] if answer and answer[0] == req.pk else None
        answer_forms.append((req, bound or forms.AnswerForm()))
    has_pending_plan = any(p.status == "submitted" for p in life.dates.plans)
    ctx = _company_ctx(
        life,
        answer_forms=answer_forms,
        plan_form=plan_form
        if plan_form is not None
        else (forms.PlanForm() if life.dates.suspension and not has_pending_plan else None),
    )
    return render(request, "screening/lifecycle/company_dates.html", ctx)


@trade_only
def company_dates(request, pk):
    return _dates_page(request, pk)


@trade_only
@require_POST
def answer_request(request, pk, request_id):
    form = forms.AnswerForm(request.POST)
    return _submit(
        request,
        form,
        lambda cd: lifecycle.info_request_answer(
            actor=request.user, partner_id=pk, request_id=request_id, response=cd["response"]
        ),
        _("Your answer is sent to the specialist; the decision clock runs again."),
        ("lifecycle:dates", pk),
        lambda: _dates_page(request, pk, answer=(request_id, form)),
    )


@trade_only
@require_POST
def submit_plan(request, pk):
    form = forms.PlanForm(request.POST)
    return _submit(
        request,
        form,
        lambda cd: lifecycle.action_plan_submit(
            actor=request.user, partner_id=pk, text=cd["text"], consent=cd["consent"]
        ),
        _("Your corrective action plan is submitted for review."),
        ("lifecycle:dates", pk),
        lambda: _dates_page(request, pk, plan_form=form),
    )


@trade_only
@require_POST
def reapply(request, pk):
    if not _run(request, None, lambda: lifecycle.removal_reapply(actor=request.user, partner_id=pk)):
        return redirect("lifecycle:dates", pk)
    messages.success(request, _("The application is open again as a draft. Review it, then submit it."))
    return redirect("partners:overview", pk)


def _appeals_page(request, pk, *, form=None):
    life = sel.lifecycle_for(request.user, pk)
    ctx = _company_ctx(
        life,
        appeals=life.dates.appeals,
        form=form or forms.AppealForm(appealable=life.dates.appealable),
    )
    return render(request, "screening/lifecycle/company_appeals.html", ctx)


@trade_only
def company_appeals(request, pk):
    if request.method == "POST":
        life = sel.lifecycle_for(request.user, pk)
        form = forms.AppealForm(request.POST, appealable=life.dates.appealable)
        return _submit(
            request,
            form,
            lambda cd: lifecycle.appeal_file(
                actor=request.user, partner_id=pk, subject=cd["subject"], grounds=cd["grounds"]
            ),
            _("Your appeal is filed. A decision is due within 180 days."),
            ("lifecycle:appeals", pk),
            lambda: _appeals_page(request, pk, form=form),
        )
    return _appeals_page(request, pk)


@trade_only
@require_POST
def withdraw_appeal(request, pk, appeal_id):
    if _run(
        request,
        None,
        lambda: lifecycle.appeal_withdraw(actor=request.user, partner_id=pk, appeal_id=appeal_id),
    ):
        messages.success(request, _("The appeal is withdrawn."))
    return redirect("lifecycle:appeals", pk)
