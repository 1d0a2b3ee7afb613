"""The criteria catalog as a grouped outline, a CSV file and a PDF; the PDF base that other exports use."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from greenlane.partners.choices import EntityType

from .models import CatalogVersion, Criterion

# Debian's DejaVu (fonts-dejavu-core) covers every script our text uses; fpdf2 ships no Unicode font.
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
CROSSWALK_LABELS = {
    "eu_aeo_saq": gettext_noop("EU AEO self-assessment questionnaire"),
    "wco_safe": gettext_noop("WCO SAFE Framework"),
}


def crosswalk_label(scheme: str) -> str:
    return _(CROSSWALK_LABELS[scheme]) if scheme in CROSSWALK_LABELS else scheme


@dataclass
class CategoryGroup:
    number: int
    name: str
    criteria: list[Criterion] = field(default_factory=list)

    @property
    def must_count(self) -> int:
        return sum(1 for c in self.criteria if c.level == "must")


@dataclass
class FocusGroup:
    code: str
    name: str
    categories: list[CategoryGroup] = field(default_factory=list)


def grouped(criteria) -> list[FocusGroup]:
    """Criteria (ordered by category and number, with category selected) by focus area, then category."""
    areas: dict[str, FocusGroup] = {}
    categories: dict[int, CategoryGroup] = {}
    for c in criteria:
        cat = c.category
        if cat.number not in categories:
            area = areas.setdefault(cat.focus_area_code, FocusGroup(cat.focus_area_code, cat.focus_area_name))
            categories[cat.number] = CategoryGroup(cat.number, cat.name)
            area.categories.append(categories[cat.number])
        categories[cat.number].criteria.append(c)
    return list(areas.values())


def applies_to(criterion: Criterion) -> list[str]:
    """Entity types the criterion applies to (from the prefetched applicability rows), in catalog order."""
    types = {a.entity_type for a in criterion.applicability.all()}
    return [t for t in EntityType.values if t in types]


def entity_type_label(entity_type: str) -> str:
    return str(EntityType(entity_type).label) if entity_type in EntityType.values else entity_type


def file_stem(version: CatalogVersion, entity_type: str) -> str:
    return f"{version.catalog}-{version.version}-{entity_type or 'all-types'}-criteria"


def catalog_csv(version: CatalogVersion, entity_type: str, criteria: list[Criterion]) -> str:
    """One header row, then one row per criterion. Crosswalk schemes become columns (crosswalk_<scheme>)."""
    schemes = sorted({k for c in criteria for k in c.crosswalk} | set(CROSSWALK_LABELS))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "catalog",
            "version",
            "entity_type",
            "focus_area",
            "category_number",
            "category",
            "id",
            "level",
            "title",
            "requirement",
            "guidance",
            "applies_to",
            *(f"crosswalk_{s}" for s in schemes),
        ]
    )
    for c in criteria:
        writer.writerow(
            [
                version.catalog,
                version.version,
                entity_type or "all",
                c.category.focus_area_name,
                c.category.number,
                c.category.name,
                c.code,
                c.level,
                c.title,
                c.requirement,
                c.guidance,
                ";".join(applies_to(c)),
                *(c.crosswalk.get(s, "") for s in schemes),
            ]
        )
    return out.getvalue()


# PDF -----------------------------------------------------------------------------------------------------

_LATIN1_FALLBACK = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "•": "-", "→": "->", "≥": ">="}
)


class Document(FPDF):
    """An A4-ish Letter document with a running title, page numbers and Unicode text where a font allows."""

    def __init__(self, *, title: str, subject: str = "", lang: str = "en") -> None:
        super().__init__(orientation="portrait", unit="mm", format="Letter")
        self.doc_title = title
        self.set_title(title)
        self.set_subject(subject)
        self.set_creator("Greenlane")
        self.set_lang(lang)
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(auto=True, margin=18)
        self.unicode = (DEJAVU_DIR / "DejaVuSans.ttf").exists() and (
            DEJAVU_DIR / "DejaVuSans-Bold.ttf"
        ).exists()
        if self.unicode:
            self.add_font("body", "", str(DEJAVU_DIR / "DejaVuSans.ttf"))
            self.add_font("body", "B", str(DEJAVU_DIR / "DejaVuSans-Bold.ttf"))
            self.family = "body"
        else:
            self.family = "helvetica"
        self.add_page()

    def clean(self, text) -> str:
        text = "" if text is None else str(text)
        if self.unicode:
            return text
        return text.translate(_LATIN1_FALLBACK).encode("latin-1", "replace").decode("latin-1")

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font(self.family, "", 8)
            self.set_text_color(90)
            self.cell(0, 6, self.clean(self.doc_title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(0)
            self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.set_text_color(90)
        self.cell(0, 6, self.clean(_("Page %(n)s") % {"n": self.page_no()}), align="R")
        self.set_text_color(0)

    def heading(self, text: str, level: int = 1) -> None:
        size = {0: 18, 1: 14, 2: 12, 3: 10.5}[level]
        if self.get_y() > self.h - 40:  # keep a heading with what follows it
            self.add_page()
        if level in (1, 2):  # the PDF outline (bookmarks): focus areas, then categories
            self.start_section(self.clean(text), level=level - 1)
        self.ln(3 if level else 0)
        self.set_font(self.family, "B", size)
        self.multi_cell(0, size * 0.5, self.clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def para(self, text: str, *, size: float = 9.5, bold: bool = False, grey: bool = False) -> None:
        if not text:
            return
        self.set_font(self.family, "B" if bold else "", size)
        if grey:
            self.set_text_color(70)
        self.multi_cell(0, size * 0.5, self.clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0)
        self.ln(0.8)

    def field(self, label: str, value, *, size: float = 9.5) -> None:
        """``Label: value`` with the label in bold."""
        if value in (None, "", []):
            return
        self.set_font(self.family, "B", size)
        label_text = self.clean(f"{label}: ")
        self.cell(self.get_string_width(label_text) + 0.5, size * 0.5, label_text)
        self.set_font(self.family, "", size)
        self.multi_cell(0, size * 0.5, self.clean(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(0.5)

    def rule(self) -> None:
        self.set_draw_color(200)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(3)

    def render(self) -> bytes:
        return bytes(self.output())


def catalog_pdf(
    version: CatalogVersion, entity_type: str, type_label: str, criteria: list[Criterion]
) -> bytes:
    title = f"{version.title} {version.version} · {type_label}"
    doc = Document(title=title, subject=_("Criteria that apply to %(t)s") % {"t": type_label})
    doc.heading(title, level=0)
    musts = sum(1 for c in criteria if c.level == "must")
    doc.para(
        _("%(n)d criteria (%(m)d Must, %(s)d Should). Effective %(e)s. Catalog checksum %(c)s.")
        % {
            "n": len(criteria),
            "m": musts,
            "s": len(criteria) - musts,
            "e": version.effective.isoformat(),
            "c": version.checksum[:16],
        },
        grey=True,
    )
    doc.para(_("Generated %(d)s.") % {"d": timezone.localdate().isoformat()}, grey=True, size=8)
    for area in grouped(criteria):
        doc.heading(area.name, level=1)
        for cat in area.categories:
            doc.heading(f"{cat.number}. {cat.name}", level=2)
            for c in cat.criteria:
                doc.heading(f"{c.code} {c.title} [{c.get_level_display()}]", level=3)
                doc.para(c.requirement)
                doc.field(_("Guidance"), c.guidance, size=8.5)
                refs = "; ".join(f"{crosswalk_label(k)}: {v}" for k, v in sorted(c.crosswalk.items()))
                doc.field(_("References"), refs, size=8.5)
                if not entity_type:
                    labels = ", ".join(entity_type_label(t) for t in applies_to(c))
                    doc.field(_("Applies to"), labels, size=8.5)
                doc.ln(1.5)
    return doc.render()
