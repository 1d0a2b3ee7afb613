"""Account e-mails, sent through Django's mail backend. Called after the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .tokens import VERIFY_MAX_AGE, make_verification_token


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send_verification_email(user) -> None:
    link = absolute_url(reverse("accounts:verify_email", args=[make_verification_token(user)]))
    context = {"user": user, "link": link, "days": VERIFY_MAX_AGE.days, "site_url": settings.SITE_URL}
    with translation.override(user.preferred_language or translation.get_language()):
        subject = render_to_string("accounts/emails/verify_email_subject.txt", context).strip()
        body = render_to_string("accounts/emails/verify_email.txt", context)
    send_mail(subject, body, None, [user.email])
