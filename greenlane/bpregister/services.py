"""Writes to a member's business-partner register. Each runs in one transaction and writes one audit event."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.audit.services import record_event
from greenlane.core.errors import Conflict, DomainError, InvalidInput
from greenlane.mra import identifiers as id_rules
from greenlane.partners.identifiers import IdentifierError, IdentifierType
from greenlane.partners.models import COUNTRY_CODES, Identifier
from greenlane.profiles import sniff

from . import questions, selectors, tokens
from .choices import AuditKind, AuditResult, BusinessPartnerType
from .models import Questionnaire, Reevaluation, RegisterAudit, RegisterEntry

REVIEW_INTERVAL = dt.timedelta(days=365)
QUESTIONNAIRE_DAYS = 30
MAX_AUDIT_FILE = 10 * 1024 * 1024
MAX_TEXT = 4000
ENTRY_FIELDS = (
    "name",
    "partner_type",
    "country",
    "id_type",
    "id_value",
    "contact_name",
    "contact_email",
    "notes",
)


class QuestionnaireClosed(DomainError):
    """The link was used already or has expired."""

    status = 410
    code = "questionnaire_closed"


@dataclass
class EntryInput:
    name: str
    partner_type: str
    country: str
    id_type: str = ""
    id_value: str = ""
    contact_name: str = ""
    contact_email: str = ""
    notes: str = ""


def clean_entry(data: EntryInput) -> tuple[dict, list[dict]]:
    """Normalised values and every problem (field, message); nothing is stored here."""
    errors: list[dict] = []
    values = {
        "name": (data.name or "").strip(),
        "partner_type": (data.partner_type or "").strip(),
        "country": (data.country or "").strip().upper(),
        "id_type": (data.id_type or "").strip().lower(),
        "id_value": (data.id_value or "").strip(),
        "contact_name": (data.contact_name or "").strip(),
        "contact_email": (data.contact_email or "").strip(),
        "notes": (data.notes or "").strip(),
    }
    if not values["name"]:
        errors.append({"field": "name", "message": _("Enter the business partner's name.")})
    elif len(values["name"]) > 200:
        errors.append({"field": "name", "message": _("A name is at most 200 characters.")})
    if values["partner_type"] not in BusinessPartnerType.values:
        errors.append(
            {
                "field": "partner_type",
                "message": _("Choose a type of business partner (%(types)s).")
                % {"types": ", ".join(BusinessPartnerType.values)},
            }
        )
    if values["country"] not in COUNTRY_CODES:
        errors.append(
            {"field": "country", "message": _("Enter a two-letter ISO country code (e.g. MX, DE).")}
        )
    if values["id_value"] and not values["id_type"]:
        errors.append({"field": "id_type", "message": _("Choose the type of the identifier.")})
    elif values["id_type"]:
        if values["id_type"] not in id_rules.ALL_TYPES:
            errors.append({"field": "id_type", "message": _("Unknown identifier type.")})
        elif not values["id_value"]:
            errors.append({"field": "id_value", "message": _("Enter the identifier, or clear its type.")})
        else:
            try:
                values["id_value"] = id_rules.normalize(values["id_type"], values["id_value"])
            except IdentifierError as exc:
                errors.append({"field": "id_value", "message": exc.message})
    if values["contact_email"]:
        try:
            validate_email(values["contact_email"])
        except ValidationError:
            errors.append({"field": "contact_email", "message": _("Enter a valid e-mail address.")})
    if len(values["contact_name"]) > 150:
        errors.append({"field": "contact_name", "message": _("A contact name is at most 150 characters.")})
    if len(values["notes"]) > MAX_TEXT:
        errors.append({"field": "notes", "message": _("Notes are at most 4,000 characters.")})
    return values, errors


def _raise(errors: list[dict]) -> None:
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)


def _linked_partner_id(id_type: str, id_value: str) -> int | None:
    """The C-TPAT member holding this identifier (one of our identifier types), if exactly one does."""
    if not id_value or id_type not in IdentifierType.values:
        return None
    ids = list(
        Identifier.objects.filter(type=id_type, value=id_value).values_list("partner_id", flat=True)[:2]
    )
    return ids[0] if len(set(ids)) == 1 else None


def _check_duplicate(owner_id: int, values: dict, exclude: int | None = None) -> None:
    if not values["id_value"]:
        return
    qs = RegisterEntry.objects.filter(
        owner_id=owner_id, id_type=values["id_type"], id_value=values["id_value"]
    )
    if exclude:
        qs = qs.exclude(pk=exclude)
    other = qs.first()
    if other is not None:
        raise InvalidInput(
            _("%(name)s already has this identifier in your register.") % {"name": other.name},
            field="id_value",
        )


def _snapshot(entry: RegisterEntry) -> dict:
    return {f: getattr(entry, f) for f in (*ENTRY_FIELDS, "linked_partner_id", "next_review_due")}


@transaction.atomic
def entry_create(*, actor, partner_id: int, data: EntryInput, today: dt.date | None = None) -> RegisterEntry:
    access = selectors.register_access(actor, partner_id, for_update=True)
    values, errors = clean_entry(data)
    _raise(errors)
    _check_duplicate(access.partner.pk, values)
    today = today or timezone.localdate()
    entry = RegisterEntry(
        owner=access.partner,
        linked_partner_id=_linked_partner_id(values["id_type"], values["id_value"]),
        next_review_due=today + REVIEW_INTERVAL,
        search_name=values["name"].casefold(),
        **values,
    )
    entry.save()
    record_event(
        actor=actor,
        action="bpregister.entry_create",
        partner=access.partner,
        obj=entry,
        summary=f"Business partner added: {entry.name}",
        after=_snapshot(entry),
    )
    return entry


@transaction.atomic
def entry_update(*, actor, partner_id: int, entry_id: int, data: EntryInput) -> RegisterEntry:
    access, entry = selectors.entry_for(actor, partner_id, entry_id, for_update=True)
    values, errors = clean_entry(data)
    _raise(errors)
    _check_duplicate(access.partner.pk, values, exclude=entry.pk)
    before = _snapshot(entry)
    for k, v in values.items():
        setattr(entry, k, v)
    entry.linked_partner_id = _linked_partner_id(values["id_type"], values["id_value"])
    entry.search_name = entry.name.casefold()
    entry.updated_at = timezone.now()
    after = _snapshot(entry)
    if after == before:
        return entry
    entry.save()
    changed = [k for k in after if after[k] != before[k]]
    record_event(
        actor=actor,
        action="bpregister.entry_update",
        partner=access.partner,
        obj=entry,
        summary=f"Business partner updated: {entry.name}",
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return entry


@transaction.atomic
def entry_delete(*, actor, partner_id: int, entry_id: int, reason: str = "") -> None:
    access, entry = selectors.entry_for(actor, partner_id, entry_id, for_update=True)
    if len(reason) > 500:
        raise InvalidInput(_("A reason is at most 500 characters."), field="reason")
    before = _snapshot(entry)
    record_event(
        actor=actor,
        action="bpregister.entry_delete",
        partner=access.partner,
        obj=entry,
        summary=f"Business partner removed from the register: {entry.name}",
        before=before,
        reason=reason,
    )
    files = [a.file for a in entry.audits.exclude(file="")]
    entry.delete()

    def _remove_files() -> None:
        for f in files:
            f.delete(save=False)

    transaction.on_commit(_remove_files)


@transaction.atomic
def audit_record(
    *,
    actor,
    partner_id: int,
    entry_id: int,
    date: dt.date | None,
    kind: str,
    result: str,
    notes: str = "",
    file_name: str = "",
    file_data: bytes | None = None,
    today: dt.date | None = None,
) -> RegisterAudit:
    access, entry = selectors.entry_for(actor, partner_id, entry_id, for_update=True)
    today = today or timezone.localdate()
    errors = []
    if date is None:
        errors.append({"field": "date", "message": _("Enter the date of the audit.")})
    elif date > today:
        errors.append({"field": "date", "message": _("The audit date cannot be in the future.")})
    if kind not in AuditKind.values:
        errors.append({"field": "kind", "message": _("Choose the kind of audit.")})
    if result not in AuditResult.values:
        errors.append({"field": "result", "message": _("Choose the result: passed, findings or failed.")})
    if len(notes or "") > MAX_TEXT:
        errors.append({"field": "notes", "message": _("Notes are at most 4,000 characters.")})
    if file_data is not None:
        try:
            sniff.check(file_name, file_data, max_bytes=MAX_AUDIT_FILE)
        except sniff.UploadRejected as exc:
            errors.append({"field": "file", "message": str(exc)})
    _raise(errors)
    assert date is not None
    audit = RegisterAudit(
        entry=entry, date=date, kind=kind, result=result, notes=(notes or "").strip(), recorded_by=actor
    )
    if file_data is not None:
        # Stored under a random name (the original is kept for the download): never served from MEDIA_URL.
        extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else "bin"
        audit.file_name = file_name[:200]
        audit.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(file_data), save=False)
    audit.save()
    record_event(
        actor=actor,
        action="bpregister.audit_record",
        partner=access.partner,
        obj=audit,
        summary=f"Audit of {entry.name} recorded: {result}",
        after={"entry": entry.pk, "date": date, "kind": kind, "result": result, "file": audit.file_name},
    )
    return audit


@transaction.atomic
def entry_reevaluate(
    *, actor, partner_id: int, entry_id: int, notes: str = "", today: dt.date | None = None
) -> Reevaluation:
    """Record a re-evaluation with the risk as computed now; the next one is due a year later."""
    access, entry = selectors.entry_for(actor, partner_id, entry_id, for_update=True)
    if len(notes or "") > MAX_TEXT:
        raise InvalidInput(_("Notes are at most 4,000 characters."), field="notes")
    today = today or timezone.localdate()
    view = selectors.views_for(access.partner.pk, [entry], today)[0]
    before_due = entry.next_review_due
    next_due = today + REVIEW_INTERVAL
    reevaluation = Reevaluation.objects.create(
        entry=entry,
        evaluated_on=today,
        risk_level=view.rating.level,
        risk_score=view.rating.score,
        reasons=view.rating.as_list(),
        notes=(notes or "").strip(),
        next_due=next_due,
        evaluated_by=actor,
    )
    entry.next_review_due = next_due
    entry.save(update_fields=["next_review_due"])
    record_event(
        actor=actor,
        action="bpregister.reevaluate",
        partner=access.partner,
        obj=entry,
        summary=f"{entry.name} re-evaluated: {view.rating.level} risk; next due {next_due.isoformat()}",
        before={"next_review_due": before_due},
        after={
            "next_review_due": next_due,
            "risk_level": view.rating.level,
            "risk_score": view.rating.score,
            "risk_version": view.rating.version,
        },
    )
    return reevaluation


# --- questionnaires ----------------------------------------------------------------------------------------


def questionnaire_link(raw_token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("bpregister:answer", args=[raw_token])


@transaction.atomic
def questionnaire_send(
    *, actor, partner_id: int, entry_id: int, email: str, days: int = QUESTIONNAIRE_DAYS
) -> tuple[Questionnaire, str]:
    """Send the security questionnaire to a non-member's e-mail. Returns it and the raw link token (shown
    nowhere but the e-mail)."""
    access, entry = selectors.entry_for(actor, partner_id, entry_id, for_update=True)
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(_("Enter a valid e-mail address."), field="email") from None
    view = selectors.views_for(access.partner.pk, [entry])[0]
    if view.member is not None and view.member.status == "certified":
        raise Conflict(
            _("%(name)s is a certified C-TPAT member: its certification stands in for the questionnaire.")
            % {"name": entry.name}
        )
    set_name, qs = questions.question_set(entry.partner_type)
    raw, digest = tokens.new_token()
    now = timezone.now()
    questionnaire = Questionnaire.objects.create(
        entry=entry,
        email=email,
        token_sha256=digest,
        questions=qs,
        question_set=set_name,
        sent_at=now,
        expires_at=now + dt.timedelta(days=days),
        sent_by=actor,
    )
    record_event(
        actor=actor,
        action="bpregister.questionnaire_send",
        partner=access.partner,
        obj=questionnaire,
        summary=f"Security questionnaire sent to {email} for {entry.name}",
        after={"entry": entry.pk, "email": email, "expires_at": questionnaire.expires_at, "set": set_name},
    )
    link = questionnaire_link(raw)
    owner_name = access.partner.legal_name
    expires = questionnaire.expires_at.date().isoformat()

    def _mail() -> None:
        body = _(
            "%(owner)s asks %(name)s to answer a short supply chain security questionnaire.\n\n"
            "Open this link (no account needed): %(link)s\n\n"
            "The link works once and expires on %(expires)s."
        ) % {"owner": owner_name, "name": entry.name, "link": link, "expires": expires}
        send_mail(_("Security questionnaire from %(owner)s") % {"owner": owner_name}, body, None, [email])

    transaction.on_commit(_mail)
    return questionnaire, raw


@dataclass
class AnswerInput:
    respondent_name: str
    answers: dict[str, str] = field(default_factory=dict)  # question id -> yes | no | n/a
    comments: dict[str, str] = field(default_factory=dict)


def check_open(questionnaire: Questionnaire | None, now: dt.datetime | None = None) -> Questionnaire:
    now = now or timezone.now()
    if questionnaire is None:
        raise QuestionnaireClosed(_("This questionnaire link is not valid. Check the link in your e-mail."))
    if questionnaire.answered_at is not None:
        raise QuestionnaireClosed(
            _("This questionnaire was already answered on %(date)s. A link can be used once.")
            % {"date": questionnaire.answered_at.date().isoformat()}
        )
    if now >= questionnaire.expires_at:
        raise QuestionnaireClosed(
            _("This questionnaire link expired on %(date)s. Ask the sender for a new one.")
            % {"date": questionnaire.expires_at.date().isoformat()}
        )
    return questionnaire


@transaction.atomic
def questionnaire_answer(*, token: str, data: AnswerInput, now: dt.datetime | None = None) -> Questionnaire:
    """Store the answers given through the login-free link; the link then closes."""
    found = selectors.questionnaire_for_token(token)
    if found is not None:
        found = (
            Questionnaire.objects.select_for_update().select_related("entry", "entry__owner").get(pk=found.pk)
        )
    questionnaire = check_open(found, now)
    errors = []
    name = (data.respondent_name or "").strip()
    if not name:
        errors.append({"field": "respondent_name", "message": _("Enter your name.")})
    elif len(name) > 150:
        errors.append({"field": "respondent_name", "message": _("A name is at most 150 characters.")})
    answers = {}
    for q in questionnaire.questions:
        answer = (data.answers.get(q["id"]) or "").strip().lower()
        comment = (data.comments.get(q["id"]) or "").strip()
        if answer not in questions.ANSWERS:
            errors.append(
                {"field": q["id"], "message": _("Answer yes, no or not applicable: %(q)s") % {"q": q["text"]}}
            )
        if len(comment) > 1000:
            errors.append({"field": q["id"], "message": _("A comment is at most 1,000 characters.")})
        answers[q["id"]] = {"answer": answer, "comment": comment}
    _raise(errors)
    questionnaire.answers = answers
    questionnaire.respondent_name = name
    questionnaire.answered_at = now or timezone.now()
    questionnaire.save(update_fields=["answers", "respondent_name", "answered_at"])
    gaps = sum(1 for a in answers.values() if a["answer"] == "no")
    record_event(
        actor=None,
        action="bpregister.questionnaire_answer",
        partner=questionnaire.entry.owner,
        obj=questionnaire,
        summary=f"Questionnaire for {questionnaire.entry.name} answered by {name} ({gaps} 'no')",
        after={"respondent": name, "email": questionnaire.email, "no_answers": gaps},
    )
    return questionnaire
