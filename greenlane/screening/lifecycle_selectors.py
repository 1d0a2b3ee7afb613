"""Reads for the lifecycle pages and API, scoped to the actor: staff read every partner's records, a company
only its own; a missing object and someone else's object are the same 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from greenlane.accounts.models import FieldOffice, User
from greenlane.audit.models import AuditEvent
from greenlane.core.errors import NotFound
from greenlane.core.paging import Page, clamp
from greenlane.partners.selectors import PartnerAccess, partner_for

from . import deadlines
from .choices import AppealStatus
from .lifecycle import ASSIGNABLE
from .models import Appeal, CorrectiveActionPlan, InfoRequest, Referral, Removal, Suspension


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def require_staff(user) -> None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "staff_role", ""):
        raise NotFound()


def field_offices() -> list[FieldOffice]:
    return list(FieldOffice.objects.filter(is_active=True).order_by("name"))


def assignable_specialists() -> list[User]:
    return list(
        User.objects.filter(is_active=True, staff_role__in=ASSIGNABLE)
        .select_related("field_office")
        .order_by("field_office__name", "full_name", "email")
    )


def referral_page(user, *, field_office=None, mine: bool = False, status: str = "", limit=None, offset=None):
    """The queue: open referrals by certification deadline (pauses counted), one page of them."""
    require_staff(user)
    rows = deadlines.referral_queue(
        field_office=field_office, assigned_to=user.pk if mine else None, status=status
    )
    limit, offset = clamp(limit, offset, default=50)
    return Page(items=rows[offset : offset + limit], count=len(rows), limit=limit, offset=offset)


def referral_for(user, referral_id) -> deadlines.QueueRow:
    """One referral with what its page shows, for staff."""
    require_staff(user)
    referral = (
        Referral.objects.select_related(
            "partner",
            "partner__assigned_scs",
            "partner__field_office",
            "decision",
            "decision__profile_snapshot",
            "assigned_to",
            "field_office",
            "proposed_by",
            "final_decision",
            "final_decision__decided_by",
        )
        .prefetch_related(
            Prefetch(
                "info_requests",
                queryset=InfoRequest.objects.select_related("requested_by", "responded_by").order_by(
                    "requested_at"
                ),
            )
        )
        .filter(pk=_pk(referral_id))
        .first()
    )
    if referral is None:
        raise NotFound()
    on = deadlines.today()
    return deadlines.QueueRow(
        referral, deadlines.referral_due(referral, on=on), on, deadlines.is_paused(referral)
    )


def referral_events(referral: Referral) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type="screening.referral", object_id=str(referral.pk)).order_by(
            "-at", "-id"
        )
    )


@dataclass
class Lifecycle:
    """A partner's dates and its suspension, plan, removal and appeal records."""

    access: PartnerAccess
    dates: deadlines.PartnerDates
    suspensions: list[Suspension]
    removals: list[Removal]
    answered_requests: list[InfoRequest]

    @property
    def partner(self):
        return self.access.partner


def lifecycle_for(user, partner_id) -> Lifecycle:
    access = partner_for(user, partner_id)
    partner = access.partner
    dates = deadlines.partner_dates(partner)
    suspensions = list(
        Suspension.objects.filter(partner=partner)
        .select_related("started_by", "ended_by")
        .prefetch_related(
            Prefetch(
                "action_plans",
                queryset=CorrectiveActionPlan.objects.select_related("submitted_by", "reviewed_by").order_by(
                    "-submitted_at", "-id"
                ),
            )
        )
        .order_by("-started_at", "-id")
    )
    removals = list(
        Removal.objects.filter(partner=partner).select_related("removed_by").order_by("-removed_at")
    )
    answered = list(
        InfoRequest.objects.filter(referral__partner=partner, responded_at__isnull=False)
        .select_related("requested_by", "responded_by")
        .order_by("-requested_at")[:20]
    )
    return Lifecycle(access, dates, suspensions, removals, answered)


def info_requests_for(user, partner_id) -> list[InfoRequest]:
    access = partner_for(user, partner_id)
    return list(
        InfoRequest.objects.filter(referral__partner=access.partner)
        .select_related("referral", "requested_by", "responded_by")
        .order_by("-requested_at", "-id")
    )


def suspensions_for(user, partner_id) -> list[Suspension]:
    access = partner_for(user, partner_id)
    return list(
        Suspension.objects.filter(partner=access.partner)
        .prefetch_related(
            Prefetch("action_plans", queryset=CorrectiveActionPlan.objects.order_by("-submitted_at", "-id"))
        )
        .order_by("-started_at", "-id")
    )


def appeals_for(user, partner_id) -> list[Appeal]:
    access = partner_for(user, partner_id)
    return list(
        Appeal.objects.filter(partner=access.partner)
        .select_related("partner", "decided_by")
        .order_by("-filed_at", "-id")
    )


def _appeals() -> QuerySet[Appeal]:
    return Appeal.objects.select_related(
        "partner", "partner__field_office", "partner__assigned_scs", "decision", "suspension", "removal"
    ).select_related("filed_by", "decided_by")


def appeal_page(user, *, status: str = "", field_office=None, limit=None, offset=None) -> Page:
    """Appeals for staff, the ones awaiting a decision first, by decision due date."""
    require_staff(user)
    qs = _appeals()
    if status:
        qs = qs.filter(status=status)
    if field_office:
        qs = qs.filter(partner__field_office_id=field_office)
    qs = qs.order_by("filed_at", "id") if status == AppealStatus.FILED else qs.order_by("-filed_at", "-id")
    limit, offset = clamp(limit, offset, default=50)
    return Page(items=list(qs[offset : offset + limit]), count=qs.count(), limit=limit, offset=offset)


def appeal_for(user, appeal_id) -> Appeal:
    require_staff(user)
    appeal = _appeals().filter(pk=_pk(appeal_id)).first()
    if appeal is None:
        raise NotFound()
    return appeal


def plan_for(user, plan_id) -> CorrectiveActionPlan:
    require_staff(user)
    plan = CorrectiveActionPlan.objects.select_related("suspension__partner").filter(pk=_pk(plan_id)).first()
    if plan is None:
        raise NotFound()
    return plan
