"""Submission with an immediate answer; decision pages; the rules workspace for program managers."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from greenlane.core.errors import DomainError, InvalidInput, NotFound
from greenlane.core.web import attempt, staff_only, trade_only
from greenlane.partners.selectors import partner_for

from . import selectors, services
from .rules import RuleSetError, parse_ruleset
from .simulation import simulate


@trade_only
@require_POST
def submit(request, pk):
    try:
        decision = services.application_submit(actor=request.user, partner_id=pk)
    except NotFound:
        raise  # someone else's company: 404, not a message on a redirect
    except DomainError as exc:
        for err in exc.errors[:8] or [{"message": exc.message}]:
            messages.error(request, err["message"])
        return redirect("partners:overview", pk)
    return redirect("screening:decision", pk, decision.pk)


@trade_only
def decisions(request, pk):
    access = partner_for(request.user, pk)
    return render(
        request,
        "screening/decisions.html",
        {
            "partner": access.partner,
            "role": access.role,
            "decisions": selectors.decisions_for(request.user, pk),
            "editable": False,
        },
    )


@trade_only
def decision(request, pk, decision_id):
    found = selectors.decision_for(request.user, pk, decision_id)
    access = partner_for(request.user, pk)
    return render(
        request,
        "screening/decision.html",
        {"partner": access.partner, "role": access.role, "decision": found, "editable": False},
    )


@staff_only
def staff_decisions(request, pk):
    access = partner_for(request.user, pk)
    return render(
        request,
        "screening/staff_decisions.html",
        {"partner": access.partner, "decisions": selectors.decisions_for(request.user, pk)},
    )


class RuleSetForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Rule set (YAML)"),
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 24, "class": "usa-textarea gl-code", "spellcheck": "false"}),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
    )


class ActivateForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why activate these rules"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
    )


@staff_only
def rules(request):
    versions = selectors.rulesets(request.user)
    active = next((v for v in versions if v.status == "active"), None)
    form = RuleSetForm(request.POST or None, initial={"text": active.text if active else ""})
    report = None
    can_edit = request.user.staff_role in services.RULE_EDITORS
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        if "simulate" in request.POST:
            try:
                candidate = parse_ruleset(text)
                _v, current = services.active_ruleset()
                report = simulate(current, candidate)
            except RuleSetError as exc:
                form.add_error("text", str(exc))
            except DomainError as exc:
                form.add_error(None, exc.message)
        else:
            ok, created = attempt(
                request,
                form,
                lambda: services.ruleset_create(
                    actor=request.user, text=text, notes=form.cleaned_data["notes"]
                ),
            )
            if ok:
                messages.success(
                    request,
                    _("Rule set %(v)s saved as a draft. Simulate it, then activate it.")
                    % {"v": created.version},
                )
                return redirect("screening:rules")
    return render(
        request,
        "screening/rules.html",
        {
            "versions": versions,
            "active": active,
            "form": form,
            "report": report,
            "can_edit": can_edit,
            "activate_form": ActivateForm(),
        },
    )


@staff_only
@require_POST
def activate(request, version_id):
    form = ActivateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why these rules are being activated."))
        return redirect("screening:rules")
    try:
        version = services.ruleset_activate(
            actor=request.user, version_id=version_id, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request, _("Rule set %(v)s is now active for new decisions.") % {"v": version.version}
        )
    except (DomainError, InvalidInput) as exc:
        messages.error(request, exc.message)
    return redirect("screening:rules")
