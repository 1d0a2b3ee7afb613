from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from greenlane.partners.choices import PartnerStatus
from greenlane.partners.forms import UswdsMixin

from .choices import MatchMethod, MatchStatus, RecordKind


class UploadForm(UswdsMixin, forms.Form):
    file = forms.FileField(
        label=_("Compliance file (CSV)"),
        help_text=_(
            "UTF-8 CSV with a header row: source_ref, kind, date, name, country (required) and address, "
            "identifier_type, identifier_value, amount, details (optional). If any row is bad, nothing is "
            "imported and every bad row is listed."
        ),
        widget=forms.ClearableFileInput(attrs={"class": "usa-file-input", "accept": ".csv,text/csv"}),
    )
    source = forms.CharField(
        label=_("Source name (optional)"),
        max_length=100,
        required=False,
        help_text=_(
            "Rows are identified by source and source_ref; importing the same source again updates its "
            "rows. Defaults to the file name."
        ),
    )


class QueueForm(UswdsMixin, forms.Form):
    q = forms.CharField(label=_("Partner name or reference"), required=False, max_length=200)
    partner_status = forms.ChoiceField(
        label=_("Partner status"), required=False, choices=[("", _("Any")), *PartnerStatus.choices]
    )
    method = forms.ChoiceField(
        label=_("Match method"), required=False, choices=[("", _("Any")), *MatchMethod.choices]
    )
    kind = forms.ChoiceField(
        label=_("Record kind"), required=False, choices=[("", _("Any")), *RecordKind.choices]
    )
    min_score = forms.IntegerField(label=_("Minimum score"), required=False, min_value=0, max_value=100)


class PartnerMatchesForm(UswdsMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Show"), required=False, choices=[("", _("All matches")), *MatchStatus.choices]
    )
