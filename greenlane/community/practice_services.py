"""Writes in the best-practice catalog: submit (a member for its company, or staff from a validation),
approve or reject (supervisors, program managers), withdraw, and the company officer's consent to be named."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.audit.services import record_event
from greenlane.core.errors import Forbidden, InvalidInput, NotFound
from greenlane.core.transitions import check_transition
from greenlane.criteria import selectors as criteria_selectors
from greenlane.criteria.models import Category, Criterion
from greenlane.partners.selectors import partner_for

from . import notices, permissions
from .choices import (
    NAICS_SECTOR_NAMES,
    PRACTICE_TRANSITIONS,
    PracticeSource,
    PracticeStatus,
    SizeBand,
    size_band,
)
from .models import BestPractice
from .search import refresh_vectors, search_text

MAX_CRITERIA = 20


def _label(status: str) -> str:
    return str(PracticeStatus(status).label)


def _clean(title: str, description: str, naics_sector: str) -> tuple[str, str, str]:
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("Enter a title."), field="title")
    if len(title) > 200:
        raise InvalidInput(_("Keep the title under 200 characters."), field="title")
    description = (description or "").strip()
    if len(description) < 20:
        raise InvalidInput(
            _("Describe the practice in at least 20 characters: what is done, where and how."),
            field="description",
        )
    if len(description) > 6000:
        raise InvalidInput(_("Keep the description under 6,000 characters."), field="description")
    if naics_sector not in NAICS_SECTOR_NAMES:
        raise InvalidInput(_("Choose the industry (NAICS sector)."), field="naics_sector")
    return title, description, naics_sector


def _category_and_criteria(category, criterion_codes) -> tuple[Category, list[Criterion]]:
    version = criteria_selectors.active_version()
    if version is None:
        raise InvalidInput(_("No criteria catalog is active yet."), field="category")
    try:
        number = int(category)
    except (TypeError, ValueError):
        raise InvalidInput(_("Choose the criteria category."), field="category") from None
    found = Category.objects.filter(catalog_version=version, number=number).first()
    if found is None:
        raise InvalidInput(
            _("No criteria category %(n)s in the active catalog.") % {"n": number}, field="category"
        )
    if isinstance(criterion_codes, str):
        criterion_codes = criterion_codes.replace(",", " ").split()
    codes = sorted({str(c).strip() for c in (criterion_codes or []) if str(c).strip()})
    if len(codes) > MAX_CRITERIA:
        raise InvalidInput(_("Link at most %(n)d criteria.") % {"n": MAX_CRITERIA}, field="criteria")
    criteria = list(Criterion.objects.filter(catalog_version=version, code__in=codes))
    unknown = sorted(set(codes) - {c.code for c in criteria})
    if unknown:
        raise InvalidInput(
            _("Unknown criterion code(s) in the active catalog: %(c)s.") % {"c": ", ".join(unknown)},
            field="criteria",
        )
    return found, criteria


def _snapshot(practice: BestPractice) -> dict:
    return {"status": practice.status, "company_consent": practice.company_consent}


@transaction.atomic
def practice_submit(
    *,
    actor,
    title: str,
    description: str,
    category,
    naics_sector: str,
    criterion_codes=None,
    partner_id=None,
    validation_id=None,
    size: str = "",
) -> BestPractice:
    """A member submits a practice of its own company; staff draw one from a validation (or a profile).
    Either way it waits for review, anonymised unless the company's officer consents."""
    title, description, naics_sector = _clean(title, description, naics_sector)
    cat, criteria = _category_and_criteria(category, criterion_codes)
    if partner_id in (None, ""):
        raise InvalidInput(_("Choose the company the practice comes from."), field="partner_id")
    try:
        access = partner_for(actor, partner_id)
    except NotFound:
        if not permissions.role(actor):
            raise
        raise InvalidInput(_("No partner number %(n)s.") % {"n": partner_id}, field="partner_id") from None
    partner = access.partner
    if access.is_staff:
        if not permissions.can_author_practice(actor):
            raise Forbidden(_("Only specialists, supervisors and program managers record best practices."))
        source = PracticeSource.VALIDATION if validation_id else PracticeSource.PROFILE
    else:
        if access.role not in permissions.PRACTICE_SUBMITTERS:
            raise Forbidden(
                _("Only officers, administrators and contributors submit a practice for their company.")
            )
        if partner.status not in permissions.MEMBER_STATUSES:
            raise Forbidden(_("Only certified member companies submit practices to the catalog."))
        if validation_id:
            raise InvalidInput(_("Staff link practices to validations."), field="validation_id")
        source = PracticeSource.MEMBER
    if validation_id not in (None, ""):
        try:
            validation_id = int(validation_id)
        except (TypeError, ValueError):
            raise InvalidInput(_("Enter the validation number."), field="validation_id") from None
        if validation_id < 1:
            raise InvalidInput(_("Enter the validation number."), field="validation_id")
    else:
        validation_id = None
    band = size or size_band(partner.employee_count)
    if band not in SizeBand.values:
        raise InvalidInput(_("Unknown company size band."), field="size_band")
    practice = BestPractice.objects.create(
        title=title,
        description=description,
        category=cat,
        naics_sector=naics_sector,
        size_band=band,
        source=source,
        partner=partner,
        validation_id=validation_id,
        submitted_by=actor,
        search_text=search_text(title, description, cat.name, *(c.code for c in criteria)),
    )
    practice.criteria.set(criteria)
    refresh_vectors(BestPractice, [practice.pk])
    record_event(
        actor=actor,
        action="community.practice_submit",
        partner=partner,
        obj=practice,
        summary=f"Best practice '{title}' submitted for review",
        after={
            "status": practice.status,
            "category": cat.number,
            "criteria": [c.code for c in criteria],
            "naics_sector": naics_sector,
            "size_band": band,
            "source": source,
            "validation_id": validation_id,
        },
    )
    return practice


def _locked(practice_id) -> BestPractice:
    practice = BestPractice.objects.select_for_update().filter(pk=practice_id).first()
    if practice is None:
        raise NotFound()
    return practice


@transaction.atomic
def practice_decide(*, actor, practice_id, decision: str, note: str = "") -> BestPractice:
    """Approve (publish to every member) or reject a submitted practice. A rejection says why."""
    if not permissions.role(actor):
        raise NotFound()
    if not permissions.can_approve_practice(actor):
        raise Forbidden(_("Only supervisors and program managers approve best practices."))
    practice = _locked(practice_id)
    if decision not in (PracticeStatus.APPROVED, PracticeStatus.REJECTED):
        raise InvalidInput(_("Choose 'approved' or 'rejected'."), field="decision")
    check_transition(PRACTICE_TRANSITIONS, practice.status, decision, label=_label)
    note = (note or "").strip()
    if decision == PracticeStatus.REJECTED and not note:
        raise InvalidInput(_("Say why the practice is rejected; the company reads it."), field="note")
    if len(note) > 2000:
        raise InvalidInput(_("Keep the note under 2,000 characters."), field="note")
    before = _snapshot(practice)
    practice.status, practice.decided_by, practice.decided_at = decision, actor, timezone.now()
    practice.decision_note = note
    practice.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_event(
        actor=actor,
        action=f"community.practice_{decision}",
        partner=practice.partner,
        obj=practice,
        summary=f"Best practice '{practice.title}' {decision}",
        before=before,
        after=_snapshot(practice),
        reason=note,
    )
    notices.practice_decided(practice=practice)
    return practice


@transaction.atomic
def practice_withdraw(*, actor, practice_id, reason: str = "", partner_id=None) -> BestPractice:
    """The submitting company (through its people) or an approver takes a practice out of the catalog."""
    practice = _locked(practice_id)
    if partner_id is not None:
        access = partner_for(actor, partner_id)
        if practice.partner_id != access.partner.pk:
            raise NotFound()
        if access.is_staff:
            raise NotFound()
        if access.role not in permissions.PRACTICE_SUBMITTERS:
            raise Forbidden(
                _("Only officers, administrators and contributors withdraw the company's practices.")
            )
    elif not permissions.can_approve_practice(actor):
        raise (
            NotFound()
            if not permissions.role(actor)
            else Forbidden(_("Only supervisors and program managers withdraw practices from the catalog."))
        )
    check_transition(PRACTICE_TRANSITIONS, practice.status, PracticeStatus.WITHDRAWN, label=_label)
    reason = (reason or "").strip()[:2000]
    before = _snapshot(practice)
    practice.status, practice.withdrawn_at = PracticeStatus.WITHDRAWN, timezone.now()
    practice.save(update_fields=["status", "withdrawn_at"])
    record_event(
        actor=actor,
        action="community.practice_withdrawn",
        partner=practice.partner,
        obj=practice,
        summary=f"Best practice '{practice.title}' withdrawn",
        before=before,
        after=_snapshot(practice),
        reason=reason,
    )
    return practice


@transaction.atomic
def practice_consent(*, actor, partner_id, practice_id, consent: bool) -> BestPractice:
    """The company officer lets the catalog show the company's name on a practice (or takes it back)."""
    access = partner_for(actor, partner_id, for_update=True)
    if access.is_staff:
        raise NotFound()
    practice = _locked(practice_id)
    if practice.partner_id != access.partner.pk:
        raise NotFound()
    if access.role != "company_officer":
        raise Forbidden(_("Only the company officer decides whether the company is named."))
    consent = bool(consent)
    if practice.company_consent == consent:
        return practice
    before = _snapshot(practice)
    practice.company_consent = consent
    practice.consent_by, practice.consent_at = (actor, timezone.now()) if consent else (None, None)
    practice.save(update_fields=["company_consent", "consent_by", "consent_at"])
    record_event(
        actor=actor,
        action="community.practice_consent",
        partner=access.partner,
        obj=practice,
        summary=f"Best practice '{practice.title}': company {'named' if consent else 'anonymised'}",
        before=before,
        after=_snapshot(practice),
    )
    return practice
