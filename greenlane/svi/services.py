"""SVI writes: join, leave, settings, and monitoring requests. Each change is audited once.

Webhooks live in `webhooks.py`, certification notices in `notices.py`, the status-change fan-out in
`dispatch.py`, bulk verification in `bulk.py`.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.accounts.models import User
from greenlane.audit.services import record_event
from greenlane.core.errors import Conflict, Forbidden, InvalidInput
from greenlane.core.transitions import check_transition
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner

from . import permissions, selectors
from .choices import LINK_TRANSITIONS, OPEN_LINK_STATUSES, LinkStatus, ShareLevel
from .models import MonitoringLink, SviParticipation

S = PartnerStatus
L = LinkStatus
MESSAGE_MAX = 500


def _link_label(value: str) -> str:
    return str(L(value).label) if value in L.values else value


# --- participation -------------------------------------------------------------------------------------------


def _clean_settings(
    share, auto_accept, contact_name, contact_email, contact_phone, errors: list[dict]
) -> dict:
    from django.core.validators import validate_email

    if share not in ShareLevel.values:
        errors.append(
            {
                "field": "share",
                "message": _("Choose what to share: %(c)s.") % {"c": ", ".join(ShareLevel.values)},
            }
        )
    contact_name = (contact_name or "").strip()
    contact_email = (contact_email or "").strip()
    contact_phone = (contact_phone or "").strip()
    if len(contact_name) > 150:
        errors.append({"field": "contact_name", "message": _("Keep the contact name under 150 characters.")})
    if len(contact_phone) > 40:
        errors.append({"field": "contact_phone", "message": _("Keep the phone number under 40 characters.")})
    if contact_email:
        try:
            validate_email(contact_email)
        except Exception:
            errors.append({"field": "contact_email", "message": _("Enter a valid e-mail address.")})
    if share == ShareLevel.STATUS_TIER_CONTACT and not (contact_name and contact_email):
        errors.append(
            {
                "field": "contact_email",
                "message": _("To share a contact, give the contact's name and e-mail."),
            }
        )
    return {
        "share": share,
        "auto_accept": bool(auto_accept),
        "contact_name": contact_name,
        "contact_email": contact_email,
        "contact_phone": contact_phone,
    }


def _raise_all(errors: list[dict]) -> None:
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)


def _settings_of(p: SviParticipation) -> dict:
    return {
        "active": p.active,
        "share": p.share,
        "auto_accept": p.auto_accept,
        "contact_name": p.contact_name,
        "contact_email": p.contact_email,
        "contact_phone": p.contact_phone,
    }


@transaction.atomic
def svi_join(
    *,
    actor: User,
    partner_id: int,
    share: str = ShareLevel.STATUS_ONLY,
    auto_accept: bool = False,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> SviParticipation:
    """A certified member joins the SVI with the consent it chooses."""
    partner = permissions.company_for(actor, partner_id, manage=True, for_update=True)
    permissions.require_certified(partner, _("join the SVI"))
    errors: list[dict] = []
    values = _clean_settings(share, auto_accept, contact_name, contact_email, contact_phone, errors)
    _raise_all(errors)
    existing = SviParticipation.objects.select_for_update().filter(partner=partner).first()
    if existing is not None and existing.active:
        raise Conflict(_("This company already takes part in the SVI; nothing was changed."))
    before = _settings_of(existing) if existing is not None else {"active": False}
    participation = existing or SviParticipation(partner=partner)
    for key, value in values.items():
        setattr(participation, key, value)
    participation.active = True
    participation.joined_at = timezone.now()
    participation.left_at = None
    participation.full_clean(exclude=["partner"])
    participation.save()
    record_event(
        actor=actor,
        action="svi.join",
        partner=partner,
        obj=participation,
        summary=_("Joined the Status Verification Interface"),
        before=before,
        after=_settings_of(participation),
    )
    return participation


@transaction.atomic
def svi_settings_update(
    *,
    actor: User,
    partner_id: int,
    share: str,
    auto_accept: bool,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> SviParticipation:
    partner = permissions.company_for(actor, partner_id, manage=True, for_update=True)
    participation = _active_participation(partner, for_update=True)
    errors: list[dict] = []
    values = _clean_settings(share, auto_accept, contact_name, contact_email, contact_phone, errors)
    _raise_all(errors)
    before = _settings_of(participation)
    for key, value in values.items():
        setattr(participation, key, value)
    after = _settings_of(participation)
    if before == after:
        return participation
    participation.full_clean(exclude=["partner"])
    participation.save()
    pending_accepted = 0
    if participation.auto_accept and not before["auto_accept"]:
        # Turning auto-accept on accepts what is waiting, as a request arriving now would be.
        now = timezone.now()
        pending_accepted = MonitoringLink.objects.filter(target=partner, status=L.PENDING).update(
            status=L.ACCEPTED, decided_at=now
        )
    record_event(
        actor=actor,
        action="svi.settings",
        partner=partner,
        obj=participation,
        summary=_("SVI settings changed")
        + (f"; {pending_accepted} " + _("waiting requests accepted") if pending_accepted else ""),
        before=before,
        after=after,
    )
    return participation


@transaction.atomic
def svi_leave(*, actor: User, partner_id: int, reason: str = "") -> SviParticipation:
    """Quit the SVI: every link the company is a side of ends (blocks included)."""
    partner = permissions.company_for(actor, partner_id, manage=True, for_update=True)
    participation = _active_participation(partner, for_update=True)
    now = timezone.now()
    ended = (
        MonitoringLink.objects.filter(status__in=sorted(OPEN_LINK_STATUSES))
        .filter(_either_side(partner))
        .update(status=L.ENDED, ended_at=now)
    )
    participation.active = False
    participation.left_at = now
    participation.save(update_fields=["active", "left_at"])
    record_event(
        actor=actor,
        action="svi.leave",
        partner=partner,
        obj=participation,
        summary=_("Left the SVI; %(n)s links ended") % {"n": ended},
        before={"active": True},
        after={"active": False, "links_ended": ended},
        reason=(reason or "").strip()[:2000],
    )
    return participation


def _either_side(partner: Partner):
    from django.db.models import Q

    return Q(requester=partner) | Q(target=partner)


def _active_participation(partner: Partner, *, for_update: bool = False) -> SviParticipation:
    qs = SviParticipation.objects.filter(partner=partner, active=True)
    if for_update:
        qs = qs.select_for_update()
    found = qs.first()
    if found is None:
        raise Conflict(_("This company does not take part in the SVI. Join it first."))
    return found


# --- monitoring links ----------------------------------------------------------------------------------------


def _resolve_target(
    viewer: Partner, *, target_id=None, identifier_type: str = "", identifier_value: str = ""
):
    """The participant a request is for: by id (from the participant search) or by identifier."""
    if target_id not in (None, ""):
        try:
            pk = int(target_id)
        except (TypeError, ValueError):
            raise InvalidInput(_("Choose a company from the search."), field="target") from None
        target = Partner.objects.filter(pk=pk, svi__active=True).first()
        if target is None:
            raise InvalidInput(
                _("That company does not take part in the SVI, so it cannot be monitored."), field="target"
            )
        return target
    if identifier_type or identifier_value:
        from greenlane.partners import identifiers as ids
        from greenlane.partners.models import Identifier

        if identifier_type not in ids.IdentifierType.values:
            raise InvalidInput(_("Choose an identifier type."), field="identifier_type")
        try:
            value = ids.normalize(identifier_type, identifier_value or "")
        except ids.IdentifierError as exc:
            raise InvalidInput(exc.message, field="identifier_value") from None
        matches = list(
            Partner.objects.filter(
                pk__in=Identifier.objects.filter(type=identifier_type, value=value).values("partner_id"),
                svi__active=True,
            ).exclude(pk=viewer.pk)[:2]
        )
        if not matches:
            raise InvalidInput(_("No SVI participant has that identifier."), field="identifier_value")
        if len(matches) > 1:
            raise InvalidInput(
                _("Several participants share that identifier; search by name and choose one."),
                field="identifier_value",
            )
        return matches[0]
    raise InvalidInput(_("Choose the company to monitor."), field="target")


@transaction.atomic
def link_request(
    *,
    actor: User,
    partner_id: int,
    target_id: int | str | None = None,
    identifier_type: str = "",
    identifier_value: str = "",
    message: str = "",
) -> MonitoringLink:
    """Ask to monitor a participant. Accepted at once if it accepts automatically."""
    partner = permissions.company_for(actor, partner_id, manage=True, for_update=True)
    permissions.require_svi_user(partner, _("send monitoring requests"))
    target = _resolve_target(
        partner, target_id=target_id, identifier_type=identifier_type, identifier_value=identifier_value
    )
    if target.pk == partner.pk:
        raise InvalidInput(_("A company cannot monitor itself."), field="target")
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise InvalidInput(
            _("Keep the message under %(n)s characters.") % {"n": MESSAGE_MAX}, field="message"
        )
    target_settings = SviParticipation.objects.select_for_update().get(partner=target)
    existing = (
        MonitoringLink.objects.select_for_update()
        .filter(requester=partner, target=target, status__in=sorted(OPEN_LINK_STATUSES))
        .first()
    )
    if existing is not None:
        if existing.status in (L.DECLINED, L.BLOCKED):
            raise Forbidden(
                _("%(t)s declined or blocked your requests. It must unblock you before you can ask again.")
                % {"t": target.legal_name}
            )
        raise Conflict(
            _("You already have a request to %(t)s (%(s)s); nothing was changed.")
            % {"t": target.legal_name, "s": _link_label(existing.status)}
        )
    now = timezone.now()
    auto = target_settings.auto_accept
    link = MonitoringLink(
        requester=partner,
        target=target,
        status=L.ACCEPTED if auto else L.PENDING,
        requested_by=actor,
        message=message,
        requested_at=now,
        decided_at=now if auto else None,
    )
    link.full_clean()
    link.save()
    record_event(
        actor=actor,
        action="svi.link_request",
        partner=partner,
        obj=link,
        summary=_("Asked to monitor %(t)s") % {"t": target.legal_name}
        + (" — " + _("accepted automatically") if auto else ""),
        after={"target": target.pk, "status": link.status},
    )
    _notify_link(
        link,
        to=target,
        title=(
            _("%(r)s now monitors your SVI status (accepted automatically)")
            if auto
            else _("%(r)s asks to monitor your SVI status")
        )
        % {"r": partner.legal_name},
    )
    return link


def _link_move(
    *,
    actor: User,
    partner_id: int,
    link_id,
    to_status: str,
    as_target: bool | None,
    action: str,
    reason: str = "",
) -> MonitoringLink:
    partner = permissions.company_for(actor, partner_id, manage=True, for_update=True)
    link = selectors.link_for(partner, link_id, as_target=as_target, for_update=True)
    if to_status == L.ACCEPTED:
        permissions.require_svi_participant(partner, _("accept monitoring requests"))
    check_transition(LINK_TRANSITIONS, link.status, to_status, label=_link_label)
    before = {"status": link.status}
    now = timezone.now()
    link.status = to_status
    if to_status == L.ENDED:
        link.ended_at = now
    else:
        link.decided_at = now
    link.save()
    other = link.requester if link.target_id == partner.pk else link.target
    record_event(
        actor=actor,
        action=action,
        partner=partner,
        obj=link,
        summary=f"{other.legal_name}: {_link_label(before['status'])} → {_link_label(to_status)}",
        before=before,
        after={"status": to_status},
        reason=(reason or "").strip()[:2000],
    )
    return link


@transaction.atomic
def link_accept(*, actor: User, partner_id: int, link_id: int) -> MonitoringLink:
    link = _link_move(
        actor=actor,
        partner_id=partner_id,
        link_id=link_id,
        to_status=L.ACCEPTED,
        as_target=True,
        action="svi.link_accept",
    )
    _notify_link(
        link,
        to=link.requester,
        title=_("%(t)s accepted your monitoring request") % {"t": link.target.legal_name},
    )
    return link


@transaction.atomic
def link_decline(*, actor: User, partner_id: int, link_id: int, reason: str = "") -> MonitoringLink:
    """Decline a request; the requester stays blocked until this company unblocks it."""
    return _link_move(
        actor=actor,
        partner_id=partner_id,
        link_id=link_id,
        to_status=L.DECLINED,
        as_target=True,
        action="svi.link_decline",
        reason=reason,
    )


@transaction.atomic
def link_block(*, actor: User, partner_id: int, link_id: int, reason: str = "") -> MonitoringLink:
    """Stop a monitor (or a pending requester) and keep it from asking again."""
    return _link_move(
        actor=actor,
        partner_id=partner_id,
        link_id=link_id,
        to_status=L.BLOCKED,
        as_target=True,
        action="svi.link_block",
        reason=reason,
    )


@transaction.atomic
def link_unblock(*, actor: User, partner_id: int, link_id: int) -> MonitoringLink:
    link = selectors.link_for(
        permissions.company_for(actor, partner_id, manage=True), link_id, as_target=True
    )
    if link.status not in (L.DECLINED, L.BLOCKED):
        raise Conflict(
            _("Only a declined or blocked company can be unblocked; this link is '%(s)s'.")
            % {"s": _link_label(link.status)}
        )
    return _link_move(
        actor=actor,
        partner_id=partner_id,
        link_id=link_id,
        to_status=L.ENDED,
        as_target=True,
        action="svi.link_unblock",
    )


@transaction.atomic
def link_end(*, actor: User, partner_id: int, link_id: int) -> MonitoringLink:
    """The requester withdraws its request or stops monitoring."""
    link = selectors.link_for(
        permissions.company_for(actor, partner_id, manage=True), link_id, as_target=False
    )
    if link.status not in (L.PENDING, L.ACCEPTED):
        raise Conflict(
            _("Only a pending or accepted request can be withdrawn; this one is '%(s)s'.")
            % {"s": _link_label(link.status)}
        )
    return _link_move(
        actor=actor,
        partner_id=partner_id,
        link_id=link_id,
        to_status=L.ENDED,
        as_target=False,
        action="svi.link_end",
    )


def _notify_link(link: MonitoringLink, *, to: Partner, title: str) -> None:
    from greenlane.notifications.services import notify, partner_recipients

    url = reverse("svi:requests", kwargs={"pk": to.pk})
    notify(
        recipients=partner_recipients(to, roles=permissions.MANAGERS),
        kind="svi.link",
        title=title,
        body=link.message,
        url=url,
        partner=to,
    )
