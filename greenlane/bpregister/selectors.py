"""Reads of a member's business-partner register. Only the member's own people see it: another company's
register, or staff, get NotFound (404). Program status is filled in at read time (SVI view, foreign lists)
and the risk recomputed, in a fixed number of queries per page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from greenlane.core.errors import NotFound
from greenlane.core.paging import Page, clamp
from greenlane.mra.selectors import ForeignStatus, foreign_status_lookup
from greenlane.partners.selectors import PartnerAccess, partner_for
from greenlane.screening.models import CountryThreat
from greenlane.svi.selectors import StatusView, status_view_for

from . import risk
from .models import Questionnaire, RegisterAudit, RegisterEntry
from .tokens import digest

DEFAULT_THREAT = 2


def register_access(user, partner_id, *, for_update: bool = False) -> PartnerAccess:
    """The member's own people only: staff and other companies get NotFound."""
    access = partner_for(user, partner_id, for_update=for_update)
    if access.is_staff:
        raise NotFound()
    return access


def entry_for(user, partner_id, entry_id, *, for_update: bool = False) -> tuple[PartnerAccess, RegisterEntry]:
    access = register_access(user, partner_id)
    try:
        pk = int(entry_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    qs = RegisterEntry.objects.filter(owner=access.partner, pk=pk)
    if for_update:
        qs = qs.select_for_update()
    entry = qs.first()
    if entry is None:
        raise NotFound()
    return access, entry


@dataclass(frozen=True)
class EntryView:
    entry: RegisterEntry
    member: StatusView | None  # C-TPAT status as the SVI lets this member see it
    foreign: ForeignStatus | None  # foreign program status under an MRA
    latest_audit: RegisterAudit | None
    questionnaire: Questionnaire | None  # the latest answered one
    rating: risk.RiskResult
    overdue_days: int

    @property
    def program_label(self) -> str:
        if self.member is not None and self.member.status in ("certified", "suspended", "removed"):
            return "C-TPAT"
        if self.foreign is not None:
            return self.foreign.program_name
        return ""


def _facts(
    entry: RegisterEntry,
    member: StatusView | None,
    foreign: ForeignStatus | None,
    audit: RegisterAudit | None,
    questionnaire: Questionnaire | None,
    threat: int,
    today: dt.date,
) -> risk.RiskInputs:
    gaps = 0
    if questionnaire is not None:
        gaps = sum(
            1 for a in questionnaire.answers.values() if isinstance(a, dict) and a.get("answer") == "no"
        )
    return risk.RiskInputs(
        country=entry.country,
        country_threat=threat,
        ctpat_status=member.status if member is not None else "",
        foreign_status=foreign.status if foreign is not None else "",
        foreign_program=foreign.program_name if foreign is not None else "",
        questionnaire_answered=questionnaire is not None,
        questionnaire_gaps=gaps,
        latest_audit=audit.result if audit is not None else "",
        overdue_days=max(0, (today - entry.next_review_due).days),
    )


def views_for(
    owner_id: int, entries: Sequence[RegisterEntry], today: dt.date | None = None
) -> list[EntryView]:
    """Program status, latest audit and questionnaire, and risk for many entries: six queries at most."""
    today = today or timezone.localdate()
    if not entries:
        return []
    ids = [e.pk for e in entries]
    linked = {e.linked_partner_id for e in entries if e.linked_partner_id}
    members = status_view_for(owner_id, linked) if linked else {}
    pairs = [(e.id_type, e.id_value) for e in entries if e.id_value and not e.linked_partner_id]
    foreign = foreign_status_lookup(pairs) if pairs else {}
    audits: dict[int, RegisterAudit] = {}
    for a in RegisterAudit.objects.filter(entry_id__in=ids).order_by("entry_id", "-date", "-id"):
        audits.setdefault(a.entry_id, a)
    answered: dict[int, Questionnaire] = {}
    for q in Questionnaire.objects.filter(entry_id__in=ids, answered_at__isnull=False).order_by(
        "entry_id", "-answered_at", "-id"
    ):
        answered.setdefault(q.entry_id, q)
    countries = {e.country for e in entries}
    threats = dict(CountryThreat.objects.filter(country__in=countries).values_list("country", "level"))
    out = []
    for e in entries:
        member = members.get(e.linked_partner_id) if e.linked_partner_id else None
        fstatus = foreign.get((e.id_type, e.id_value)) if e.id_value else None
        audit, questionnaire = audits.get(e.pk), answered.get(e.pk)
        facts = _facts(
            e, member, fstatus, audit, questionnaire, threats.get(e.country, DEFAULT_THREAT), today
        )
        out.append(
            EntryView(
                entry=e,
                member=member,
                foreign=fstatus,
                latest_audit=audit,
                questionnaire=questionnaire,
                rating=risk.rate(facts),
                overdue_days=facts.overdue_days,
            )
        )
    return out


@dataclass(frozen=True)
class EntryFilter:
    q: str = ""
    partner_type: str = ""
    overdue: bool = False
    risk_level: str = ""


def entries(
    user,
    partner_id,
    criteria: EntryFilter,
    *,
    limit: int | None,
    offset: int | None,
    today: dt.date | None = None,
) -> Page:
    """One page of the register (items are EntryView). With a risk filter the whole register is rated (a
    member's register is hundreds, not millions, of rows)."""
    access = register_access(user, partner_id)
    today = today or timezone.localdate()
    qs: QuerySet[RegisterEntry] = RegisterEntry.objects.filter(owner=access.partner)
    q = criteria.q.strip()
    if q:
        qs = qs.filter(Q(search_name__contains=q.casefold()) | Q(id_value__iexact=q.replace(" ", "")))
    if criteria.partner_type:
        qs = qs.filter(partner_type=criteria.partner_type)
    if criteria.overdue:
        qs = qs.filter(next_review_due__lt=today)
    qs = qs.order_by("search_name", "id")
    limit, offset = clamp(limit, offset)
    if criteria.risk_level:
        rated = [
            v for v in views_for(access.partner.pk, list(qs), today) if v.rating.level == criteria.risk_level
        ]
        return Page(items=rated[offset : offset + limit], count=len(rated), limit=limit, offset=offset)
    count = qs.count()
    items = views_for(access.partner.pk, list(qs[offset : offset + limit]), today)
    return Page(items=items, count=count, limit=limit, offset=offset)


def entry_view(user, partner_id, entry_id) -> EntryView:
    access, entry = entry_for(user, partner_id, entry_id)
    return views_for(access.partner.pk, [entry])[0]


def overdue(user, partner_id, *, today: dt.date | None = None) -> list[RegisterEntry]:
    access = register_access(user, partner_id)
    today = today or timezone.localdate()
    return list(
        RegisterEntry.objects.filter(owner=access.partner, next_review_due__lt=today).order_by(
            "next_review_due"
        )
    )


def due_soon(user, partner_id, *, days: int = 60, today: dt.date | None = None) -> list[RegisterEntry]:
    access = register_access(user, partner_id)
    today = today or timezone.localdate()
    return list(
        RegisterEntry.objects.filter(
            owner=access.partner,
            next_review_due__gte=today,
            next_review_due__lte=today + dt.timedelta(days=days),
        ).order_by("next_review_due")
    )


def audits(entry: RegisterEntry) -> list[RegisterAudit]:
    return list(entry.audits.select_related("recorded_by"))


def reevaluations(entry: RegisterEntry) -> list:
    return list(entry.reevaluations.select_related("evaluated_by"))


def questionnaires(entry: RegisterEntry) -> list[Questionnaire]:
    return list(entry.questionnaires.select_related("sent_by"))


def questionnaire_for_token(token: str) -> Questionnaire | None:
    """The questionnaire a login-free link opens (None when the token is unknown)."""
    if not token or len(token) > 100:
        return None
    return (
        Questionnaire.objects.select_related("entry", "entry__owner")
        .filter(token_sha256=digest(token))
        .first()
    )
