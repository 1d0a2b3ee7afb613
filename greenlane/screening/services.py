"""Submission to decision: the application is judged at once against the active rules and answered."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.accounts.choices import StaffRole, TradeRole
from greenlane.accounts.models import User
from greenlane.audit.services import record_event
from greenlane.core import clocks
from greenlane.core.errors import Conflict, Forbidden, InvalidInput
from greenlane.partners import services as partner_services
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner
from greenlane.profiles.models import ProfileSnapshot

from .choices import DecisionKind, Outcome, ReferralStatus, RuleSetStatus
from .inputs import build_inputs
from .models import Decision, Referral, RuleSetVersion
from .rules import RuleSet, RuleSetError, evaluate, parse_ruleset

RULE_EDITORS = frozenset({StaffRole.PROGRAM_MANAGER, StaffRole.SYSTEM_ADMIN})


@lru_cache(maxsize=16)
def _parsed(checksum: str, text: str) -> RuleSet:
    return parse_ruleset(text)


def active_ruleset() -> tuple[RuleSetVersion, RuleSet]:
    version = RuleSetVersion.objects.filter(status=RuleSetStatus.ACTIVE).first()
    if version is None:
        raise Conflict(_("No screening rule set is active; the program office must activate one."))
    return version, _parsed(version.checksum, version.text)


def _route_specialist(partner: Partner) -> User | None:
    """The partner's specialist, else the least-loaded specialist of its field office (or of any office)."""
    if partner.assigned_scs_id:
        return partner.assigned_scs
    candidates = User.objects.filter(is_active=True, staff_role=StaffRole.SCS)
    if partner.field_office_id:
        local = candidates.filter(field_office_id=partner.field_office_id)
        candidates = local if local.exists() else candidates
    open_work = Count(
        "referrals", filter=Q(referrals__status__in=[ReferralStatus.OPEN, ReferralStatus.AWAITING_COMPANY])
    )
    return candidates.annotate(load=open_work).order_by("load", "id").first()


def _notify_officers(partner: Partner, decision: Decision) -> None:
    officers = list(
        partner.memberships.filter(role=TradeRole.COMPANY_OFFICER).values_list("user__email", flat=True)
    )
    if not officers:
        return
    subject = _("Your application %(ref)s: %(outcome)s") % {
        "ref": partner.reference,
        "outcome": decision.get_outcome_display(),
    }
    lines = [subject, ""] + [f"- {r['message']}" for r in decision.reasons]
    if decision.validation_due:
        lines.append(_("Your first validation is due by %(d)s.") % {"d": decision.validation_due.isoformat()})
    if decision.decision_due:
        lines.append(_("A specialist will decide by %(d)s.") % {"d": decision.decision_due.isoformat()})
    if decision.appeal_due:
        lines.append(
            _("You may appeal until %(d)s from your company's page.") % {"d": decision.appeal_due.isoformat()}
        )
    send_mail(subject, "\n".join(lines), None, officers)


def decide(partner: Partner, *, today: dt.date | None = None) -> Decision:
    """Judge the submitted application and apply the outcome. Runs inside the submission's transaction."""
    from greenlane.vetting.services import run_matching

    today = today or timezone.localdate()
    version, ruleset = active_ruleset()
    snapshot = (
        ProfileSnapshot.objects.filter(profile__partner=partner, profile__is_current=True)
        .order_by("-revision")
        .first()
    )
    run_matching(partner)
    inputs = build_inputs(partner, snapshot, today=today)
    result = evaluate(ruleset, inputs)
    submitted_on = partner.submitted_at.date() if partner.submitted_at else today
    decision = Decision(
        partner=partner,
        kind=DecisionKind.AUTOMATED,
        outcome=result.outcome,
        score=result.score,
        reasons=[r.as_dict() for r in result.reasons],
        inputs=inputs,
        ruleset=version,
        ruleset_version=result.ruleset_version,
        ruleset_checksum=result.ruleset_checksum,
        profile_snapshot=snapshot,
        decided_at=timezone.now(),
    )
    if result.outcome == Outcome.CERTIFIED:
        decision.validation_due = clocks.first_validation_due(today)
    elif result.outcome == Outcome.DENIED:
        decision.appeal_due = clocks.appeal_due(today, false_information=False)
    else:
        decision.decision_due = clocks.certification_due(submitted_on)
    decision.save()
    summary = "; ".join(r.message for r in result.reasons) or _("No risk indicator fired.")
    record_event(
        actor=None,
        action="screening.decision",
        partner=partner,
        obj=decision,
        summary=f"Automated decision: {result.outcome} (score {result.score:g})",
        after={
            "outcome": result.outcome,
            "score": result.score,
            "ruleset": result.ruleset_version,
            "reasons": [r.code for r in result.reasons],
        },
        reason=summary,
    )
    target: str = {
        Outcome.CERTIFIED: PartnerStatus.CERTIFIED,
        Outcome.DENIED: PartnerStatus.DENIED,
        Outcome.REFERRED: PartnerStatus.UNDER_REVIEW,
    }[Outcome(result.outcome)]
    partner_services.partner_apply_decision(
        actor=None, partner_id=partner.pk, to_status=target, reason=summary
    )
    if result.outcome == Outcome.REFERRED:
        specialist = _route_specialist(partner)
        if specialist is not None and partner.assigned_scs_id != specialist.pk:
            partner_services.partner_assign_scs(
                actor=None,
                partner_id=partner.pk,
                scs_id=specialist.pk,
                reason=_("Referral routed by the automated decision"),
            )
        partner.refresh_from_db()
        Referral.objects.create(
            partner=partner,
            decision=decision,
            assigned_to=specialist,
            field_office_id=partner.field_office_id,
            submitted_on=submitted_on,
        )
    partner.refresh_from_db()
    transaction.on_commit(lambda: _notify_officers(partner, decision))
    return decision


@transaction.atomic
def application_submit(*, actor, partner_id: int, today: dt.date | None = None) -> Decision:
    """The company officer submits; the answer comes back in the same request.

    The partner row stays locked from submission to decision, so a second submission waits and is then
    refused as already submitted: the application is never judged twice.
    """
    partner = partner_services.partner_submit(actor=actor, partner_id=partner_id)
    return decide(partner, today=today)


@transaction.atomic
def ruleset_create(*, actor, text: str, notes: str = "") -> RuleSetVersion:
    if getattr(actor, "staff_role", "") not in RULE_EDITORS:
        raise Forbidden(_("Only a program manager edits the screening rules."))
    try:
        parsed = parse_ruleset(text or "")
    except RuleSetError as exc:
        raise InvalidInput(str(exc), field="text") from None
    if RuleSetVersion.objects.filter(version=parsed.version).exists():
        raise Conflict(
            _("Rule set version %(v)s exists; give the new rules a new version number.")
            % {"v": parsed.version},
            field="text",
        )
    version = RuleSetVersion.objects.create(
        name=parsed.name,
        version=parsed.version,
        text=text,
        checksum=parsed.checksum,
        notes=(notes or "").strip()[:4000],
        created_by=actor,
    )
    record_event(
        actor=actor,
        action="ruleset.create",
        obj=version,
        summary=f"Rule set {parsed.version} drafted",
        after={"version": parsed.version, "checksum": parsed.checksum},
    )
    return version


@transaction.atomic
def ruleset_activate(*, actor, version_id: int, reason: str) -> RuleSetVersion:
    if getattr(actor, "staff_role", "") not in RULE_EDITORS:
        raise Forbidden(_("Only a program manager activates screening rules."))
    if not (reason or "").strip():
        raise InvalidInput(_("Say why these rules are being activated."), field="reason")
    version = RuleSetVersion.objects.select_for_update().filter(pk=version_id).first()
    if version is None:
        raise InvalidInput(_("No such rule set."), field="version")
    if version.status != RuleSetStatus.DRAFT:
        raise Conflict(
            _("Only a draft rule set can be activated; this one is %(s)s.") % {"s": version.status}
        )
    parse_ruleset(version.text)  # never activate rules that do not parse
    previous = RuleSetVersion.objects.filter(status=RuleSetStatus.ACTIVE).first()
    if previous:
        previous.status = RuleSetStatus.RETIRED
        previous.save(update_fields=["status"])
    version.status, version.activated_at, version.activated_by = RuleSetStatus.ACTIVE, timezone.now(), actor
    version.save(update_fields=["status", "activated_at", "activated_by"])
    record_event(
        actor=actor,
        action="ruleset.activate",
        obj=version,
        reason=reason.strip(),
        summary=f"Rule set {version.version} activated",
        before={"active": previous.version if previous else None},
        after={"active": version.version},
    )
    return version
