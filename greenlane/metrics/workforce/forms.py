from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from greenlane.partners.forms import UswdsMixin

from . import engine


class PlanForm(UswdsMixin, forms.Form):
    years = forms.IntegerField(label=_("Years"), min_value=1, max_value=10, initial=5, required=False)
    growth = forms.FloatField(
        label=_("Yearly membership growth (optional)"),
        required=False,
        min_value=-0.5,
        max_value=1,
        help_text=_("As a fraction: 0.05 is 5%. Empty: measured from the certification history."),
    )
    annual_hours = forms.FloatField(
        label=_("Standard hours per specialist a year"),
        required=False,
        min_value=500,
        max_value=2400,
        initial=engine.STANDARD_ANNUAL_HOURS,
        help_text=_("Used when the validation planners have not entered a specialist's availability."),
    )

    def parameters(self) -> dict:
        d = self.cleaned_data if self.is_valid() else {}
        return {
            "years": d.get("years") or 5,
            "growth": d.get("growth"),
            "annual_hours": d.get("annual_hours") or engine.STANDARD_ANNUAL_HOURS,
        }
