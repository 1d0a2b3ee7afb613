"""Versioned rule sets: YAML in ``rulesets/``, loaded and checked before any scoring."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from typing_extensions import TypeIs

from .expr import Compiled, ExpressionError, compile_condition

RULESET_DIR = Path(__file__).with_name("rulesets")
DEFAULT_RULESET = RULESET_DIR / "default.yaml"
TIER1_CAP = 0.20  # 6 U.S.C. 964(a): Tier 1 credit at most 20% of the high-risk threshold
MAX_RULES = 60  # reasons are kept in a 63-bit mask
MAX_WEIGHT = 100
_ID = re.compile(r"[a-z][a-z0-9_]{0,47}")
_LIST = re.compile(r"[A-Z][A-Z0-9_]*")
_TOP_KEYS = {
    "ruleset", "version", "description", "thresholds", "tier_credit", "credit_statuses",
    "compliance_sample", "threat_levels", "lists", "force_red", "indicators",
}  # fmt: skip


class RulesetError(ValueError):
    """A rule set that cannot be compiled; ``problems`` lists every reason found."""

    def __init__(self, problems: list[str], source: str = ""):
        self.problems = problems
        self.source = source
        where = f" ({source})" if source else ""
        super().__init__(f"rule set refused{where}: " + "; ".join(problems))


@dataclass(frozen=True)
class Rule:
    """A weighted indicator (or a force-red condition, weight 0)."""

    id: str
    weight: int
    when: str
    reason: str
    compiled: Compiled = field(repr=False, compare=False)


@dataclass(frozen=True)
class ThreatLevel:
    name: str
    threshold_factor: float
    green_min_tier: int
    description: str = ""


@dataclass(frozen=True)
class Ruleset:
    id: str
    version: str
    description: str
    checksum: str
    yellow: float
    red: float
    tier_credit: Mapping[int, int]
    credit_statuses: frozenset[str]
    member_sample_rate: float
    non_member_sample_rate: float
    sample_salt: str
    threat_levels: Mapping[str, ThreatLevel]
    lists: Mapping[str, frozenset[Any]]
    force_red: tuple[Rule, ...]
    indicators: tuple[Rule, ...]
    source: str = ""

    @property
    def label(self) -> str:
        return f"{self.id}@{self.version}"


def _number(value: Any) -> TypeIs[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def effective_credits(credit: Mapping[int, int], factor: float) -> dict[int, int]:
    """Credits scale with the threat factor (rounded down) so the legal cap holds at every level."""
    return {0: 0, **{t: math.floor(c * factor) for t, c in credit.items()}}


def parse_ruleset(text: str, source: str = "<string>") -> Ruleset:
    """Parse and check a rule set; raise :class:`RulesetError` naming every problem."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesetError([f"YAML error: {exc}"], source) from None
    if not isinstance(doc, dict):
        raise RulesetError(["the rule set must be a YAML mapping"], source)
    problems: list[str] = []
    unknown = set(doc) - _TOP_KEYS
    if unknown:
        problems.append(f"unknown keys: {', '.join(sorted(map(str, unknown)))}")
    rid, version = doc.get("ruleset"), doc.get("version")
    if not isinstance(rid, str) or not rid:
        problems.append("'ruleset' (an id) is required")
    if not isinstance(version, (str, int, float)) or isinstance(version, bool) or str(version) == "":
        problems.append("'version' is required")

    th = doc.get("thresholds") or {}
    yellow, red = th.get("yellow"), th.get("red")
    if not (_number(yellow) and _number(red)):
        problems.append("thresholds: 'yellow' and 'red' must be numbers")
        yellow, red = 1.0, 2.0
    elif not 0 < yellow < red:
        problems.append(f"thresholds: need 0 < yellow < red, got yellow={yellow}, red={red}")

    raw_credit = doc.get("tier_credit") or {}
    credit: dict[int, int] = {}
    for tier in (1, 2, 3):
        c = raw_credit.get(tier, raw_credit.get(str(tier)))
        if not isinstance(c, int) or isinstance(c, bool) or c < 0:
            problems.append(f"tier_credit: tier {tier} needs a whole number of points >= 0, got {c!r}")
            c = 0
        credit[tier] = c
    if not credit[1] <= credit[2] <= credit[3]:
        problems.append(f"tier_credit: credits must not decrease with the tier, got {credit}")
    if credit[1] > TIER1_CAP * red:
        problems.append(
            f"tier_credit: the Tier 1 credit {credit[1]} exceeds 20% of the red (high-risk) threshold "
            f"{red} (at most {math.floor(TIER1_CAP * red)})"
        )
    statuses = doc.get("credit_statuses", ["certified"])
    if not isinstance(statuses, list) or not all(isinstance(s, str) for s in statuses):
        problems.append("credit_statuses: a list of partner statuses that earn credit")
        statuses = []

    cs = doc.get("compliance_sample") or {}
    m_rate, n_rate = cs.get("member_rate"), cs.get("non_member_rate")
    if not (_number(m_rate) and _number(n_rate) and 0 <= m_rate <= 1 and 0 <= n_rate <= 1):
        problems.append("compliance_sample: member_rate and non_member_rate must be between 0 and 1")
        m_rate, n_rate = 0.0, 0.0
    elif m_rate > n_rate:
        problems.append(f"compliance_sample: member_rate {m_rate} must not exceed non_member_rate {n_rate}")
    salt = str(cs.get("salt", version))

    levels: dict[str, ThreatLevel] = {}
    for name, spec in (doc.get("threat_levels") or {"normal": {}}).items():
        spec = spec or {}
        f, g = spec.get("threshold_factor", 1.0), spec.get("green_min_tier", 0)
        if not (_number(f) and 0 < f <= 1):
            problems.append(f"threat_levels.{name}: threshold_factor must be in (0, 1], got {f!r}")
            continue
        if g not in (0, 1, 2, 3, 4):
            problems.append(f"threat_levels.{name}: green_min_tier must be 0-4 (4 closes green), got {g!r}")
            continue
        eff = effective_credits(credit, f)
        if eff[1] > TIER1_CAP * red * f:
            problems.append(
                f"threat_levels.{name}: the Tier 1 credit {eff[1]} exceeds 20% of the red threshold {red * f}"
            )
        levels[str(name)] = ThreatLevel(str(name), float(f), int(g), str(spec.get("description", "")))
    if "normal" not in levels and not any(p.startswith("threat_levels.normal") for p in problems):
        problems.append("threat_levels: a 'normal' level is required")

    lists: dict[str, frozenset[Any]] = {}
    for name, values in (doc.get("lists") or {}).items():
        if not isinstance(name, str) or not _LIST.fullmatch(name):
            problems.append(f"lists: name {name!r} must be UPPER_CASE")
            continue
        ok_values = isinstance(values, list) and all(isinstance(v, str) or (_number(v)) for v in values)
        kinds = {isinstance(v, str) for v in values} if isinstance(values, list) else set()
        if not ok_values or len(kinds) > 1:
            problems.append(f"lists.{name}: a list of strings or of numbers")
            continue
        lists[name] = frozenset(values)

    rules: dict[str, list[Rule]] = {"force_red": [], "indicators": []}
    seen: set[str] = set()
    for section in ("force_red", "indicators"):
        items = doc.get(section) or []
        if not isinstance(items, list):
            problems.append(f"{section}: must be a list")
            continue
        for i, item in enumerate(items):
            where = f"{section}[{i}]"
            if not isinstance(item, dict):
                problems.append(f"{where}: must be a mapping")
                continue
            extra = set(item) - {"id", "weight", "when", "reason"}
            if extra:
                problems.append(f"{where}: unknown keys {sorted(extra)}")
            rule_id = item.get("id")
            if not isinstance(rule_id, str) or not _ID.fullmatch(rule_id):
                problems.append(f"{where}: id {rule_id!r} must be snake_case")
                continue
            where = f"{section}.{rule_id}"
            if rule_id in seen:
                problems.append(f"{where}: duplicate id")
            seen.add(rule_id)
            weight = item.get("weight", 0 if section == "force_red" else None)
            if section == "indicators" and (
                not isinstance(weight, int)
                or isinstance(weight, bool)
                or weight == 0
                or abs(weight) > MAX_WEIGHT
            ):
                problems.append(
                    f"{where}: weight must be a non-zero whole number within ±{MAX_WEIGHT}, got {weight!r}"
                )
                continue
            if section == "force_red" and weight != 0:
                problems.append(f"{where}: force_red conditions carry no weight")
                continue
            reason = item.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                problems.append(f"{where}: a plain-language 'reason' is required")
            try:
                compiled = compile_condition(item.get("when"), lists)  # type: ignore[arg-type]
            except ExpressionError as exc:
                problems.append(f"{where}: {exc}")
                continue
            rules[section].append(Rule(rule_id, int(weight or 0), item["when"], str(reason or ""), compiled))
    if not rules["indicators"]:
        problems.append("indicators: at least one indicator is required")
    if len(seen) > MAX_RULES:
        problems.append(f"at most {MAX_RULES} indicators and force_red conditions, got {len(seen)}")
    if problems:
        raise RulesetError(problems, source)
    assert isinstance(yellow, (int, float)) and isinstance(red, (int, float))
    return Ruleset(
        id=str(rid),
        version=str(version),
        description=str(doc.get("description", "")),
        checksum=hashlib.sha256(text.encode()).hexdigest(),
        yellow=float(yellow),
        red=float(red),
        tier_credit=credit,
        credit_statuses=frozenset(statuses),
        member_sample_rate=float(m_rate),
        non_member_sample_rate=float(n_rate),
        sample_salt=salt,
        threat_levels=levels,
        lists=lists,
        force_red=tuple(rules["force_red"]),
        indicators=tuple(rules["indicators"]),
        source=source,
    )


def load_ruleset(path: str | Path | None = None) -> Ruleset:
    """Load a rule set file (the bundled default when ``path`` is None)."""
    p = Path(path) if path is not None else DEFAULT_RULESET
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesetError([f"cannot read rule set: {exc.strerror}"], str(p)) from None
    return parse_ruleset(text, str(p))
