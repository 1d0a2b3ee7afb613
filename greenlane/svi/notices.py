"""Certification notices: a member has the system e-mail a signed notice of its certification to a company
without an account; anyone with the link can check the notice is genuine and see the member's current status.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.accounts.models import User
from greenlane.audit.services import record_event
from greenlane.core.errors import Conflict, InvalidInput
from greenlane.partners.models import Partner

from . import permissions, selectors
from .models import CertificationNotice

DAILY_LIMIT = 50


def _key() -> bytes:
    return hashlib.sha256(b"greenlane.svi.notice|" + settings.SECRET_KEY.encode()).digest()


def _message(n: CertificationNotice) -> bytes:
    fields = [
        str(n.sender_id),
        n.recipient_company,
        n.recipient_email.lower(),
        n.status_at_send,
        str(n.tier_at_send or ""),
        n.sent_at.astimezone(dt.UTC).isoformat(),
        n.token,
    ]
    return "\x1f".join(fields).encode()


def signature_of(notice: CertificationNotice) -> str:
    return hmac.new(_key(), _message(notice), hashlib.sha256).hexdigest()


@transaction.atomic
def notice_send(
    *, actor: User, partner_id: int, recipient_company: str, recipient_email: str
) -> CertificationNotice:
    partner = permissions.company_for(actor, partner_id, manage=True, for_update=True)
    permissions.require_certified(partner, _("send a certification notice"))
    errors: list[dict] = []
    company = (recipient_company or "").strip()
    email = (recipient_email or "").strip()
    if not company:
        errors.append({"field": "recipient_company", "message": _("Enter the recipient company's name.")})
    elif len(company) > 200:
        errors.append(
            {"field": "recipient_company", "message": _("Keep the company name under 200 characters.")}
        )
    try:
        validate_email(email)
    except Exception:
        errors.append({"field": "recipient_email", "message": _("Enter a valid e-mail address.")})
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    day_ago = timezone.now() - dt.timedelta(days=1)
    if CertificationNotice.objects.filter(sender=partner, sent_at__gte=day_ago).count() >= DAILY_LIMIT:
        raise Conflict(
            _("Your company sent %(n)s notices in the last 24 hours, the limit; try again tomorrow.")
            % {"n": DAILY_LIMIT}
        )
    notice = CertificationNotice(
        sender=partner,
        sent_by=actor,
        recipient_company=company,
        recipient_email=email,
        status_at_send=partner.status,
        tier_at_send=partner.tier or None,
        token=secrets.token_urlsafe(32),
        sent_at=timezone.now().replace(microsecond=0),
    )
    notice.signature = signature_of(notice)
    notice.full_clean()
    notice.save()
    record_event(
        actor=actor,
        action="svi.notice_send",
        partner=partner,
        obj=notice,
        summary=_("Certification notice sent to %(c)s <%(e)s>") % {"c": company, "e": email},
        after={"recipient_company": company, "recipient_email": email, "status": partner.status},
    )
    transaction.on_commit(lambda: _mail(notice.pk))
    return notice


def verify_url(notice: CertificationNotice) -> str:
    base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("svi:verify_notice", kwargs={"token": notice.token})


def _mail(notice_id: int) -> None:
    notice = CertificationNotice.objects.select_related("sender").get(pk=notice_id)
    sender = notice.sender
    lines = [
        _("Dear %(c)s,") % {"c": notice.recipient_company},
        "",
        _(
            "U.S. Customs and Border Protection's C-TPAT program confirms, at the request of %(s)s, that this "
            "company was a certified member of the program on %(d)s."
        )
        % {"s": sender.legal_name, "d": notice.sent_at.date().isoformat()},
        "",
        _("Check that this notice is genuine, and see the company's current status, at:"),
        verify_url(notice),
        "",
        _("Reference: %(r)s") % {"r": sender.reference},
    ]
    send_mail(
        _("Certification notice: %(s)s") % {"s": sender.legal_name},
        "\n".join(lines),
        None,
        [notice.recipient_email],
    )


@dataclass(frozen=True)
class NoticeCheck:
    genuine: bool
    notice: CertificationNotice | None
    current: selectors.StatusView | None


def notice_check(token: str) -> NoticeCheck:
    """Public check of a notice link: genuine or not, and the sender's current status (counted, not audited)."""
    token = (token or "").strip()
    if not token or len(token) > 64:
        return NoticeCheck(False, None, None)
    notice = CertificationNotice.objects.select_related("sender").filter(token=token).first()
    if notice is None or not hmac.compare_digest(notice.signature, signature_of(notice)):
        return NoticeCheck(False, None, None)
    CertificationNotice.objects.filter(pk=notice.pk).update(
        verify_count=F("verify_count") + 1, last_verified_at=timezone.now()
    )
    # The sender consented to this recipient seeing its status; show it even outside the SVI.
    current = selectors.status_view_for(notice.sender_id, [notice.sender_id])[notice.sender_id]
    shares_tier = bool(getattr(_participation(notice.sender), "shares_tier", False))
    current = selectors.StatusView(
        current.partner_id,
        notice.sender.legal_name,
        current.status,
        current.tier if shares_tier else None,
        current.since,
        None,
        current.svi_member,
    )
    return NoticeCheck(True, notice, current)


def _participation(partner: Partner):
    return selectors.participation(partner)
