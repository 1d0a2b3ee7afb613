"""Every metrics table as CSV, XLSX (openpyxl) or PDF (fpdf2); export jobs; the benefits statement PDF."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf.enums import XPos, YPos

from greenlane.core.errors import InvalidInput
from greenlane.criteria.exports import Document

from . import selectors, snapshot
from .engine import BY_ID
from .engine.sources import DIMENSION_LABELS

# Row limits per format: an export over the limit is refused with the limit stated.
ROW_LIMITS = {"csv": 1_000_000, "xlsx": 200_000, "pdf": 5_000}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
DRILL_CHUNK = 20_000


def row_limit(fmt: str) -> int:
    return ROW_LIMITS[fmt]


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)


def fmt_value(value: float | None, unit: str) -> str:
    if value is None:
        return _("no data")
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "count":
        return f"{value:,.0f}"
    if unit in ("hours", "minutes"):
        return f"{value:,.1f} {_(unit)}"
    return f"{value:.3f}"


def _cell(v: Any) -> Any:
    if isinstance(v, dt.datetime) and v.tzinfo is not None:
        return v.astimezone(dt.UTC).replace(tzinfo=None)
    return v


def to_csv(table: Table, out: io.StringIO | None = None) -> bytes:
    buf = out or io.StringIO()
    w = csv.writer(buf)
    w.writerow(table.columns)
    for r in table.rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue().encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=table.title[:31].replace("/", "-") or "Sheet")
    ws.append(table.columns)
    for r in table.rows:
        ws.append([_cell(v) for v in r])
    for note in table.notes:
        ws.append([note])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pdf_table(doc: Document, table: Table) -> None:
    width = doc.w - doc.l_margin - doc.r_margin
    n = max(1, len(table.columns))
    col_w = width / n
    size = 7 if n > 6 else 8.5
    doc.set_font(doc.family, "B", size)
    for c in table.columns:
        doc.cell(col_w, 5, doc.clean(c)[:40], border=1)
    doc.ln(5)
    doc.set_font(doc.family, "", size)
    for r in table.rows:
        if doc.get_y() > doc.h - 24:
            doc.add_page()
        for v in r:
            doc.cell(col_w, 5, doc.clean("" if v is None else v)[: int(col_w * 0.55) + 6], border=1)
        doc.ln(5)
    for note in table.notes:
        doc.para(note, size=8, grey=True)


def to_pdf(table: Table) -> bytes:
    doc = Document(title=table.title)
    doc.heading(table.title, level=0)
    doc.para(_("Generated %(t)s UTC") % {"t": timezone.now().strftime("%Y-%m-%d %H:%M")}, grey=True)
    pdf_table(doc, table)
    return doc.render()


def render(table: Table, fmt: str) -> bytes:
    if fmt not in ROW_LIMITS:
        raise InvalidInput(_("Format must be csv, xlsx or pdf."), field="format")
    if len(table.rows) > ROW_LIMITS[fmt]:
        raise InvalidInput(
            _("This export has %(n)s rows; the limit for %(f)s is %(l)s rows.")
            % {"n": f"{len(table.rows):,}", "f": fmt.upper(), "l": f"{ROW_LIMITS[fmt]:,}"},
            field="format",
        )
    return {"csv": to_csv, "xlsx": to_xlsx, "pdf": to_pdf}[fmt](table)


# --- the tables ------------------------------------------------------------------------------------------


def measures_table(user, period: str | None) -> Table:
    period, rows, run = selectors.overview(user, period)
    notes = []
    if run:
        snap = run.snapshot_at.strftime("%Y-%m-%d %H:%M UTC") if run.snapshot_at else _("none")
        notes.append(_("Portal snapshot: %(s)s. Computed %(c)s UTC.") % {
            "s": snap, "c": run.computed_at.strftime("%Y-%m-%d %H:%M")})  # fmt: skip
    return Table(
        title=_("Performance measures, %(p)s") % {"p": period or _("no period")},
        columns=[
            _("Measure"),
            _("Seed measure"),
            _("Unit"),
            _("Value"),
            _("Numerator"),
            _("Denominator"),
            _("Note"),
        ],
        rows=[
            [
                r.measure.name,
                r.measure.seed_measure,
                r.measure.unit,
                fmt_value(r.result.value, r.measure.unit) if r.result else _("not computed"),
                r.result.numerator if r.result else None,
                r.result.denominator if r.result else None,
                r.result.no_data_reason if r.result else "",
            ]
            for r in rows
        ],
        notes=notes,
    )


def values_table(user, measure_id: str, params: dict[str, str]) -> Table:
    s = selectors.series(user, measure_id, params)
    title = s.measure.name
    if s.dimension:
        title += f" — {DIMENSION_LABELS[s.dimension]}: {s.dimension_value}"
    return Table(
        title=title,
        columns=[
            _("Period"),
            _("Value"),
            s.measure.numerator_label,
            s.measure.denominator_label,
            _("Note"),
            _("Snapshot (UTC)"),
        ],
        rows=[
            [
                p.period,
                fmt_value(p.value, s.measure.unit),
                p.numerator,
                p.denominator,
                p.no_data_reason,
                p.snapshot_at.strftime("%Y-%m-%d %H:%M") if p.snapshot_at else "",
            ]
            for p in s.points
        ],
        notes=s.stale,
    )


def _drill_params(params: dict[str, Any]) -> dict[str, Any]:
    return {
        "measure_id": str(params.get("measure_id", "")),
        "period": str(params.get("period", "")),
        "side": str(params.get("side", "numerator")),
        "dimension": str(params.get("dimension", "")),
        "value": str(params.get("value", "")),
    }


def count_rows(user, kind: str, params: dict[str, Any]) -> int:
    if kind == "drilldown":
        p = _drill_params(params)
        page = selectors.drill(user, p.pop("measure_id"), p.pop("period"), limit=1, offset=0, **p)
        return page.count
    if kind == "values":
        return len(values_table(user, str(params.get("measure_id", "")), params).rows)
    if kind == "measures":
        return len(BY_ID)
    if kind == "plan":
        plan_year(params)
        return len(BY_ID)
    raise InvalidInput(_("Unknown export kind."), field="kind")


def plan_year(params: dict[str, Any]) -> int:
    try:
        year = int(params.get("year", 0))
    except (TypeError, ValueError):
        year = 0
    if not 1990 <= year <= 2100:
        raise InvalidInput(_("Year must be between 1990 and 2100."), field="year")
    return year


def write_job_file(job, progress: Callable[[int], None]) -> tuple[Path, str]:
    out_dir = snapshot.metrics_dir() / "exports"
    out_dir.mkdir(parents=True, exist_ok=True)
    user = job.requested_by
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    if job.kind == "plan":
        year = plan_year(job.params)
        data = program_plan_pdf(user, year)
        name = f"program-plan-{year}.pdf"
    elif job.kind == "drilldown":
        p = _drill_params(job.params)
        rows: list[list[Any]] = []
        columns: list[str] = []
        offset = 0
        total = job.rows or 1
        while True:
            page = selectors.drill(
                user, p["measure_id"], p["period"], side=p["side"], dimension=p["dimension"], value=p["value"],
                limit=DRILL_CHUNK, offset=offset, max_limit=DRILL_CHUNK,
            )  # fmt: skip
            columns = page.columns
            rows += [list(r) for r in page.items]
            offset += DRILL_CHUNK
            progress(int(90 * min(offset, total) / total))
            if not page.has_next:
                break
        table = Table(f"{p['measure_id']} {p['period']} {p['side']}", columns, rows)
        data = render(table, job.fmt)
        name = f"{p['measure_id']}-{p['period']}-{p['side']}.{job.fmt}"
    elif job.kind == "values":
        data = render(values_table(user, str(job.params.get("measure_id")), job.params), job.fmt)
        name = f"{job.params.get('measure_id')}-values.{job.fmt}"
    else:
        data = render(measures_table(user, job.params.get("period") or None), job.fmt)
        name = f"measures.{job.fmt}"
    path = out_dir / f"job-{job.pk}-{stamp}-{name}"
    path.write_bytes(data)
    return path, name


# --- the annual program plan -----------------------------------------------------------------------------


def revalidation_counts(year: int) -> dict[str, int]:
    """Members whose first validation or revalidation falls due in the year (screening/deadlines rules)."""
    from django.db.models import OuterRef, Subquery

    from greenlane.core import clocks
    from greenlane.partners.models import Partner, TierChange
    from greenlane.screening.deadlines import MEMBER_STATUSES, day_of

    last = TierChange.objects.filter(partner=OuterRef("pk"), to_tier__gte=2).order_by("-at").values("at")
    first = reval = 0
    rows = (
        Partner.objects.filter(status__in=MEMBER_STATUSES)
        .annotate(last_validated_at=Subquery(last[:1]))
        .values_list("tier", "certified_at", "last_validated_at")
    )
    for tier, certified_at, validated_at in rows.iterator(chunk_size=5000):
        if tier >= 2 and validated_at:
            if clocks.revalidation_due(day_of(validated_at)).year == year:
                reval += 1
        elif tier == 1 and certified_at and clocks.first_validation_due(day_of(certified_at)).year == year:
            first += 1
    return {"first_validations": first, "revalidations": reval}


def staffing_section() -> tuple[list[str], Table | None]:
    """Staffing from the workforce app when it provides a plan function, else a note saying it is missing."""
    try:
        from greenlane.metrics import workforce
    except ImportError:
        workforce = None  # type: ignore[assignment]
    fn = getattr(workforce, "plan_for_report", None) if workforce else None
    if fn is None:
        return [_("Staffing: the workforce plan is not available in this installation yet.")], None
    data = fn()
    table = Table(
        str(data.get("title", _("Staffing"))), list(data.get("columns", [])), list(data.get("rows", []))
    )
    return list(data.get("notes", [])), table


def program_plan_pdf(user, year: int) -> bytes:
    selectors.require_reader(user)
    doc = Document(title=_("Annual program plan %(y)s") % {"y": year})
    doc.heading(_("Annual program plan %(y)s") % {"y": year}, level=0)
    doc.para(_("Generated %(t)s UTC from the stored measures and the portal records.")
             % {"t": timezone.now().strftime("%Y-%m-%d %H:%M")}, grey=True)  # fmt: skip
    doc.heading(_("1. Performance measures"), level=1)
    table = measures_table(user, str(year))
    pdf_table(doc, table)
    doc.heading(_("2. Staffing"), level=1)
    notes, staff = staffing_section()
    for n in notes:
        doc.para(n)
    if staff is not None:
        pdf_table(doc, staff)
    doc.heading(_("3. Members to validate and revalidate"), level=1)
    counts = revalidation_counts(year)
    doc.field(_("First validations due"), f"{counts['first_validations']:,}")
    doc.field(_("Revalidations due"), f"{counts['revalidations']:,}")
    doc.para(
        _("Counted from certification and last validation dates with the program's deadline rules."),
        grey=True,
    )
    return doc.render()


# --- benefits statement ----------------------------------------------------------------------------------


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def benefits_rows(st) -> list[list[str]]:
    return [
        [_("Physical exam rate"), _pct(st.member_exam_rate), _pct(st.comparison_exam_rate)],
        [_("Document review rate"), _pct(st.member_document_rate), _pct(st.comparison_document_rate)],
        [
            _("Estimated hold (hours per shipment)"),
            "—" if st.member_hold_hours is None else f"{st.member_hold_hours:.1f}",
            "—" if st.comparison_hold_hours is None else f"{st.comparison_hold_hours:.1f}",
        ],
    ]


def benefits_pdf(partner, st) -> bytes:
    doc = Document(title=_("Benefits statement — %(n)s") % {"n": partner.legal_name})
    doc.heading(_("Benefits statement"), level=0)
    doc.field(_("Company"), f"{partner.legal_name} ({partner.reference})")
    doc.field(_("Period"), st.period)
    if not st.available:
        doc.para(st.reason)
        return doc.render()
    doc.field(_("Your matched shipments"), f"{st.matched_member_shipments:,}")
    doc.field(_("Comparison shipments (non-members, same mode, HS chapter and origin region)"),
              f"{st.comparison_shipments:,}")  # fmt: skip
    t = Table(_("Your rates against comparable non-members"), [_("Measure"), _("You"), _("Comparison")],
              benefits_rows(st))  # fmt: skip
    pdf_table(doc, t)
    doc.ln(2)
    doc.field(_("Exams avoided (estimate)"), f"{st.exams_avoided:,.1f}")
    doc.field(_("Hours of hold avoided (estimate)"), f"{st.hours_saved:,.0f}")
    doc.field(_("Estimated savings (USD)"), f"{st.savings_usd:,.0f}")
    doc.heading(_("Assumptions"), level=2)
    for k, v in st.assumptions.items():
        doc.set_font(doc.family, "", 8.5)
        doc.multi_cell(0, 4.5, doc.clean(f"{k}: {v}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return doc.render()
