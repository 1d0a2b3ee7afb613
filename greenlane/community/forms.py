"""Forms of the community pages. They parse; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from greenlane.partners.choices import EntityType

from .choices import NAICS_SECTORS, DocumentCategory, PostDisplay, ReportStatus, SizeBand

TEXT = {"class": "usa-input"}
AREA = {"class": "usa-textarea"}
SELECT = {"class": "usa-select"}
FILE = {"class": "usa-file-input"}
CHECKBOX = {"class": "usa-checkbox__input"}


def _blank(choices, label):
    return [("", label), *choices]


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150, widget=forms.TextInput(attrs=TEXT))
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={**AREA, "rows": 3}),
    )
    audience_entity_types = forms.MultipleChoiceField(
        label=_("Open to entity types"),
        help_text=_("Leave empty to open the topic to every certified member."),
        required=False,
        choices=EntityType.choices,
        widget=forms.SelectMultiple(attrs={**SELECT, "size": 6}),
    )


class PostingFields(forms.Form):
    """Who the member posts for and how the post is signed."""

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        companies = companies or []
        if len(companies) > 1:
            self.fields["partner_id"] = forms.ChoiceField(
                label=_("Post for"),
                choices=[(str(p.pk), p.dba_name or p.legal_name) for p in companies],
                widget=forms.Select(attrs=SELECT),
            )
        if companies:
            self.fields["display"] = forms.ChoiceField(
                label=_("Sign the post with"),
                required=False,
                help_text=_("Other members see this. Moderators always see who wrote a post."),
                choices=PostDisplay.choices,
                initial=PostDisplay.PERSON_AND_COMPANY,
                widget=forms.Select(attrs=SELECT),
            )


class ThreadForm(PostingFields):
    title = forms.CharField(label=_("Title"), max_length=150, widget=forms.TextInput(attrs=TEXT))
    body = forms.CharField(
        label=_("Message"), max_length=10000, widget=forms.Textarea(attrs={**AREA, "rows": 6})
    )

    field_order = ["title", "body", "partner_id", "display"]


class ReplyForm(PostingFields):
    body = forms.CharField(
        label=_("Your reply"), max_length=10000, widget=forms.Textarea(attrs={**AREA, "rows": 5})
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this post?"),
        max_length=2000,
        widget=forms.Textarea(attrs={**AREA, "rows": 4}),
    )


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason for hiding"), max_length=500, widget=forms.TextInput(attrs=TEXT))


class ReportDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ReportStatus.RESOLVED, _("Resolve")), (ReportStatus.DISMISSED, _("Dismiss"))],
        widget=forms.Select(attrs=SELECT),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.TextInput(attrs=TEXT)
    )
    hide_post = forms.BooleanField(
        label=_("Hide the post (the note is the reason)"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank(ReportStatus.choices, _("Any")),
        widget=forms.Select(attrs=SELECT),
    )


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, widget=forms.TextInput(attrs=TEXT))
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=_blank(DocumentCategory.choices, _("Any")),
        widget=forms.Select(attrs=SELECT),
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={**AREA, "rows": 3}),
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=DocumentCategory.choices, widget=forms.Select(attrs=SELECT)
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separate tags with commas."),
        widget=forms.TextInput(attrs=TEXT),
    )
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(attrs=FILE))


class VersionForm(forms.Form):
    file = forms.FileField(label=_("New version"), widget=forms.ClearableFileInput(attrs=FILE))
    note = forms.CharField(
        label=_("What changed"), required=False, max_length=500, widget=forms.TextInput(attrs=TEXT)
    )


class PracticeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, widget=forms.TextInput(attrs=TEXT))
    category = forms.TypedChoiceField(
        label=_("Criteria category"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
        widget=forms.Select(attrs=SELECT),
    )
    naics_sector = forms.ChoiceField(
        label=_("Industry"),
        required=False,
        choices=_blank(NAICS_SECTORS, _("Any")),
        widget=forms.Select(attrs=SELECT),
    )
    size_band = forms.ChoiceField(
        label=_("Company size"),
        required=False,
        choices=_blank(SizeBand.choices, _("Any")),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _blank([(c.number, str(c)) for c in categories], _("Any"))


class PracticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    description = forms.CharField(
        label=_("Description"),
        max_length=6000,
        help_text=_("What is done, where and how; leave out names, addresses and anything confidential."),
        widget=forms.Textarea(attrs={**AREA, "rows": 6}),
    )
    category = forms.TypedChoiceField(
        label=_("Criteria category"), coerce=int, choices=[], widget=forms.Select(attrs=SELECT)
    )
    criteria = forms.CharField(
        label=_("Criteria codes"),
        required=False,
        max_length=200,
        help_text=_("The criteria the practice meets or exceeds, e.g. 6.2 6.5"),
        widget=forms.TextInput(attrs=TEXT),
    )
    naics_sector = forms.ChoiceField(
        label=_("Industry (NAICS sector)"),
        choices=_blank(NAICS_SECTORS, _("- Select -")),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _blank([(c.number, str(c)) for c in categories], _("- Select -"))


class StaffPracticeForm(PracticeForm):
    partner_id = forms.IntegerField(
        label=_("Partner number"),
        min_value=1,
        help_text=_("The partner's internal number (from its page)."),
        widget=forms.NumberInput(attrs=TEXT),
    )
    validation_id = forms.IntegerField(
        label=_("Validation number"), required=False, min_value=1, widget=forms.NumberInput(attrs=TEXT)
    )


class PracticeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approved", _("Approve")), ("rejected", _("Reject")), ("withdrawn", _("Withdraw"))],
        widget=forms.Select(attrs=SELECT),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        help_text=_("Required for a rejection."),
        widget=forms.Textarea(attrs={**AREA, "rows": 3}),
    )
