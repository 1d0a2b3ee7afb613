"""What-if: a candidate rule set's decisions over the current population, next to the active one's."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.utils import timezone

from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner

from .inputs import build_inputs_bulk
from .rules import RuleSet, evaluate
from .rules.engine import compile_outcome

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
    """Evaluate both rule sets over every applicant and member, in keyset chunks with a fixed number of queries."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    report = SimulationReport(current.version, candidate.version, 0, 0)
    fast_current, fast_candidate = compile_outcome(current), compile_outcome(candidate)
    population = Partner.objects.filter(status__in=POPULATION).order_by("id")
    fields = (
        "id",
        "reference",
        "legal_name",
        "entity_type",
        "country",
        "eligibility",
        "business_start_date",
        "employee_count",
    )
    last_id = 0
    while limit is None or report.population < limit:
        # Keyset chunks (id > last): no growing IN lists; each chunk costs the same few queries.
        # Plain rows, not model instances: building 100,000 Partner objects costs more than the rules.
        chunk = [
            SimpleNamespace(pk=row["id"], **row)
            for row in population.filter(id__gt=last_id).values(*fields)[:CHUNK]
        ]
        if not chunk:
            break
        last_id = chunk[-1].pk
        inputs = build_inputs_bulk(chunk, today=today)
        for p in chunk:
            before, before_score = fast_current(inputs[p.pk])
            after, after_score = fast_candidate(inputs[p.pk])
            report.population += 1
            report.current_outcomes[before] += 1
            report.candidate_outcomes[after] += 1
            if before != after:
                report.changed += 1
                report.transitions[(before, after)] += 1
                if len(report.examples) < examples:
                    explained = evaluate(candidate, inputs[p.pk])
                    report.examples.append(
                        Example(
                            p.pk,
                            p.reference,
                            p.legal_name,
                            before,
                            after,
                            before_score,
                            after_score,
                            [r.message for r in explained.reasons],
                        )
                    )
    report.seconds = time.perf_counter() - started
    return report
