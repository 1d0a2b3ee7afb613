"""E-mail about annual reviews: opened, reminders, overdue, submitted, decided. Sent after commit, in each
recipient's own language; a mail failure is logged and never undoes the committed change."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import review_selectors as rs
from .models import AnnualReview

OPENED = "opened"
OVERDUE = "overdue"


def _notify(review_id: int, kind: str, on: dt.date) -> None:
    # robust: a mail server failure is logged and never undoes the committed change or stops a daily run.
    transaction.on_commit(lambda: send_review_email(review_id, kind, on), robust=True)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send_review_email(review_id: int, kind: str, on: dt.date) -> int:
    """E-mail the company officers (or, for a submission, the assigned specialist) in their own language."""
    review = AnnualReview.objects.select_related("partner__assigned_scs").get(pk=review_id)
    partner = review.partner
    if kind == "submitted":
        recipients = [partner.assigned_scs] if partner.assigned_scs and partner.assigned_scs.is_active else []
        link = _absolute(reverse("reviews:detail", args=[review.pk]))
    else:
        recipients = rs.company_officers(partner)
        link = _absolute(reverse("profiles:review", args=[partner.pk]))
    connection = get_connection()
    messages = []
    for user in recipients:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject, body = _email_text(review, kind, on, user, link)
        messages.append(EmailMessage(subject, body, None, [user.email], connection=connection))
    if not messages:
        return 0
    return connection.send_messages(messages) or 0


def _email_text(review: AnnualReview, kind: str, on: dt.date, user, link: str) -> tuple[str, str]:
    p = review.partner
    v = {
        "company": p.legal_name,
        "reference": p.reference,
        "cycle": review.cycle,
        "due": review.due_on.isoformat(),
        "days": (review.due_on - on).days,
        "late": (on - review.due_on).days,
    }
    if kind == OPENED:
        subject = _("Annual review open for %(company)s: due %(due)s") % v
        lead = (
            _(
                "The annual review of the security profile of %(company)s (%(reference)s) is open. "
                "Re-confirm or update each answer, then have a company officer submit it by %(due)s."
            )
            % v
        )
    elif kind == OVERDUE:
        subject = _("Annual review overdue for %(company)s (due %(due)s)") % v
        lead = (
            _(
                "The annual review of %(company)s (%(reference)s) was due on %(due)s and has not been "
                "submitted. Missing the annual review is a cause for suspension from the program: submit it "
                "as soon as possible. A late submission is accepted and recorded as late."
            )
            % v
        )
    elif kind == "approved":
        subject = _("Annual review approved for %(company)s") % v
        lead = _("Your specialist approved annual review %(cycle)d of %(company)s (%(reference)s).") % v
    elif kind == "returned":
        subject = _("Annual review returned with comments for %(company)s") % v
        lead = (
            _(
                "Your specialist returned annual review %(cycle)d of %(company)s (%(reference)s) with "
                "comments. Read them, update or re-confirm the answers concerned, and submit the review "
                "again."
            )
            % v
        )
    elif kind == "submitted":
        subject = _("Annual review submitted by %(company)s: awaiting your decision") % v
        lead = (
            _(
                "%(company)s (%(reference)s) submitted annual review %(cycle)d. Approve it or return it with "
                "comments."
            )
            % v
        )
    else:
        subject = _("Reminder: annual review for %(company)s due in %(days)d days (%(due)s)") % v
        lead = (
            _(
                "The annual review of %(company)s (%(reference)s) is due on %(due)s, in %(days)d days. "
                "Re-confirm or update each answer, then have a company officer submit it."
            )
            % v
        )
    greeting = _("Hello %(name)s,") % {"name": user.display_name}
    footer = _("Greenlane trusted-trader program")
    body = f"{greeting}\n\n{lead}\n\n{link}\n\n-- \n{footer}\n{settings.SITE_URL}\n"
    return subject, body
