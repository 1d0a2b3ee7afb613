"""Writes that set a validation up: creation, sites, visits, document requests and cancellation. Each is one
transaction with one audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner, Site
from greenlane.profiles.models import ProfileSnapshot

from ..choices import (
    ValidationKind,
    ValidationStatus,
    VisitKind,
)
from ..models import (
    DocumentRequest,
    Validation,
    ValidationSite,
    Visit,
)
from ._common import (
    COMPANY_ANSWERERS,
    LEADS,
    LONG_MAX,
    SPECIALISTS,
    SUPERVISORS,
    event,
    lock_company_validation,
    lock_validation,
    mail_officers,
    move,
    require_lead,
    require_staff,
    require_working,
    start_work,
    store_upload,
    text,
    today,
)

V = ValidationStatus
MAX_DOCUMENT_DAYS = 90
MAX_VISIT_DAYS_AHEAD = 730


def _latest_snapshot(partner: Partner) -> ProfileSnapshot | None:
    return ProfileSnapshot.objects.filter(profile__partner=partner).order_by("-submitted_at", "-id").first()


@transaction.atomic
def validation_create(
    *,
    actor,
    partner_id: int,
    kind: str,
    specialist_id: int,
    planned_month: dt.date | None = None,
    reason: str = "",
) -> Validation:
    """Open a validation of a certified member against its latest frozen profile."""
    require_staff(actor, SPECIALISTS, _("Your role cannot open validations."))
    partner = Partner.objects.select_for_update().filter(pk=partner_id).first()
    if partner is None:
        raise NotFound()
    errors: list[dict] = []
    if kind not in ValidationKind.values:
        errors.append(
            {
                "field": "kind",
                "message": _("Choose the kind of validation: %(k)s.")
                % {"k": ", ".join(ValidationKind.values)},
            }
        )
    specialist = get_user_model().objects.filter(pk=specialist_id, is_active=True).first()
    if specialist is None or specialist.staff_role not in LEADS:
        errors.append(
            {"field": "specialist", "message": _("Choose an active specialist (SCS or supervisory SCS).")}
        )
    reason = text(reason, field="reason", missing="", required=False, limit=2000)
    if planned_month is not None:
        planned_month = planned_month.replace(day=1)
    if errors or specialist is None:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    if partner.status != PartnerStatus.CERTIFIED:
        raise Conflict(_("Only a certified member can be validated; this company is not certified."))
    if Validation.objects.filter(
        partner=partner, status__in=[s for s in V if s not in (V.CLOSED, V.CANCELLED)]
    ).exists():
        raise Conflict(_("This company already has an open validation; finish or cancel it first."))
    snapshot = _latest_snapshot(partner)
    if snapshot is None:
        raise Conflict(_("This company has no submitted security profile to validate against."))
    validation = Validation(
        partner=partner,
        kind=kind,
        specialist=specialist,
        planned_month=planned_month,
        field_office=getattr(specialist, "field_office", None) or partner.field_office,
        snapshot=snapshot,
        reason=reason,
        created_by=actor,
    )
    validation.save()
    for site in partner.sites.all():
        ValidationSite.objects.create(validation=validation, site=site, included=True)
    event(
        actor,
        validation,
        "validation.create",
        f"{ValidationKind(kind).label} opened, led by {specialist.email}",
        after={
            "kind": kind,
            "specialist": specialist.pk,
            "planned_month": planned_month,
            "snapshot": snapshot.pk,
            "status": validation.status,
        },
        reason=reason,
    )
    return validation


@transaction.atomic
def validation_sites_set(*, actor, validation_id: int, site_ids: Iterable[int]) -> Validation:
    """Choose which of the company's sites the validation covers."""
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    require_working(validation, _("choosing sites"))
    wanted = set()
    for raw in site_ids:
        try:
            wanted.add(int(raw))
        except (TypeError, ValueError):
            raise InvalidInput(_("Unknown site."), field="sites") from None
    own = set(Site.objects.filter(partner_id=validation.partner_id).values_list("pk", flat=True))
    if wanted - own:
        raise InvalidInput(_("Choose among this company's own sites."), field="sites")
    if not wanted:
        raise InvalidInput(_("Include at least one site."), field="sites")
    rows = {vs.site_id: vs for vs in ValidationSite.objects.filter(validation=validation)}
    before = sorted(k for k, vs in rows.items() if vs.included)
    for site_id in own:
        row = rows.get(site_id) or ValidationSite(validation=validation, site_id=site_id)
        row.included = site_id in wanted
        row.save()
    event(
        actor,
        validation,
        "validation.sites",
        f"{len(wanted)} site(s) included",
        before={"sites": before},
        after={"sites": sorted(wanted)},
    )
    return validation


@transaction.atomic
def visit_schedule(
    *,
    actor,
    validation_id: int,
    kind: str,
    scheduled_for: dt.datetime,
    site_id: int | None = None,
    note: str = "",
) -> Visit:
    """Schedule a visit (on-site, virtual, or none for a desk review); the company officers get notice."""
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    require_working(validation, _("scheduling a visit"))
    if kind not in VisitKind.values:
        raise InvalidInput(_("Choose on-site, virtual or no visit."), field="kind")
    site = None
    if site_id:
        site = Site.objects.filter(pk=site_id, partner_id=validation.partner_id).first()
        if site is None:
            raise InvalidInput(_("Choose one of this company's sites."), field="site")
    elif kind == VisitKind.ON_SITE:
        raise InvalidInput(_("An on-site visit needs the site visited."), field="site")
    if scheduled_for is None or timezone.is_naive(scheduled_for):
        raise InvalidInput(_("Give the date and time of the visit."), field="scheduled_for")
    now = timezone.now()
    if scheduled_for < now - dt.timedelta(days=1):
        raise InvalidInput(_("The visit cannot be scheduled in the past."), field="scheduled_for")
    if scheduled_for > now + dt.timedelta(days=MAX_VISIT_DAYS_AHEAD):
        raise InvalidInput(_("Schedule the visit within two years."), field="scheduled_for")
    note = text(note, field="note", missing="", required=False, limit=2000)
    visit = Visit.objects.create(
        validation=validation,
        site=site,
        kind=kind,
        country=site.country if site else validation.partner.country,
        scheduled_for=scheduled_for,
        notice_sent_at=now,
        note=note,
        created_by=actor,
    )
    before = {}
    if validation.status == V.PLANNED:
        before = move(validation, V.SCHEDULED)
        validation.save(update_fields=["status", "updated_at"])
    event(
        actor,
        validation,
        "validation.visit",
        f"{VisitKind(kind).label} scheduled for {timezone.localtime(scheduled_for):%Y-%m-%d %H:%M}",
        obj=visit,
        before=before,
        after={"kind": kind, "site": site_id, "scheduled_for": scheduled_for, "status": validation.status},
    )
    where = str(site) if site else _("by video call") if kind == VisitKind.VIRTUAL else _("desk review")
    mail_officers(
        validation.partner,
        _("Validation visit scheduled"),
        [
            _("Validation %(r)s: %(k)s on %(d)s (%(w)s).")
            % {
                "r": validation.reference,
                "k": VisitKind(kind).label,
                "d": f"{timezone.localtime(scheduled_for):%Y-%m-%d %H:%M}",
                "w": where,
            },
            note,
            _("See your company's Validations page for details."),
        ],
    )
    return visit


@transaction.atomic
def visit_done(*, actor, validation_id: int, visit_id: int) -> Visit:
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    require_working(validation, _("recording a visit"))
    visit = Visit.objects.filter(pk=visit_id, validation=validation).first()
    if visit is None:
        raise NotFound()
    if visit.done_at:
        raise Conflict(_("This visit is already recorded as done."))
    visit.done_at = timezone.now()
    visit.save(update_fields=["done_at"])
    before = start_work(validation)
    event(
        actor,
        validation,
        "validation.visit_done",
        "Visit done",
        obj=visit,
        before=before,
        after={"done_at": visit.done_at, "status": validation.status},
    )
    return visit


@transaction.atomic
def document_request_create(*, actor, validation_id: int, text_: str, due_on: dt.date) -> DocumentRequest:
    """Ask the company for a document, by a due date; the officers are told."""
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    require_working(validation, _("requesting documents"))
    body = text(text_, field="text", missing=_("Say which document is requested."))
    if due_on is None:
        raise InvalidInput(_("Give the due date."), field="due_on")
    if due_on < today():
        raise InvalidInput(_("The due date cannot be in the past."), field="due_on")
    if due_on > today() + dt.timedelta(days=MAX_DOCUMENT_DAYS):
        raise InvalidInput(_("Give the company at most 90 days."), field="due_on")
    req = DocumentRequest.objects.create(validation=validation, text=body, due_on=due_on, requested_by=actor)
    event(
        actor,
        validation,
        "validation.document_request",
        f"Document requested, due {due_on}",
        obj=req,
        after={"text": body, "due_on": due_on},
    )
    mail_officers(
        validation.partner,
        _("Documents requested for your validation"),
        [body, _("Due on %(d)s. Answer from your company's Validations page.") % {"d": due_on.isoformat()}],
    )
    return req


@transaction.atomic
def document_request_answer(
    *, actor, validation_id: int, request_id: int, answer: str, filename: str = "", data: bytes | None = None
) -> DocumentRequest:
    """The company answers a document request, with an optional file (checked like profile evidence)."""
    validation = lock_company_validation(
        actor, validation_id, COMPANY_ANSWERERS, _("Your role cannot answer document requests.")
    )
    req = DocumentRequest.objects.select_for_update().filter(pk=request_id, validation=validation).first()
    if req is None:
        raise NotFound()
    if validation.status not in (V.PLANNED, V.SCHEDULED, V.IN_PROGRESS, V.RETURNED, V.REPORT_REVIEW):
        raise Conflict(_("This validation no longer takes answers."))
    if req.answered_at:
        raise Conflict(_("This request was already answered on %(d)s.") % {"d": req.answered_at.date()})
    body = text(
        answer,
        field="answer",
        missing=_("Write an answer (and attach the document if asked)."),
        limit=LONG_MAX,
    )
    attachment = (
        store_upload(actor, validation, filename, data, document_request=req) if data is not None else None
    )
    req.answer = body
    req.answered_at = timezone.now()
    req.answered_by = actor
    req.save(update_fields=["answer", "answered_at", "answered_by"])
    event(
        actor,
        validation,
        "validation.document_answer",
        "Document request answered",
        obj=req,
        after={"answer": body, "file": attachment.original_name if attachment else None},
    )
    return req


@transaction.atomic
def validation_cancel(*, actor, validation_id: int, reason: str) -> Validation:
    validation = lock_validation(actor, validation_id)
    if actor.staff_role not in SUPERVISORS and actor.pk != validation.specialist_id:
        raise Forbidden(_("Only the validation's specialist or a supervisor may cancel it."))
    why = text(reason, field="reason", missing=_("Give the reason for cancelling."))
    before = move(validation, V.CANCELLED)
    validation.save()
    event(
        actor,
        validation,
        "validation.cancel",
        "Cancelled",
        before=before,
        after={"status": validation.status},
        reason=why,
    )
    return validation
