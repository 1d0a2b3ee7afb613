"""Writes for accounts: users, staff, field offices, MFA, API tokens. One audit event per state change."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from greenlane.audit.services import diff, record_event
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound, from_django_validation

from . import emails, mfa
from .choices import StaffRole
from .models import ApiToken, FieldOffice, User, hash_token
from .permissions import is_system_admin
from .tokens import read_verification_token

TOKEN_PREFIX = "glt_"
MAX_ACTIVE_TOKENS = 50
RESEND_INTERVAL_SECONDS = 60


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(_("Enter a valid e-mail address, like name@example.com."), field="email") from None
    return email


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from None


def _one_line(value: str, *, field: str, limit: int, too_long: str, missing: str = "") -> str:
    """Collapse white space; refuse an empty value (when `missing` says why) or one over `limit` characters."""
    value = " ".join((value or "").split())
    if missing and not value:
        raise InvalidInput(missing, field=field)
    if len(value) > limit:
        raise InvalidInput(too_long, field=field)
    return value


def _clean_name(full_name: str, *, required: bool) -> str:
    return _one_line(
        full_name,
        field="full_name",
        limit=150,
        too_long=_("A name is at most 150 characters."),
        missing=_("Enter your full name.") if required else "",
    )


def _locked(queryset, raw_id, *, of: tuple[str, ...] = (), not_found: str = ""):
    """The row with this id, locked for the transaction; a malformed or unknown id is NotFound."""
    missing = NotFound(not_found) if not_found else NotFound()
    try:
        pk = int(raw_id)
    except (TypeError, ValueError):
        raise missing from None
    found = queryset.select_for_update(of=of).filter(pk=pk).first()
    if found is None:
        raise missing
    return found


def _save_new(obj, conflict: str, *, field: str, exclude: list[str] | None = None) -> None:
    """Validate and insert a new row; a unique clash (checked first, or lost to a race) is Conflict."""
    try:
        obj.full_clean(exclude=exclude)
        with transaction.atomic():
            obj.save()
    except ValidationError as exc:
        raise from_django_validation(exc) from None
    except IntegrityError:
        raise Conflict(conflict, field=field) from None


def _set_active(obj, active: bool, *, actor: User, kind: str, label: str, name: str, reason=None):
    """Deactivate or reactivate a staff account (`kind` user) or a field office, with one audit event."""
    if obj.is_active == active:
        already = _("%(name)s is already active.") if active else _("%(name)s is already deactivated.")
        raise Conflict(already % {"name": name})
    obj.is_active = active
    obj.save(update_fields=["is_active"])
    extra = {} if reason is None else {"reason": reason.strip()}
    record_event(
        actor=actor,
        action=f"{kind}.{'reactivate' if active else 'deactivate'}",
        obj=obj,
        summary=f"{label} {name} {'reactivated' if active else 'deactivated'}",
        before={"is_active": not active},
        after={"is_active": active},
        **extra,
    )
    return obj


def _check_staff_role(staff_role: str) -> None:
    if staff_role not in StaffRole.values:
        raise InvalidInput(
            _("Unknown staff role '%(role)s'. Known roles: %(roles)s.")
            % {"role": staff_role, "roles": ", ".join(StaffRole.values)},
            field="staff_role",
        )


def _check_field_office(field_office: FieldOffice | None) -> None:
    if field_office is not None and not field_office.is_active:
        raise InvalidInput(
            _("The field office %(name)s is deactivated; choose an active office.")
            % {"name": field_office.name},
            field="field_office",
        )


def _require_system_admin(actor: User | None) -> None:
    if actor is not None and not is_system_admin(actor):
        raise Forbidden(_("Only a system administrator can do this."))


def _user_snapshot(user: User) -> dict:
    return {
        "full_name": user.full_name,
        "staff_role": user.staff_role,
        "field_office": user.field_office.name if user.field_office else None,
        "is_active": user.is_active,
    }


def _new_user(
    *, email: str, password: str, full_name: str, staff_role: str, field_office, verified: bool
) -> User:
    if User.objects.filter(email=email).exists():
        raise Conflict(
            _(
                "An account with this e-mail address already exists. "
                "Sign in, or reset the password if it is yours."
            ),
            field="email",
        )
    user = User(email=email, full_name=full_name, staff_role=staff_role, field_office=field_office)
    _check_password(password, user)
    user.set_password(password)
    if verified:
        user.email_verified_at = timezone.now()
    _save_new(
        user, _("An account with this e-mail address already exists."), field="email", exclude=["password"]
    )
    return user


# Users ------------------------------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    email: str,
    password: str,
    full_name: str = "",
    staff_role: str = "",
    field_office: FieldOffice | None = None,
    verified: bool = False,
) -> User:
    """Create a user. Staff accounts are created only by a system admin (or the CLI, actor None)."""
    email = _clean_email(email)
    full_name = _clean_name(full_name, required=False)
    if staff_role:
        _check_staff_role(staff_role)
        if actor is not None and not is_system_admin(actor):
            raise Forbidden(_("Only a system administrator creates staff accounts."), field="staff_role")
    elif field_office is not None:
        raise InvalidInput(
            _("A field office applies only to staff accounts; give a staff role too."), field="field_office"
        )
    _check_field_office(field_office)
    user = _new_user(
        email=email,
        password=password,
        full_name=full_name,
        staff_role=staff_role,
        field_office=field_office,
        verified=verified or bool(staff_role),
    )
    record_event(
        actor=actor,
        action="user.create",
        obj=user,
        summary=f"Account created for {email}",
        after={
            "email": email,
            "staff_role": staff_role,
            "field_office": field_office.name if field_office else None,
        },
    )
    return user


@transaction.atomic
def user_sign_up(*, email: str, password: str, full_name: str) -> User:
    """A person signs up as a trade user; the account stays unusable until the e-mail address is confirmed."""
    email = _clean_email(email)
    full_name = _clean_name(full_name, required=True)
    user = _new_user(
        email=email, password=password, full_name=full_name, staff_role="", field_office=None, verified=False
    )
    record_event(
        actor=user,
        action="user.sign_up",
        obj=user,
        summary=f"Signed up as {email}",
        after={"email": email, "full_name": full_name},
    )
    transaction.on_commit(lambda: emails.send_verification_email(user))
    return user


@transaction.atomic
def user_verify_email(*, user: User) -> User:
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        record_event(
            actor=user,
            action="user.verify_email",
            obj=user,
            summary="E-mail address verified",
            after={"email_verified_at": user.email_verified_at},
        )
    return user


def user_verify_email_token(*, token: str) -> User:
    """Confirm the address a verification link was sent to. Using a link twice is harmless."""
    user_id, email = read_verification_token(token)
    user = User.objects.filter(pk=user_id, email=email).first()
    if user is None:
        raise InvalidInput(
            _("This confirmation link no longer matches an account. Sign up again or ask for a new link.")
        )
    return user_verify_email(user=user)


def verification_email_resend(*, email: str) -> None:
    """Send a new link if an unverified account has this address. Says nothing about whether one exists."""
    email = (email or "").strip().lower()
    user = User.objects.filter(email=email, email_verified_at__isnull=True, is_active=True).first()
    if user is None:
        return
    # At most one e-mail a minute per address, so the form cannot be used to flood a mailbox.
    if not cache.add(f"accounts:resend:{user.pk}", 1, RESEND_INTERVAL_SECONDS):
        return
    emails.send_verification_email(user)


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str, via_reset: bool) -> User:
    """Change a password.

    A reset link proves the mailbox, so a reset also confirms the address and lifts a sign-in lockout.
    """
    _check_password(password, user)
    user.set_password(password)
    fields = ["password"]
    if via_reset and user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        fields.append("email_verified_at")
    user.save(update_fields=fields)
    action = "user.password_reset" if via_reset else "user.password_change"
    record_event(
        actor=actor,
        action=action,
        obj=user,
        summary="Password reset by e-mail link" if via_reset else "Password changed",
    )
    if via_reset:
        from axes.utils import reset as axes_reset

        email = user.email
        transaction.on_commit(lambda: axes_reset(username=email))
    return user


# Staff administration ---------------------------------------------------------------------------------------


def _staff_target(actor: User, user_id) -> User:
    """A staff account, locked, for a system administrator to change."""
    _require_system_admin(actor)
    return _locked(User.objects.select_related("field_office").exclude(staff_role=""), user_id, of=("self",))


@transaction.atomic
def staff_user_update(
    *, actor: User, user_id: int, full_name: str, staff_role: str, field_office: FieldOffice | None
) -> User:
    user = _staff_target(actor, user_id)
    full_name = _clean_name(full_name, required=False)
    _check_staff_role(staff_role)
    if user.pk == actor.pk and staff_role != StaffRole.SYSTEM_ADMIN:
        raise InvalidInput(
            _(
                "You cannot take the system administrator role from yourself; "
                "ask another system administrator."
            ),
            field="staff_role",
        )
    if field_office is not None and field_office.pk != user.field_office_id:
        _check_field_office(field_office)
    before = _user_snapshot(user)
    user.full_name, user.staff_role, user.field_office = full_name, staff_role, field_office
    after = _user_snapshot(user)
    before, after = diff(before, after)
    if not after:
        return user
    user.save(update_fields=["full_name", "staff_role", "field_office"])
    record_event(
        actor=actor,
        action="user.update",
        obj=user,
        summary=f"Staff account {user.email} updated",
        before=before,
        after=after,
    )
    return user


@transaction.atomic
def staff_user_deactivate(*, actor: User, user_id: int, reason: str = "") -> User:
    user = _staff_target(actor, user_id)
    if user.pk == actor.pk:
        raise InvalidInput(_("You cannot deactivate your own account; ask another system administrator."))
    return _set_active(
        user, False, actor=actor, kind="user", label="Staff account", name=user.email, reason=reason
    )


@transaction.atomic
def staff_user_reactivate(*, actor: User, user_id: int, reason: str = "") -> User:
    user = _staff_target(actor, user_id)
    return _set_active(
        user, True, actor=actor, kind="user", label="Staff account", name=user.email, reason=reason
    )


@transaction.atomic
def staff_mfa_reset(*, actor: User, user_id: int, reason: str = "") -> User:
    """Remove a staff member's authenticator (a lost phone); they set up a new one at their next sign-in."""
    user = _staff_target(actor, user_id)
    if user.pk == actor.pk:
        raise InvalidInput(
            _("You cannot reset your own two-step verification; ask another system administrator.")
        )
    devices = TOTPDevice.objects.filter(user=user)
    names = sorted(devices.values_list("name", flat=True))
    if not names:
        raise Conflict(_("%(email)s has no authenticator set up.") % {"email": user.email})
    devices.delete()
    record_event(
        actor=actor,
        action="mfa.reset",
        obj=user,
        summary=f"Two-step verification reset for {user.email}",
        before={"devices": names},
        after={"devices": []},
        reason=reason.strip(),
    )
    return user


# MFA --------------------------------------------------------------------------------------------------------


@transaction.atomic
def totp_device_confirm(*, actor: User, key_hex: str, code: str) -> TOTPDevice:
    """Save the authenticator the user just configured, once they prove it with a current code."""
    User.objects.select_for_update().filter(pk=actor.pk).first()
    if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise Conflict(
            _("Two-step verification is already set up for your account. Enter a code to continue.")
        )
    matched = mfa.totp_matches(key_hex, code)
    if matched is None:
        raise InvalidInput(
            _(
                "That code does not match. Enter the 6-digit code your app shows now, "
                "and check the phone's clock."
            ),
            field="code",
        )
    device = TOTPDevice.objects.create(
        user=actor, name="authenticator", key=key_hex, confirmed=True, last_t=matched
    )
    record_event(
        actor=actor,
        action="mfa.setup",
        obj=actor,
        summary="Two-step verification set up",
        after={"device": device.name},
    )
    return device


# Field offices ----------------------------------------------------------------------------------------------


def _clean_office_name(name: str) -> str:
    return _one_line(
        name,
        field="name",
        limit=100,
        too_long=_("A field office name is at most 100 characters."),
        missing=_("Enter the field office's name."),
    )


def _office_name_conflict(name: str) -> str:
    return _("A field office named %(name)s already exists.") % {"name": name}


def _office_name_taken(name: str, *, exclude_pk: int | None = None) -> bool:
    qs = FieldOffice.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _office_target(actor: User, office_id) -> FieldOffice:
    """A field office, locked, for a system administrator to change."""
    _require_system_admin(actor)
    return _locked(FieldOffice.objects.all(), office_id)


@transaction.atomic
def field_office_create(*, actor: User, name: str) -> FieldOffice:
    _require_system_admin(actor)
    name = _clean_office_name(name)
    if _office_name_taken(name):
        raise Conflict(_office_name_conflict(name), field="name")
    base = slugify(name)[:16] or "office"
    code, n = base, 2
    while FieldOffice.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    office = FieldOffice(name=name, code=code)
    _save_new(office, _office_name_conflict(name), field="name")
    record_event(
        actor=actor,
        action="field_office.create",
        obj=office,
        summary=f"Field office {name} added",
        after={"name": name, "code": code},
    )
    return office


@transaction.atomic
def field_office_rename(*, actor: User, office_id: int, name: str) -> FieldOffice:
    office = _office_target(actor, office_id)
    name = _clean_office_name(name)
    if name == office.name:
        return office
    if _office_name_taken(name, exclude_pk=office.pk):
        raise Conflict(_office_name_conflict(name), field="name")
    old = office.name
    office.name = name
    try:
        with transaction.atomic():
            office.save(update_fields=["name"])
    except IntegrityError:
        raise Conflict(_office_name_conflict(name), field="name") from None
    record_event(
        actor=actor,
        action="field_office.rename",
        obj=office,
        summary=f"Field office {old} renamed to {name}",
        before={"name": old},
        after={"name": name},
    )
    return office


@transaction.atomic
def field_office_deactivate(*, actor: User, office_id: int) -> FieldOffice:
    """Deactivated offices are not offered for new assignments; staff already there keep it."""
    office = _office_target(actor, office_id)
    return _set_active(
        office, False, actor=actor, kind="field_office", label="Field office", name=office.name
    )


@transaction.atomic
def field_office_reactivate(*, actor: User, office_id: int) -> FieldOffice:
    office = _office_target(actor, office_id)
    return _set_active(office, True, actor=actor, kind="field_office", label="Field office", name=office.name)


# API tokens -------------------------------------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a token; returns the record and the raw value, which is never stored or shown again."""
    name = _one_line(
        name,
        field="name",
        limit=100,
        too_long=_("A token name is at most 100 characters."),
        missing=_("Give the token a name so you can recognise it later."),
    )
    if not user.is_active:
        raise InvalidInput(
            _("%(email)s is deactivated; a token for it would not work.") % {"email": user.email}
        )
    User.objects.select_for_update().filter(pk=user.pk).first()
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise Conflict(
            _("You have %(n)d active tokens, the most allowed. Revoke one you no longer use first.")
            % {"n": MAX_ACTIVE_TOKENS}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], token_hash=hash_token(raw))
    record_event(
        actor=actor,
        action="api_token.create",
        obj=token,
        summary=f"API token '{name}' issued",
        after={"name": name, "prefix": token.prefix, "user": user.email},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token_id: int) -> ApiToken:
    """Revoke one of the actor's own tokens. Someone else's token and a missing one are both not found."""
    token = _locked(ApiToken.objects.filter(user=actor), token_id, not_found=_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            actor=actor,
            action="api_token.revoke",
            obj=token,
            summary=f"API token '{token.name}' revoked",
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at},
        )
    return token
