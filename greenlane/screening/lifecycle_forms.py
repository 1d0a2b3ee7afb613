"""Forms of the lifecycle pages. Each has a prefix, so several on one page keep unique element ids."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import AppealStatus, AppealSubject, Benefit, ReferralStatus, SuspensionCause
from .deadlines import Kind, today


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
            else:
                widget.attrs.setdefault("class", "usa-input")


# --- staff: referrals ---------------------------------------------------------------------------------------


class QueueFilterForm(_Uswds):
    field_office = forms.TypedChoiceField(
        label=_("Field office"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any open status"))]
        + [(s.value, s.label) for s in ReferralStatus if s != ReferralStatus.DECIDED],
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field_office"].choices = [("", _("All field offices"))] + [
            (o.pk, o.name) for o in offices
        ]


class ReassignForm(_Uswds):
    prefix = "reassign"
    assigned_to = forms.TypedChoiceField(label=_("Specialist"), coerce=int)
    reason = forms.CharField(label=_("Note (optional)"), required=False, max_length=4000, widget=_area(2))

    def __init__(self, *args, specialists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].choices = [("", _("- Select -"))] + [
            (u.pk, f"{u.display_name} ({u.field_office.name if u.field_office else '—'})")
            for u in specialists
        ]


class InfoRequestForm(_Uswds):
    prefix = "info"
    message = forms.CharField(label=_("What the company must provide"), max_length=4000, widget=_area(4))
    due_on = forms.DateField(
        label=_("Answer due by"),
        help_text=_(
            "At most 30 days from today. The certification clock is paused until the company answers."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("due_on", today() + dt.timedelta(days=14))


class ReasonsForm(_Uswds):
    reasons = forms.CharField(label=_("Reasons"), max_length=4000, widget=_area(4))


class CertifyForm(ReasonsForm):
    prefix = "certify"


class ProposeDenialForm(ReasonsForm):
    prefix = "deny"


class ApproveDenialForm(_Uswds):
    prefix = "approve"
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=4000, widget=_area(2))


class SendBackForm(_Uswds):
    prefix = "sendback"
    note = forms.CharField(label=_("Why it goes back"), max_length=4000, widget=_area(2))


# --- staff: membership --------------------------------------------------------------------------------------


class SuspendForm(_Uswds):
    prefix = "suspend"
    cause = forms.ChoiceField(label=_("Cause"), choices=[("", _("- Select -")), *SuspensionCause.choices])
    benefits = forms.MultipleChoiceField(
        label=_("Benefits withdrawn"), choices=Benefit.choices, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=_area(3))


class RemoveForm(_Uswds):
    prefix = "remove"
    cause = forms.ChoiceField(label=_("Cause"), choices=[("", _("- Select -")), *SuspensionCause.choices])
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=_area(3))


class ReinstateForm(_Uswds):
    prefix = "reinstate"
    reason = forms.CharField(label=_("Reason for reinstatement"), max_length=4000, widget=_area(2))


class PlanReviewForm(_Uswds):
    prefix = "plan"
    plan_id = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept the plan")), ("reject", _("Reject the plan"))]
    )
    note = forms.CharField(label=_("Note to the company"), max_length=4000, widget=_area(2))


class DeadlineFilterForm(_Uswds):
    field_office = forms.TypedChoiceField(
        label=_("Field office"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field_office"].choices = [("", _("All field offices"))] + [
            (o.pk, o.name) for o in offices
        ]
        self.fields["kind"].choices = [("", _("All kinds"))] + [(k, Kind.LABELS[k]) for k in Kind.PROGRAM]


# --- staff: appeals -----------------------------------------------------------------------------------------


class AppealFilterForm(_Uswds):
    status = forms.ChoiceField(label=_("Status"), required=False)
    field_office = forms.TypedChoiceField(
        label=_("Field office"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *AppealStatus.choices]
        self.fields["field_office"].choices = [("", _("All field offices"))] + [
            (o.pk, o.name) for o in offices
        ]


class AppealDecideForm(_Uswds):
    prefix = "decide"
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("", _("- Select -")),
            ("upheld", _("Uphold the original decision")),
            ("overturned", _("Overturn it")),
        ],
    )
    note = forms.CharField(label=_("Decision note (the company reads it)"), max_length=4000, widget=_area(3))


# --- company ------------------------------------------------------------------------------------------------


class AnswerForm(_Uswds):
    prefix = "answer"  # one request is open at a time, so one answer form per page
    response = forms.CharField(label=_("Your answer"), max_length=10000, widget=_area(4))


class PlanForm(_Uswds):
    prefix = "plan"
    text = forms.CharField(
        label=_("Corrective action plan"),
        help_text=_("Each corrective action with its objective, owner and timeframe."),
        max_length=10000,
        widget=_area(6),
    )
    consent = forms.BooleanField(
        label=_("The company consents to unannounced visits by program staff."),
        required=True,
    )


class AppealForm(_Uswds):
    prefix = "appeal"
    subject = forms.ChoiceField(label=_("What you appeal"))
    grounds = forms.CharField(
        label=_("Grounds of the appeal"),
        help_text=_("Why the decision should be changed, with the facts and documents it rests on."),
        max_length=10000,
        widget=_area(6),
    )

    def __init__(self, *args, appealable=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("- Select -"))]
        for subject, (_obj, last_day) in (appealable or {}).items():
            choices.append(
                (
                    subject,
                    _("%(s)s (until %(d)s)") % {"s": AppealSubject(subject).label, "d": last_day.isoformat()},
                )
            )
        self.fields["subject"].choices = choices
