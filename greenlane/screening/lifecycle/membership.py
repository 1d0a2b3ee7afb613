"""Suspension with its cause and the benefits withdrawn, corrective action plans, reinstatement, removal,
and the one-year wait before a removed company re-applies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.accounts.models import User
from greenlane.audit.services import record_event
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.partners import identifiers as ids
from greenlane.partners import permissions
from greenlane.partners import services as partner_services
from greenlane.partners.models import Identifier, Partner
from greenlane.partners.selectors import partner_for

from .. import deadlines
from ..choices import (
    Benefit,
    PlanStatus,
    SuspensionCause,
    SuspensionEnd,
)
from ..models import CorrectiveActionPlan, Removal, Suspension
from ._common import (
    LONG_MAX,
    SPECIALISTS,
    SUPERVISORS,
    S,
    _mail_officers,
    _raise_all,
    _require_staff,
    _status_label,
    _text,
)

# --- suspension, corrective action, reinstatement, removal --------------------------------------------------


def _clean_cause(cause, errors: list[dict]) -> str:
    if cause not in SuspensionCause.values:
        errors.append(
            {
                "field": "cause",
                "message": _("Choose a cause: %(c)s.") % {"c": ", ".join(SuspensionCause.values)},
            }
        )
    return cause


def _clean_reason(reason, errors: list[dict], missing: str) -> str:
    try:
        return _text(reason, field="reason", missing=missing)
    except InvalidInput as exc:
        errors.append({"field": "reason", "message": exc.message})
        return ""


def _lock_partner(actor, partner_id, roles: frozenset[str], message: str) -> Partner:
    _require_staff(actor, roles, message)
    return partner_for(actor, partner_id, for_update=True).partner


@transaction.atomic
def suspension_start(
    *, actor: User, partner_id: int, cause: str, benefits: Iterable[str] | None, reason: str
) -> Suspension:
    """Suspend a certified member, naming the cause and each benefit withdrawn."""
    partner = _lock_partner(actor, partner_id, SPECIALISTS, _("Your role cannot suspend a member."))
    errors: list[dict] = []
    _clean_cause(cause, errors)
    chosen = list(benefits or [])
    unknown = [b for b in chosen if b not in Benefit.values]
    if not chosen:
        errors.append({"field": "benefits", "message": _("Name at least one benefit withdrawn.")})
    elif unknown:
        errors.append(
            {
                "field": "benefits",
                "message": _("Unknown benefit(s): %(b)s. Choose from: %(all)s.")
                % {"b": ", ".join(map(str, unknown)), "all": ", ".join(Benefit.values)},
            }
        )
    reason = _clean_reason(reason, errors, _("Give the reason for the suspension."))
    _raise_all(errors)
    if partner.status != S.CERTIFIED:
        raise Conflict(
            _("Only a certified member can be suspended; this company is '%(s)s'.")
            % {"s": _status_label(partner.status)}
        )
    withdrawn = [b for b in Benefit.values if b in set(chosen)]
    suspension = Suspension(
        partner=partner,
        cause=cause,
        benefits_withdrawn=withdrawn,
        reason=reason,
        started_at=timezone.now(),
        started_by=actor,
    )
    suspension.appeal_due = deadlines.suspension_appeal_due(suspension)
    suspension.save()
    partner_services.partner_apply_decision(
        actor=actor, partner_id=partner.pk, to_status=S.SUSPENDED, reason=reason
    )
    record_event(
        actor=actor,
        action="suspension.start",
        partner=partner,
        obj=suspension,
        summary=f"Suspended ({cause}); benefits withdrawn: {', '.join(withdrawn)}",
        after={"cause": cause, "benefits_withdrawn": withdrawn, "appeal_due": suspension.appeal_due},
        reason=reason,
    )
    labels = [str(Benefit(b).label) for b in withdrawn]
    _mail_officers(
        partner,
        _("Your company is suspended from the program"),
        [
            _("Cause: %(c)s") % {"c": SuspensionCause(cause).label},
            _("Benefits withdrawn: %(b)s") % {"b": "; ".join(labels)},
            reason,
            "",
            _("Submit a corrective action plan from your company's Dates page. You may appeal until %(d)s.")
            % {"d": suspension.appeal_due.isoformat()},
        ],
    )
    return suspension


@transaction.atomic
def action_plan_submit(*, actor: User, partner_id: int, text: str, consent: bool) -> CorrectiveActionPlan:
    """The company officer submits a corrective action plan for the suspension in force."""
    access = partner_for(actor, partner_id, for_update=True)
    if not permissions.can_sign_and_submit(access.role):
        raise Forbidden(_("Only a company officer submits a corrective action plan."))
    partner = access.partner
    suspension = deadlines.suspension_in_force(partner)
    if suspension is None:
        raise Conflict(_("Only a suspended company submits a corrective action plan."))
    errors: list[dict] = []
    try:
        text = _text(
            text,
            field="text",
            missing=_("Describe the corrective actions, with objectives and timeframes."),
            limit=LONG_MAX,
        )
    except InvalidInput as exc:
        errors.append({"field": "text", "message": exc.message})
    if consent is not True:
        errors.append(
            {"field": "consent", "message": _("Reinstatement requires consent to unannounced visits.")}
        )
    _raise_all(errors)
    pending = suspension.action_plans.filter(status=PlanStatus.SUBMITTED).first()
    if pending is not None:
        raise Conflict(
            _("The plan submitted on %(d)s is still being reviewed; wait for the specialist's answer.")
            % {"d": deadlines.day_of(pending.submitted_at).isoformat()}
        )
    plan = CorrectiveActionPlan.objects.create(
        suspension=suspension, text=text, submitted_by=actor, consents_to_unannounced_visits=True
    )
    record_event(
        actor=actor,
        action="action_plan.submit",
        partner=partner,
        obj=plan,
        summary="Corrective action plan submitted",
        after={"suspension": suspension.pk, "consents_to_unannounced_visits": True},
    )
    return plan


@transaction.atomic
def action_plan_review(*, actor: User, plan_id: int, accept: bool, note: str) -> CorrectiveActionPlan:
    """Staff accept or reject the plan, with a note the company reads."""
    _require_staff(actor, SPECIALISTS, _("Your role cannot review corrective action plans."))
    try:
        pk = int(plan_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    plan = (
        CorrectiveActionPlan.objects.select_for_update(of=("self",))
        .select_related("suspension", "suspension__partner")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise NotFound()
    if not isinstance(accept, bool):
        raise InvalidInput(_("Accept or reject the plan."), field="accept")
    note = _text(note, field="note", missing=_("Write a note for the company."))
    if plan.status != PlanStatus.SUBMITTED:
        raise Conflict(_("This plan was already %(s)s.") % {"s": plan.get_status_display().lower()})
    suspension = plan.suspension
    if suspension.ended_at is not None or suspension.partner.status != S.SUSPENDED:
        raise Conflict(_("The suspension this plan answers has ended."))
    plan.status = PlanStatus.ACCEPTED if accept else PlanStatus.REJECTED
    plan.reviewed_at, plan.reviewed_by, plan.review_note = timezone.now(), actor, note
    plan.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_note"])
    record_event(
        actor=actor,
        action=f"action_plan.{'accept' if accept else 'reject'}",
        partner=suspension.partner,
        obj=plan,
        summary=f"Corrective action plan {plan.status}",
        before={"status": PlanStatus.SUBMITTED},
        after={"status": plan.status},
        reason=note,
    )
    _mail_officers(
        suspension.partner,
        _("Your corrective action plan: %(s)s") % {"s": plan.get_status_display()},
        [note],
    )
    return plan


def _end_suspension(suspension: Suspension, *, actor: User, kind: str) -> None:
    suspension.ended_at, suspension.ended_by, suspension.end_kind = timezone.now(), actor, kind
    suspension.save(update_fields=["ended_at", "ended_by", "end_kind"])


@transaction.atomic
def suspension_reinstate(*, actor: User, partner_id: int, reason: str) -> Suspension:
    """Reinstate a suspended member whose corrective action plan was accepted (certification date kept)."""
    partner = _lock_partner(actor, partner_id, SPECIALISTS, _("Your role cannot reinstate a member."))
    reason = _text(reason, field="reason", missing=_("Give the reason for reinstatement."))
    suspension = deadlines.suspension_in_force(partner)
    if suspension is None:
        raise Conflict(
            _("Only a suspended member can be reinstated; this company is '%(s)s'.")
            % {"s": _status_label(partner.status)}
        )
    if not suspension.action_plans.filter(status=PlanStatus.ACCEPTED).exists():
        raise Conflict(
            _(
                "Reinstatement needs an accepted corrective action plan; "
                "none has been accepted for this suspension."
            )
        )
    _end_suspension(suspension, actor=actor, kind=SuspensionEnd.REINSTATED)
    partner_services.partner_apply_decision(
        actor=actor, partner_id=partner.pk, to_status=S.CERTIFIED, reason=reason
    )
    record_event(
        actor=actor,
        action="suspension.reinstate",
        partner=partner,
        obj=suspension,
        summary="Reinstated; benefits restored",
        after={"end_kind": SuspensionEnd.REINSTATED, "benefits_restored": suspension.benefits_withdrawn},
        reason=reason,
    )
    _mail_officers(partner, _("Your company is reinstated"), [reason])
    return suspension


@transaction.atomic
def partner_remove(*, actor: User, partner_id: int, cause: str, reason: str) -> Removal:
    """Remove a certified or suspended member. It may re-apply one year later."""
    partner = _lock_partner(
        actor, partner_id, SUPERVISORS, _("Only a supervisory SCS or a program manager removes a member.")
    )
    errors: list[dict] = []
    _clean_cause(cause, errors)
    reason = _clean_reason(reason, errors, _("Give the reason for the removal."))
    _raise_all(errors)
    if partner.status not in (S.CERTIFIED, S.SUSPENDED):
        raise Conflict(
            _("Only a certified or suspended member can be removed; this company is '%(s)s'.")
            % {"s": _status_label(partner.status)}
        )
    suspension = deadlines.suspension_in_force(partner)
    if suspension is not None:
        _end_suspension(suspension, actor=actor, kind=SuspensionEnd.REMOVED)
    removal = Removal(
        partner=partner,
        cause=cause,
        reason=reason,
        suspension=suspension,
        removed_at=timezone.now(),
        removed_by=actor,
    )
    removal.appeal_due = deadlines.removal_appeal_due(removal)
    removal.save()
    partner_services.partner_apply_decision(
        actor=actor, partner_id=partner.pk, to_status=S.REMOVED, reason=reason
    )
    reapply = deadlines.reapply_from(removal)
    record_event(
        actor=actor,
        action="partner.remove",
        partner=partner,
        obj=removal,
        summary=f"Removed ({cause}); may re-apply from {reapply.isoformat()}",
        after={"cause": cause, "appeal_due": removal.appeal_due, "reapply_from": reapply},
        reason=reason,
    )
    _mail_officers(
        partner,
        _("Your company is removed from the program"),
        [
            reason,
            "",
            _("You may appeal until %(a)s. The company may re-apply from %(r)s.")
            % {"a": removal.appeal_due.isoformat(), "r": reapply.isoformat()},
        ],
    )
    return removal


# --- re-application after removal ---------------------------------------------------------------------------


def _reapply_refused(removal: Removal, on: dt.date) -> Conflict | None:
    allowed = deadlines.reapply_from(removal)
    if on >= allowed:
        return None
    return Conflict(
        _("This company was removed on %(r)s and may re-apply from %(d)s (one year after the removal).")
        % {"r": deadlines.day_of(removal.removed_at).isoformat(), "d": allowed.isoformat()},
        field="identifiers",
    )


def check_reapply_allowed(partner: Partner, *, on: dt.date | None = None) -> None:
    """Refuse moving a removed partner back to draft within a year of its removal.

    For partners.services.partner_transition (staff moving removed -> draft by hand).
    """
    removal = deadlines.removal_in_force(partner)
    if removal is not None and (refusal := _reapply_refused(removal, on or deadlines.today())):
        raise refusal


def check_enrollment_allowed(
    *, entity_type: str, identifiers: Iterable[tuple[str, str]], on: dt.date | None = None
) -> None:
    """Refuse enrolling a new partner of the same entity type that shares an identifier with a partner
    removed less than a year ago. For partners.services.partner_create, before the identifiers are
    checked for uniqueness (whose message would send the removed company to its own locked record).

    Identifiers that do not normalise are left to the enrollment's own validation.
    """
    pairs = set()
    for id_type, value in identifiers:
        try:
            pairs.add((id_type, ids.normalize(id_type, value)))
        except (ids.IdentifierError, TypeError):
            continue
    if not pairs:
        return
    match = Q()
    for id_type, value in sorted(pairs):
        match |= Q(type=id_type, value=value)
    removed = Identifier.objects.filter(match, entity_type=entity_type, partner__status=S.REMOVED).values(
        "partner_id"
    )
    removal = (
        Removal.objects.filter(partner_id__in=removed, overturned_at__isnull=True)
        .order_by("-removed_at")
        .first()
    )
    if removal is not None and (refusal := _reapply_refused(removal, on or deadlines.today())):
        raise refusal


@transaction.atomic
def removal_reapply(*, actor: User, partner_id: int, on: dt.date | None = None) -> Partner:
    """The company officer of a removed company re-opens its application, one year after the removal."""
    access = partner_for(actor, partner_id, for_update=True)
    if not permissions.can_sign_and_submit(access.role):
        raise Forbidden(_("Only a company officer re-applies for the company."))
    partner = access.partner
    removal = deadlines.removal_in_force(partner)
    if removal is None:
        raise Conflict(
            _("Only a removed company re-applies this way; this company is '%(s)s'.")
            % {"s": _status_label(partner.status)}
        )
    check_reapply_allowed(partner, on=on)
    reason = _("Re-application after removal on %(d)s") % {
        "d": deadlines.day_of(removal.removed_at).isoformat()
    }
    partner = partner_services.partner_apply_decision(
        actor=actor, partner_id=partner.pk, to_status=S.DRAFT, reason=reason
    )
    record_event(
        actor=actor,
        action="partner.reapply",
        partner=partner,
        obj=removal,
        summary="Application re-opened as a draft after removal",
        reason=reason,
    )
    return partner
