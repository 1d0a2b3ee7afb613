"""Writes while a validation is being worked: creation, sites, visits, document requests, findings, hours,
items and cancellation. Each is one transaction with one audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner, Site
from greenlane.profiles.models import ProfileSnapshot

from .. import snapshot as snap
from ..choices import (
    MAX_HOURS_PER_DAY,
    Activity,
    FindingResult,
    ItemKind,
    ValidationKind,
    ValidationStatus,
    VisitKind,
)
from ..models import (
    DocumentRequest,
    Finding,
    HoursEntry,
    Validation,
    ValidationItem,
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
    status_label,
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
    attachment = store_upload(actor, validation, filename, data, document_request=req) if data else None
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


def _result(value: Any) -> str:
    if value not in FindingResult.values:
        raise InvalidInput(
            _("Result must be one of: %(r)s.") % {"r": ", ".join(FindingResult.values)}, field="result"
        )
    return str(value)


@transaction.atomic
def findings_record(*, actor, validation_id: int, rows: Iterable[dict[str, Any]]) -> list[Finding]:
    """Record (or change) findings for criteria of the frozen profile. All or nothing.

    Each row: code, result, note. A criterion that is not in the snapshot is refused and nothing is stored.
    """
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    require_working(validation, _("recording findings"))
    codes = snap.codes(validation.snapshot)
    cleaned: dict[str, tuple[str, str]] = {}
    errors: list[dict] = []
    for row in rows:
        code = str(row.get("code") or row.get("criterion_code") or "").strip()
        field = f"findings.{code or '?'}"
        if code not in codes:
            errors.append(
                {
                    "field": field,
                    "message": _("Criterion %(c)s is not in the frozen profile this validation checks.")
                    % {"c": code or "?"},
                }
            )
            continue
        try:
            result = _result(row.get("result"))
            note = text(row.get("note"), field=field, missing="", required=False)
        except InvalidInput as exc:
            errors.append({"field": field, "message": f"{code}: {exc.message}"})
            continue
        cleaned[code] = (result, note)
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    if not cleaned:
        raise InvalidInput(_("Record at least one finding."), field="findings")
    existing = {
        f.criterion_code: f for f in Finding.objects.filter(validation=validation, criterion_code__in=cleaned)
    }
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    out: list[Finding] = []
    now = timezone.now()
    for code, (result, note) in cleaned.items():
        found = existing.get(code)
        if found is not None and (found.result, found.note) == (result, note):
            out.append(found)
            continue
        if found is None:
            found = Finding(validation=validation, criterion_code=code)
        else:
            before[code] = found.result
        found.result, found.note, found.recorded_at, found.recorded_by = result, note, now, actor
        found.save()
        after[code] = result
        out.append(found)
    if after:
        moved = start_work(validation)
        event(
            actor,
            validation,
            "validation.findings",
            f"{len(after)} finding(s) recorded",
            before={**moved, "findings": before},
            after={"status": validation.status, "findings": after},
        )
    return out


@transaction.atomic
def finding_attach(*, actor, validation_id: int, code: str, filename: str, data: bytes):
    """Attach a photo or document to a recorded finding."""
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    require_working(validation, _("attaching evidence"))
    finding = Finding.objects.filter(validation=validation, criterion_code=code).first()
    if finding is None:
        raise InvalidInput(
            _("Record the finding for %(c)s before attaching evidence.") % {"c": code}, field="code"
        )
    attachment = store_upload(actor, validation, filename, data, finding=finding)
    event(
        actor,
        validation,
        "validation.finding_attachment",
        f"Evidence attached to {code}",
        obj=attachment,
        after={"code": code, "file": attachment.original_name, "sha256": attachment.sha256},
    )
    return attachment


def _hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("Hours must be a number, e.g. 2.5."), field="hours") from None
    if not hours.is_finite() or hours <= 0:
        raise InvalidInput(_("Hours must be more than zero."), field="hours")
    if hours > MAX_HOURS_PER_DAY:
        raise InvalidInput(_("At most 24 hours can be recorded for one day."), field="hours")
    if hours != hours.quantize(Decimal("0.01")):
        raise InvalidInput(_("Give hours to at most two decimals (e.g. 1.25)."), field="hours")
    return hours


@transaction.atomic
def hours_record(
    *,
    actor,
    validation_id: int,
    activity: str,
    hours: Any,
    on: dt.date,
    staff_id: int | None = None,
    note: str = "",
) -> HoursEntry:
    """Record staff hours by activity and day. A person's hours on one day never total more than 24."""
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    if validation.status in (V.CLOSED, V.CANCELLED):
        raise Conflict(
            _("The validation is '%(s)s': hours can no longer be added.")
            % {"s": status_label(validation.status)}
        )
    if activity not in Activity.values:
        raise InvalidInput(
            _("Choose the activity: %(a)s.") % {"a": ", ".join(Activity.values)}, field="activity"
        )
    amount = _hours(hours)
    if on is None:
        raise InvalidInput(_("Give the day the hours were worked."), field="on")
    if on > today():
        raise InvalidInput(_("Hours cannot be recorded for a future day."), field="on")
    if on < validation.created_at.date() - dt.timedelta(days=365):
        raise InvalidInput(_("That day is more than a year before the validation was opened."), field="on")
    staff = actor
    if staff_id and staff_id != actor.pk:
        staff = get_user_model().objects.filter(pk=staff_id, is_active=True).exclude(staff_role="").first()
        if staff is None:
            raise InvalidInput(_("Choose an active staff member."), field="staff")
    already = HoursEntry.objects.filter(staff=staff, on=on).aggregate(t=Sum("hours"))["t"] or Decimal("0")
    if already + amount > MAX_HOURS_PER_DAY:
        raise InvalidInput(
            _("%(who)s already has %(h)s hours on %(d)s; a day has at most 24.")
            % {"who": staff.email, "h": already, "d": on.isoformat()},
            field="hours",
        )
    entry = HoursEntry.objects.create(
        validation=validation,
        staff=staff,
        activity=activity,
        hours=amount,
        on=on,
        note=text(note, field="note", missing="", required=False, limit=200),
        recorded_by=actor,
    )
    moved = (
        start_work(validation)
        if validation.status in (V.PLANNED, V.SCHEDULED) and activity != Activity.PREPARATION
        else {}
    )
    event(
        actor,
        validation,
        "validation.hours",
        f"{amount} h {Activity(activity).label} on {on}",
        obj=entry,
        before=moved,
        after={"staff": staff.pk, "activity": activity, "hours": amount, "on": on},
    )
    return entry


@transaction.atomic
def item_create(
    *,
    actor,
    validation_id: int,
    kind: str,
    text_: str,
    criterion_code: str = "",
    due_on: dt.date | None = None,
) -> ValidationItem:
    """Write a required action, recommendation or best practice (criterion from the frozen profile)."""
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    require_working(validation, _("writing report items"))
    if kind not in ItemKind.values:
        raise InvalidInput(_("Choose required action, recommendation or best practice."), field="kind")
    body = text(text_, field="text", missing=_("Write the item's text."))
    code = (criterion_code or "").strip()
    if kind == ItemKind.REQUIRED_ACTION and not code:
        raise InvalidInput(_("A required action names the criterion it concerns."), field="criterion_code")
    if code and code not in snap.codes(validation.snapshot):
        raise InvalidInput(
            _("Criterion %(c)s is not in the frozen profile this validation checks.") % {"c": code},
            field="criterion_code",
        )
    if due_on is not None and due_on < today():
        raise InvalidInput(_("The response date cannot be in the past."), field="due_on")
    item = ValidationItem.objects.create(
        validation=validation,
        kind=kind,
        text=body,
        criterion_code=code,
        due_on=due_on if kind == ItemKind.REQUIRED_ACTION else None,
        created_by=actor,
    )
    moved = start_work(validation)
    event(
        actor,
        validation,
        "validation.item",
        f"{ItemKind(kind).label} on {code or '—'}",
        obj=item,
        before=moved,
        after={"kind": kind, "criterion_code": code, "text": body, "status": validation.status},
    )
    return item


@transaction.atomic
def item_verify(*, actor, validation_id: int, item_id: int, verified: bool) -> ValidationItem:
    """Mark a best practice as verified (seen working) or not."""
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    require_working(validation, _("verifying best practices"))
    item = ValidationItem.objects.filter(pk=item_id, validation=validation).first()
    if item is None:
        raise NotFound()
    if item.kind != ItemKind.BEST_PRACTICE:
        raise InvalidInput(_("Only a best practice is verified."), field="verified")
    if item.verified == bool(verified):
        return item
    item.verified = bool(verified)
    item.save(update_fields=["verified"])
    event(
        actor,
        validation,
        "validation.item_verify",
        f"Best practice {'verified' if verified else 'unverified'}",
        obj=item,
        before={"verified": not item.verified},
        after={"verified": item.verified},
    )
    return item


@transaction.atomic
def item_delete(*, actor, validation_id: int, item_id: int) -> None:
    validation = lock_validation(actor, validation_id)
    require_lead(actor, validation)
    require_working(validation, _("removing report items"))
    item = ValidationItem.objects.filter(pk=item_id, validation=validation).first()
    if item is None:
        raise NotFound()
    event(
        actor,
        validation,
        "validation.item_delete",
        f"{ItemKind(item.kind).label} removed",
        obj=item,
        before={"kind": item.kind, "criterion_code": item.criterion_code, "text": item.text},
    )
    item.delete()


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
