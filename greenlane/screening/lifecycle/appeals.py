"""Appeals against a denial, a suspension or a removal: filed by the company officer within the window,
decided by a supervisory SCS or a program manager, and what overturning does."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenlane.accounts.models import User
from greenlane.audit.services import record_event
from greenlane.core import clocks
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.partners import permissions
from greenlane.partners import services as partner_services
from greenlane.partners.models import Partner
from greenlane.partners.selectors import partner_for

from .. import deadlines
from ..choices import (
    AppealStatus,
    AppealSubject,
    DecisionKind,
    Outcome,
    SuspensionEnd,
)
from ..models import Appeal, Decision, Referral, Removal, Suspension
from ._common import (
    LONG_MAX,
    REASON_MAX,
    SUPERVISORS,
    S,
    _mail_officers,
    _raise_all,
    _reason_entry,
    _require_staff,
    _text,
)
from .membership import _end_suspension

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
    noun = SUBJECT_NOUN[AppealSubject(subject)]
    target = deadlines.appeal_target(partner, subject)
    if target is None:
        raise Conflict(_("There is no %(s)s in force to appeal.") % {"s": noun}, field="subject")
    links = {target.field: target.obj}
    earlier = Appeal.objects.filter(**links).exclude(status=AppealStatus.WITHDRAWN).first()
    if earlier is not None:
        raise Conflict(
            _("An appeal against this %(s)s was already filed on %(d)s.")
            % {"s": noun, "d": deadlines.day_of(earlier.filed_at).isoformat()},
            field="subject",
        )
    if on > target.last_day:
        raise Conflict(
            _(
                "The appeal window closed on %(d)s (%(n)d days after the %(s)s of %(start)s); "
                "the appeal was not filed."
            )
            % {
                "d": target.last_day.isoformat(),
                "n": (target.last_day - target.started).days,
                "s": noun,
                "start": target.started.isoformat(),
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
        filing_deadline=target.last_day,
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
        after={"subject": subject, "filing_deadline": target.last_day, "decision_due": appeal.decision_due},
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
    from ..services import _route_specialist

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
            profile_snapshot_id=appeal.decision.profile_snapshot_id if appeal.decision else None,
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
        suspension = Suspension.objects.select_for_update().filter(pk=appeal.suspension_id or 0).first()
        if suspension is None or suspension.ended_at is not None or partner.status != S.SUSPENDED:
            return "suspension already ended: status unchanged"
        _end_suspension(suspension, actor=actor, kind=SuspensionEnd.OVERTURNED)
        partner_services.partner_apply_decision(
            actor=actor, partner_id=partner.pk, to_status=S.CERTIFIED, reason=note
        )
        return "suspended -> certified (reinstated)"
    removal = Removal.objects.select_for_update().filter(pk=appeal.removal_id or 0).first()
    if removal is None:
        return "no removal recorded: status unchanged"
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
