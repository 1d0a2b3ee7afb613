"""Company-side pages: enroll, complete the application, sign, submit, keep data current."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlane.accounts.choices import TradeRole
from greenlane.audit import selectors as audit_selectors
from greenlane.core.web import attempt, querystring_without, trade_only

from . import eligibility, forms, permissions, selectors, services
from .choices import PartnerStatus
from .models import AgreementVersion
from .readiness import checklist


def _current_agreement():
    return AgreementVersion.objects.filter(is_current=True).first()


def _ctx(access, **extra):
    partner = access.partner
    return {
        "partner": partner,
        "role": access.role,
        "role_label": TradeRole(access.role).label if access.role in TradeRole.values else "",
        "can_sign": permissions.can_sign_and_submit(access.role),
        "can_manage_members": permissions.can_manage_members(access.role),
        "editable": partner.status in services.COMPANY_EDITABLE,
        **extra,
    }


@trade_only
def company_list(request):
    return render(
        request, "partners/company_list.html", {"memberships": selectors.my_companies(request.user)}
    )


@trade_only
def enroll(request):
    form = forms.EnrollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, partner = attempt(
            request,
            form,
            lambda: services.partner_create(
                actor=request.user,
                entity_type=d["entity_type"],
                legal_name=d["legal_name"],
                dba_name=d["dba_name"],
                country=d["country"],
                role=d["role"],
                identifiers=[services.IdentifierInput(d["identifier_type"], d["identifier_value"])],
            ),
        )
        if ok:
            messages.success(
                request,
                _("%(name)s is enrolled as a draft. Complete each step below.")
                % {"name": partner.legal_name},
            )
            return redirect("partners:overview", partner.pk)
    return render(request, "partners/enroll.html", {"form": form})


@trade_only
def overview(request, pk):
    access = selectors.partner_detail(request.user, pk)
    steps = checklist(access.partner, current_agreement=_current_agreement())
    done = sum(1 for s in steps if s.done)
    links = {
        "details": "partners:details",
        "identifiers": "partners:identifiers",
        "eligibility": "partners:eligibility",
        "sites": "partners:sites",
        "contacts": "partners:contacts",
        "agreement": "partners:agreement",
        "profile": "profiles:overview",
    }
    steps = [(s, reverse(links[s.code], args=[pk]) if s.code in links else None) for s in steps]
    from greenlane.comms.selectors.dashboard import dashboard_context  # comms builds on partners

    return render(
        request,
        "partners/overview.html",
        _ctx(
            access,
            **dashboard_context(request.user, access.partner),
            steps=steps,
            done=done,
            total=len(steps),
            ready=done == len(steps),
            is_draft=access.partner.status == PartnerStatus.DRAFT,
        ),
    )


@trade_only
def edit_details(request, pk):
    access = selectors.partner_detail(request.user, pk)
    p = access.partner
    initial = {
        f: getattr(p, f)
        for f in (
            "legal_name",
            "dba_name",
            "country",
            "website",
            "phone",
            "business_start_date",
            "employee_count",
            "business_history",
            "modes_of_transport",
        )
    }
    form = forms.DetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _p = attempt(
            request,
            form,
            lambda: services.partner_update(
                actor=request.user, partner_id=p.pk, changes=dict(form.cleaned_data)
            ),
        )
        if ok:
            messages.success(request, _("Business details saved."))
            return redirect("partners:overview", p.pk)
    return render(request, "partners/edit_details.html", _ctx(access, form=form))


@trade_only
def edit_identifiers(request, pk):
    access = selectors.partner_detail(request.user, pk)
    p = access.partner
    initial = {}
    for i, ident in enumerate(p.identifiers.all()):
        if i < forms.IdentifiersForm.ROWS:
            initial[f"type_{i}"], initial[f"value_{i}"] = ident.type, ident.value
    form = forms.IdentifiersForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        entries = form.entries()
        if form.is_valid():
            items = [services.IdentifierInput(t, v) for t, v in entries]
            ok, _p = attempt(
                request,
                form,
                lambda: services.partner_update(
                    actor=request.user, partner_id=p.pk, changes={}, identifiers=items
                ),
            )
            if ok:
                messages.success(request, _("Identifiers saved."))
                return redirect("partners:overview", p.pk)
    from .identifiers import REQUIRED_IDENTIFIERS, describe_group

    required = [describe_group(g) for g in REQUIRED_IDENTIFIERS.get(p.entity_type, ())]
    return render(request, "partners/edit_identifiers.html", _ctx(access, form=form, required=required))


@trade_only
def edit_eligibility(request, pk):
    access = selectors.partner_detail(request.user, pk)
    p = access.partner
    form_class = forms.eligibility_form_class(p.entity_type)
    initial = {k: ("yes" if v else "no") for k, v in (p.eligibility or {}).items()}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _p = attempt(
            request,
            form,
            lambda: services.partner_update(
                actor=request.user, partner_id=p.pk, changes={"eligibility": dict(form.cleaned_data)}
            ),
        )
        if ok:
            messages.success(request, _("Eligibility answers saved."))
            return redirect("partners:overview", p.pk)
    questions = eligibility.questions_for(p.entity_type)
    return render(request, "partners/edit_eligibility.html", _ctx(access, form=form, questions=questions))


def _child_page(request, pk, *, form_class, add, template, success):
    access = selectors.partner_detail(request.user, pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _obj = attempt(
            request, form, lambda: add(actor=request.user, partner_id=access.partner.pk, **form.cleaned_data)
        )
        if ok:
            messages.success(request, success)
            return redirect(request.path)
    return render(request, template, _ctx(access, form=form))


@trade_only
def sites(request, pk):
    return _child_page(
        request,
        pk,
        form_class=forms.SiteForm,
        add=services.site_add,
        template="partners/sites.html",
        success=_("Site added."),
    )


@trade_only
def contacts(request, pk):
    return _child_page(
        request,
        pk,
        form_class=forms.ContactForm,
        add=services.contact_add,
        template="partners/contacts.html",
        success=_("Contact added."),
    )


@trade_only
def members(request, pk):
    return _child_page(
        request,
        pk,
        form_class=forms.MemberForm,
        add=services.membership_add,
        template="partners/members.html",
        success=_("Person added to the company."),
    )


@trade_only
@require_POST
def remove_child(request, pk, kind, child_id):
    removers = {
        "sites": services.site_remove,
        "contacts": services.contact_remove,
        "members": services.membership_remove,
    }
    if kind not in removers:
        raise Http404()
    key = {"sites": "site_id", "contacts": "contact_id", "members": "membership_id"}[kind]
    ok, _r = attempt(
        request, None, lambda: removers[kind](actor=request.user, partner_id=pk, **{key: child_id})
    )
    if ok:
        messages.success(request, _("Removed."))
    return redirect(f"partners:{kind}", pk)


@trade_only
def agreement(request, pk):
    access = selectors.partner_detail(request.user, pk)
    current = _current_agreement()
    signature = next(
        (s for s in access.partner.signatures.all() if current and s.version_id == current.pk), None
    )
    form = forms.SignForm(request.POST or None, initial={"name": request.user.full_name})
    if request.method == "POST" and form.is_valid():
        ok, _sig = attempt(
            request,
            form,
            lambda: services.agreement_sign(
                actor=request.user, partner_id=access.partner.pk, **form.cleaned_data
            ),
        )
        if ok:
            messages.success(request, _("Agreement signed. You can now submit the application."))
            return redirect("partners:overview", access.partner.pk)
    return render(
        request, "partners/agreement.html", _ctx(access, form=form, agreement=current, signature=signature)
    )


@trade_only
def withdraw(request, pk):
    access = selectors.partner_for(request.user, pk)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _p = attempt(
            request,
            form,
            lambda: services.partner_withdraw(
                actor=request.user, partner_id=pk, reason=form.cleaned_data["reason"]
            ),
        )
        if ok:
            messages.success(request, _("The company has withdrawn from the program."))
            return redirect("partners:overview", pk)
    return render(request, "partners/withdraw.html", _ctx(access, form=form))


@trade_only
def history(request, pk):
    access = selectors.partner_for(request.user, pk)
    page = audit_selectors.partner_events(
        access, limit=_int(request.GET.get("limit")), offset=_int(request.GET.get("offset"))
    )
    return render(
        request,
        "partners/history.html",
        _ctx(access, page=page, querystring_base=querystring_without(request, "offset")),
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
