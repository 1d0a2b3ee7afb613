"""After the automated decision: the specialist's referral work, suspension, removal, reinstatement,
re-application and appeals. Each function is one transaction, checks who may act and what state allows,
and records the audit event; partner status moves through partners' transition table.

Lock order, everywhere: the referral or appeal row first, then the partner row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenlane.accounts.choices import StaffRole, TradeRole
from greenlane.accounts.models import User
from greenlane.audit.services import record_event
from greenlane.core import clocks
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.core.transitions import check_transition
from greenlane.partners import identifiers as ids
from greenlane.partners import permissions
from greenlane.partners import services as partner_services
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Identifier, Partner
from greenlane.partners.selectors import partner_for

from . import deadlines
from .choices import (
    REFERRAL_TRANSITIONS,
    AppealStatus,
    AppealSubject,
    Benefit,
    DecisionKind,
    Outcome,
    PlanStatus,
    ReferralStatus,
    SuspensionCause,
    SuspensionEnd,
)
from .models import Appeal, CorrectiveActionPlan, Decision, InfoRequest, Referral, Removal, Suspension

S = PartnerStatus
# Specialists decide referrals assigned to them; supervisors and program managers any referral.
SPECIALISTS = frozenset({StaffRole.SCS, StaffRole.SUPERVISORY_SCS, StaffRole.PROGRAM_MANAGER})
SUPERVISORS = frozenset({StaffRole.SUPERVISORY_SCS, StaffRole.PROGRAM_MANAGER})
ASSIGNABLE = frozenset({StaffRole.SCS, StaffRole.SUPERVISORY_SCS})
MAX_INFO_DAYS = 30
REASON_MAX, LONG_MAX = 4000, 10000


# --- helpers -------------------------------------------------------------------------------------------


def _require_staff(actor, roles: frozenset[str], message: str) -> None:
    """Non-staff do not learn the object exists (404); staff without the role are refused (403)."""
    role = getattr(actor, "staff_role", "")
    if not role:
        raise NotFound()
    if role not in roles:
        raise Forbidden(message)


def _text(value, *, field: str, missing: str, limit: int = REASON_MAX) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if not text:
        raise InvalidInput(missing, field=field)
    if len(text) > limit:
        raise InvalidInput(_("Keep this under %(n)s characters.") % {"n": f"{limit:,}"}, field=field)
    return text


def _raise_all(errors: list[dict]) -> None:
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)


def _status_label(value: str) -> str:
    return str(S(value).label) if value in S.values else value


def _officer_emails(partner: Partner) -> list[str]:
    return list(
        partner.memberships.filter(role=TradeRole.COMPANY_OFFICER, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


def _mail_officers(partner: Partner, subject: str, lines: list[str]) -> None:
    """E-mail the company officers once the transaction has committed."""

    def send() -> None:
        recipients = _officer_emails(partner)
        if recipients:
            send_mail(f"{partner.reference}: {subject}", "\n".join([subject, "", *lines]), None, recipients)

    transaction.on_commit(send)


def _reason_entry(code: str, message: str, outcome: str) -> dict:
    """A specialist's reason, in the shape of the rule engine's reasons (ReasonOut)."""
    return {
        "code": code,
        "kind": "specialist",
        "message": message,
        "input": "",
        "value": None,
        "weight": 0,
        "outcome": outcome,
    }


# --- referrals -----------------------------------------------------------------------------------------


def _lock_referral(actor, referral_id) -> Referral:
    _require_staff(actor, SPECIALISTS, _("Your role does not work referrals."))
    try:
        pk = int(referral_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("partner", "decision", "assigned_to")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise NotFound()
    return referral


def _require_worker(actor, referral: Referral) -> None:
    if actor.staff_role in SUPERVISORS:
        return
    if referral.assigned_to_id != actor.pk:
        raise Forbidden(_("Only the specialist assigned to this referral, or a supervisor, may act on it."))


def _require_open(referral: Referral) -> None:
    if referral.status == ReferralStatus.DECIDED:
        raise Conflict(
            _("This referral was decided on %(d)s; nothing was changed.")
            % {"d": deadlines.day_of(referral.closed_at).isoformat() if referral.closed_at else "—"}
        )
    if referral.partner.status != S.UNDER_REVIEW:
        raise Conflict(
            _("The company is no longer under review (status '%(s)s'); the referral cannot be worked.")
            % {"s": _status_label(referral.partner.status)}
        )


def _move(referral: Referral, target: str) -> str:
    check_transition(
        REFERRAL_TRANSITIONS, referral.status, target, label=lambda v: str(ReferralStatus(v).label)
    )
    before = referral.status
    referral.status = target
    return before


def _unanswered(referral: Referral) -> list[InfoRequest]:
    return list(referral.info_requests.filter(responded_at__isnull=True).order_by("requested_at"))


@transaction.atomic
def referral_reassign(*, actor: User, referral_id: int, assignee_id, reason: str = "") -> Referral:
    """A supervisor gives the referral (and the company) to another specialist."""
    referral = _lock_referral(actor, referral_id)
    if actor.staff_role not in SUPERVISORS:
        raise Forbidden(_("Only a supervisory SCS or a program manager reassigns referrals."))
    _require_open(referral)
    try:
        assignee_pk = int(assignee_id)
    except (TypeError, ValueError):
        assignee_pk = None
    assignee = User.objects.filter(pk=assignee_pk, is_active=True, staff_role__in=ASSIGNABLE).first()
    if assignee is None:
        raise InvalidInput(_("Choose an active supply chain security specialist."), field="assigned_to")
    if assignee.pk == referral.assigned_to_id:
        raise Conflict(_("The referral is already assigned to %(n)s.") % {"n": assignee.display_name})
    before = {
        "assigned_to": referral.assigned_to.email if referral.assigned_to else None,
        "field_office": referral.field_office_id,
    }
    referral.assigned_to = assignee
    if assignee.field_office_id:
        referral.field_office_id = assignee.field_office_id
    referral.save(update_fields=["assigned_to", "field_office"])
    note = (reason or "").strip()[:REASON_MAX]
    if referral.partner.assigned_scs_id != assignee.pk:
        partner_services.partner_assign_scs(
            actor=actor, partner_id=referral.partner_id, scs_id=assignee.pk, reason=note
        )
    record_event(
        actor=actor,
        action="referral.reassign",
        partner=referral.partner,
        obj=referral,
        summary=f"Referral assigned to {assignee.email}",
        before=before,
        after={"assigned_to": assignee.email, "field_office": referral.field_office_id},
        reason=note,
    )
    return referral


@transaction.atomic
def referral_request_info(
    *, actor: User, referral_id: int, message: str, due_on: dt.date | None, on: dt.date | None = None
) -> InfoRequest:
    """Ask the company for information; the certification clock stops until it answers."""
    referral = _lock_referral(actor, referral_id)
    _require_worker(actor, referral)
    _require_open(referral)
    on = on or deadlines.today()
    errors = []
    try:
        message = _text(message, field="message", missing=_("Write what the company must provide."))
    except InvalidInput as exc:
        errors.append({"field": "message", "message": exc.message})
    latest = on + dt.timedelta(days=MAX_INFO_DAYS)
    if not isinstance(due_on, dt.date):
        errors.append({"field": "due_on", "message": _("Give the date the answer is due.")})
    elif not on < due_on <= latest:
        errors.append(
            {
                "field": "due_on",
                "message": _("The answer is due after today and at most %(n)d days from now (by %(d)s).")
                % {"n": MAX_INFO_DAYS, "d": latest.isoformat()},
            }
        )
    _raise_all(errors)
    waiting = _unanswered(referral)
    if waiting:
        raise Conflict(
            _("A request sent on %(d)s is still waiting for the company's answer (due %(due)s).")
            % {
                "d": deadlines.day_of(waiting[0].requested_at).isoformat(),
                "due": waiting[0].due_on.isoformat(),
            }
        )
    before = _move(referral, ReferralStatus.AWAITING_COMPANY)
    referral.save(update_fields=["status"])
    request = InfoRequest.objects.create(
        referral=referral, message=message, requested_by=actor, due_on=due_on
    )
    record_event(
        actor=actor,
        action="referral.request_info",
        partner=referral.partner,
        obj=referral,
        summary=f"Information requested, due {due_on.isoformat()}; certification clock paused",
        before={"status": before},
        after={"status": referral.status, "info_request": request.pk, "due_on": due_on},
        reason=message,
    )
    _mail_officers(
        referral.partner,
        _("Your specialist needs information"),
        [
            message,
            "",
            _("Answer by %(d)s on your company's Dates page. The decision clock is paused until you answer.")
            % {"d": due_on.isoformat()},
        ],
    )
    return request


@transaction.atomic
def info_request_answer(*, actor: User, partner_id: int, request_id: int, response: str) -> InfoRequest:
    """The company answers; the certification clock runs again."""
    access = partner_for(actor, partner_id)
    if not permissions.can_prepare(access.role):
        raise Forbidden(_("Only people of this company answer its information requests."))
    try:
        pk = int(request_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = InfoRequest.objects.filter(pk=pk, referral__partner_id=access.partner.pk).values_list(
        "referral_id", flat=True
    )
    if not found:
        raise NotFound()
    referral = Referral.objects.select_for_update().select_related("partner").get(pk=found[0])
    request = InfoRequest.objects.select_for_update().get(pk=pk)
    if request.responded_at is not None:
        raise Conflict(
            _("This request was answered on %(d)s; nothing was changed.")
            % {"d": deadlines.day_of(request.responded_at).isoformat()}
        )
    if referral.status == ReferralStatus.DECIDED:
        raise Conflict(_("The specialist has already decided; the request is closed."))
    response = _text(response, field="response", missing=_("Write your answer."), limit=LONG_MAX)
    request.response, request.responded_at, request.responded_by = response, timezone.now(), actor
    request.save(update_fields=["response", "responded_at", "responded_by"])
    before = referral.status
    if referral.status == ReferralStatus.AWAITING_COMPANY and not _unanswered(referral):
        _move(referral, ReferralStatus.OPEN)
        referral.save(update_fields=["status"])
    record_event(
        actor=actor,
        action="info_request.answer",
        partner=referral.partner,
        obj=request,
        summary="Information provided; certification clock running again",
        before={"referral_status": before},
        after={"referral_status": referral.status, "responded_at": request.responded_at},
    )
    return request


def _specialist_decision(
    referral: Referral, *, actor: User, outcome: str, reasons: str, note: str = "", **extra
) -> Decision:
    now = timezone.now()
    decision = Decision.objects.create(
        partner=referral.partner,
        kind=DecisionKind.SPECIALIST,
        outcome=outcome,
        reasons=[_reason_entry(f"specialist_{outcome}", reasons, outcome)],
        inputs={
            "referral": referral.pk,
            "automated_decision": referral.decision_id,
            "info_requests": list(referral.info_requests.order_by("pk").values_list("pk", flat=True)),
            **extra.pop("inputs", {}),
        },
        profile_snapshot_id=referral.decision.profile_snapshot_id,
        decided_at=now,
        decided_by=actor,
        note=note,
        **extra,
    )
    referral.final_decision = decision
    referral.closed_at = now
    return decision


def _record_decision(actor: User, decision: Decision, reason: str) -> None:
    from .services import _notify_officers

    record_event(
        actor=actor,
        action="screening.decision",
        partner=decision.partner,
        obj=decision,
        summary=f"Specialist decision: {decision.outcome}",
        after={
            "outcome": decision.outcome,
            "kind": decision.kind,
            "referral": decision.inputs.get("referral"),
        },
        reason=reason,
    )
    partner = decision.partner
    transaction.on_commit(lambda: _notify_officers(partner, decision))


@transaction.atomic
def referral_certify(*, actor: User, referral_id: int, reasons: str, on: dt.date | None = None) -> Decision:
    """The specialist certifies: Tier 1, first validation due in a year."""
    referral = _lock_referral(actor, referral_id)
    _require_worker(actor, referral)
    _require_open(referral)
    if referral.status == ReferralStatus.DENIAL_PROPOSED:
        raise Conflict(_("A denial is proposed: a supervisor approves it or sends it back first."))
    reasons = _text(reasons, field="reasons", missing=_("Give the reasons for certifying."))
    on = on or deadlines.today()
    _move(referral, ReferralStatus.DECIDED)
    decision = _specialist_decision(
        referral,
        actor=actor,
        outcome=Outcome.CERTIFIED,
        reasons=reasons,
        validation_due=clocks.first_validation_due(on),
    )
    referral.save(update_fields=["status", "final_decision", "closed_at"])
    partner_services.partner_apply_decision(
        actor=actor, partner_id=referral.partner_id, to_status=S.CERTIFIED, reason=reasons
    )
    _record_decision(actor, decision, reasons)
    return decision


@transaction.atomic
def referral_propose_denial(*, actor: User, referral_id: int, reasons: str) -> Referral:
    """The specialist proposes a denial; a supervisor (not the proposer) must approve it."""
    referral = _lock_referral(actor, referral_id)
    _require_worker(actor, referral)
    _require_open(referral)
    reasons = _text(reasons, field="reasons", missing=_("Give the reasons for the denial."))
    before = _move(referral, ReferralStatus.DENIAL_PROPOSED)
    referral.proposed_outcome = Outcome.DENIED
    referral.proposed_reasons = reasons
    referral.proposed_by = actor
    referral.proposed_at = timezone.now()
    referral.save(
        update_fields=["status", "proposed_outcome", "proposed_reasons", "proposed_by", "proposed_at"]
    )
    record_event(
        actor=actor,
        action="referral.propose_denial",
        partner=referral.partner,
        obj=referral,
        summary="Denial proposed; awaiting supervisory approval",
        before={"status": before},
        after={"status": referral.status},
        reason=reasons,
    )
    return referral


def _lock_proposal(actor, referral_id) -> Referral:
    referral = _lock_referral(actor, referral_id)
    if actor.staff_role not in SUPERVISORS:
        raise Forbidden(
            _("Only a supervisory SCS or a program manager approves or returns a proposed denial.")
        )
    _require_open(referral)
    if referral.status != ReferralStatus.DENIAL_PROPOSED:
        raise Conflict(_("No denial is proposed on this referral."))
    return referral


@transaction.atomic
def referral_approve_denial(
    *, actor: User, referral_id: int, note: str = "", on: dt.date | None = None
) -> Decision:
    """A supervisor approves the proposed denial: the company is denied and may appeal within 90 days."""
    referral = _lock_proposal(actor, referral_id)
    if referral.proposed_by_id == actor.pk:
        raise Forbidden(_("You proposed this denial; another supervisor must approve it."))
    on = on or deadlines.today()
    note = (note or "").strip()[:REASON_MAX]
    proposer = referral.proposed_by
    _move(referral, ReferralStatus.DECIDED)
    decision = _specialist_decision(
        referral,
        actor=actor,
        outcome=Outcome.DENIED,
        reasons=referral.proposed_reasons,
        note=note,
        appeal_due=clocks.appeal_due(on, false_information=False),
        inputs={"proposed_by": proposer.email if proposer else None},
    )
    referral.save(update_fields=["status", "final_decision", "closed_at"])
    partner_services.partner_apply_decision(
        actor=actor, partner_id=referral.partner_id, to_status=S.DENIED, reason=referral.proposed_reasons
    )
    _record_decision(actor, decision, referral.proposed_reasons)
    return decision


@transaction.atomic
def referral_send_back(*, actor: User, referral_id: int, note: str) -> Referral:
    """A supervisor returns the proposed denial to the specialist, with a note."""
    referral = _lock_proposal(actor, referral_id)
    note = _text(note, field="note", missing=_("Say why the proposal goes back to the specialist."))
    target = ReferralStatus.AWAITING_COMPANY if _unanswered(referral) else ReferralStatus.OPEN
    proposal = {
        "status": referral.status,
        "proposed_by": referral.proposed_by.email if referral.proposed_by else None,
        "proposed_reasons": referral.proposed_reasons,
    }
    _move(referral, target)
    referral.proposed_outcome, referral.proposed_reasons = "", ""
    referral.proposed_by, referral.proposed_at = None, None
    referral.save(
        update_fields=["status", "proposed_outcome", "proposed_reasons", "proposed_by", "proposed_at"]
    )
    record_event(
        actor=actor,
        action="referral.send_back",
        partner=referral.partner,
        obj=referral,
        summary="Proposed denial sent back to the specialist",
        before=proposal,
        after={"status": referral.status},
        reason=note,
    )
    return referral


# --- suspension, corrective action, reinstatement, removal ----------------------------------------------


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


# --- re-application after removal ------------------------------------------------------------------------


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


# --- appeals ---------------------------------------------------------------------------------------------


SUBJECT_NOUN = {
    AppealSubject.DENIAL: gettext_lazy("denial"),
    AppealSubject.SUSPENSION: gettext_lazy("suspension"),
    AppealSubject.REMOVAL: gettext_lazy("removal"),
}


@transaction.atomic
def appeal_file(
    *, actor: User, partner_id: int, subject: str, grounds: str, on: dt.date | None = None
) -> Appeal:
    """The company officer appeals the denial, suspension or removal in force, within its window."""
    access = partner_for(actor, partner_id, for_update=True)
    if not permissions.can_sign_and_submit(access.role):
        raise Forbidden(_("Only a company officer files an appeal."))
    partner = access.partner
    on = on or deadlines.today()
    errors: list[dict] = []
    if subject not in AppealSubject.values:
        errors.append(
            {
                "field": "subject",
                "message": _("Choose what you appeal: %(s)s.") % {"s": ", ".join(AppealSubject.values)},
            }
        )
    try:
        grounds = _text(
            grounds, field="grounds", missing=_("State the grounds of the appeal."), limit=LONG_MAX
        )
    except InvalidInput as exc:
        errors.append({"field": "grounds", "message": exc.message})
    _raise_all(errors)
    links: dict = {}
    if subject == AppealSubject.DENIAL:
        target = deadlines._latest_denial(partner)
        last_day = deadlines.denial_appeal_due(target) if target else None
        links["decision"] = target
        started = target.decided_at if target else None
    elif subject == AppealSubject.SUSPENSION:
        target = deadlines.suspension_in_force(partner)
        last_day = deadlines.suspension_appeal_due(target) if target else None
        links["suspension"] = target
        started = target.started_at if target else None
    else:
        target = deadlines.removal_in_force(partner)
        last_day = deadlines.removal_appeal_due(target) if target else None
        links["removal"] = target
        started = target.removed_at if target else None
    noun = SUBJECT_NOUN[AppealSubject(subject)]
    if target is None:
        raise Conflict(_("There is no %(s)s in force to appeal.") % {"s": noun}, field="subject")
    earlier = Appeal.objects.filter(**links).exclude(status=AppealStatus.WITHDRAWN).first()
    if earlier is not None:
        raise Conflict(
            _("An appeal against this %(s)s was already filed on %(d)s.")
            % {"s": noun, "d": deadlines.day_of(earlier.filed_at).isoformat()},
            field="subject",
        )
    if on > last_day:
        raise Conflict(
            _(
                "The appeal window closed on %(d)s (%(n)d days after the %(s)s of %(start)s); "
                "the appeal was not filed."
            )
            % {
                "d": last_day.isoformat(),
                "n": (last_day - deadlines.day_of(started)).days,
                "s": noun,
                "start": deadlines.day_of(started).isoformat(),
            },
            field="subject",
        )
    now = timezone.now()
    appeal = Appeal(
        partner=partner,
        subject=subject,
        grounds=grounds,
        filed_at=now,
        filed_by=actor,
        filing_deadline=last_day,
        **links,
    )
    appeal.decision_due = deadlines.appeal_decision_due(appeal)
    try:
        with transaction.atomic():
            appeal.save()
    except IntegrityError:
        raise Conflict(_("An appeal against this %(s)s was filed a moment ago.") % {"s": noun}) from None
    record_event(
        actor=actor,
        action="appeal.file",
        partner=partner,
        obj=appeal,
        summary=f"Appeal against the {subject} filed; decision due {appeal.decision_due.isoformat()}",
        after={"subject": subject, "filing_deadline": last_day, "decision_due": appeal.decision_due},
        reason=grounds[:REASON_MAX],
    )
    return appeal


@transaction.atomic
def appeal_withdraw(*, actor: User, partner_id: int, appeal_id: int) -> Appeal:
    access = partner_for(actor, partner_id)
    if not permissions.can_sign_and_submit(access.role):
        raise Forbidden(_("Only a company officer withdraws an appeal."))
    try:
        pk = int(appeal_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    appeal = Appeal.objects.select_for_update().filter(pk=pk, partner_id=access.partner.pk).first()
    if appeal is None:
        raise NotFound()
    if appeal.status != AppealStatus.FILED:
        raise Conflict(
            _("This appeal is %(s)s; it can no longer be withdrawn.") % {"s": appeal.get_status_display()}
        )
    appeal.status = AppealStatus.WITHDRAWN
    appeal.save(update_fields=["status"])
    record_event(
        actor=actor,
        action="appeal.withdraw",
        partner=access.partner,
        obj=appeal,
        summary=f"Appeal against the {appeal.subject} withdrawn",
        before={"status": AppealStatus.FILED},
        after={"status": AppealStatus.WITHDRAWN},
    )
    return appeal


def _overturn(appeal: Appeal, *, actor: User, note: str) -> str:
    """Undo what the appeal overturned; returns what happened, for the audit event."""
    from .services import _route_specialist

    partner = Partner.objects.select_for_update().get(pk=appeal.partner_id)
    if appeal.subject == AppealSubject.DENIAL:
        if partner.status != S.DENIED:
            return "partner no longer denied: status unchanged"
        on = deadlines.today()
        decision = Decision.objects.create(
            partner=partner,
            kind=DecisionKind.SPECIALIST,
            outcome=Outcome.REFERRED,
            reasons=[_reason_entry("appeal_overturned", note, Outcome.REFERRED)],
            inputs={"appeal": appeal.pk, "overturned_decision": appeal.decision_id},
            profile_snapshot_id=appeal.decision.profile_snapshot_id if appeal.decision_id else None,
            decided_at=timezone.now(),
            decided_by=actor,
            note=note,
            decision_due=clocks.certification_due(on),
        )
        partner = partner_services.partner_apply_decision(
            actor=actor, partner_id=partner.pk, to_status=S.UNDER_REVIEW, reason=note
        )
        specialist = _route_specialist(partner)
        if specialist is not None and partner.assigned_scs_id != specialist.pk:
            partner = partner_services.partner_assign_scs(
                actor=None,
                partner_id=partner.pk,
                scs_id=specialist.pk,
                reason=_("Appeal overturned a denial"),
            )
        referral = Referral.objects.create(
            partner=partner,
            decision=decision,
            assigned_to=specialist,
            field_office_id=partner.field_office_id,
            submitted_on=on,
        )
        return f"denied -> under review; referral {referral.pk}"
    if appeal.subject == AppealSubject.SUSPENSION:
        suspension = Suspension.objects.select_for_update().get(pk=appeal.suspension_id)
        if suspension.ended_at is not None or partner.status != S.SUSPENDED:
            return "suspension already ended: status unchanged"
        _end_suspension(suspension, actor=actor, kind=SuspensionEnd.OVERTURNED)
        partner_services.partner_apply_decision(
            actor=actor, partner_id=partner.pk, to_status=S.CERTIFIED, reason=note
        )
        return "suspended -> certified (reinstated)"
    removal = Removal.objects.select_for_update().get(pk=appeal.removal_id)
    removal.overturned_at = timezone.now()
    removal.save(update_fields=["overturned_at"])
    if partner.status != S.REMOVED:
        return "removal overturned; status unchanged"
    # removed -> certified is not in the transition table: the company returns to draft, with no waiting
    # year, and re-submits (docs/lifecycle.md explains the choice).
    partner_services.partner_apply_decision(
        actor=actor, partner_id=partner.pk, to_status=S.DRAFT, reason=note
    )
    return "removed -> draft (removal overturned; may re-submit at once)"


@transaction.atomic
def appeal_decide(*, actor: User, appeal_id: int, outcome: str, note: str) -> Appeal:
    """A supervisory SCS or program manager upholds or overturns the appeal, with a note."""
    _require_staff(actor, SUPERVISORS, _("Only a supervisory SCS or a program manager decides appeals."))
    try:
        pk = int(appeal_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("partner", "decision")
        .filter(pk=pk)
        .first()
    )
    if appeal is None:
        raise NotFound()
    errors: list[dict] = []
    if outcome not in (AppealStatus.UPHELD, AppealStatus.OVERTURNED):
        errors.append({"field": "outcome", "message": _("Decide: upheld or overturned.")})
    try:
        note = _text(note, field="note", missing=_("Write the decision note the company will read."))
    except InvalidInput as exc:
        errors.append({"field": "note", "message": exc.message})
    _raise_all(errors)
    if appeal.status != AppealStatus.FILED:
        raise Conflict(_("This appeal is already %(s)s.") % {"s": appeal.get_status_display().lower()})
    effect = "original decision stands"
    if outcome == AppealStatus.OVERTURNED:
        effect = _overturn(appeal, actor=actor, note=note)
    appeal.status = outcome
    appeal.decided_at, appeal.decided_by, appeal.decision_note = timezone.now(), actor, note
    appeal.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    record_event(
        actor=actor,
        action="appeal.decide",
        partner=appeal.partner,
        obj=appeal,
        summary=f"Appeal against the {appeal.subject} {outcome}: {effect}",
        before={"status": AppealStatus.FILED},
        after={"status": outcome, "effect": effect},
        reason=note,
    )
    _mail_officers(
        appeal.partner,
        _("Your appeal: %(s)s") % {"s": appeal.get_status_display()},
        [note],
    )
    return appeal
