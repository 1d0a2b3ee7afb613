"""Forms of the planning pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from greenlane.partners.forms import UswdsMixin

from .engine import FACTORS

MONTH_CHOICES = [(m, f"{m:02d}") for m in range(1, 13)]
FACTOR_LABELS = {
    "regional_threat": _("Regional threat of the supply chain"),
    "anomalies": _("Security anomalies (seizures, penalties, suspensions, returned reviews)"),
    "import_value": _("Import value"),
    "import_volume": _("Import volume"),
    "fast": _("FAST participation"),
    "time_since_validation": _("Time since the last validation"),
    "legal_due": _("Legal due date"),
    "sector": _("Sector emphasis"),
}


class ComputeForm(UswdsMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    time_limit = forms.FloatField(
        label=_("Optimiser time limit (seconds)"), min_value=1, max_value=300, initial=20
    )
    oversight_sample = forms.IntegerField(
        label=_("Random oversight sample"), min_value=0, max_value=5000, initial=5
    )
    sector_minimum = forms.IntegerField(
        label=_("Validations per sector, at least"), min_value=0, max_value=500, initial=1
    )
    cross_office_share = forms.FloatField(
        label=_("Share of hours specialists may give other offices (0 to 1)"),
        min_value=0,
        max_value=1,
        initial=0,
    )


class WeightsForm(UswdsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the weights change"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, initial_weights: dict | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in FACTORS:
            self.fields[name] = forms.FloatField(
                label=FACTOR_LABELS[name],
                min_value=0,
                max_value=100,
                initial=(initial_weights or {}).get(name, 0),
            )
        self.order_fields([*FACTORS, "reason"])

    def weights(self) -> dict:
        return {name: self.cleaned_data[name] for name in FACTORS}


class AdjustForm(UswdsMixin, forms.Form):
    specialist = forms.ChoiceField(label=_("Specialist"))
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTH_CHOICES, coerce=int)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the specialist has no room left that month."),
    )

    def __init__(self, *args, specialists=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["specialist"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (str(s.pk), f"{s.full_name or s.email} ({s.field_office or '—'})") for s in specialists
        ]


class EntryFilterForm(UswdsMixin, forms.Form):
    method = forms.ChoiceField(
        label=_("Plan"), required=False, choices=[("optimised", _("Optimised")), ("greedy", _("Greedy"))]
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        required=False,
        choices=[("", _("Any")), *MONTH_CHOICES],
        coerce=int,
        empty_value=None,
    )
