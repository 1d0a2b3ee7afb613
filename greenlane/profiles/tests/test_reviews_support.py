"""Builders shared by the annual review tests: a certified member with a set certification date."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from greenlane.audit.models import AuditEvent
from greenlane.core import clocks
from greenlane.partners import services as partner_services
from greenlane.partners.models import Partner
from greenlane.partners.tests.factories import submitted_importer
from greenlane.profiles.models import AnnualReview, ProfileSnapshot, ReminderSent, ReviewItem

# A fixed calendar for the service tests: certified 2025-03-01, so review 1 opens 2025-12-01, due 2026-03-01.
CERTIFIED = dt.date(2025, 3, 1)
OPENS = dt.date(2025, 12, 1)
DUE = dt.date(2026, 3, 1)


def at_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)


def certify(partner: Partner, *, scs, supervisor, on: dt.date) -> Partner:
    """Assign the specialist, certify through the lifecycle, then set the date of record for the test."""
    partner_services.partner_assign_scs(actor=supervisor, partner_id=partner.pk, scs_id=scs.pk)
    partner_services.partner_transition(
        actor=scs, partner_id=partner.pk, to_status="certified", reason="Vetted"
    )
    Partner.objects.filter(pk=partner.pk).update(certified_at=at_noon(on))
    partner.refresh_from_db()
    return partner


def certified_member(officer, staff, *, on: dt.date = CERTIFIED, name: str | None = None) -> Partner:
    return certify(
        submitted_importer(officer, name=name), scs=staff["scs"], supervisor=staff["supervisory_scs"], on=on
    )


def certified_with_open_window(officer, staff, *, days_to_due: int = 60, name: str | None = None) -> Partner:
    """Certified so that review 1 is due `days_to_due` days from the real today (negative: overdue)."""
    today = timezone.localdate()
    certified = clocks.add_years(today + dt.timedelta(days=days_to_due), -1)
    return certified_member(officer, staff, on=certified, name=name)


def state(partner: Partner) -> tuple:
    """Everything a refused review action must leave unchanged."""
    reviews = list(
        AnnualReview.objects.filter(partner=partner)
        .order_by("pk")
        .values_list("pk", "status", "submitted_at", "decided_at", "decision_comment", "snapshot_id")
    )
    items = list(
        ReviewItem.objects.filter(review__partner=partner)
        .order_by("pk")
        .values_list("pk", "decision", "staff_comment")
    )
    return (
        reviews,
        items,
        ProfileSnapshot.objects.filter(profile__partner=partner).count(),
        ReminderSent.objects.filter(review__partner=partner).count(),
        AuditEvent.objects.filter(partner=partner).count(),
    )
