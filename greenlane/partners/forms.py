from __future__ import annotations

import copy

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from greenlane.accounts.choices import TradeRole

from . import eligibility
from .choices import ContactKind, EntityType, PartnerStatus, SiteKind, TransportMode
from .identifiers import IdentifierType
from .models import COUNTRY_CHOICES

_COUNTRY_FIELD_CHOICES = [("", _("- Select a country -")), *COUNTRY_CHOICES]
_RENDERED_SELECTS: dict[tuple, str] = {}
_RENDERED_SELECTS_MAX = 512


class CachedSelect(forms.Select):
    """A select rendered once per (language, name, value, attributes, choices), then served from memory.

    Django renders each option through a template: the 249 countries cost tens of milliseconds on every
    page that shows the list. The HTML is the same as forms.Select's; only the repeated work is skipped.
    """

    def render(self, name, value, attrs=None, renderer=None):
        key = (
            get_language(),
            name,
            tuple(self.format_value(value)),
            tuple(sorted(self.build_attrs(self.attrs, attrs).items())),
            tuple((str(v), str(label)) for v, label in self.choices),
            renderer,
        )
        html = _RENDERED_SELECTS.get(key)
        if html is None:
            if len(_RENDERED_SELECTS) >= _RENDERED_SELECTS_MAX:
                _RENDERED_SELECTS.clear()
            html = _RENDERED_SELECTS[key] = super().render(name, value, attrs, renderer)
        return html


class SharedChoiceField(forms.ChoiceField):
    """A choice field whose forms share its choices instead of deep-copying them.

    Django copies a field's choices (and normalises them again) for every form instance: for the 249
    countries that is milliseconds per form. The choices are never changed in place; a form that needs
    other choices assigns a new list, which replaces them on its own copy only.
    """

    def __deepcopy__(self, memo):
        result = copy.copy(self)
        memo[id(self)] = result
        result.widget = copy.copy(self.widget)
        result.widget.attrs = self.widget.attrs.copy()
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


class UswdsMixin:
    """Adds USWDS classes to widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "usa-checkbox__input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "usa-select")
            elif isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("class", "usa-textarea")
            else:
                widget.attrs.setdefault("class", "usa-input")


class EnrollForm(UswdsMixin, forms.Form):
    entity_type = forms.ChoiceField(
        label=_("Entity type"), choices=[("", _("- Select -")), *EntityType.choices]
    )
    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    dba_name = forms.CharField(label=_("Doing business as (optional)"), max_length=200, required=False)
    country = SharedChoiceField(
        label=_("Country of the business"), choices=_COUNTRY_FIELD_CHOICES, widget=CachedSelect
    )
    identifier_type = forms.ChoiceField(
        label=_("Main identifier type"),
        choices=IdentifierType.choices,
        help_text=_("Importers: IOR number. Carriers: SCAC. Manufacturers: MID."),
    )
    identifier_value = forms.CharField(label=_("Main identifier"), max_length=40)
    role = forms.ChoiceField(
        label=_("Your role in the company"),
        choices=[
            (TradeRole.COMPANY_OFFICER, TradeRole.COMPANY_OFFICER.label),
            (TradeRole.COMPANY_ADMIN, TradeRole.COMPANY_ADMIN.label),
        ],
        help_text=_("Only a company officer can sign the agreement and submit the application."),
    )


class DetailsForm(UswdsMixin, forms.Form):
    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    dba_name = forms.CharField(label=_("Doing business as"), max_length=200, required=False)
    country = SharedChoiceField(label=_("Country"), choices=_COUNTRY_FIELD_CHOICES, widget=CachedSelect)
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    business_start_date = forms.DateField(
        label=_("In business since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    employee_count = forms.IntegerField(
        label=_("Number of employees"), required=False, min_value=0, max_value=5_000_000
    )
    business_history = forms.CharField(
        label=_("Brief company history"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    modes_of_transport = forms.MultipleChoiceField(
        label=_("Modes of transport"),
        required=False,
        choices=TransportMode.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class IdentifiersForm(UswdsMixin, forms.Form):
    """Up to six identifier rows; blank rows are ignored."""

    ROWS = 6

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(self.ROWS):
            self.fields[f"type_{i}"] = forms.ChoiceField(
                label=_("Type %(n)d") % {"n": i + 1},
                required=False,
                choices=[("", "—"), *IdentifierType.choices],
                widget=forms.Select(attrs={"class": "usa-select"}),
            )
            self.fields[f"value_{i}"] = forms.CharField(
                label=_("Value %(n)d") % {"n": i + 1},
                required=False,
                max_length=40,
                widget=forms.TextInput(attrs={"class": "usa-input"}),
            )

    def rows(self):
        return [(self[f"type_{i}"], self[f"value_{i}"]) for i in range(self.ROWS)]

    def entries(self) -> list[tuple[str, str]]:
        out = []
        for i in range(self.ROWS):
            t, v = self.cleaned_data.get(f"type_{i}"), (self.cleaned_data.get(f"value_{i}") or "").strip()
            if t and v:
                out.append((t, v))
            elif v and not t:
                self.add_error(f"type_{i}", _("Choose the type of this identifier."))
        return out


def eligibility_form_class(entity_type: str):
    fields = {}
    for q in eligibility.questions_for(entity_type):
        fields[q.code] = forms.TypedChoiceField(
            label=str(q.text),
            choices=[("yes", _("Yes")), ("no", _("No"))],
            widget=forms.RadioSelect,
            coerce=lambda v: v == "yes",
        )
    return type("EligibilityForm", (forms.Form,), fields)


class SiteForm(UswdsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of site"), choices=SiteKind.choices)
    name = forms.CharField(label=_("Site name"), max_length=200)
    street = forms.CharField(label=_("Street address"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=100)
    region = forms.CharField(label=_("State / province"), max_length=100, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    country = SharedChoiceField(label=_("Country"), choices=_COUNTRY_FIELD_CHOICES, widget=CachedSelect)


class ContactForm(UswdsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=ContactKind.choices)
    name = forms.CharField(label=_("Name"), max_length=150)
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)


class MemberForm(UswdsMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail of the person's Greenlane account"))
    role = forms.ChoiceField(label=_("Role"), choices=TradeRole.choices)
    title = forms.CharField(label=_("Job title"), max_length=120, required=False)


class SignForm(UswdsMixin, forms.Form):
    name = forms.CharField(label=_("Your full name, typed as your signature"), max_length=150)
    title = forms.CharField(label=_("Your job title"), max_length=120)
    accept = forms.BooleanField(
        label=_("I have read the agreement and I am authorised to sign it for the company.")
    )


class ReasonForm(UswdsMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class TransitionForm(ReasonForm):
    to_status = forms.ChoiceField(label=_("New status"), choices=PartnerStatus.choices)
    field_order = ["to_status", "reason"]

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(s, PartnerStatus(s).label) for s in allowed]


class AssignForm(UswdsMixin, forms.Form):
    scs = forms.ChoiceField(label=_("Specialist"), required=False)
    reason = forms.CharField(label=_("Note (optional)"), max_length=2000, required=False)

    def __init__(self, *args, specialists=(), **kwargs):
        # Shown beside TransitionForm, which has a "reason" field too: keep the element ids unique.
        kwargs.setdefault("auto_id", "assign_%s")
        super().__init__(*args, **kwargs)
        self.fields["scs"].choices = [("", _("- Unassigned -"))] + [
            (str(u.pk), f"{u.display_name} ({u.field_office or '—'})") for u in specialists
        ]


class SearchForm(UswdsMixin, forms.Form):
    q = forms.CharField(label=_("Name, reference or identifier"), required=False, max_length=100)
    status = SharedChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), *PartnerStatus.choices],
        widget=CachedSelect,
    )
    entity_type = SharedChoiceField(
        label=_("Entity type"),
        required=False,
        choices=[("", _("Any")), *EntityType.choices],
        widget=CachedSelect,
    )
    country = SharedChoiceField(
        label=_("Country"),
        required=False,
        choices=[("", _("Any")), *COUNTRY_CHOICES],
        widget=CachedSelect,
    )
    field_office = forms.ChoiceField(label=_("Field office"), required=False, widget=CachedSelect)
    assigned_scs = forms.ChoiceField(label=_("Assigned specialist"), required=False, widget=CachedSelect)

    def __init__(self, *args, offices=(), specialists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field_office"].choices = [("", _("Any"))] + [(str(o.pk), o.name) for o in offices]
        self.fields["assigned_scs"].choices = [("", _("Anyone")), ("none", _("Unassigned"))] + [
            (str(u.pk), u.display_name) for u in specialists
        ]
