"""Writes from the report on: submit to a supervisor, approve (publish) or return, the company's responses to
required actions, their closure, and closing the validation with its outcome (tier or suspension)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.core import clocks
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.partners.choices import Tier
from greenlane.partners.tiers import partner_tier_set
from greenlane.screening.choices import Benefit, SuspensionCause
from greenlane.screening.lifecycle import suspension_start

from .. import snapshot as snap
from ..choices import FindingResult, ItemKind, Outcome, ReviewDecision, ValidationStatus
from ..models import Finding, HoursEntry, ReportReview, Validation, ValidationItem
from ._common import (
    COMPANY_RESPONDERS,
    LONG_MAX,
    SUPERVISORS,
    event,
    lock_company_validation,
    lock_validation,
    mail_officers,
    mail_user,
    move,
    require_lead,
    require_staff,
    text,
    today,
)

V = ValidationStatus
RESPONSE_DAYS = 30
# What a failed validation withdraws until the member is reinstated.
FAILED_BENEFITS = [
    Benefit.RISK_SCORE_CREDIT,
    Benefit.FEWER_EXAMS,
    Benefit.FRONT_OF_LINE,
    Benefit.FAST_LANE,
    Benefit.GREEN_LANE,
]
OUTCOME_TIER = {Outcome.MEETS: Tier.TIER_2, Outcome.EXCEEDS: Tier.TIER_3}


def report_problems(validation: Validation, outcome: str) -> list[dict]:
    """What stops the report going to review with this outcome (empty when ready)."""
    problems: list[dict] = []
    codes = snap.codes(validation.snapshot)
    results = dict(Finding.objects.filter(validation=validation).values_list("criterion_code", "result"))
    missing = sorted(codes - set(results))
    if missing:
        problems.append(
            {
                "field": "findings",
                "message": _("%(n)d of %(m)d criteria have no finding yet (first: %(c)s).")
                % {"n": len(missing), "m": len(codes), "c": ", ".join(missing[:5])},
            }
        )
    if not HoursEntry.objects.filter(validation=validation).exists():
        problems.append(
            {"field": "hours", "message": _("Record the hours spent before submitting the report.")}
        )
    if outcome not in (Outcome.MEETS, Outcome.EXCEEDS, Outcome.FAILS):
        problems.append({"field": "outcome", "message": _("Choose the outcome: meets, exceeds or fails.")})
        return problems
    items = list(ValidationItem.objects.filter(validation=validation))
    if outcome == Outcome.EXCEEDS and not any(i.kind == ItemKind.BEST_PRACTICE and i.verified for i in items):
        problems.append(
            {"field": "outcome", "message": _("'Exceeds' needs at least one verified best practice.")}
        )
    if outcome != Outcome.FAILS:
        covered = {i.criterion_code for i in items if i.kind == ItemKind.REQUIRED_ACTION}
        gaps = sorted(c for c, r in results.items() if r == FindingResult.DOES_NOT_MEET and c not in covered)
        if gaps:
            problems.append(
                {
                    "field": "items",
                    "message": _("Write a required action for each criterion not met: %(c)s.")
                    % {"c": ", ".join(gaps[:10])},
                }
            )
    return problems


@transaction.atomic
def report_submit(*, actor, validation_id: int, outcome: str, summary: str) -> ReportReview:
    """Send the report, with the proposed outcome, to a supervisor for approval."""
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    if validation.status not in (V.IN_PROGRESS, V.RETURNED):
        raise Conflict(
            _("Only a validation in progress (or returned) can go to review; this one is '%(s)s'.")
            % {"s": ValidationStatus(validation.status).label}
        )
    body = text(summary, field="summary", missing=_("Write the report summary."), limit=LONG_MAX)
    problems = report_problems(validation, outcome)
    if problems:
        raise InvalidInput(problems[0]["message"], field=problems[0]["field"], errors=problems)
    before = {**move(validation, V.REPORT_REVIEW), "outcome": validation.outcome}
    validation.outcome = outcome
    validation.report_summary = body
    validation.save()
    review = ReportReview.objects.create(validation=validation, submitted_by=actor, proposed_outcome=outcome)
    event(
        actor,
        validation,
        "validation.report_submit",
        f"Report sent for review (proposed: {outcome})",
        obj=review,
        before=before,
        after={"status": validation.status, "outcome": outcome},
    )
    if validation.supervisor_id and validation.supervisor and validation.supervisor.email:
        mail_user(
            validation.supervisor.email,
            _("Validation report to review"),
            [_("%(r)s of %(p)s awaits your review.") % {"r": validation.reference, "p": validation.partner}],
        )
    return review


@transaction.atomic
def report_review(*, actor, validation_id: int, decision: str, comment: str = "") -> ReportReview:
    """A supervisor approves (publishes to the company) or returns the report. Never its own author."""
    require_staff(actor, SUPERVISORS, _("Only a supervisory SCS or program manager reviews reports."))
    validation = lock_validation(actor, validation_id)
    if validation.status != V.REPORT_REVIEW:
        raise Conflict(_("This validation has no report waiting for review."))
    review = ReportReview.objects.select_for_update().filter(validation=validation, decision="").first()
    if review is None:
        raise Conflict(_("This validation has no report waiting for review."))
    if actor.pk in (review.submitted_by_id, validation.specialist_id):
        raise Forbidden(
            _("A report cannot be approved or returned by its own author; another supervisor decides.")
        )
    if decision not in (ReviewDecision.APPROVE, ReviewDecision.RETURN):
        raise InvalidInput(_("Decide: approve or return."), field="decision")
    note = text(
        comment,
        field="comment",
        missing=_("Say what must change before the report can be approved."),
        required=decision == ReviewDecision.RETURN,
    )
    target = V.PUBLISHED if decision == ReviewDecision.APPROVE else V.RETURNED
    before = {**move(validation, target), "supervisor": validation.supervisor_id}
    validation.supervisor = actor
    validation.save()
    now = timezone.now()
    review.reviewer, review.decision, review.decided_at, review.comment = actor, decision, now, note
    review.save()
    if target == V.PUBLISHED:
        due = today() + dt.timedelta(days=RESPONSE_DAYS)
        ValidationItem.objects.filter(
            validation=validation, kind=ItemKind.REQUIRED_ACTION, due_on__isnull=True
        ).update(due_on=due)
    event(
        actor,
        validation,
        f"validation.report_{decision}",
        "Report approved and published" if target == V.PUBLISHED else "Report returned",
        obj=review,
        before=before,
        after={"status": validation.status, "supervisor": actor.pk},
        reason=note,
    )
    if target == V.PUBLISHED:
        mail_officers(
            validation.partner,
            _("Your validation report is published"),
            [
                _("The report of validation %(r)s is ready in your company's Validations page.")
                % {"r": validation.reference},
                _("Answer each required action with your plan."),
            ],
        )
    else:
        mail_user(
            validation.specialist.email,
            _("Validation report returned"),
            [_("%(r)s was returned: %(c)s") % {"r": validation.reference, "c": note}],
        )
    return review


@transaction.atomic
def item_respond(*, actor, validation_id: int, item_id: int, response: str) -> ValidationItem:
    """The company answers a required action with its plan (changeable until the specialist closes it)."""
    validation = lock_company_validation(
        actor,
        validation_id,
        COMPANY_RESPONDERS,
        _("Only a company officer or administrator answers required actions."),
    )
    if validation.status != V.PUBLISHED:
        raise Conflict(_("Responses are taken once the report is published and until the validation closes."))
    item = ValidationItem.objects.select_for_update().filter(pk=item_id, validation=validation).first()
    if item is None:
        raise NotFound()
    if item.kind != ItemKind.REQUIRED_ACTION:
        raise Conflict(_("Only required actions take a response."))
    if item.closed_at:
        raise Conflict(_("This required action is already closed."))
    body = text(
        response, field="response", missing=_("Describe your plan for this required action."), limit=LONG_MAX
    )
    before = {"response": item.response}
    item.response, item.responded_at, item.responder = body, timezone.now(), actor
    item.save(update_fields=["response", "responded_at", "responder"])
    event(
        actor,
        validation,
        "validation.item_respond",
        f"Company responded on {item.criterion_code}",
        obj=item,
        before=before,
        after={"response": body},
    )
    return item


@transaction.atomic
def item_close(*, actor, validation_id: int, item_id: int, note: str = "") -> ValidationItem:
    """The specialist accepts the company's plan and closes the required action."""
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    if validation.status != V.PUBLISHED:
        raise Conflict(_("Required actions are closed after the report is published."))
    item = ValidationItem.objects.select_for_update().filter(pk=item_id, validation=validation).first()
    if item is None:
        raise NotFound()
    if item.kind != ItemKind.REQUIRED_ACTION:
        raise Conflict(_("Only required actions are closed."))
    if item.closed_at:
        raise Conflict(_("This required action is already closed."))
    if not item.responded_at:
        raise Conflict(_("The company has not answered this required action yet."))
    remark = text(note, field="note", missing="", required=False)
    item.closed_at, item.closed_by, item.closure_note = timezone.now(), actor, remark
    item.save(update_fields=["closed_at", "closed_by", "closure_note"])
    event(
        actor,
        validation,
        "validation.item_close",
        f"Required action on {item.criterion_code} closed",
        obj=item,
        after={"closed_at": item.closed_at, "note": remark},
    )
    return item


@transaction.atomic
def validation_close(*, actor, validation_id: int, reason: str = "") -> Validation:
    """Close a published validation and apply its outcome: tier 2 or 3, or a suspension for failure."""
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    if validation.status != V.PUBLISHED:
        raise Conflict(_("Only a published validation can be closed."))
    outcome = validation.outcome
    open_actions = ValidationItem.objects.filter(
        validation=validation, kind=ItemKind.REQUIRED_ACTION, closed_at__isnull=True
    ).count()
    if outcome != Outcome.FAILS and open_actions:
        raise Conflict(
            _("%(n)d required action(s) are still open; close each once the company's plan is accepted.")
            % {"n": open_actions}
        )
    why = text(reason, field="reason", missing="", required=False) or _("Validation %(r)s closed: %(o)s.") % {
        "r": validation.reference,
        "o": Outcome(outcome).label,
    }
    before = {**move(validation, V.CLOSED), "tier_result": None, "revalidation_due": None}
    if outcome in OUTCOME_TIER:
        tier = OUTCOME_TIER[Outcome(outcome)]
        partner_tier_set(actor=actor, partner_id=validation.partner_id, to_tier=tier, reason=why)
        validation.tier_result = tier
        validation.revalidation_due = clocks.revalidation_due(today())
    else:
        suspension_start(
            actor=actor,
            partner_id=validation.partner_id,
            cause=SuspensionCause.FAILED_VALIDATION,
            benefits=[b.value for b in FAILED_BENEFITS],
            reason=why,
        )
        validation.tier_result = None
    validation.outcome_reason = why
    validation.save()
    event(
        actor,
        validation,
        "validation.close",
        f"Closed: {Outcome(outcome).label}",
        before=before,
        after={
            "status": validation.status,
            "outcome": outcome,
            "tier_result": validation.tier_result,
            "revalidation_due": validation.revalidation_due,
        },
        reason=why,
    )
    mail_officers(
        validation.partner,
        _("Your validation is closed"),
        [
            _("Validation %(r)s is closed. Outcome: %(o)s.")
            % {"r": validation.reference, "o": Outcome(outcome).label},
            why,
        ],
    )
    return validation
