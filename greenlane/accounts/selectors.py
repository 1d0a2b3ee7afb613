"""Reads on behalf of an actor. A missing object and one the actor may not see are both NotFound (404)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from greenlane.core.errors import NotFound
from greenlane.core.paging import Page, paginate

from .models import ApiToken, FieldOffice, User
from .permissions import is_system_admin


def require_system_admin(user) -> None:
    """Account administration pages do not exist for anyone but system administrators."""
    if not is_system_admin(user):
        raise NotFound()


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


# API tokens


def tokens_of(user) -> QuerySet[ApiToken]:
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-id")


def token_page(user, *, limit: int | None, offset: int | None) -> Page:
    return paginate(tokens_of(user), limit=limit, offset=offset, default=50)


def token_of(user, token_id) -> ApiToken:
    token = tokens_of(user).filter(pk=_pk(token_id)).first()
    if token is None:
        raise NotFound()
    return token


# MFA


def has_confirmed_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# Staff administration


def _staff_queryset() -> QuerySet[User]:
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.exclude(staff_role="").select_related("field_office").annotate(has_mfa=Exists(confirmed))
    )


def staff_page(
    actor, *, q: str = "", active: str = "", limit: int | None = None, offset: int | None = None
) -> Page:
    require_system_admin(actor)
    qs = _staff_queryset().order_by("-is_active", "email")
    if q:
        qs = qs.filter(Q(email__icontains=q) | Q(full_name__icontains=q))
    if active in ("yes", "no"):
        qs = qs.filter(is_active=active == "yes")
    return paginate(qs, limit=limit, offset=offset, default=50)


def staff_user_for(actor, user_id) -> User:
    require_system_admin(actor)
    user = _staff_queryset().filter(pk=_pk(user_id)).first()
    if user is None:
        raise NotFound()
    return user


# Field offices


def active_field_offices() -> QuerySet[FieldOffice]:
    return FieldOffice.objects.filter(is_active=True).order_by("name")


def field_offices_for(actor) -> list[FieldOffice]:
    require_system_admin(actor)
    return list(
        FieldOffice.objects.annotate(
            staff_count=Count("staff", filter=Q(staff__is_active=True), distinct=True)
        ).order_by("-is_active", "name")
    )


def field_office_for(actor, office_id) -> FieldOffice:
    require_system_admin(actor)
    office = FieldOffice.objects.filter(pk=_pk(office_id)).first()
    if office is None:
        raise NotFound()
    return office


def field_office_by_name(name: str) -> FieldOffice | None:
    """Find an office by name or code, ignoring case (for the command line)."""
    name = (name or "").strip()
    return FieldOffice.objects.filter(Q(name__iexact=name) | Q(code__iexact=name)).first()
