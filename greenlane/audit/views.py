from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from greenlane.core.web import querystring_without, staff_only

from . import selectors


class AuditFilterForm(forms.Form):
    actor = forms.CharField(
        label=_("Actor e-mail contains"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )
    action = forms.CharField(
        label=_("Action starts with"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )
    partner_reference = forms.CharField(
        label=_("Partner reference"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"})
    )


@staff_only
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    flt = selectors.AuditFilter(**{k: v for k, v in data.items() if v})
    try:
        limit, offset = int(request.GET.get("limit", 50)), int(request.GET.get("offset", 0))
    except ValueError:
        limit, offset = 50, 0
    page = selectors.audit_log(request.user, flt, limit=limit, offset=offset)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "show_partner": True,
            "querystring_base": querystring_without(request, "offset"),
        },
    )
