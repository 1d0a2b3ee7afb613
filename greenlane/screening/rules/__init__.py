"""The screening rule engine: pure Python, no Django. Rule sets are YAML data; see engine.py."""

from .engine import Reason, Result, RuleSet, RuleSetError, evaluate, parse_ruleset
from .inputs import INPUTS, InputSpec

__all__ = ["INPUTS", "InputSpec", "Reason", "Result", "RuleSet", "RuleSetError", "evaluate", "parse_ruleset"]
