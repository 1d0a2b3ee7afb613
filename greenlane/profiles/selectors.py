"""Reads of security profiles for an actor (built on partners.selectors.partner_for: foreign is 404)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.utils import timezone

from greenlane.core.errors import NotFound
from greenlane.partners.selectors import PartnerAccess, partner_for

from .choices import GAP_STATUSES, AnswerStatus
from .models import ActionPlan, Answer, EvidenceDocument, EvidenceFile, ProfileSnapshot, SecurityProfile

EXPIRY_WARNING_DAYS = 30


def current_profile(partner) -> SecurityProfile | None:
    return (
        SecurityProfile.objects.select_related("catalog_version")
        .filter(partner=partner, is_current=True)
        .first()
    )


def answers(profile: SecurityProfile, *, category: int | None = None) -> list[Answer]:
    """Answers with criterion, category, evidence and action plan, in a fixed number of queries."""
    qs = (
        Answer.objects.filter(profile=profile)
        .select_related("criterion__category", "action_plan", "updated_by")
        .prefetch_related(Prefetch("evidence", queryset=EvidenceDocument.objects.order_by("title")))
        .order_by("criterion__category__number", "criterion__number")
    )
    if category is not None:
        qs = qs.filter(criterion__category__number=category)
    return list(qs)


def answer_for(profile: SecurityProfile, code: str) -> Answer:
    found = (
        Answer.objects.select_related("criterion__category", "action_plan")
        .filter(profile=profile, criterion__code=code)
        .first()
    )
    if found is None:
        raise NotFound(
            f"Criterion {code} is not part of this profile (it does not apply to this entity type)."
        )
    return found


@dataclass
class Tally:
    total: int = 0
    answered: int = 0
    must_total: int = 0
    must_answered: int = 0
    flagged: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100


@dataclass
class Completeness:
    overall: Tally
    by_category: dict[int, Tally] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)

    @property
    def musts_complete(self) -> bool:
        return self.overall.must_answered == self.overall.must_total


def completeness(profile: SecurityProfile) -> Completeness:
    """One aggregate query: answered and total per category and level."""
    rows = (
        Answer.objects.filter(profile=profile)
        .values(
            "criterion__category__number", "criterion__category__name", "criterion__level", "status", "flag"
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    overall = Tally()
    by_cat: dict[int, Tally] = defaultdict(Tally)
    names: dict[int, str] = {}
    for r in rows:
        cat = r["criterion__category__number"]
        names[cat] = r["criterion__category__name"]
        answered = bool(r["status"]) and not r["flag"]
        for t in (overall, by_cat[cat]):
            t.total += r["n"]
            t.answered += r["n"] if answered else 0
            t.flagged += r["n"] if r["flag"] else 0
            if r["criterion__level"] == "must":
                t.must_total += r["n"]
                t.must_answered += r["n"] if answered else 0
    return Completeness(overall, dict(sorted(by_cat.items())), names)


@dataclass(frozen=True)
class Problem:
    code: str
    title: str
    message: str


def submission_problems(profile: SecurityProfile) -> list[Problem]:
    """Every reason the profile cannot be submitted yet, one per criterion."""
    problems: list[Problem] = []
    for a in answers(profile):
        c = a.criterion
        if a.flag and c.level == "must":
            problems.append(
                Problem(c.code, c.title, "the criterion changed or is new: review and save the answer")
            )
        elif not a.status and c.level == "must":
            problems.append(Problem(c.code, c.title, "a Must criterion is not answered"))
        elif a.status == AnswerStatus.NOT_APPLICABLE and not a.justification.strip():
            problems.append(Problem(c.code, c.title, "'not applicable' needs a justification"))
        elif a.status in GAP_STATUSES and not _has_plan(a):
            problems.append(Problem(c.code, c.title, "a gap needs an action plan (owner, due date, steps)"))
    return problems


def _has_plan(answer: Answer) -> bool:
    try:
        return answer.action_plan is not None
    except ActionPlan.DoesNotExist:
        return False


def evidence_list(access: PartnerAccess) -> list[EvidenceDocument]:
    return list(
        EvidenceDocument.objects.filter(partner=access.partner)
        .prefetch_related(Prefetch("files", queryset=EvidenceFile.objects.order_by("-version")))
        .annotate(answer_count=Count("answers", distinct=True))
        .order_by("title", "id")
    )


def evidence_status(doc: EvidenceDocument, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if doc.expiry_date and doc.expiry_date < today:
        return "expired"
    if doc.expiry_date and (doc.expiry_date - today).days <= EXPIRY_WARNING_DAYS:
        return "expiring"
    if doc.effective_date and doc.effective_date > today:
        return "not_yet_effective"
    return "valid"


def evidence_file_for(user, partner_id, file_id) -> EvidenceFile:
    access = partner_for(user, partner_id)
    found = (
        EvidenceFile.objects.select_related("document")
        .filter(pk=file_id, document__partner=access.partner)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def snapshots(profile: SecurityProfile) -> list[ProfileSnapshot]:
    return list(
        ProfileSnapshot.objects.filter(profile__partner=profile.partner)
        .select_related("submitted_by", "catalog_version")
        .order_by("-submitted_at")
    )


def snapshot_for(access: PartnerAccess, snapshot_id) -> ProfileSnapshot:
    found = (
        ProfileSnapshot.objects.select_related("submitted_by", "catalog_version")
        .filter(pk=snapshot_id, profile__partner=access.partner)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class AnswerChange:
    code: str
    title: str
    field: str
    before: object
    after: object


def diff_snapshots(old: dict, new: dict) -> list[AnswerChange]:
    """What changed between two snapshot payloads, per criterion and field."""
    before = {a["code"]: a for a in old.get("answers", [])}
    after = {a["code"]: a for a in new.get("answers", [])}
    changes: list[AnswerChange] = []
    for code in sorted(set(before) | set(after), key=lambda c: tuple(int(x) for x in c.split("."))):
        b, a = before.get(code), after.get(code)
        title = (a or b or {}).get("title", "")
        if b is None or a is None:
            changes.append(
                AnswerChange(
                    code,
                    title,
                    "criterion",
                    "absent" if b is None else "present",
                    "absent" if a is None else "present",
                )
            )
            continue
        for key in ("status", "narrative", "justification", "evidence", "action_plan"):
            if b.get(key) != a.get(key):
                changes.append(AnswerChange(code, title, key, b.get(key), a.get(key)))
    return changes
