from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .engine import fast
from .engine.compute import PERIOD_RE

_w = {"class": "usa-input"}


class ComputeForm(forms.Form):
    period = forms.RegexField(
        label=_("Period"),
        regex=PERIOD_RE,
        max_length=8,
        help_text=_("A year (2025), a quarter (2025-Q3) or a month (2025-07)."),
        error_messages={"invalid": _("Enter a year (2025), a quarter (2025-Q3) or a month (2025-07).")},
        widget=forms.TextInput(attrs=_w),
    )
    take_snapshot = forms.BooleanField(
        label=_("Take a fresh portal snapshot first"), required=False, initial=True,
        widget=forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}),
    )  # fmt: skip


class PlanForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=1990, max_value=2100, widget=forms.NumberInput(attrs=_w)
    )


def _num(label, name, integer=False):
    lo, hi = fast.BOUNDS[name]
    default = getattr(fast.FastParams(), name)
    field_cls = forms.IntegerField if integer else forms.FloatField
    return field_cls(
        label=label, min_value=lo, max_value=hi, initial=default,
        help_text=_("From %(lo)s to %(hi)s.") % {"lo": f"{lo:g}", "hi": f"{hi:g}"},
        widget=forms.NumberInput(attrs={**_w, "step": "1" if integer else "any"}),
    )  # fmt: skip


class FastForm(forms.Form):
    arrivals_per_hour = _num(_("Trucks arriving per hour"), "arrivals_per_hour")
    fast_share = _num(_("Share of FAST trucks (0 to 1)"), "fast_share")
    general_booths = _num(_("General booths"), "general_booths", True)
    fast_booths = _num(_("FAST booths"), "fast_booths", True)
    general_primary_minutes = _num(_("General primary inspection (minutes, mean)"), "general_primary_minutes")
    fast_primary_minutes = _num(_("FAST primary inspection (minutes, mean)"), "fast_primary_minutes")
    general_secondary_rate = _num(_("General secondary referral rate (0 to 1)"), "general_secondary_rate")
    fast_secondary_rate = _num(_("FAST secondary referral rate (0 to 1)"), "fast_secondary_rate")
    secondary_minutes = _num(_("Secondary inspection (minutes, mean)"), "secondary_minutes")
    hours = _num(_("Hours simulated"), "hours")
    replications = _num(_("Replications"), "replications", True)
    seed = _num(_("Random seed"), "seed", True)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        params = fast.FastParams(**data)
        for err in fast.check(params):
            self.add_error(err["field"], err["message"])
        return data


class BenefitsForm(forms.Form):
    period = forms.RegexField(
        label=_("Period"), regex=PERIOD_RE, max_length=8, required=False,
        error_messages={"invalid": _("Enter a year (2025), a quarter (2025-Q3) or a month (2025-07).")},
        widget=forms.TextInput(attrs=_w),
    )  # fmt: skip
    exam_cost_usd = forms.FloatField(label=_("Cost of one physical exam (USD)"), required=False, min_value=0,
                                     max_value=100_000, widget=forms.NumberInput(attrs=_w))  # fmt: skip
    document_review_cost_usd = forms.FloatField(label=_("Cost of one document review (USD)"), required=False,
                                                min_value=0, max_value=10_000, widget=forms.NumberInput(attrs=_w))  # fmt: skip
    delay_cost_usd_per_hour = forms.FloatField(label=_("Cost of one hour of hold per shipment (USD)"),
                                               required=False, min_value=0, max_value=10_000,
                                               widget=forms.NumberInput(attrs=_w))  # fmt: skip
