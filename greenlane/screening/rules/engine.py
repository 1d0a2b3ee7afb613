"""Rule sets as data; decisions as a pure function of (rule set, inputs).

A rule set (YAML) has thresholds, hard stops and weighted indicators:

    ruleset: greenlane-screening
    version: "2026.1"
    thresholds: {certify_below: 30, deny_from: 70}
    hard_stops:
      - {id: unpaid_debt, when: {input: compliance.unpaid_debt, op: is_true}, outcome: deny,
         reason: "The company owes an unpaid final debt to customs."}
    indicators:
      - {id: weak_profile, when: {input: profile.must_gap_share, op: gt, value: 0.1}, weight: 25,
         reason: "More than 10% of Must criteria have gaps."}

Decision: any hard stop with outcome deny → denied; else any with outcome refer → referred; else the score
(sum of the weights of the indicators that fire) below `certify_below` → certified, at or above
`deny_from` → denied, in between → referred. The same rule set and inputs always give the same result.
"""

from __future__ import annotations

import hashlib
import math
import operator
from dataclasses import dataclass
from typing import Any

import yaml

from .inputs import INPUTS

OPS: dict[str, tuple[str, ...]] = {
    "is_true": ("bool",),
    "is_false": ("bool",),
    "eq": ("bool", "number", "string"),
    "ne": ("bool", "number", "string"),
    "gt": ("number",),
    "gte": ("number",),
    "lt": ("number",),
    "lte": ("number",),
    "in": ("string",),
    "not_in": ("string",),
}
OUTCOMES = ("certified", "denied", "referred")


class RuleSetError(ValueError):
    """The rule set cannot be used; the message names the line and the field at fault."""


@dataclass(frozen=True)
class Condition:
    input: str
    op: str
    value: Any = None

    def test(self, inputs: dict[str, Any]) -> bool:
        v = inputs.get(self.input)
        if v is None:
            return False
        op = self.op
        if op == "is_true":
            return v is True
        if op == "is_false":
            return v is False
        if op == "eq":
            return v == self.value
        if op == "ne":
            return v != self.value
        if op == "gt":
            return v > self.value
        if op == "gte":
            return v >= self.value
        if op == "lt":
            return v < self.value
        if op == "lte":
            return v <= self.value
        if op == "in":
            return v in self.value
        return v not in self.value  # not_in


@dataclass(frozen=True)
class Rule:
    id: str
    when: Condition
    reason: str
    weight: float = 0.0
    outcome: str = ""  # hard stops only: "deny" or "refer"
    line: int = 0


@dataclass(frozen=True)
class RuleSet:
    name: str
    version: str
    description: str
    certify_below: float
    deny_from: float
    hard_stops: tuple[Rule, ...]
    indicators: tuple[Rule, ...]
    checksum: str

    @property
    def inputs_used(self) -> frozenset[str]:
        return frozenset(r.when.input for r in (*self.hard_stops, *self.indicators))


@dataclass(frozen=True)
class Reason:
    code: str
    kind: str  # "hard_stop" or "indicator"
    message: str
    input: str
    value: Any
    weight: float = 0.0
    outcome: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": self.kind,
            "message": self.message,
            "input": self.input,
            "value": self.value,
            "weight": self.weight,
            "outcome": self.outcome,
        }


@dataclass(frozen=True)
class Result:
    outcome: str
    score: float
    reasons: tuple[Reason, ...]
    ruleset_version: str
    ruleset_checksum: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "score": self.score,
            "reasons": [r.as_dict() for r in self.reasons],
            "ruleset_version": self.ruleset_version,
            "ruleset_checksum": self.ruleset_checksum,
        }


class _LineLoader(yaml.SafeLoader):
    """Records each mapping's line (1-based) under the key '__line__'."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _fail(line: int | None, message: str) -> RuleSetError:
    return RuleSetError(f"line {line}: {message}" if line else message)


def _number(value: Any, line: int, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(line, f"{what} must be a number, not {value!r}")
    return float(value)


def _condition(raw: Any, line: int, rule_id: str) -> Condition:
    if not isinstance(raw, dict):
        raise _fail(line, f"rule '{rule_id}': 'when' must be a mapping with input, op and (usually) value")
    cline = raw.get("__line__", line)
    unknown = sorted(set(raw) - {"input", "op", "value", "__line__"})
    if unknown:
        raise _fail(cline, f"rule '{rule_id}': unknown key(s) in 'when': {', '.join(unknown)}")
    name, op = raw.get("input"), raw.get("op")
    if name not in INPUTS:
        known = ", ".join(sorted(INPUTS))
        raise _fail(cline, f"rule '{rule_id}' refers to unknown input '{name}'. Known inputs: {known}")
    if op not in OPS:
        raise _fail(cline, f"rule '{rule_id}': unknown op '{op}'. Use one of: {', '.join(OPS)}")
    kind = INPUTS[name].type
    if kind not in OPS[op]:
        raise _fail(cline, f"rule '{rule_id}': op '{op}' does not apply to {kind} input '{name}'")
    value = raw.get("value")
    if op in ("is_true", "is_false"):
        if "value" in raw:
            raise _fail(cline, f"rule '{rule_id}': op '{op}' takes no value")
    elif op in ("in", "not_in"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _fail(cline, f"rule '{rule_id}': op '{op}' needs a list of strings as value")
        value = tuple(value)
    elif kind == "number":
        value = _number(value, cline, f"rule '{rule_id}': value")
    elif kind == "bool" and not isinstance(value, bool):
        raise _fail(cline, f"rule '{rule_id}': value must be true or false")
    elif kind == "string" and not isinstance(value, str):
        raise _fail(cline, f"rule '{rule_id}': value must be text")
    return Condition(name, op, value)


def _rules(raw: Any, line: int, section: str, seen: set[str]) -> tuple[Rule, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _fail(line, f"'{section}' must be a list")
    out = []
    for item in raw:
        if not isinstance(item, dict):
            raise _fail(line, f"each entry of '{section}' must be a mapping")
        rline = item.get("__line__", line)
        allowed = {"id", "when", "reason", "__line__", "weight" if section == "indicators" else "outcome"}
        unknown = sorted(set(item) - allowed)
        if unknown:
            raise _fail(rline, f"unknown key(s) in {section} entry: {', '.join(unknown)}")
        rule_id = item.get("id")
        if not isinstance(rule_id, str) or not rule_id.strip():
            raise _fail(rline, f"every entry of '{section}' needs an id")
        if rule_id in seen:
            raise _fail(rline, f"duplicate rule id '{rule_id}'")
        seen.add(rule_id)
        reason = item.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise _fail(rline, f"rule '{rule_id}' needs a reason (the sentence shown to people)")
        when = _condition(item.get("when"), rline, rule_id)
        if section == "indicators":
            weight = _number(item.get("weight"), rline, f"rule '{rule_id}': weight")
            if weight <= 0 or weight > 1000:
                raise _fail(rline, f"rule '{rule_id}': weight must be above 0 and at most 1000")
            out.append(Rule(rule_id, when, reason.strip(), weight=weight, line=rline))
        else:
            outcome = item.get("outcome")
            if outcome not in ("deny", "refer"):
                raise _fail(rline, f"rule '{rule_id}': outcome must be deny or refer")
            out.append(Rule(rule_id, when, reason.strip(), outcome=outcome, line=rline))
    return tuple(out)


def parse_ruleset(text: str) -> RuleSet:
    """Parse and validate; any problem raises RuleSetError naming the line at fault."""
    try:
        raw = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise _fail(mark.line + 1 if mark else None, f"not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise RuleSetError(f"not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise RuleSetError(
            "a rule set is a YAML mapping with ruleset, version, thresholds, hard_stops, indicators"
        )
    unknown = sorted(
        set(raw) - {"ruleset", "version", "description", "thresholds", "hard_stops", "indicators", "__line__"}
    )
    if unknown:
        raise _fail(1, f"unknown top-level key(s): {', '.join(unknown)}")
    for key in ("ruleset", "version"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise _fail(1, f"'{key}' is required and must be text (quote versions: \"2026.1\")")
    thresholds = raw.get("thresholds")
    if not isinstance(thresholds, dict):
        raise _fail(1, "'thresholds' with certify_below and deny_from is required")
    tline = thresholds.get("__line__", 1)
    certify_below = _number(thresholds.get("certify_below"), tline, "thresholds.certify_below")
    deny_from = _number(thresholds.get("deny_from"), tline, "thresholds.deny_from")
    if not 0 <= certify_below <= deny_from:
        raise _fail(tline, "thresholds must satisfy 0 <= certify_below <= deny_from")
    seen: set[str] = set()
    hard = _rules(raw.get("hard_stops"), 1, "hard_stops", seen)
    indicators = _rules(raw.get("indicators"), 1, "indicators", seen)
    if not hard and not indicators:
        raise _fail(1, "a rule set needs at least one hard stop or indicator")
    return RuleSet(
        name=raw["ruleset"].strip(),
        version=raw["version"].strip(),
        description=str(raw.get("description") or ""),
        certify_below=certify_below,
        deny_from=deny_from,
        hard_stops=hard,
        indicators=indicators,
        checksum=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


_OPERATORS: dict[str, Any] = {
    "is_true": lambda v, _x: v is True,
    "is_false": lambda v, _x: v is False,
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "in": lambda v, x: v in x,
    "not_in": lambda v, x: v not in x,
}


def compile_outcome(ruleset: RuleSet):
    """A fast function inputs -> (outcome, score) with the same logic as evaluate(), without reasons.

    For simulations over a whole population; evaluate() remains the one that explains a decision.
    """
    stops = [
        (r.when.input, _OPERATORS[r.when.op], r.when.value, r.outcome == "deny") for r in ruleset.hard_stops
    ]
    weights = [(r.when.input, _OPERATORS[r.when.op], r.when.value, r.weight) for r in ruleset.indicators]
    certify_below, deny_from = ruleset.certify_below, ruleset.deny_from

    def outcome(inputs: dict[str, Any]) -> tuple[str, float]:
        get = inputs.get
        refer = False
        for name, op, value, deny in stops:
            v = get(name)
            if v is not None and op(v, value):
                if deny:
                    return "denied", _score(inputs)
                refer = True
        score = _score(inputs)
        if refer:
            return "referred", score
        if score < certify_below:
            return "certified", score
        return ("denied" if score >= deny_from else "referred"), score

    def _score(inputs: dict[str, Any]) -> float:
        get = inputs.get
        total = 0.0
        for name, op, value, weight in weights:
            v = get(name)
            if v is not None and op(v, value):
                total += weight
        return round(total, 4)

    return outcome


def evaluate(ruleset: RuleSet, inputs: dict[str, Any]) -> Result:
    """The decision for these inputs. Missing inputs never fire a rule."""
    reasons: list[Reason] = []
    stops = [r for r in ruleset.hard_stops if r.when.test(inputs)]
    for r in stops:
        reasons.append(
            Reason(r.id, "hard_stop", r.reason, r.when.input, inputs.get(r.when.input), 0.0, r.outcome)
        )
    fired = [r for r in ruleset.indicators if r.when.test(inputs)]
    for r in fired:
        reasons.append(Reason(r.id, "indicator", r.reason, r.when.input, inputs.get(r.when.input), r.weight))
    score = round(sum(r.weight for r in fired), 4)
    if any(r.outcome == "deny" for r in stops):
        outcome = "denied"
    elif stops:
        outcome = "referred"
    elif score < ruleset.certify_below:
        outcome = "certified"
    elif score >= ruleset.deny_from:
        outcome = "denied"
    else:
        outcome = "referred"
    return Result(outcome, score, tuple(reasons), ruleset.version, ruleset.checksum)
