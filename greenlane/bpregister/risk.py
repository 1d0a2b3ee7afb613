"""Business-partner risk rating: a pure function (no Django). Facts in, a level, a score and reasons out.

The score starts at BASE and each fact adds or removes points; reasons list every fact that counted, with its
points, so a member sees why. Levels: HIGH at 60 or more, MEDIUM at 35 or more, LOW below.
"""

from __future__ import annotations

from dataclasses import dataclass, field

VERSION = "2026.1"
BASE = 20
HIGH_AT = 60
MEDIUM_AT = 35

THREAT_POINTS = {5: 40, 4: 30, 3: 15}
CTPAT_CERTIFIED = -20
MRA_ACTIVE = -15
PROGRAM_LAPSED = 30  # suspended, removed, revoked, no longer listed
NO_PROGRAM = 10
NO_QUESTIONNAIRE = 15
GAP_POINTS = 8
GAP_CAP = 32
AUDIT_POINTS = {"failed": 35, "findings": 15, "passed": -10}
NO_AUDIT = 5
OVERDUE = 15


@dataclass(frozen=True)
class RiskInputs:
    country: str
    country_threat: int = 2  # 1 low .. 5 severe; unlisted countries are 2
    ctpat_status: str = (
        ""  # as the SVI shows it: certified, suspended, removed, withdrawn, not certified, ...
    )
    foreign_status: str = ""  # active, suspended, revoked, inactive, or "" when not listed
    foreign_program: str = ""
    questionnaire_answered: bool = False
    questionnaire_gaps: int = 0  # "no" answers
    latest_audit: str = ""  # passed, findings, failed, or "" when none
    overdue_days: int = 0


@dataclass(frozen=True)
class Reason:
    code: str
    points: int
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RiskResult:
    level: str
    score: int
    reasons: tuple[Reason, ...]
    version: str = VERSION

    def as_list(self) -> list[dict]:
        return [{"code": r.code, "points": r.points, "params": dict(r.params)} for r in self.reasons]


def level_for(score: int) -> str:
    if score >= HIGH_AT:
        return "high"
    if score >= MEDIUM_AT:
        return "medium"
    return "low"


def rate(facts: RiskInputs) -> RiskResult:
    reasons: list[Reason] = []
    threat = THREAT_POINTS.get(facts.country_threat, 0)
    if threat:
        reasons.append(
            Reason("country_threat", threat, {"country": facts.country, "level": facts.country_threat})
        )
    member = False
    if facts.ctpat_status == "certified":
        reasons.append(Reason("ctpat_certified", CTPAT_CERTIFIED))
        member = True
    elif facts.foreign_status == "active":
        reasons.append(Reason("mra_active", MRA_ACTIVE, {"program": facts.foreign_program}))
        member = True
    if facts.ctpat_status in ("suspended", "removed"):
        reasons.append(
            Reason("program_lapsed", PROGRAM_LAPSED, {"program": "C-TPAT", "status": facts.ctpat_status})
        )
    elif facts.foreign_status in ("suspended", "revoked", "inactive") and not member:
        reasons.append(
            Reason(
                "program_lapsed",
                PROGRAM_LAPSED,
                {"program": facts.foreign_program, "status": facts.foreign_status},
            )
        )
    elif not member:
        reasons.append(Reason("no_program", NO_PROGRAM))
    if not member:
        if not facts.questionnaire_answered:
            reasons.append(Reason("no_questionnaire", NO_QUESTIONNAIRE))
        elif facts.questionnaire_gaps:
            gaps = min(GAP_CAP, GAP_POINTS * facts.questionnaire_gaps)
            reasons.append(Reason("questionnaire_gaps", gaps, {"count": facts.questionnaire_gaps}))
    if facts.latest_audit in AUDIT_POINTS:
        reasons.append(Reason(f"audit_{facts.latest_audit}", AUDIT_POINTS[facts.latest_audit]))
    elif not member:
        reasons.append(Reason("no_audit", NO_AUDIT))
    if facts.overdue_days > 0:
        reasons.append(Reason("reevaluation_overdue", OVERDUE, {"days": facts.overdue_days}))
    score = max(0, min(100, BASE + sum(r.points for r in reasons)))
    return RiskResult(level=level_for(score), score=score, reasons=tuple(reasons))
