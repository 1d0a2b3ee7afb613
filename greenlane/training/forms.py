from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from greenlane.accounts.models import FieldOffice
from greenlane.partners.choices import EntityType
from greenlane.partners.forms import UswdsMixin

from .choices import SeminarFormat, SeminarStatus
from .rules import load_catalog

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SeminarForm(UswdsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    format = forms.ChoiceField(label=_("Format"), choices=SeminarFormat.choices)
    place = forms.CharField(
        label=_("Place"), required=False, max_length=300, help_text=_("In person: the venue and address.")
    )
    link = forms.URLField(
        label=_("Online link"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=_("Online: the https:// meeting link."),
    )
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    capacity = forms.IntegerField(label=_("Capacity (seats)"), min_value=1, max_value=10_000)
    registration_deadline = forms.DateTimeField(label=_("Registration deadline"), widget=DATETIME)
    waitlist_enabled = forms.BooleanField(
        label=_("Keep a waiting list when full"), required=False, initial=True
    )
    audience_entity_types = forms.MultipleChoiceField(
        label=_("Audience: entity types"),
        required=False,
        choices=EntityType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for every member."),
    )
    field_office = forms.ModelChoiceField(
        label=_("Field office (optional)"),
        required=False,
        queryset=FieldOffice.objects.filter(is_active=True),
    )


class StatusFilterForm(UswdsMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *SeminarStatus.choices]
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=SeminarStatus.choices)
    reason = forms.CharField(required=False, max_length=2000)


def course_choices() -> list[tuple[str, str]]:
    return [(c.code, c.title) for c in load_catalog().courses]


class TrainingRecordForm(UswdsMixin, forms.Form):
    user = forms.ChoiceField(label=_("Staff member"))
    course = forms.ChoiceField(label=_("Course"))
    completed_on = forms.DateField(label=_("Completed on"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label=_("Hours"), min_value=0.5, max_value=500, decimal_places=1)
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=300,
        help_text=_("Certificate number, roster or where the proof is kept."),
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", _("- Select -"))] + [
            (str(u.pk), f"{u.display_name} ({u.field_office or '—'})") for u in people
        ]
        self.fields["course"].choices = [("", _("- Select -")), *course_choices()]


class DueFilterForm(UswdsMixin, forms.Form):
    field_office = forms.ModelChoiceField(
        label=_("Field office"),
        required=False,
        queryset=FieldOffice.objects.all(),
        empty_label=_("All offices"),
    )
