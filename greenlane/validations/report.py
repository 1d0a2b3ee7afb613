"""The validation report, built from the record: the data both the HTML page and the PDF show."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.criteria.exports import Document

from . import selectors as sel
from .choices import FindingResult, ItemKind, Outcome
from .models import Validation, ValidationItem


@dataclass
class ReportData:
    validation: Validation
    sheet: sel.Sheet
    counts: dict[str, int]
    required: list[ValidationItem]
    recommendations: list[ValidationItem]
    best_practices: list[ValidationItem]


def report_data(validation: Validation) -> ReportData:
    sheet = sel.findings_sheet(validation)
    counts = {r.value: 0 for r in FindingResult}
    for cat in sheet.categories:
        for row in cat.rows:
            if row.finding is not None:
                counts[row.finding.result] += 1
    items = list(validation.items.all())
    return ReportData(
        validation=validation,
        sheet=sheet,
        counts=counts,
        required=[i for i in items if i.kind == ItemKind.REQUIRED_ACTION],
        recommendations=[i for i in items if i.kind == ItemKind.RECOMMENDATION],
        best_practices=[i for i in items if i.kind == ItemKind.BEST_PRACTICE],
    )


def report_pdf(data: ReportData) -> bytes:
    v = data.validation
    p = v.partner
    doc = Document(title=_("Validation report %(r)s") % {"r": v.reference}, subject=p.legal_name)
    doc.heading(p.legal_name, level=0)
    doc.para(_("Validation report %(r)s") % {"r": v.reference}, bold=True)
    doc.field(_("Partner reference"), p.reference)
    doc.field(_("Kind"), v.get_kind_display())
    doc.field(_("Status"), v.get_status_display())
    doc.field(_("Specialist"), v.specialist.display_name)
    doc.field(_("Approved by"), v.supervisor.display_name if v.supervisor else "—")
    doc.field(_("Published"), v.published_at.date().isoformat() if v.published_at else "—")
    doc.field(_("Outcome"), str(Outcome(v.outcome).label) if v.outcome in Outcome.values else "—")
    doc.field(
        _("Profile checked"),
        _("Snapshot revision %(r)d of %(d)s")
        % {"r": v.snapshot.revision, "d": v.snapshot.submitted_at.date().isoformat()},
    )
    sites = [f"{s.site.name}, {s.site.city} ({s.site.country})" for s in v.sites.all() if s.included]
    doc.field(_("Sites"), "; ".join(sites) or "—")
    visits = [
        f"{x.get_kind_display()} {timezone.localtime(x.scheduled_for):%Y-%m-%d}" for x in v.visits.all()
    ]
    doc.field(_("Visits"), "; ".join(visits) or "—")
    doc.field(_("Date"), timezone.localdate().isoformat())
    doc.heading(_("Summary"), level=1)
    doc.para(v.report_summary or "—")
    doc.para(
        _(
            "%(n)d of %(m)d criteria recorded: %(meets)d meet, %(exceeds)d exceed, %(dnm)d do not meet, %(no)d not observed."
        )
        % {
            "n": data.sheet.recorded,
            "m": data.sheet.total,
            "meets": data.counts["meets"],
            "exceeds": data.counts["exceeds"],
            "dnm": data.counts["does_not_meet"],
            "no": data.counts["not_observed"],
        }
    )
    for title, items in (
        (_("Required actions"), data.required),
        (_("Recommendations"), data.recommendations),
        (_("Best practices"), data.best_practices),
    ):
        doc.heading(title, level=1)
        if not items:
            doc.para(_("None."), grey=True)
        for i in items:
            doc.heading(f"{i.criterion_code or _('General')}", level=3)
            doc.para(i.text)
            if i.kind == ItemKind.REQUIRED_ACTION:
                doc.field(_("Response due"), i.due_on.isoformat() if i.due_on else "—")
                doc.field(_("Company's plan"), i.response or _("not answered yet"))
                if i.closed_at:
                    doc.field(_("Closed"), f"{i.closed_at.date().isoformat()} {i.closure_note}")
            if i.kind == ItemKind.BEST_PRACTICE:
                doc.field(_("Verified"), _("yes") if i.verified else _("no"))
    doc.heading(_("Findings by criterion"), level=1)
    for cat in data.sheet.categories:
        doc.heading(f"{cat.number}. {cat.name}", level=2)
        for row in cat.rows:
            result = row.finding.get_result_display() if row.finding else _("not recorded")
            doc.field(
                f"{row.code} {row.title}",
                result + (f": {row.finding.note}" if row.finding and row.finding.note else ""),
                size=8.5,
            )
    return doc.render()
