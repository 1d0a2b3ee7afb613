from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from greenlane.partners.forms import UswdsMixin

from .models import ForeignProgram, ForeignStatusValue


def _program_choices(blank: str):
    return [("", blank), *((p.code, f"{p.name} ({p.country})") for p in ForeignProgram.objects.all())]


class UploadForm(UswdsMixin, forms.Form):
    program = forms.ChoiceField(label=_("Program"))
    file = forms.FileField(
        label=_("Status file (CSV or JSON)"),
        help_text=_(
            "The administration's full list: program_id, name, status (required), address, country, "
            "validation_date, status_date. Bad rows are listed and the good rows imported; companies no longer "
            "listed become inactive. The same file twice changes nothing."
        ),
        widget=forms.ClearableFileInput(
            attrs={"class": "usa-file-input", "accept": ".csv,.json,text/csv,application/json"}
        ),
    )
    as_of = forms.DateField(
        label=_("Date of the file (optional)"),
        required=False,
        help_text=_("YYYY-MM-DD. Defaults to the date in a JSON file, or today."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = _program_choices(str(_("- Select -")))


class MemberSearchForm(UswdsMixin, forms.Form):
    q = forms.CharField(label=_("Name or identifier"), required=False, max_length=100)
    program = forms.ChoiceField(label=_("Program"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *ForeignStatusValue.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = _program_choices(str(_("Any")))


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("json", "JSON")], required=False)


class ConsentForm(forms.Form):
    program = forms.SlugField(max_length=20)
    action = forms.ChoiceField(choices=[("grant", "grant"), ("withdraw", "withdraw")])
