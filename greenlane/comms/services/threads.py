"""Secure messages between a company and program staff: threads, messages, attachments, read marks."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.accounts.choices import StaffRole
from greenlane.accounts.models import User
from greenlane.audit.services import record_event
from greenlane.core.errors import Forbidden, InvalidInput
from greenlane.partners.models import Partner
from greenlane.partners.selectors import partner_for
from greenlane.profiles import sniff

from .. import permissions
from ..models import Attachment, Message, Thread, ThreadRead
from ._common import notify, text

BODY_MAX, SUBJECT_MAX = 10000, 200
MAX_FILES = 5
REFUSED = _(
    "You may not write to this company: only its assigned specialist, a supervisory specialist of its field "
    "office or a program manager can. Ask one of them."
)


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def _reachable_partner(actor: User, partner_id, *, for_update: bool = False) -> Partner:
    """The partner if the actor may write to it. A company's stranger: 404; staff without reach: 403."""
    access = partner_for(actor, partner_id, for_update=for_update)
    if access.is_staff and not permissions.can_reach(actor, access.partner):
        raise Forbidden(str(REFUSED))
    return access.partner


def _check_files(files: list[Upload]) -> list[tuple[Upload, sniff.Sniffed]]:
    if len(files) > MAX_FILES:
        raise InvalidInput(_("Attach at most %(n)s files to one message.") % {"n": MAX_FILES}, field="file")
    checked = []
    for upload in files:
        try:
            checked.append(
                (upload, sniff.check(upload.filename, upload.data, max_bytes=settings.EVIDENCE_MAX_BYTES))
            )
        except sniff.UploadRejected as exc:
            raise InvalidInput(f"{upload.filename}: {exc.message}", field="file") from None
    return checked


def _criterion(code: str) -> str:
    code = (code or "").strip()
    if not code:
        return ""
    from greenlane.criteria.models import Criterion

    if not Criterion.objects.filter(code=code).exists():
        raise InvalidInput(
            _("No criterion %(code)s in the security criteria.") % {"code": code}, field="criterion_code"
        )
    return code


def _validation(partner: Partner, validation_id):
    if validation_id in (None, ""):
        return None
    from greenlane.validations.models import Validation

    try:
        pk = int(validation_id)
    except (TypeError, ValueError):
        raise InvalidInput(_("Give a validation's number."), field="validation_id") from None
    found = Validation.objects.filter(pk=pk, partner=partner).first()
    if found is None:
        raise InvalidInput(_("This company has no validation %(id)s.") % {"id": pk}, field="validation_id")
    return found


@transaction.atomic
def thread_start(
    *,
    actor: User,
    partner_id,
    subject: str,
    body: str,
    criterion_code: str = "",
    validation_id=None,
    files: list[Upload] | None = None,
) -> Thread:
    """A new thread with its first message; the other side is notified after commit."""
    partner = _reachable_partner(actor, partner_id, for_update=True)
    errors: list[dict] = []
    cleaned: dict = {}
    for name, fn in (
        (
            "subject",
            lambda: text(
                subject, field="subject", missing=_("Give the conversation a subject."), limit=SUBJECT_MAX
            ),
        ),
        ("body", lambda: text(body, field="body", missing=_("Write a message."), limit=BODY_MAX)),
        ("criterion_code", lambda: _criterion(criterion_code)),
        ("validation", lambda: _validation(partner, validation_id)),
        ("files", lambda: _check_files(files or [])),
    ):
        try:
            cleaned[name] = fn()
        except InvalidInput as exc:
            errors.append({"field": exc.field, "message": exc.message})
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    thread = Thread.objects.create(
        partner=partner,
        subject=cleaned["subject"],
        criterion_code=cleaned["criterion_code"],
        validation=cleaned["validation"],
        created_by=actor,
    )
    message = _add_message(actor, thread, cleaned["body"], cleaned["files"])
    record_event(
        actor=actor,
        action="thread.start",
        partner=partner,
        obj=thread,
        summary=f"Conversation '{thread.subject}' started",
        after={
            "subject": thread.subject,
            "criterion": thread.criterion_code,
            "validation": thread.validation_id,
            "message": message.pk,
            "attachments": [a.original_name for a in message.attachments.all()],
        },
    )
    return thread


@transaction.atomic
def message_post(*, actor: User, thread_id, body: str, files: list[Upload] | None = None) -> Message:
    """A reply in a thread the actor may write to; refused (nothing stored) otherwise."""
    from ..selectors.threads import thread_for

    thread = thread_for(actor, thread_id)  # 404 for a stranger
    partner = _reachable_partner(actor, thread.partner_id, for_update=True)
    errors: list[dict] = []
    cleaned_body = ""
    checked: list = []
    try:
        cleaned_body = text(body, field="body", missing=_("Write a message."), limit=BODY_MAX)
    except InvalidInput as exc:
        errors.append({"field": exc.field, "message": exc.message})
    try:
        checked = _check_files(files or [])
    except InvalidInput as exc:
        errors.append({"field": exc.field, "message": exc.message})
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    thread.partner = partner
    message = _add_message(actor, thread, cleaned_body, checked)
    record_event(
        actor=actor,
        action="message.post",
        partner=partner,
        obj=message,
        summary=f"Message in '{thread.subject}'",
        after={"thread": thread.pk, "attachments": [a.original_name for a in message.attachments.all()]},
    )
    return message


def _add_message(actor: User, thread: Thread, body: str, checked: list) -> Message:
    now = timezone.now()
    from_staff = bool(actor.staff_role)
    message = Message.objects.create(
        thread=thread, author=actor, from_staff=from_staff, body=body, created_at=now
    )
    stored: list[str] = []
    try:
        for upload, sniffed in checked:
            token = secrets.token_hex(16) + "." + sniffed.extension
            attachment = Attachment(
                message=message,
                partner_id=thread.partner_id,
                storage_token=token,
                original_name=upload.filename.rsplit("/", 1)[-1][:200],
                content_type=sniffed.content_type,
                size=len(upload.data),
                sha256=hashlib.sha256(upload.data).hexdigest(),
            )
            attachment.file.save(token, ContentFile(upload.data), save=False)
            stored.append(attachment.file.name or "")
            attachment.save()
    except Exception:
        # Nothing half-stored: the transaction rolls back and the bytes written are removed.
        for name in stored:
            Attachment.file.field.storage.delete(name)
        raise
    Thread.objects.filter(pk=thread.pk).update(
        last_message_at=now,
        last_message_id=message.pk,
        message_count=F("message_count") + 1,
        **({"last_staff_author": actor} if from_staff else {}),
    )
    ThreadRead.objects.update_or_create(
        thread=thread, user=actor, defaults={"last_read_id": message.pk, "read_at": now}
    )
    _notify_other_side(actor, thread, message)
    return message


def _notify_other_side(actor: User, thread: Thread, message: Message) -> None:
    """Staff write: the company's people hear of it. The company writes: its specialist (today's) and staff
    who took part; a supervisory specialist of its office when nobody is assigned."""
    from greenlane.notifications.services import partner_recipients

    partner = thread.partner
    if actor.staff_role:
        recipients = [u for u in partner_recipients(partner) if u.pk != actor.pk]
        url = reverse("comms:thread", args=[partner.pk, thread.pk])
    else:
        ids = set(
            Message.objects.filter(thread=thread, from_staff=True)
            .values_list("author_id", flat=True)
            .distinct()
        )
        if partner.assigned_scs_id:
            ids.add(partner.assigned_scs_id)
        staff = list(User.objects.filter(pk__in=ids, is_active=True))
        staff = [u for u in staff if permissions.can_reach(u, partner)]
        if not staff:
            staff = list(
                User.objects.filter(
                    staff_role=StaffRole.SUPERVISORY_SCS,
                    is_active=True,
                    field_office_id=partner.field_office_id,
                )
            )
        recipients = staff
        url = reverse("comms:staff_thread", args=[thread.pk])
    if recipients:
        notify(
            recipients=recipients,
            kind="comms.message",
            title=_("New message: %(subject)s") % {"subject": thread.subject},
            body=_("%(who)s wrote in the conversation with %(company)s.")
            % {"who": actor.display_name, "company": partner.legal_name},
            url=url,
            partner=partner,
        )


def thread_mark_read(*, actor: User, thread_id) -> ThreadRead:
    """Everything in the thread up to now counts as read by the actor (idempotent)."""
    from ..selectors.threads import thread_for

    thread = thread_for(actor, thread_id)
    mark, _created = ThreadRead.objects.update_or_create(
        thread=thread,
        user=actor,
        defaults={"last_read_id": thread.last_message_id, "read_at": timezone.now()},
    )
    return mark
