"""Account forms. They parse and check shape; the rules live in services."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .choices import StaffRole
from .models import FieldOffice

_WIDGET_CLASS = {
    forms.Select: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.CheckboxInput: "usa-checkbox__input",
}

# Maps a service's field name to the form field that shows the error.
SERVICE_FIELD_MAP = {"password": "password1"}


class UswdsForm:
    """Adds USWDS classes and links inputs to the hint and error that includes/field.html renders."""

    def _uswds_init(self) -> None:
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            widget = field.widget
            css = next((c for cls, c in _WIDGET_CLASS.items() if isinstance(widget, cls)), "usa-input")
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            self._describe(name)

    def _describe(self, name: str) -> None:
        bound = self[name]  # type: ignore[index]
        ids = []
        if bound.help_text:
            ids.append(f"{bound.auto_id}-hint")
        if self.is_bound and name in self.errors:  # type: ignore[attr-defined]
            ids.append(f"{bound.auto_id}-error")
        if ids:
            bound.field.widget.attrs["aria-describedby"] = " ".join(ids)
        else:
            bound.field.widget.attrs.pop("aria-describedby", None)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.fields:  # type: ignore[attr-defined]
            self._describe(name)

    def add_domain_error(self, exc) -> None:
        """Show a service's DomainError on the field it names, or at the top of the form."""
        field = SERVICE_FIELD_MAP.get(exc.field, exc.field) if exc.field else None
        self.add_error(field if field in self.fields else None, exc.message)  # type: ignore[attr-defined]
        for name in self.fields:  # type: ignore[attr-defined]
            self._describe(name)


def _email_field(**kwargs) -> forms.EmailField:
    return forms.EmailField(
        label=kwargs.pop("label", _("E-mail address")),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        **kwargs,
    )


class SignUpForm(UswdsForm, forms.Form):
    email = _email_field(
        help_text=_("We send a link to this address; you confirm it before you can sign in.")
    )
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 10 characters; not a common password, not only digits, not like your e-mail or name."
        ),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._uswds_init()

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ. Type the same password twice."))
        return data


class LoginForm(UswdsForm, auth_forms.AuthenticationForm):
    """Sign in with e-mail and password. Unconfirmed addresses are refused with a way forward."""

    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True, "spellcheck": "false"}),
    )
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address or password is wrong. Check both, or reset your password. "
            "After 5 failed attempts the account is locked for 30 minutes."
        ),
        "unverified": _(
            "Confirm your e-mail address before signing in: open the link we sent you. "
            "No e-mail? Send a new link below."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        self._uswds_init()

    def clean_username(self) -> str:
        # Addresses are stored in lower case; the lockout counts per lower-cased address too.
        return (self.cleaned_data.get("username") or "").strip().lower()

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if user.email_verified_at is None:
            raise ValidationError(self.error_messages["unverified"], code="unverified")

    @property
    def unverified(self) -> bool:
        return any(e.code == "unverified" for e in self.errors.as_data().get("__all__", []))


class ResendVerificationForm(UswdsForm, forms.Form):
    email = _email_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "resend_%s")
        super().__init__(*args, **kwargs)
        self._uswds_init()


class MfaCodeForm(UswdsForm, forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        max_length=9,
        help_text=_("The code your authenticator app shows now. It changes every 30 seconds."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._uswds_init()

    def clean_code(self) -> str:
        from .mfa import normalise_code

        code = normalise_code(self.cleaned_data["code"])
        if not (code.isdigit() and len(code) == 6):
            raise ValidationError(_("Enter the 6 digits your authenticator app shows, like 123456."))
        return code


class TokenCreateForm(UswdsForm, forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, like “ERP integration”, so you recognise it later."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._uswds_init()


class ReasonForm(UswdsForm, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit trail."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._uswds_init()


class _OfficeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name if obj.is_active else _("%(name)s (deactivated)") % {"name": obj.name}


class StaffUserCreateForm(UswdsForm, forms.Form):
    email = _email_field()
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    staff_role = forms.ChoiceField(label=_("Staff role"), choices=[("", _("- Select -")), *StaffRole.choices])
    field_office = _OfficeChoiceField(
        label=_("Field office"),
        queryset=FieldOffice.objects.none(),
        required=False,
        empty_label=_("- None -"),
    )
    password = forms.CharField(
        label=_("Temporary password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Give it to the person by a separate channel; they can change it after signing in."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        office_field = self.fields["field_office"]
        assert isinstance(office_field, forms.ModelChoiceField)
        office_field.queryset = FieldOffice.objects.filter(is_active=True).order_by("name")
        self._uswds_init()


class StaffUserEditForm(UswdsForm, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    staff_role = forms.ChoiceField(label=_("Staff role"), choices=StaffRole.choices)
    field_office = _OfficeChoiceField(
        label=_("Field office"),
        queryset=FieldOffice.objects.none(),
        required=False,
        empty_label=_("- None -"),
    )

    def __init__(self, *args, current_office_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        offices = FieldOffice.objects.filter(is_active=True)
        if current_office_id:
            offices = offices | FieldOffice.objects.filter(pk=current_office_id)
        office_field = self.fields["field_office"]
        assert isinstance(office_field, forms.ModelChoiceField)
        office_field.queryset = offices.order_by("name")
        self._uswds_init()


class FieldOfficeForm(UswdsForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._uswds_init()


# Django's password forms, styled, with the write going through the audited service.


class PasswordResetForm(UswdsForm, auth_forms.PasswordResetForm):
    email = _email_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._uswds_init()


class SetPasswordForm(UswdsForm, auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = _(
            "At least 10 characters; not a common password, not only digits, not like your e-mail or name."
        )
        self._uswds_init()

    def save(self, commit: bool = True):
        return services.user_set_password(
            actor=self.user, user=self.user, password=self.cleaned_data["new_password1"], via_reset=True
        )


class PasswordChangeForm(UswdsForm, auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = _(
            "At least 10 characters; not a common password, not only digits, not like your e-mail or name."
        )
        self._uswds_init()

    def save(self, commit: bool = True):
        return services.user_set_password(
            actor=self.user, user=self.user, password=self.cleaned_data["new_password1"], via_reset=False
        )
