from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from greenlane.partners.forms import UswdsMixin
from greenlane.partners.identifiers import IdentifierType

from .choices import ShareLevel, WebhookEvent


class SettingsForm(UswdsMixin, forms.Form):
    share = forms.ChoiceField(
        label=_("What other participants see"),
        choices=ShareLevel.choices,
        help_text=_(
            "By default only your name and status. “Share more” adds your tier, and a contact if you give one."
        ),
    )
    auto_accept = forms.BooleanField(label=_("Accept monitoring requests automatically"), required=False)
    contact_name = forms.CharField(label=_("Contact name (optional)"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail (optional)"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone (optional)"), max_length=40, required=False)


class LeaveForm(UswdsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why are you leaving? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SearchForm(UswdsMixin, forms.Form):
    q = forms.CharField(
        label=_("Find a participant by name, reference or identifier"), max_length=100, required=False
    )


class IdentifierRequestForm(UswdsMixin, forms.Form):
    identifier_type = forms.ChoiceField(label=_("Identifier type"), choices=IdentifierType.choices)
    identifier_value = forms.CharField(label=_("Identifier"), max_length=40)
    message = forms.CharField(label=_("Message (optional)"), max_length=500, required=False)


class DeclineForm(UswdsMixin, forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=2000, required=False)


class VerifyForm(UswdsMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("Two columns: type, value (e.g. ior, 12-3456789AB). At most 20,000 rows, 5 MB."),
        widget=forms.ClearableFileInput(attrs={"class": "usa-file-input", "accept": ".csv,.xlsx"}),
    )


class WebhookForm(UswdsMixin, forms.Form):
    url = forms.CharField(label=_("HTTPS URL"), max_length=500, help_text=_("A public https:// address."))
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=WebhookEvent.choices,
        initial=[WebhookEvent.STATUS_CHANGED],
        widget=forms.CheckboxSelectMultiple,
    )


class NoticeForm(UswdsMixin, forms.Form):
    recipient_company = forms.CharField(label=_("Recipient company"), max_length=200)
    recipient_email = forms.EmailField(label=_("Recipient e-mail"))
