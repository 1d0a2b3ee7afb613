import pytest
import yaml

from greenlane.targeting.engine import RulesetError, compile_ruleset, load_ruleset, parse_ruleset
from greenlane.targeting.engine.ruleset import DEFAULT_RULESET

BASE = DEFAULT_RULESET.read_text()


def variant(**changes) -> str:
    doc = yaml.safe_load(BASE)
    for key, value in changes.items():
        doc[key] = value
    return yaml.safe_dump(doc, sort_keys=False)


def refused(text: str) -> str:
    with pytest.raises(RulesetError) as exc:
        parse_ruleset(text, "test.yaml")
    return str(exc.value)


def test_default_ruleset_loads_and_compiles_at_every_level():
    rs = load_ruleset()
    assert rs.id == "greenlane-default" and rs.version == "2026.1"
    assert set(rs.threat_levels) >= {"normal", "elevated", "high"}
    for name, level in rs.threat_levels.items():
        c = compile_ruleset(rs, name)
        assert c.credits[1] <= 0.2 * c.red
        assert c.red == rs.red * level.threshold_factor


def test_tier1_credit_above_cap_is_refused_with_the_value():
    msg = refused(variant(tier_credit={1: 13, 2: 20, 3: 30}))
    assert "Tier 1 credit 13" in msg and "20%" in msg and "60" in msg


def test_tier1_credit_at_cap_is_accepted():
    parse_ruleset(variant(tier_credit={1: 12, 2: 12, 3: 12}))


def test_unknown_column_is_refused():
    doc = yaml.safe_load(BASE)
    doc["indicators"][0]["when"] = "synthetic_violation"
    assert "unknown column 'synthetic_violation'" in refused(yaml.safe_dump(doc))


@pytest.mark.parametrize("weight", [0, 1.5, "high", 1000, None, True])
def test_bad_weight_is_refused(weight):
    doc = yaml.safe_load(BASE)
    doc["indicators"][0]["weight"] = weight
    assert "weight must be a non-zero whole number" in refused(yaml.safe_dump(doc))


def test_threshold_order_is_refused():
    assert "need 0 < yellow < red" in refused(variant(thresholds={"yellow": 70, "red": 60}))


def test_yaml_error_is_refused():
    assert "YAML error" in refused("ruleset: [unclosed")


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("country_origin in NO_SUCH_LIST", "unknown list"),
        ("gross_weight_kg > 'heavy'", "cannot compare"),
        ("country_origin + 1 > 2", "arithmetic needs numbers"),
        ("__import__('os')", "unknown function"),
        ("gross_weight_kg", "not true/false"),
        ("1 < gross_weight_kg < 5", "chained"),
        ("mode ==", "syntax error"),
        ("arrival_date == 3", "date column"),
    ],
)
def test_bad_conditions_are_refused(condition, message):
    doc = yaml.safe_load(BASE)
    doc["indicators"][0]["when"] = condition
    assert message in refused(yaml.safe_dump(doc))


def test_every_problem_is_listed():
    doc = yaml.safe_load(BASE)
    doc["thresholds"] = {"yellow": 10, "red": 5}
    doc["indicators"][1]["weight"] = 0
    with pytest.raises(RulesetError) as exc:
        parse_ruleset(yaml.safe_dump(doc))
    assert len(exc.value.problems) >= 2


def test_duplicate_ids_and_member_rate_above_non_member():
    doc = yaml.safe_load(BASE)
    doc["indicators"][1]["id"] = doc["indicators"][0]["id"]
    doc["compliance_sample"] = {"member_rate": 0.05, "non_member_rate": 0.01}
    msg = refused(yaml.safe_dump(doc))
    assert "duplicate id" in msg and "member_rate 0.05" in msg


def test_unknown_threat_level_is_refused(ruleset):
    with pytest.raises(RulesetError, match="unknown threat level 'apocalyptic'"):
        compile_ruleset(ruleset, "apocalyptic")


def test_heightened_threat_tightens_and_scales_credit(ruleset):
    normal, high = compile_ruleset(ruleset, "normal"), compile_ruleset(ruleset, "high")
    assert high.red < normal.red and high.yellow < normal.yellow
    assert high.threat.green_min_tier == 3
    assert high.credits[1] <= 0.2 * high.red


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(RulesetError, match="cannot read"):
        load_ruleset(tmp_path / "nope.yaml")
