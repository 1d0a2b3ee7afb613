"""Every write to a partner goes through one function here: one transaction, one audit event."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.accounts.choices import StaffRole, TradeRole
from greenlane.accounts.models import User
from greenlane.audit.services import diff, record_event
from greenlane.core import context
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, from_django_validation
from greenlane.core.transitions import check_transition
from greenlane.svi import hooks as svi_hooks

from . import eligibility, permissions, readiness
from . import identifiers as ids
from .choices import (
    COMPANY_TRANSITIONS,
    STATUS_TIMESTAMP,
    TRANSITIONS,
    EntityType,
    PartnerStatus,
    Tier,
    TransportMode,
)
from .models import (
    AgreementSignature,
    AgreementVersion,
    Identifier,
    Membership,
    Partner,
    TierChange,
)
from .selectors import partner_for

S = PartnerStatus
DETAIL_FIELDS = (
    "legal_name",
    "dba_name",
    "country",
    "website",
    "phone",
    "business_start_date",
    "employee_count",
    "business_history",
    "modes_of_transport",
    "eligibility",
)
# Company data may be edited while drafting and while a member; it is frozen during review and after an end.
COMPANY_EDITABLE = frozenset({S.DRAFT, S.CERTIFIED, S.SUSPENDED})
# Status moves that carry more than a reason (cause, benefits, plan): made by the lifecycle services only.
LIFECYCLE_PAIRS = frozenset(
    {
        (S.CERTIFIED, S.SUSPENDED),
        (S.CERTIFIED, S.REMOVED),
        (S.SUSPENDED, S.REMOVED),
        (S.SUSPENDED, S.CERTIFIED),
    }
)
CREATOR_ROLES = frozenset({TradeRole.COMPANY_OFFICER, TradeRole.COMPANY_ADMIN})


@dataclass(frozen=True)
class IdentifierInput:
    type: str
    value: str


def snapshot(partner: Partner) -> dict[str, Any]:
    data = {f: getattr(partner, f) for f in DETAIL_FIELDS}
    data["identifiers"] = sorted(f"{i.type}:{i.value}" for i in partner.identifiers.all())
    return data


def _status_label(value: str) -> str:
    return str(S(value).label) if value in S.values else value


def _new_reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "GL-" + "".join(secrets.choice(alphabet) for _ in range(8))


def _require_trade_role(access, check, message: str) -> None:
    if access.role is None or not check(access.role):
        raise Forbidden(message)


def _require_company_editable(partner: Partner) -> None:
    if partner.status not in COMPANY_EDITABLE:
        raise Conflict(
            _(
                "This company's data is locked while its status is '%(status)s'. Contact your specialist to change it."
            )
            % {"status": _status_label(partner.status)}
        )


def _clean_identifiers(
    entity_type: str, items: list[IdentifierInput], *, partner: Partner | None
) -> list[tuple[str, str]]:
    """Normalise each identifier and check it is not already enrolled. All problems reported at once."""
    errors: list[dict] = []
    cleaned: list[tuple[str, str]] = []
    for index, item in enumerate(items):
        field = f"identifiers[{index}].value"
        try:
            value = ids.normalize(item.type, item.value)
        except ids.IdentifierError as exc:
            errors.append(
                {
                    "field": field
                    if item.type in ids.IdentifierType.values
                    else f"identifiers[{index}].type",
                    "message": exc.message,
                }
            )
            continue
        if (item.type, value) in cleaned:
            errors.append({"field": field, "message": _("This identifier is listed twice.")})
            continue
        cleaned.append((item.type, value))
    unique = [(t, v) for t, v in cleaned if t not in ids.NON_UNIQUE_TYPES]
    if unique:
        taken = Identifier.objects.filter(
            entity_type=entity_type, type__in={t for t, _v in unique}, value__in={v for _t, v in unique}
        )
        if partner is not None:
            taken = taken.exclude(partner=partner)
        taken_pairs = set(taken.values_list("type", "value"))
        for index, pair in enumerate(cleaned):
            if pair in taken_pairs:
                errors.append(
                    {
                        "field": f"identifiers[{index}].value",
                        "message": _(
                            "%(type)s %(value)s is already enrolled for this entity type. If this is your company, "
                            "ask its company officer to add you."
                        )
                        % {"type": pair[0].upper(), "value": pair[1]},
                    }
                )
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    return cleaned


def _apply_details(partner: Partner, changes: dict[str, Any]) -> None:
    unknown = sorted(set(changes) - set(DETAIL_FIELDS))
    if unknown:
        raise InvalidInput(
            _("These fields cannot be changed here: %(f)s.") % {"f": ", ".join(unknown)}, field=unknown[0]
        )
    if "eligibility" in changes:
        try:
            merged = {**(partner.eligibility or {}), **(changes["eligibility"] or {})}
            changes["eligibility"] = eligibility.clean_answers(partner.entity_type, merged)
        except ValueError as exc:
            raise InvalidInput(str(exc), field="eligibility") from None
    if "modes_of_transport" in changes:
        modes = changes["modes_of_transport"] or []
        bad = [m for m in modes if m not in TransportMode.values]
        if bad:
            raise InvalidInput(
                _("Unknown mode(s) of transport: %(m)s. Use sea, air, highway or rail.")
                % {"m": ", ".join(map(str, bad))},
                field="modes_of_transport",
            )
        changes["modes_of_transport"] = sorted(set(modes))
    for key in ("legal_name", "dba_name", "website", "phone", "business_history", "country"):
        if key in changes and isinstance(changes[key], str):
            changes[key] = changes[key].strip()
    if changes.get("country"):
        changes["country"] = changes["country"].upper()
    for key, value in changes.items():
        setattr(
            partner,
            key,
            "" if value is None and key not in ("business_start_date", "employee_count") else value,
        )
    if partner.business_start_date and partner.business_start_date > timezone.localdate():
        raise InvalidInput(_("The business start date cannot be in the future."), field="business_start_date")
    # full_clean() does not enforce a TextField's max_length.
    if len(partner.business_history or "") > 5000:
        raise InvalidInput(_("Keep the company history to 5,000 characters."), field="business_history")
    partner.search_name = f"{partner.legal_name} {partner.dba_name}".strip().lower()[:420]
    try:
        partner.full_clean(exclude=["reference", "search_name"])
    except ValidationError as exc:
        raise from_django_validation(exc) from None


@transaction.atomic
def partner_create(
    *,
    actor: User,
    entity_type: str,
    legal_name: str,
    country: str,
    role: str,
    identifiers: list[IdentifierInput] | None = None,
    **details: Any,
) -> Partner:
    """Enroll a business entity as a draft; the creator joins it as company officer or admin."""
    if actor.staff_role:
        raise Forbidden(_("Program staff cannot enroll companies; companies enroll themselves."))
    if entity_type not in EntityType.values:
        raise InvalidInput(
            _("Unknown entity type '%(t)s'. Choose one of: %(all)s.")
            % {"t": entity_type, "all": ", ".join(EntityType.values)},
            field="entity_type",
        )
    if role not in CREATOR_ROLES:
        raise InvalidInput(
            _("The person enrolling a company joins it as company_officer or company_admin."), field="role"
        )
    partner = Partner(entity_type=entity_type, reference=_new_reference())
    _apply_details(partner, {"legal_name": legal_name, "country": country, **details})
    from greenlane.screening.lifecycle import check_enrollment_allowed  # screening builds on partners

    check_enrollment_allowed(
        entity_type=entity_type, identifiers=[(i.type, i.value) for i in identifiers or []]
    )
    cleaned = _clean_identifiers(entity_type, identifiers or [], partner=None)
    try:
        with transaction.atomic():
            partner.save()
            Identifier.objects.bulk_create(
                [Identifier(partner=partner, type=t, value=v, entity_type=entity_type) for t, v in cleaned]
            )
    except IntegrityError:
        raise Conflict(
            _("One of these identifiers was enrolled by someone else a moment ago; please check them."),
            field="identifiers",
        ) from None
    Membership.objects.create(user=actor, partner=partner, role=role)
    record_event(
        actor=actor,
        action="partner.create",
        partner=partner,
        obj=partner,
        summary=f"Enrolled {partner.legal_name} as {entity_type}",
        after={**snapshot(partner), "status": partner.status, "creator_role": role},
    )
    return partner


@transaction.atomic
def partner_update(
    *, actor: User, partner_id: int, changes: dict[str, Any], identifiers: list[IdentifierInput] | None = None
) -> Partner:
    """Edit business details (and optionally replace the identifiers). Only the company edits them."""
    access = partner_for(actor, partner_id, for_update=True)
    _require_trade_role(
        access, permissions.can_prepare, _("Only people of this company may edit its details.")
    )
    partner = access.partner
    _require_company_editable(partner)
    before = snapshot(partner)
    _apply_details(partner, dict(changes))
    if identifiers is not None:
        cleaned = _clean_identifiers(partner.entity_type, identifiers, partner=partner)
        partner.identifiers.all().delete()
        Identifier.objects.bulk_create(
            [
                Identifier(partner=partner, type=t, value=v, entity_type=partner.entity_type)
                for t, v in cleaned
            ]
        )
    partner.updated_at = timezone.now()
    partner.save()
    after = snapshot(Partner.objects.prefetch_related("identifiers").get(pk=partner.pk))
    b, a = diff(before, after)
    if b or a:
        record_event(
            actor=actor,
            action="partner.update",
            partner=partner,
            obj=partner,
            summary=_("Updated %(fields)s") % {"fields": ", ".join(sorted(a))},
            before=b,
            after=a,
        )
    return partner


@transaction.atomic
def agreement_sign(
    *, actor: User, partner_id: int, name: str, title: str, accept: bool
) -> AgreementSignature:
    access = partner_for(actor, partner_id, for_update=True)
    _require_trade_role(
        access,
        permissions.can_sign_and_submit,
        _("Only a company officer may sign the partnership agreement."),
    )
    partner = access.partner
    if partner.status != S.DRAFT:
        raise Conflict(_("The agreement is signed while the application is a draft."))
    if accept is not True:
        raise InvalidInput(_("Tick the box to accept the agreement before signing."), field="accept")
    name, title = (name or "").strip(), (title or "").strip()
    if not name or len(name) > 150:
        raise InvalidInput(_("Type your full name (up to 150 characters) as your signature."), field="name")
    if not title or len(title) > 120:
        raise InvalidInput(_("Enter your job title (up to 120 characters)."), field="title")
    version = AgreementVersion.objects.filter(is_current=True).first()
    if version is None:
        raise Conflict(_("No partnership agreement is published yet; contact the program office."))
    if AgreementSignature.objects.filter(partner=partner, version=version).exists():
        raise Conflict(
            _("The current agreement (version %(v)s) is already signed for this company.")
            % {"v": version.version}
        )
    signature = AgreementSignature.objects.create(
        partner=partner,
        version=version,
        user=actor,
        signer_name=name,
        signer_title=title,
        signed_at=timezone.now(),
        ip=context.current().ip,
        text_sha256=AgreementVersion.digest(version.body),
    )
    record_event(
        actor=actor,
        action="agreement.sign",
        partner=partner,
        obj=signature,
        summary=f"Agreement v{version.version} signed by {name}, {title}",
        after={
            "version": version.version,
            "signer_name": name,
            "signer_title": title,
            "text_sha256": signature.text_sha256,
            "ip": signature.ip,
        },
    )
    return signature


def _transition(*, actor: User | None, partner: Partner, to_status: str, reason: str, action: str) -> Partner:
    """Move the status through the table, stamp the state's timestamp and record one event."""
    check_transition(TRANSITIONS, partner.status, to_status, label=_status_label)
    now = timezone.now()
    before = {"status": partner.status, "tier": partner.tier}
    stamp = STATUS_TIMESTAMP.get(to_status)
    # Reinstatement keeps the original certification date: it is a date of record.
    if stamp and not (to_status == S.CERTIFIED and partner.status == S.SUSPENDED and partner.certified_at):
        before[stamp] = getattr(partner, stamp)
        setattr(partner, stamp, now)
    from_status = partner.status
    partner.status = to_status
    partner.status_changed_at = now
    new_tier = partner.tier
    if to_status == S.CERTIFIED and partner.tier == Tier.NONE:
        new_tier = Tier.TIER_1
    elif to_status in (S.DENIED, S.REMOVED, S.WITHDRAWN, S.DRAFT):
        new_tier = Tier.NONE
    if new_tier != partner.tier:
        TierChange.objects.create(
            partner=partner, from_tier=partner.tier, to_tier=new_tier, at=now, actor=actor, reason=reason
        )
        partner.tier = new_tier
    # Field validation here; the status and tier CHECK constraints are the database's to enforce.
    partner.full_clean(exclude=["reference", "search_name"], validate_constraints=False)
    partner.save()
    after = {k: getattr(partner, k) for k in before}
    record_event(
        actor=actor,
        action=action,
        partner=partner,
        obj=partner,
        reason=reason,
        summary=f"{_status_label(from_status)} → {_status_label(to_status)}",
        before=before,
        after=after,
    )
    svi_hooks.partner_changed()  # monitors hear of it after commit
    return partner


@transaction.atomic
def partner_submit(*, actor: User, partner_id: int) -> Partner:
    access = partner_for(actor, partner_id, for_update=True)
    _require_trade_role(
        access,
        permissions.can_sign_and_submit,
        _(
            "Only a company officer may submit the application. Consultants and contributors "
            "can prepare everything; ask your company officer to submit."
        ),
    )
    partner = access.partner
    if partner.status == S.SUBMITTED:
        raise Conflict(
            _("This application was already submitted on %(d)s; nothing was changed.")
            % {"d": (partner.submitted_at or timezone.now()).date().isoformat()}
        )
    if partner.status != S.DRAFT:
        raise Conflict(
            _("Only a draft application can be submitted; its status is '%(s)s'.")
            % {"s": _status_label(partner.status)}
        )
    detail = Partner.objects.prefetch_related("identifiers", "sites", "contacts", "signatures").get(
        pk=partner.pk
    )
    missing = readiness.problems(
        detail, current_agreement=AgreementVersion.objects.filter(is_current=True).first()
    )
    if missing:
        errors = [{"field": step.code, "message": f"{step.label}: {step.detail}"} for step in missing]
        raise InvalidInput(
            _("The application is not complete: %(items)s.")
            % {"items": "; ".join(e["message"].rstrip(".") for e in errors)},
            field=missing[0].code,
            errors=errors,
        )
    return _transition(
        actor=actor, partner=partner, to_status=S.SUBMITTED, reason="", action="partner.submit"
    )


@transaction.atomic
def partner_apply_decision(*, actor: User | None, partner_id: int, to_status: str, reason: str) -> Partner:
    """Apply a decision on the application (screening or a specialist); actor None is the automated decision.

    Callers check who may decide; this moves the status through the same table and records the event.
    """
    partner = Partner.objects.select_for_update().get(pk=partner_id)
    return _transition(
        actor=actor, partner=partner, to_status=to_status, reason=reason, action="partner.decision"
    )


@transaction.atomic
def partner_withdraw(*, actor: User, partner_id: int, reason: str) -> Partner:
    access = partner_for(actor, partner_id, for_update=True)
    _require_trade_role(
        access, permissions.can_sign_and_submit, _("Only a company officer may withdraw the company.")
    )
    if (access.partner.status, S.WITHDRAWN) not in COMPANY_TRANSITIONS:
        raise Conflict(
            _("A company with status '%(s)s' cannot withdraw.") % {"s": _status_label(access.partner.status)}
        )
    if not (reason or "").strip():
        raise InvalidInput(_("Say why the company is withdrawing."), field="reason")
    return _transition(
        actor=actor,
        partner=access.partner,
        to_status=S.WITHDRAWN,
        reason=reason.strip(),
        action="partner.withdraw",
    )


@transaction.atomic
def partner_transition(*, actor: User, partner_id: int, to_status: str, reason: str) -> Partner:
    """A staff decision moving a partner through review by hand, with a required reason."""
    if not permissions.can_operate(actor):
        raise Forbidden(_("Your role cannot change a partner's status."))
    access = partner_for(actor, partner_id, for_update=True)
    if to_status not in S.values:
        raise InvalidInput(_("Unknown status '%(s)s'.") % {"s": to_status}, field="to_status")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("A reason is required for every status change."), field="reason")
    if len(reason) > 2000:
        raise InvalidInput(_("Keep the reason under 2,000 characters."), field="reason")
    if (access.partner.status, to_status) in LIFECYCLE_PAIRS:
        raise Conflict(
            _(
                "Suspend, reinstate or remove from the partner's Membership and appeals page, which "
                "records the cause, the benefits withdrawn and the corrective action plan."
            )
        )
    if access.partner.status == S.REMOVED and to_status == S.DRAFT:
        from greenlane.screening.lifecycle import check_reapply_allowed

        check_reapply_allowed(access.partner)
    return _transition(
        actor=actor, partner=access.partner, to_status=to_status, reason=reason, action="partner.transition"
    )


@transaction.atomic
def partner_assign_scs(
    *, actor: User | None, partner_id: int, scs_id: int | None, reason: str = ""
) -> Partner:
    if actor is None:  # the system routing a referral
        partner = Partner.objects.select_for_update().get(pk=partner_id)
    else:
        if not permissions.can_assign(actor):
            raise Forbidden(_("Only a supervisory SCS or a program manager assigns specialists."))
        partner = partner_for(actor, partner_id, for_update=True).partner
    scs = None
    if scs_id is not None:
        scs = User.objects.filter(
            pk=scs_id, is_active=True, staff_role__in=[StaffRole.SCS, StaffRole.SUPERVISORY_SCS]
        ).first()
        if scs is None:
            raise InvalidInput(_("Choose an active supply chain security specialist."), field="assigned_scs")
    before = {
        "assigned_scs": partner.assigned_scs.email if partner.assigned_scs else None,
        "field_office": partner.field_office.name if partner.field_office else None,
    }
    partner.assigned_scs = scs
    if scs is not None and scs.field_office_id:
        partner.field_office = scs.field_office
    partner.save(update_fields=["assigned_scs", "field_office"])
    after = {
        "assigned_scs": scs.email if scs else None,
        "field_office": partner.field_office.name if partner.field_office else None,
    }
    record_event(
        actor=actor,
        action="partner.assign_scs",
        partner=partner,
        obj=partner,
        reason=reason.strip(),
        summary=f"Specialist: {after['assigned_scs'] or 'unassigned'}",
        before=before,
        after=after,
    )
    return partner


# A company's sites, contacts and people, and agreement publishing, live in their own module; they are
# re-exported here so that `services.site_add` etc. stay the one entry point for writes.
from .records import (  # noqa: E402
    agreement_publish,
    contact_add,
    contact_remove,
    membership_add,
    membership_remove,
    site_add,
    site_remove,
)

__all__ = [
    "agreement_publish",
    "contact_add",
    "contact_remove",
    "membership_add",
    "membership_remove",
    "site_add",
    "site_remove",
]
