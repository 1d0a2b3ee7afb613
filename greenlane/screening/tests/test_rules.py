"""The pure rule engine (no database)."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from greenlane.screening.rules import INPUTS, RuleSetError, evaluate, parse_ruleset

DEFAULT = (Path(__file__).parents[1] / "rules" / "rulesets" / "2026.1.yaml").read_text()
GOOD = {
    "entity_type": "importer",
    "eligibility.all_met": True,
    "eligibility.failed_count": 0,
    "identifiers.complete": True,
    "business.years": 12,
    "business.employees": 80,
    "profile.submitted": True,
    "profile.must_total": 65,
    "profile.must_not_implemented_share": 0.0,
    "profile.must_gap_share": 0.02,
    "profile.not_applicable_share": 0.05,
    "compliance.penalties_5y": 0,
    "compliance.seizures_5y": 0,
    "compliance.liquidated_damages_5y": 0,
    "compliance.unpaid_debt": False,
    "compliance.unpaid_debt_amount": 0,
    "compliance.prior_suspension": False,
    "compliance.prior_removal": False,
    "compliance.watch_list_hit": False,
    "compliance.pending_matches": 0,
    "supply_chain.max_threat": 2,
    "supply_chain.high_threat_sites": 0,
    "supply_chain.countries": 2,
}


def test_the_bundled_rule_set_parses_and_uses_only_known_inputs():
    rs = parse_ruleset(DEFAULT)
    assert rs.version == "2026.1"
    assert rs.inputs_used <= set(INPUTS)
    assert len(rs.checksum) == 64


def test_a_clean_application_is_certified_with_no_reasons():
    result = evaluate(parse_ruleset(DEFAULT), GOOD)
    assert (result.outcome, result.score, result.reasons) == ("certified", 0, ())


def test_a_deny_hard_stop_wins_and_is_explained():
    result = evaluate(
        parse_ruleset(DEFAULT), {**GOOD, "compliance.unpaid_debt": True, "compliance.watch_list_hit": True}
    )
    assert result.outcome == "denied"
    assert [(r.code, r.input, r.value) for r in result.reasons] == [
        ("unpaid_debt", "compliance.unpaid_debt", True),
        ("watch_list", "compliance.watch_list_hit", True),
    ]


def test_indicators_add_up_to_refer_and_deny():
    rs = parse_ruleset(DEFAULT)
    referred = evaluate(rs, {**GOOD, "compliance.seizures_5y": 1, "business.years": 1})
    assert (referred.outcome, referred.score) == ("referred", 45)
    denied = evaluate(rs, {**referred_inputs(), "profile.must_not_implemented_share": 0.2})
    assert denied.outcome == "denied" and denied.score >= rs.deny_from


def referred_inputs():
    return {**GOOD, "compliance.seizures_5y": 1, "business.years": 1}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (
            "ruleset: x\nversion: '1'\nthresholds: {certify_below: 10, deny_from: 20}\nindicators:\n"
            "  - id: a\n    when: {input: nope.nothing, op: is_true}\n    weight: 5\n    reason: r\n",
            6,
            "unknown input",
        ),
        (
            "ruleset: x\nversion: '1'\nthresholds: {certify_below: 30, deny_from: 20}\nindicators: []\n",
            3,
            "thresholds",
        ),
        (
            "ruleset: x\nversion: '1'\nthresholds: {certify_below: 1, deny_from: 2}\nindicators:\n"
            "  - id: a\n    when: {input: business.years, op: is_true}\n    weight: 5\n    reason: r\n",
            6,
            "does not apply",
        ),
        (
            "ruleset: x\nversion: '1'\nthresholds: {certify_below: 1, deny_from: 2}\nindicators:\n"
            "  - id: a\n    when: {input: business.years, op: gt, value: 1}\n    weight: -5\n    reason: r\n",
            5,
            "weight",
        ),
        (
            "ruleset: x\nversion: '1'\nthresholds: {certify_below: 1, deny_from: 2}\nhard_stops:\n"
            "  - id: a\n    when: {input: compliance.unpaid_debt, op: is_true}\n    outcome: maybe\n    reason: r\n",
            5,
            "outcome",
        ),
        (
            "ruleset: x\nversion: '1'\nthresholds: {certify_below: 1, deny_from: 2}\nindicators:\n  - id: a\n   bad: [\n",
            6,
            "not valid YAML",
        ),
    ],
)
def test_bad_rule_sets_name_the_line(text, line, words):
    with pytest.raises(RuleSetError) as exc:
        parse_ruleset(text)
    assert f"line {line}" in str(exc.value)
    assert words in str(exc.value)


values = st.fixed_dictionaries(
    {
        "compliance.seizures_5y": st.integers(0, 5),
        "compliance.penalties_5y": st.integers(0, 5),
        "profile.must_not_implemented_share": st.floats(0, 1),
        "profile.must_gap_share": st.floats(0, 1),
        "business.years": st.floats(0, 80),
        "supply_chain.max_threat": st.integers(1, 5),
        "compliance.unpaid_debt": st.booleans(),
        "compliance.watch_list_hit": st.booleans(),
    }
)


@given(values)
def test_same_inputs_same_decision_and_score_matches_reasons(extra):
    rs = parse_ruleset(DEFAULT)
    inputs = {**GOOD, **extra}
    first, second = evaluate(rs, inputs), evaluate(rs, dict(inputs))
    assert first == second
    assert first.score == round(sum(r.weight for r in first.reasons if r.kind == "indicator"), 4)
    assert first.outcome in ("certified", "denied", "referred")


@given(values)
def test_the_fast_outcome_agrees_with_evaluate(extra):
    from greenlane.screening.rules.engine import compile_outcome

    rs = parse_ruleset(DEFAULT)
    inputs = {**GOOD, **extra}
    full = evaluate(rs, inputs)
    assert compile_outcome(rs)(inputs) == (full.outcome, full.score)
