"""Account pages: sign-up, sign-in, MFA, password reset, API tokens, staff and field-office administration."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

import django_otp
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.util import random_hex

from greenlane.core.errors import DomainError, NotFound

from . import forms, mfa, selectors, services
from .tokens import VERIFY_MAX_AGE

MFA_SETUP_SESSION_KEY = "accounts_mfa_setup_key"


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _posted(request):
    """Form data for a POST (even an empty one, so it is validated), None for a GET."""
    return request.POST if request.method == "POST" else None


def system_admin_required(view):
    """Administration pages answer 404 to everyone but a signed-in system administrator."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            selectors.require_system_admin(request.user)
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapper


# Sign-in -------------------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = forms.LoginForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        url = super().get_success_url()
        # A fresh sign-in has not passed the second factor: staff go there first, then where they were going.
        if getattr(self.request.user, "staff_role", ""):
            return reverse("accounts:mfa") + "?" + urlencode({"next": url})
        return url

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        if form.is_bound and form.unverified:
            context["resend_form"] = forms.ResendVerificationForm(
                initial={"email": form.cleaned_data.get("username")}
            )
        return context


login_view = LoginView.as_view()
logout_view = auth_views.LogoutView.as_view()


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = forms.SignUpForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_sign_up(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            request.session["accounts_signup_email"] = form.cleaned_data["email"].strip().lower()
            return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


def signup_sent(request):
    email = request.session.get("accounts_signup_email", "")
    return render(
        request,
        "accounts/signup_sent.html",
        {
            "email": email,
            "days": VERIFY_MAX_AGE.days,
            "resend_form": forms.ResendVerificationForm(initial={"email": email}),
        },
    )


def verify_email(request, token: str):
    try:
        services.user_verify_email_token(token=token)
    except DomainError as exc:
        context = {"message": exc.message, "resend_form": forms.ResendVerificationForm()}
        return render(request, "accounts/verify_failed.html", context, status=400)
    messages.success(request, _("Your e-mail address is confirmed. Sign in to continue."))
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def resend_verification(request):
    form = forms.ResendVerificationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.verification_email_resend(email=form.cleaned_data["email"])
        messages.info(
            request,
            _(
                "If an account at %(email)s is waiting for confirmation, we have sent a new link. "
                "It is valid for %(days)d days. Check your spam folder too."
            )
            % {"email": form.cleaned_data["email"], "days": VERIFY_MAX_AGE.days},
        )
        return redirect("accounts:login")
    return render(request, "accounts/resend_verification.html", {"form": form})


# Two-step verification (staff) ---------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_view(request):
    user = request.user
    next_url = _safe_next(request, reverse("home"))
    if not user.staff_role or user.is_verified():
        return HttpResponseRedirect(next_url)
    if selectors.has_confirmed_totp(user):
        return _mfa_verify(request, next_url)
    return _mfa_setup(request, next_url)


def _mfa_verify(request, next_url: str):
    form = forms.MfaCodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        device, wait = mfa.verify_code(request.user, form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            return HttpResponseRedirect(next_url)
        if wait:
            form.add_error(
                "code",
                ngettext(
                    "Too many wrong codes. Wait %(seconds)d second, then enter the current code.",
                    "Too many wrong codes. Wait %(seconds)d seconds, then enter the current code.",
                    wait,
                )
                % {"seconds": wait},
            )
        else:
            form.add_error(
                "code",
                _(
                    "That code does not match. Enter the code your app shows now, and check that "
                    "the phone's clock is right."
                ),
            )
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": next_url})


def _mfa_setup(request, next_url: str):
    key = request.session.get(MFA_SETUP_SESSION_KEY)
    if not key:
        key = random_hex(20)
        request.session[MFA_SETUP_SESSION_KEY] = key
    form = forms.MfaCodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            device = services.totp_device_confirm(
                actor=request.user, key_hex=key, code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            request.session.pop(MFA_SETUP_SESSION_KEY, None)
            django_otp.login(request, device)
            messages.success(
                request, _("Two-step verification is set up. You will enter a code each time you sign in.")
            )
            return HttpResponseRedirect(next_url)
    uri = mfa.provisioning_uri(key, request.user.email)
    context = {
        "form": form,
        "next": next_url,
        "secret": mfa.base32_secret(key),
        "qr_svg": mfa.qr_svg(uri, label=_("QR code to add Greenlane to your authenticator app")),
    }
    return render(request, "accounts/mfa_setup.html", context)


# Password reset and change -------------------------------------------------------------------------


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset_form.html",
    form_class=forms.PasswordResetForm,
    email_template_name="accounts/emails/password_reset.txt",
    subject_template_name="accounts/emails/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    form_class=forms.SetPasswordForm,
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change_form.html",
    form_class=forms.PasswordChangeForm,
    success_url=reverse_lazy("accounts:password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)


# API tokens ----------------------------------------------------------------------------------------


def _int_param(request, name: str) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = forms.TokenCreateForm(_posted(request))
    raw = created = None
    if request.method == "POST" and form.is_valid():
        try:
            created, raw = services.api_token_create(
                actor=request.user, user=request.user, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            # Shown once, in this response only; the page is not cached and the value is not kept anywhere.
            form = forms.TokenCreateForm()
    page = selectors.token_page(
        request.user, limit=_int_param(request, "limit"), offset=_int_param(request, "offset")
    )
    context = {"form": form, "page": page, "raw_token": raw, "created": created, "querystring_base": ""}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, token_id: int):
    try:
        token = selectors.token_of(request.user, token_id)
    except NotFound:
        raise Http404 from None
    if request.method == "POST":
        services.api_token_revoke(actor=request.user, token_id=token.pk)
        messages.success(
            request,
            _("The token “%(name)s” is revoked; requests using it are refused from now on.")
            % {"name": token.name},
        )
        return redirect("accounts:tokens")
    return render(request, "accounts/token_revoke.html", {"token": token})


# Staff administration (system administrators) ------------------------------------------------------


@system_admin_required
@require_http_methods(["GET", "POST"])
def staff_users(request):
    form = forms.StaffUserCreateForm(_posted(request), prefix="new")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                email=data["email"],
                password=data["password"],
                full_name=data["full_name"],
                staff_role=data["staff_role"],
                field_office=data["field_office"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request,
                _(
                    "Staff account created for %(email)s. "
                    "They set up two-step verification at their first sign-in."
                )
                % {"email": user.email},
            )
            return redirect("accounts:staff_users")
    q = request.GET.get("q", "").strip()
    active = request.GET.get("active", "")
    page = selectors.staff_page(
        request.user,
        q=q,
        active=active,
        limit=_int_param(request, "limit"),
        offset=_int_param(request, "offset"),
    )
    querystring_base = urlencode({k: v for k, v in {"q": q, "active": active}.items() if v})
    context = {
        "form": form,
        "page": page,
        "q": q,
        "active": active,
        "querystring_base": querystring_base + "&" if querystring_base else "",
    }
    return render(request, "accounts/staff_users.html", context)


@system_admin_required
@require_http_methods(["GET", "POST"])
def staff_user(request, user_id: int):
    target = selectors.staff_user_for(request.user, user_id)
    form = forms.StaffUserEditForm(
        _posted(request),
        current_office_id=target.field_office_id,
        initial={
            "full_name": target.full_name,
            "staff_role": target.staff_role,
            "field_office": target.field_office,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_user_update(actor=request.user, user_id=target.pk, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Saved the changes to %(email)s.") % {"email": target.email})
            return redirect("accounts:staff_user", user_id=target.pk)
    return render(request, "accounts/staff_user.html", {"target": target, "form": form})


STAFF_ACTIONS = {
    "deactivate": services.staff_user_deactivate,
    "reactivate": services.staff_user_reactivate,
    "reset-mfa": services.staff_mfa_reset,
}


@system_admin_required
@require_http_methods(["GET", "POST"])
def staff_user_action(request, user_id: int, action: str):
    if action not in STAFF_ACTIONS:
        raise Http404
    target = selectors.staff_user_for(request.user, user_id)
    form = forms.ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            STAFF_ACTIONS[action](actor=request.user, user_id=target.pk, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            done = {
                "deactivate": _("%(email)s is deactivated and can no longer sign in or use API tokens."),
                "reactivate": _("%(email)s is active again."),
                "reset-mfa": _(
                    "Two-step verification is reset; %(email)s sets up a new authenticator at next sign-in."
                ),
            }[action]
            messages.success(request, done % {"email": target.email})
            return redirect("accounts:staff_user", user_id=target.pk)
    return render(
        request, "accounts/staff_user_action.html", {"target": target, "form": form, "action": action}
    )


@system_admin_required
@require_http_methods(["GET", "POST"])
def field_offices(request):
    form = forms.FieldOfficeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            office = services.field_office_create(actor=request.user, name=form.cleaned_data["name"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Field office %(name)s added.") % {"name": office.name})
            return redirect("accounts:field_offices")
    offices = selectors.field_offices_for(request.user)
    return render(request, "accounts/field_offices.html", {"form": form, "offices": offices})


@system_admin_required
@require_http_methods(["GET", "POST"])
def field_office_rename(request, office_id: int):
    office = selectors.field_office_for(request.user, office_id)
    form = forms.FieldOfficeForm(_posted(request), initial={"name": office.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.field_office_rename(
                actor=request.user, office_id=office.pk, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request, _("Field office renamed to %(name)s.") % {"name": form.cleaned_data["name"]}
            )
            return redirect("accounts:field_offices")
    return render(request, "accounts/field_office_rename.html", {"office": office, "form": form})


@system_admin_required
@require_POST
def field_office_set_active(request, office_id: int, active: bool):
    service = services.field_office_reactivate if active else services.field_office_deactivate
    try:
        office = service(actor=request.user, office_id=office_id)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if active:
            messages.success(request, _("%(name)s is active again.") % {"name": office.name})
        else:
            messages.success(
                request,
                _("%(name)s is deactivated: it is no longer offered for new staff; current staff keep it.")
                % {"name": office.name},
            )
    return redirect("accounts:field_offices")
