"""Writes for accounts: users, API tokens, e-mail verification. Each records one audit event."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.audit.services import record_event
from greenlane.core.errors import Conflict, InvalidInput, NotFound, from_django_validation

from .choices import StaffRole
from .models import ApiToken, FieldOffice, User, hash_token

TOKEN_PREFIX = "glt_"


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(_("Enter a valid e-mail address."), field="email") from None
    return email


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from None


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
    if staff_role and staff_role not in StaffRole.values:
        raise InvalidInput(
            _("Unknown staff role '%(role)s'. Known roles: %(roles)s.")
            % {"role": staff_role, "roles": ", ".join(StaffRole.values)},
            field="staff_role",
        )
    if staff_role and actor is not None and actor.staff_role != StaffRole.SYSTEM_ADMIN:
        raise InvalidInput(_("Only a system administrator creates staff accounts."), field="staff_role")
    if User.objects.filter(email=email).exists():
        raise Conflict(_("An account with this e-mail address already exists."), field="email")
    user = User(email=email, full_name=full_name.strip()[:150], staff_role=staff_role, field_office=field_office)
    _check_password(password, user)
    user.set_password(password)
    if verified or staff_role:
        user.email_verified_at = timezone.now()
    try:
        user.full_clean(exclude=["password"])
        user.save()
    except ValidationError as exc:
        raise from_django_validation(exc) from None
    except IntegrityError:
        raise Conflict(_("An account with this e-mail address already exists."), field="email") from None
    record_event(
        actor=actor,
        action="user.create",
        obj=user,
        summary=f"Account created for {email}",
        after={"email": email, "staff_role": staff_role, "field_office": field_office.name if field_office else None},
    )
    return user


@transaction.atomic
def user_verify_email(*, user: User) -> User:
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        record_event(actor=user, action="user.verify_email", obj=user, summary="E-mail address verified",
                     after={"email_verified_at": user.email_verified_at})
    return user


@transaction.atomic
def api_token_create(*, actor: User, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a token; returns the record and the raw value, which is never stored or shown again."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Give the token a name so you can recognise it later."), field="name")
    if len(name) > 100:
        raise InvalidInput(_("A token name is at most 100 characters."), field="name")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], token_hash=hash_token(raw))
    record_event(actor=actor, action="api_token.create", obj=token, summary=f"API token '{name}' issued",
                 after={"name": name, "prefix": token.prefix, "user": user.email})
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise NotFound(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(actor=actor, action="api_token.revoke", obj=token, summary=f"API token '{token.name}' revoked",
                     before={"revoked_at": None}, after={"revoked_at": token.revoked_at})
    return token
