"""The specialist's referral work: reassignment, information requests (the clock stops until the company
answers), certification, a proposed denial and its supervisory approval or return."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.accounts.models import User
from greenlane.audit.services import record_event
from greenlane.core import clocks
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.core.transitions import check_transition
from greenlane.partners import permissions
from greenlane.partners import services as partner_services
from greenlane.partners.selectors import partner_for

from .. import deadlines
from ..choices import (
    REFERRAL_TRANSITIONS,
    DecisionKind,
    Outcome,
    ReferralStatus,
)
from ..models import Decision, InfoRequest, Referral
from ._common import (
    ASSIGNABLE,
    LONG_MAX,
    MAX_INFO_DAYS,
    REASON_MAX,
    SPECIALISTS,
    SUPERVISORS,
    S,
    _mail_officers,
    _raise_all,
    _reason_entry,
    _require_staff,
    _status_label,
    _text,
)


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
        assignee = User.objects.filter(pk=int(assignee_id), is_active=True, staff_role__in=ASSIGNABLE).first()
    except (TypeError, ValueError):
        assignee = None
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
    due = due_on if isinstance(due_on, dt.date) else None
    if due is None:
        errors.append({"field": "due_on", "message": _("Give the date the answer is due.")})
    elif not on < due <= latest:
        errors.append(
            {
                "field": "due_on",
                "message": _("The answer is due after today and at most %(n)d days from now (by %(d)s).")
                % {"n": MAX_INFO_DAYS, "d": latest.isoformat()},
            }
        )
    _raise_all(errors)
    assert due is not None  # refused above otherwise
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
    request = InfoRequest.objects.create(referral=referral, message=message, requested_by=actor, due_on=due)
    record_event(
        actor=actor,
        action="referral.request_info",
        partner=referral.partner,
        obj=referral,
        summary=f"Information requested, due {due.isoformat()}; certification clock paused",
        before={"status": before},
        after={"status": referral.status, "info_request": request.pk, "due_on": due},
        reason=message,
    )
    _mail_officers(
        referral.partner,
        _("Your specialist needs information"),
        [
            message,
            "",
            _("Answer by %(d)s on your company's Dates page. The decision clock is paused until you answer.")
            % {"d": due.isoformat()},
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
    from ..services import _notify_officers

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
