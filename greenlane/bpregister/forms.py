from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from greenlane.mra import identifiers as id_rules
from greenlane.partners.forms import UswdsMixin
from greenlane.partners.models import COUNTRY_CHOICES

from .choices import AuditKind, AuditResult, BusinessPartnerType, RiskLevel


def _id_type_choices():
    return [
        ("", _("- None -")),
        *sorted(((t, id_rules.label(t)) for t in id_rules.ALL_TYPES), key=lambda c: c[1]),
    ]


class EntryForm(UswdsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    partner_type = forms.ChoiceField(
        label=_("Type of business partner"), choices=[("", _("- Select -")), *BusinessPartnerType.choices]
    )
    country = forms.ChoiceField(label=_("Country"), choices=[("", _("- Select -")), *COUNTRY_CHOICES])
    id_type = forms.ChoiceField(label=_("Identifier type (optional)"), required=False)
    id_value = forms.CharField(
        label=_("Identifier (optional)"),
        required=False,
        max_length=40,
        help_text=_(
            "A C-TPAT member's identifier (IOR, SCAC, MID...) or a foreign program id (EORI, BN, RFC...) fills in its program status."
        ),
    )
    contact_name = forms.CharField(label=_("Contact name (optional)"), required=False, max_length=150)
    contact_email = forms.EmailField(label=_("Contact e-mail (optional)"), required=False)
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_type"].choices = _id_type_choices()


class FilterForm(UswdsMixin, forms.Form):
    q = forms.CharField(label=_("Name or identifier"), required=False, max_length=100)
    partner_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any")), *BusinessPartnerType.choices]
    )
    risk = forms.ChoiceField(label=_("Risk"), required=False, choices=[("", _("Any")), *RiskLevel.choices])
    overdue = forms.BooleanField(label=_("Re-evaluation overdue only"), required=False)


class AuditForm(UswdsMixin, forms.Form):
    date = forms.DateField(label=_("Date of the audit"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=AuditKind.choices)
    result = forms.ChoiceField(label=_("Result"), choices=AuditResult.choices)
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(
        label=_("Report or photo (optional)"),
        required=False,
        help_text=_("PDF, image or office document, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"class": "usa-file-input"}),
    )


class ReevaluateForm(UswdsMixin, forms.Form):
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class QuestionnaireForm(UswdsMixin, forms.Form):
    email = forms.EmailField(label=_("Send to (e-mail)"))


class ImportForm(UswdsMixin, forms.Form):
    file = forms.FileField(
        label=_("List of business partners (CSV)"),
        help_text=_(
            "UTF-8 CSV with a header: name, partner_type, country (required); id_type, id_value, contact_name, contact_email, notes (optional)."
        ),
        widget=forms.ClearableFileInput(attrs={"class": "usa-file-input", "accept": ".csv,text/csv"}),
    )


class DeleteForm(UswdsMixin, forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=500)


class AnswerForm(UswdsMixin, forms.Form):
    respondent_name = forms.CharField(label=_("Your name"), max_length=150)

    def __init__(self, *args, questions: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            self.fields[f"a_{q['id']}"] = forms.ChoiceField(
                label=q["text"],
                choices=[("yes", _("Yes")), ("no", _("No")), ("n/a", _("Not applicable"))],
                widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
            )
            self.fields[f"c_{q['id']}"] = forms.CharField(
                label=_("Comment (optional)"),
                required=False,
                max_length=1000,
                widget=forms.TextInput(attrs={"class": "usa-input"}),
            )

    def pairs(self):
        return [(self[f"a_{q['id']}"], self[f"c_{q['id']}"]) for q in self.questions]
