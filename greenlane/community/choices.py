"""Statuses, transition tables and reference lists of the community app (boards, libraries, best practices)."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _


class PostDisplay(models.TextChoices):
    """How a member's post is signed on the boards. Staff always see the real author."""

    PERSON_AND_COMPANY = "person_company", _("My name and my company")
    COMPANY = "company", _("My company only")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed")


REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.OPEN: frozenset({ReportStatus.RESOLVED, ReportStatus.DISMISSED}),
    ReportStatus.RESOLVED: frozenset(),
    ReportStatus.DISMISSED: frozenset(),
}


class ModerationAction(models.TextChoices):
    LOCK = "lock", _("Lock")
    UNLOCK = "unlock", _("Unlock")
    PIN = "pin", _("Pin")
    UNPIN = "unpin", _("Unpin")


class DocumentKind(models.TextChoices):
    LIBRARY = "library", _("Public library")
    EXCHANGE = "exchange", _("Company document exchange")


class DocumentCategory(models.TextChoices):
    GUIDE = "guide", _("Guide")
    CRITERIA = "criteria", _("Criteria document")
    TEMPLATE = "template", _("Template")
    FORM = "form", _("Form")
    CORRESPONDENCE = "correspondence", _("Correspondence")
    OTHER = "other", _("Other")


class PracticeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


P = PracticeStatus
PRACTICE_TRANSITIONS: dict[str, frozenset[str]] = {
    P.SUBMITTED: frozenset({P.APPROVED, P.REJECTED, P.WITHDRAWN}),
    P.APPROVED: frozenset({P.WITHDRAWN}),
    P.REJECTED: frozenset(),
    P.WITHDRAWN: frozenset(),
}
# Transitions program staff make (review); the others are the submitter's own (withdraw).
STAFF_PRACTICE_TRANSITIONS = frozenset({(P.SUBMITTED, P.APPROVED), (P.SUBMITTED, P.REJECTED)})


class PracticeSource(models.TextChoices):
    VALIDATION = "validation", _("Validation")
    PROFILE = "profile", _("Security profile")
    MEMBER = "member", _("Submitted by a member")


class SizeBand(models.TextChoices):
    """Company size by employee count (the partner's employee_count when the practice was drawn)."""

    MICRO = "micro", _("1–9 employees")
    SMALL = "small", _("10–49 employees")
    MEDIUM = "medium", _("50–249 employees")
    LARGE = "large", _("250–999 employees")
    VERY_LARGE = "very_large", _("1,000 or more employees")
    UNKNOWN = "unknown", _("Size not stated")


SIZE_LIMITS: list[tuple[int, str]] = [
    (9, SizeBand.MICRO),
    (49, SizeBand.SMALL),
    (249, SizeBand.MEDIUM),
    (999, SizeBand.LARGE),
]


def size_band(employee_count: int | None) -> str:
    if not employee_count:
        return SizeBand.UNKNOWN
    for limit, band in SIZE_LIMITS:
        if employee_count <= limit:
            return band
    return SizeBand.VERY_LARGE


# NAICS 2017/2022 sectors (two-digit codes; manufacturing, retail and transportation span ranges).
NAICS_SECTORS: list[tuple[str, str]] = [
    (code, name)
    for code, name in json.loads((Path(__file__).parent / "data" / "naics_sectors.json").read_text())
]
NAICS_SECTOR_NAMES: dict[str, str] = dict(NAICS_SECTORS)
