"""Shared by the validation services: who may act, the locked validation, input cleaning, mail, events."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.accounts.choices import StaffRole, TradeRole
from greenlane.audit.services import record_event
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.core.transitions import check_transition
from greenlane.partners.models import Membership, Partner
from greenlane.profiles import sniff

from ..choices import STATUS_TIMESTAMP, TRANSITIONS, WORKING, ValidationStatus
from ..models import Attachment, Validation

# Who runs validations; who supervises them (approve reports, act on anyone's validation).
SPECIALISTS = frozenset({StaffRole.SCS, StaffRole.SUPERVISORY_SCS, StaffRole.PROGRAM_MANAGER})
SUPERVISORS = frozenset({StaffRole.SUPERVISORY_SCS, StaffRole.PROGRAM_MANAGER})
LEADS = frozenset({StaffRole.SCS, StaffRole.SUPERVISORY_SCS})
# Company roles that answer document requests; those that answer required actions.
COMPANY_ANSWERERS = frozenset(TradeRole.values)
COMPANY_RESPONDERS = frozenset({TradeRole.COMPANY_OFFICER, TradeRole.COMPANY_ADMIN})
TEXT_MAX, LONG_MAX = 4000, 10000


def status_label(value: str) -> str:
    return str(ValidationStatus(value).label) if value in ValidationStatus.values else value


def require_staff(actor, roles: frozenset[str], message: str) -> None:
    """Non-staff do not learn the object exists (404); staff without the role are refused (403)."""
    role = getattr(actor, "staff_role", "")
    if not role:
        raise NotFound()
    if role not in roles:
        raise Forbidden(message)


def lock_validation(actor, validation_id) -> Validation:
    """The validation, locked, for a specialist; 404 for anyone else who is not staff."""
    require_staff(actor, SPECIALISTS, _("Your role cannot work on validations."))
    try:
        pk = int(validation_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = (
        Validation.objects.select_for_update(of=("self",))
        .select_related("partner", "snapshot")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def require_lead(actor, validation: Validation) -> None:
    """The validation's specialist, or a supervisor, may change its record."""
    if actor.pk != validation.specialist_id and actor.staff_role not in SUPERVISORS:
        raise Forbidden(_("Only the validation's specialist or a supervisor may change it."))


def require_working(validation: Validation, what: str) -> None:
    if validation.status not in WORKING:
        raise Conflict(
            _("The validation is '%(s)s': %(what)s is only possible before the report goes to review.")
            % {"s": status_label(validation.status), "what": what}
        )


def lock_company_validation(actor, validation_id, roles: frozenset[str], message: str) -> Validation:
    """The validation, locked, for a member of its company; foreign or staff: 404; wrong role: 403."""
    if getattr(actor, "staff_role", "") or not getattr(actor, "is_authenticated", False):
        raise NotFound()
    try:
        pk = int(validation_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = Validation.objects.select_for_update(of=("self",)).select_related("partner").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    role = (
        Membership.objects.filter(user=actor, partner_id=found.partner_id)
        .values_list("role", flat=True)
        .first()
    )
    if role is None:
        raise NotFound()
    if role not in roles:
        raise Forbidden(message)
    return found


def text(value: Any, *, field: str, missing: str, limit: int = TEXT_MAX, required: bool = True) -> str:
    out = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not out:
        raise InvalidInput(missing, field=field)
    if len(out) > limit:
        raise InvalidInput(_("Keep this under %(n)s characters.") % {"n": f"{limit:,}"}, field=field)
    return out


def move(validation: Validation, to_status: str) -> dict[str, Any]:
    """Check and apply a status change (no save); returns the before values for the audit event."""
    check_transition(TRANSITIONS, validation.status, to_status, label=status_label)
    before: dict[str, Any] = {"status": validation.status}
    now = timezone.now()
    stamp = STATUS_TIMESTAMP.get(to_status)
    if stamp:
        before[stamp] = getattr(validation, stamp)
        setattr(validation, stamp, now)
    validation.status = to_status
    validation.updated_at = now
    return before


def start_work(validation: Validation) -> dict[str, Any]:
    """Recording findings, hours or items starts a planned or scheduled validation."""
    if validation.status in (ValidationStatus.PLANNED, ValidationStatus.SCHEDULED):
        before = move(validation, ValidationStatus.IN_PROGRESS)
        validation.save(update_fields=["status", "updated_at"])
        return before
    validation.updated_at = timezone.now()
    validation.save(update_fields=["updated_at"])
    return {}


def event(
    actor, validation: Validation, action: str, summary: str, *, obj=None, before=None, after=None, reason=""
) -> None:
    record_event(
        actor=actor,
        action=action,
        partner=validation.partner,
        obj=obj if obj is not None else validation,
        summary=f"{validation.reference}: {summary}",
        before=before or {},
        after=after or {},
        reason=reason,
    )


def officer_emails(partner: Partner) -> list[str]:
    return list(
        partner.memberships.filter(role=TradeRole.COMPANY_OFFICER, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


def mail_officers(partner: Partner, subject: str, lines: list[str]) -> None:
    """E-mail the company officers once the transaction has committed."""

    def send() -> None:
        recipients = officer_emails(partner)
        if recipients:
            send_mail(f"{partner.reference}: {subject}", "\n".join([subject, "", *lines]), None, recipients)

    transaction.on_commit(send)


def mail_user(email: str, subject: str, lines: list[str]) -> None:
    def send() -> None:
        send_mail(subject, "\n".join([subject, "", *lines]), None, [email])

    transaction.on_commit(send)


def store_upload(actor, validation: Validation, filename: str, data: bytes, **links: Any) -> Attachment:
    """Check the bytes like profile evidence (type from content, size limit), store under a random name."""
    try:
        sniffed = sniff.check(filename, data, max_bytes=settings.EVIDENCE_MAX_BYTES)
    except sniff.UploadRejected as exc:
        raise InvalidInput(exc.message, field="file") from None
    token = secrets.token_hex(16) + "." + sniffed.extension
    attachment = Attachment(
        validation=validation,
        storage_token=token,
        original_name=(filename or "").strip()[:200],
        content_type=sniffed.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
        **links,
    )
    attachment.file.save(token, ContentFile(data), save=False)
    attachment.save()
    return attachment


def today() -> dt.date:
    return timezone.localdate()
