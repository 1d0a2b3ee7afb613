"""What-if: a candidate rule set's decisions over the current population, next to the active one's."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner

from .inputs import build_inputs_bulk
from .rules import RuleSet, evaluate

# Applicants and members: everyone a rule change could affect.
POPULATION = [
    PartnerStatus.SUBMITTED,
    PartnerStatus.UNDER_REVIEW,
    PartnerStatus.CERTIFIED,
    PartnerStatus.SUSPENDED,
]
CHUNK = 2000


@dataclass
class Example:
    partner_id: int
    reference: str
    name: str
    before: str
    after: str
    before_score: float
    after_score: float
    reasons: list[str]


@dataclass
class SimulationReport:
    current_version: str
    candidate_version: str
    population: int
    changed: int
    transitions: Counter = field(default_factory=Counter)  # (before, after) -> count
    current_outcomes: Counter = field(default_factory=Counter)
    candidate_outcomes: Counter = field(default_factory=Counter)
    examples: list[Example] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "current_version": self.current_version,
            "candidate_version": self.candidate_version,
            "population": self.population,
            "changed": self.changed,
            "seconds": round(self.seconds, 2),
            "current_outcomes": dict(self.current_outcomes),
            "candidate_outcomes": dict(self.candidate_outcomes),
            "transitions": [
                {"from": a, "to": b, "count": n} for (a, b), n in sorted(self.transitions.items())
            ],
            "examples": [e.__dict__ for e in self.examples],
        }


def simulate(
    current: RuleSet,
    candidate: RuleSet,
    *,
    today: dt.date | None = None,
    examples: int = 20,
    limit: int | None = None,
) -> SimulationReport:
    """Evaluate both rule sets over every applicant and member, in chunks with a fixed number of queries each."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    report = SimulationReport(current.version, candidate.version, 0, 0)
    ids = list(
        Partner.objects.filter(status__in=POPULATION).order_by("id").values_list("id", flat=True)[:limit]
    )
    for start in range(0, len(ids), CHUNK):
        chunk = list(
            Partner.objects.filter(id__in=ids[start : start + CHUNK]).only(
                "id",
                "reference",
                "legal_name",
                "entity_type",
                "country",
                "eligibility",
                "business_start_date",
                "employee_count",
            )
        )
        inputs = build_inputs_bulk(chunk, today=today)
        for p in chunk:
            before, after = evaluate(current, inputs[p.pk]), evaluate(candidate, inputs[p.pk])
            report.population += 1
            report.current_outcomes[before.outcome] += 1
            report.candidate_outcomes[after.outcome] += 1
            if before.outcome != after.outcome:
                report.changed += 1
                report.transitions[(before.outcome, after.outcome)] += 1
                if len(report.examples) < examples:
                    report.examples.append(
                        Example(
                            p.pk,
                            p.reference,
                            p.legal_name,
                            before.outcome,
                            after.outcome,
                            before.score,
                            after.score,
                            [r.message for r in after.reasons],
                        )
                    )
    report.seconds = time.perf_counter() - started
    return report
