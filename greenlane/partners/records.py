"""Writes to a company's sites, contacts and people, and publishing the agreement: one audit event each."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from greenlane.accounts.choices import TradeRole
from greenlane.accounts.models import User
from greenlane.audit.services import record_event
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound, from_django_validation

from . import permissions
from .models import AgreementVersion, Contact, Membership, Site
from .selectors import partner_for
from .services import _require_company_editable, _require_trade_role


def _save_child(obj, *, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise from_django_validation(exc) from None
    obj.save()


@transaction.atomic
def site_add(*, actor: User, partner_id: int, **fields: Any):
    access = partner_for(actor, partner_id, for_update=True)
    _require_trade_role(access, permissions.can_prepare, _("Only people of this company may edit its sites."))
    _require_company_editable(access.partner)
    clean = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    if isinstance(clean.get("country"), str):
        clean["country"] = clean["country"].upper()
    site = Site(partner=access.partner, **clean)
    _save_child(site, exclude=["partner"])
    record_event(
        actor=actor,
        action="site.add",
        partner=access.partner,
        obj=site,
        summary=f"Added site {site.name} ({site.get_kind_display()})",
        after=clean,
    )
    return site


@transaction.atomic
def site_remove(*, actor: User, partner_id: int, site_id: int) -> None:
    access = partner_for(actor, partner_id, for_update=True)
    _require_trade_role(access, permissions.can_prepare, _("Only people of this company may edit its sites."))
    _require_company_editable(access.partner)
    site = access.partner.sites.filter(pk=site_id).first()
    if site is None:
        raise NotFound()
    before = {
        "kind": site.kind,
        "name": site.name,
        "street": site.street,
        "city": site.city,
        "country": site.country,
    }
    site.delete()
    record_event(
        actor=actor,
        action="site.remove",
        partner=access.partner,
        summary=f"Removed site {before['name']}",
        before=before,
    )


@transaction.atomic
def contact_add(*, actor: User, partner_id: int, **fields: Any):
    access = partner_for(actor, partner_id, for_update=True)
    _require_trade_role(
        access, permissions.can_prepare, _("Only people of this company may edit its contacts.")
    )
    _require_company_editable(access.partner)
    clean = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    contact = Contact(partner=access.partner, **clean)
    _save_child(contact, exclude=["partner"])
    record_event(
        actor=actor,
        action="contact.add",
        partner=access.partner,
        obj=contact,
        summary=f"Added contact {contact.name}",
        after=clean,
    )
    return contact


@transaction.atomic
def contact_remove(*, actor: User, partner_id: int, contact_id: int) -> None:
    access = partner_for(actor, partner_id, for_update=True)
    _require_trade_role(
        access, permissions.can_prepare, _("Only people of this company may edit its contacts.")
    )
    _require_company_editable(access.partner)
    contact = access.partner.contacts.filter(pk=contact_id).first()
    if contact is None:
        raise NotFound()
    before = {"kind": contact.kind, "name": contact.name, "email": contact.email}
    contact.delete()
    record_event(
        actor=actor,
        action="contact.remove",
        partner=access.partner,
        summary=f"Removed contact {before['name']}",
        before=before,
    )


@transaction.atomic
def membership_add(*, actor: User, partner_id: int, email: str, role: str, title: str = "") -> Membership:
    """Add a person with an account to the company (a colleague, a consultant, a broker's staff)."""
    access = partner_for(actor, partner_id, for_update=True)
    _require_trade_role(
        access,
        permissions.can_manage_members,
        _("Only a company officer or company admin adds people to the company."),
    )
    if role not in TradeRole.values:
        raise InvalidInput(_("Choose a role: %(r)s.") % {"r": ", ".join(TradeRole.values)}, field="role")
    if role == TradeRole.COMPANY_OFFICER and access.role != TradeRole.COMPANY_OFFICER:
        raise Forbidden(_("Only a company officer may add another company officer."))
    user = User.objects.filter(email=(email or "").strip().lower(), is_active=True).first()
    if user is None:
        raise InvalidInput(
            _("No active account uses this e-mail address. Ask the person to create an account first."),
            field="email",
        )
    if user.staff_role:
        raise InvalidInput(_("Program staff cannot be members of a company."), field="email")
    if Membership.objects.filter(user=user, partner=access.partner).exists():
        raise Conflict(_("%(e)s already belongs to this company.") % {"e": user.email}, field="email")
    membership = Membership.objects.create(
        user=user, partner=access.partner, role=role, title=(title or "").strip()
    )
    record_event(
        actor=actor,
        action="membership.add",
        partner=access.partner,
        obj=membership,
        summary=f"{user.email} joined as {role}",
        after={"email": user.email, "role": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: User, partner_id: int, membership_id: int) -> None:
    access = partner_for(actor, partner_id, for_update=True)
    _require_trade_role(
        access,
        permissions.can_manage_members,
        _("Only a company officer or company admin removes people from the company."),
    )
    membership = access.partner.memberships.select_related("user").filter(pk=membership_id).first()
    if membership is None:
        raise NotFound()
    if membership.role == TradeRole.COMPANY_OFFICER:
        officers = access.partner.memberships.filter(role=TradeRole.COMPANY_OFFICER).count()
        if officers <= 1:
            raise Conflict(_("A company keeps at least one company officer; add another officer first."))
        if access.role != TradeRole.COMPANY_OFFICER:
            raise Forbidden(_("Only a company officer may remove a company officer."))
    before = {"email": membership.user.email, "role": membership.role}
    membership.delete()
    record_event(
        actor=actor,
        action="membership.remove",
        partner=access.partner,
        summary=f"{before['email']} removed",
        before=before,
    )


@transaction.atomic
def agreement_publish(*, actor: User | None, version: str, title: str, body: str) -> AgreementVersion:
    """Publish a new agreement version and make it current. Published text is never edited."""
    if AgreementVersion.objects.filter(version=version).exists():
        raise Conflict(
            _("Agreement version %(v)s already exists; publish a new version number.") % {"v": version}
        )
    AgreementVersion.objects.filter(is_current=True).update(is_current=False)
    agreement = AgreementVersion.objects.create(
        version=version, title=title, body=body, body_sha256=AgreementVersion.digest(body), is_current=True
    )
    record_event(
        actor=actor,
        action="agreement.publish",
        obj=agreement,
        summary=f"Agreement v{version} published",
        after={"version": version, "sha256": agreement.body_sha256},
    )
    return agreement
