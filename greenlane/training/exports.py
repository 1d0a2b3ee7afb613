"""The attendance certificate (PDF): who attended which seminar, with a code anyone can verify."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.criteria.exports import Document

from .models import Registration


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def certificate_pdf(registration: Registration, *, base_url: str = "") -> bytes:
    seminar = registration.seminar
    title = _("Certificate of attendance")
    doc = Document(title=title, subject=seminar.title)
    doc.ln(20)
    doc.heading(title, level=0)
    doc.ln(6)
    doc.para(_("This certifies that"), size=11)
    doc.para(registration.user.display_name, size=16, bold=True)
    doc.para(_("of %(company)s") % {"company": registration.partner.legal_name}, size=11)
    doc.ln(2)
    doc.para(_("attended the supply chain security seminar"), size=11)
    doc.para(seminar.title, size=14, bold=True)
    start, end = timezone.localtime(seminar.starts_at), timezone.localtime(seminar.ends_at)
    doc.field(_("Date"), f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M} ({start.tzname()})")
    doc.field(_("Format"), seminar.get_format_display())
    doc.field(_("Place"), seminar.place)
    doc.ln(8)
    doc.rule()
    code = format_code(registration.certificate_code or "")
    doc.field(_("Verification code"), code)
    verify = base_url + reverse("training:verify") + f"?code={code}"
    doc.para(_("Check this certificate at %(url)s") % {"url": verify}, size=8.5, grey=True)
    return doc.render()
