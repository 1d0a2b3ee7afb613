"""Forms of the validation pages. Each has a prefix, so several on one page keep unique element ids."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Activity, ItemKind, Outcome, ValidationKind, ValidationStatus, VisitKind


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "usa-textarea"})


class _Uswds(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.Textarea):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "usa-checkbox__input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "usa-select")
            elif isinstance(widget, forms.ClearableFileInput | forms.FileInput):
                widget.attrs.setdefault("class", "usa-file-input")
            else:
                widget.attrs.setdefault("class", "usa-input")


class QueueFilterForm(_Uswds):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ValidationStatus.choices],
    )
    specialist = forms.TypedChoiceField(label=_("Specialist"), required=False, coerce=int, empty_value=None)
    field_office = forms.TypedChoiceField(
        label=_("Field office"), required=False, coerce=int, empty_value=None
    )
    mine = forms.BooleanField(label=_("Mine (led or supervised by me)"), required=False)

    def __init__(self, *args, offices=(), specialists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field_office"].choices = [("", _("All field offices"))] + [
            (o.pk, o.name) for o in offices
        ]
        self.fields["specialist"].choices = [("", _("Any specialist"))] + [
            (u.pk, u.display_name) for u in specialists
        ]


class CreateForm(_Uswds):
    prefix = "create"
    partner = forms.CharField(
        label=_("Partner reference or number"),
        max_length=40,
        help_text=_("The partner's reference (e.g. GL-000123) or its record number; it must be certified."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ValidationKind.choices)
    specialist = forms.TypedChoiceField(label=_("Specialist leading it"), coerce=int)
    planned_month = forms.DateField(
        label=_("Planned month (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Any day of the month; stored as the month."),
    )
    reason = forms.CharField(label=_("Why (optional)"), required=False, max_length=2000, widget=_area(2))

    def __init__(self, *args, specialists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].choices = [
            (u.pk, f"{u.display_name} ({u.get_staff_role_display()})") for u in specialists
        ]


class SitesForm(_Uswds):
    prefix = "sites"
    sites = forms.TypedMultipleChoiceField(
        label=_("Sites covered"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sites"].choices = [(s.pk, f"{s.name} — {s.city} ({s.country})") for s in sites]


class VisitForm(_Uswds):
    prefix = "visit"
    kind = forms.ChoiceField(label=_("Kind of visit"), choices=VisitKind.choices)
    site = forms.TypedChoiceField(label=_("Site"), coerce=int, required=False, empty_value=None)
    scheduled_for = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    note = forms.CharField(
        label=_("Note to the company (optional)"), required=False, max_length=2000, widget=_area(2)
    )

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [("", _("No site (virtual or desk review)"))] + [
            (s.pk, f"{s.name} — {s.city} ({s.country})") for s in sites
        ]


class DocumentRequestForm(_Uswds):
    prefix = "doc"
    text = forms.CharField(label=_("Document requested"), max_length=4000, widget=_area(3))
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))


class AttachForm(_Uswds):
    prefix = "attach"
    code = forms.CharField(label=_("Criterion"), max_length=16)
    file = forms.FileField(label=_("Photo or document"))


class HoursForm(_Uswds):
    prefix = "hours"
    activity = forms.ChoiceField(label=_("Activity"), choices=Activity.choices)
    hours = forms.CharField(
        label=_("Hours"), max_length=8, help_text=_("More than 0, at most 24 for one day, e.g. 2.5")
    )
    on = forms.DateField(label=_("Day worked"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=200)


class ItemForm(_Uswds):
    prefix = "item"
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    criterion_code = forms.ChoiceField(label=_("Criterion"), required=False)
    text = forms.CharField(label=_("Text"), max_length=4000, widget=_area(3))

    def __init__(self, *args, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion_code"].choices = [("", _("None (general)"))] + [
            (c.code, f"{c.code} {c.title}") for c in codes
        ]


class NoteForm(_Uswds):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=4000, widget=_area(2))


class SubmitForm(_Uswds):
    prefix = "submit"
    outcome = forms.ChoiceField(label=_("Proposed outcome"), choices=[c for c in Outcome.choices if c[0]])
    summary = forms.CharField(label=_("Report summary"), max_length=10000, widget=_area(6))


class ReviewForm(_Uswds):
    prefix = "review"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve and publish to the company")),
            ("return", _("Return to the specialist")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (required to return)"), required=False, max_length=4000, widget=_area(3)
    )


class ReasonForm(_Uswds):
    prefix = "reason"
    reason = forms.CharField(label=_("Reason"), required=False, max_length=4000, widget=_area(2))


class AnswerForm(_Uswds):
    answer = forms.CharField(label=_("Your answer"), max_length=10000, widget=_area(3))
    file = forms.FileField(label=_("Document (optional)"), required=False)


class ResponseForm(_Uswds):
    response = forms.CharField(label=_("Your corrective action plan"), max_length=10000, widget=_area(4))
