"""Forms of the communications pages (parsing only; the services validate)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from greenlane.accounts.choices import StaffRole
from greenlane.accounts.models import FieldOffice
from greenlane.partners.choices import EntityType, PartnerStatus, Tier
from greenlane.partners.models import COUNTRY_CHOICES

from .choices import BulletinKind, Severity
from .models import HandlingMarking

DATETIME_HELP = _("Date and time, UTC, e.g. 2026-12-01 14:00. Empty: now.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "usa-file-input", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _checkboxes():
    return forms.CheckboxSelectMultiple(attrs={"class": "usa-checkbox__input"})


class BulletinForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=BulletinKind.choices, widget=forms.Select(attrs={"class": "usa-select"})
    )
    title = forms.CharField(
        label=_("Title"), max_length=400, widget=forms.TextInput(attrs={"class": "usa-input"})
    )
    body = forms.CharField(
        label=_("Text"),
        help_text=_(
            "Plain text. A blank line starts a paragraph, lines starting with '- ' make a list, **bold**."
        ),
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 8}),
    )
    severity = forms.ChoiceField(
        label=_("Severity (alerts only)"),
        required=False,
        choices=[("", _("— none —")), *Severity.choices],
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    entity_types = forms.MultipleChoiceField(
        label=_("Entity types (none ticked: all)"),
        required=False,
        choices=EntityType.choices,
        widget=_checkboxes(),
    )
    tiers = forms.MultipleChoiceField(
        label=_("Tiers (none ticked: all)"),
        required=False,
        choices=[(str(v), label) for v, label in Tier.choices if v],
        widget=_checkboxes(),
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries (none chosen: all)"),
        required=False,
        choices=COUNTRY_CHOICES,
        widget=forms.SelectMultiple(attrs={"class": "usa-select gl-multiselect", "size": 6}),
    )
    field_offices = forms.MultipleChoiceField(
        label=_("Field offices (none ticked: all)"), required=False, widget=_checkboxes()
    )
    statuses = forms.MultipleChoiceField(
        label=_("Company statuses (none ticked: all)"),
        required=False,
        choices=PartnerStatus.choices,
        widget=_checkboxes(),
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        help_text=DATETIME_HELP,
        widget=forms.DateTimeInput(attrs={"class": "usa-input"}),
    )
    expires_at = forms.DateTimeField(
        label=_("Expires at"),
        required=False,
        help_text=_("Date and time, UTC. Empty: it does not expire."),
        widget=forms.DateTimeInput(attrs={"class": "usa-input"}),
    )

    AUDIENCE_FIELDS = ("entity_types", "tiers", "countries", "field_offices", "statuses")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field_offices"].choices = [
            (str(o.pk), o.name) for o in FieldOffice.objects.filter(is_active=True).order_by("name")
        ]

    def audience(self) -> dict:
        return {name: self.cleaned_data.get(name) or [] for name in self.AUDIENCE_FIELDS}


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        help_text=DATETIME_HELP,
        widget=forms.DateTimeInput(attrs={"class": "usa-input"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 2}),
    )


class AssessmentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=400, widget=forms.TextInput(attrs={"class": "usa-input"})
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=1200,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )
    body = forms.CharField(
        label=_("Assessment"),
        help_text=_(
            "Sanitized: no sources or methods. A blank line starts a paragraph; '- ' lines make a list."
        ),
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 10}),
    )
    marking = forms.ChoiceField(
        label=_("Handling marking"), widget=forms.RadioSelect(attrs={"class": "usa-radio__input"})
    )
    staff_roles = forms.MultipleChoiceField(
        label=_("Staff roles in the audience"),
        required=False,
        choices=StaffRole.choices,
        widget=_checkboxes(),
    )
    entity_types = forms.MultipleChoiceField(
        label=_("Companies of these entity types"),
        required=False,
        choices=EntityType.choices,
        widget=_checkboxes(),
    )
    partner_refs = forms.CharField(
        label=_("Named companies"),
        required=False,
        help_text=_("Company references or ids, separated by commas or spaces."),
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["marking"].choices = [
            (m.code, f"{m.label} — {m.description}") for m in HandlingMarking.objects.order_by("rank")
        ]


class ThreadForm(forms.Form):
    subject = forms.CharField(
        label=_("Subject"), max_length=400, widget=forms.TextInput(attrs={"class": "usa-input"})
    )
    criterion_code = forms.CharField(
        label=_("About criterion (optional)"),
        required=False,
        max_length=20,
        help_text=_("A criterion number, e.g. 6.2"),
        widget=forms.TextInput(attrs={"class": "usa-input usa-input--small"}),
    )
    validation_id = forms.CharField(
        label=_("About validation (optional)"),
        required=False,
        max_length=12,
        help_text=_("The validation's number"),
        widget=forms.TextInput(attrs={"class": "usa-input usa-input--small"}),
    )
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 6})
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_("Up to 5 files: PDF, images, office documents, CSV or text; 10 MB each."),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply"), widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 5})
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_("Up to 5 files: PDF, images, office documents, CSV or text; 10 MB each."),
    )
