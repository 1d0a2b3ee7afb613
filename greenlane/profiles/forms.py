from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import GAP_STATUSES, AnswerStatus


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=AnswerStatus.choices, widget=forms.RadioSelect)
    narrative = forms.CharField(
        label=_("How you meet it"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "usa-textarea"}),
    )
    justification = forms.CharField(
        label=_("Why it does not apply"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
    )
    evidence = forms.MultipleChoiceField(
        label=_("Evidence"), required=False, widget=forms.CheckboxSelectMultiple
    )
    plan_owner = forms.CharField(
        label=_("Action plan owner"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )
    plan_due_date = forms.DateField(
        label=_("Action plan due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"}),
    )
    plan_steps = forms.CharField(
        label=_("Action plan steps"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
    )

    def __init__(self, *args, evidence_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [(str(d.pk), d.title) for d in evidence_choices]

    def action_plan(self) -> dict | None:
        d = self.cleaned_data
        if d.get("status") not in GAP_STATUSES:
            return None
        if not (d.get("plan_owner") or d.get("plan_due_date") or d.get("plan_steps")):
            return {}  # the service explains what an action plan needs
        return {
            "owner": d.get("plan_owner") or "",
            "due_date": d.get("plan_due_date"),
            "steps": d.get("plan_steps") or "",
        }


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF, image, office document or CSV, up to 10 MB. The content must match the file name's type."
        ),
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, widget=forms.TextInput(attrs={"class": "usa-input"})
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
    )
    effective_date = forms.DateField(
        label=_("Effective from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"}),
    )
    expiry_date = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["class"] = "usa-file-input"


class EvidenceVersionForm(forms.Form):
    file = forms.FileField(label=_("New version of the file"))


class EvidenceDetailsForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, widget=forms.TextInput(attrs={"class": "usa-input"})
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
    )
    effective_date = forms.DateField(
        label=_("Effective from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"}),
    )
    expiry_date = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"}),
    )


class CompareForm(forms.Form):
    old = forms.ChoiceField(label=_("Older revision"))
    new = forms.ChoiceField(label=_("Newer revision"))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("old", "new"):
            self.fields[name].choices = choices
            self.fields[name].widget.attrs["class"] = "usa-select"
