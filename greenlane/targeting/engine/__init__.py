"""Green-lane targeting engine: shipment risk scoring with DuckDB. Pure Python; imports no Django.

Public API (see docs/targeting.md):

- :func:`load_ruleset`, :func:`parse_ruleset`, :class:`RulesetError` — versioned YAML rule sets, checked;
- :func:`compile_ruleset` -> :class:`CompiledRuleset` — one DuckDB query and an in-process scorer;
- :func:`score_file`, :func:`score_table` — batch scoring (Parquet/CSV/Arrow -> Parquet, rejects);
- :meth:`CompiledRuleset.score_rows` with a :class:`Snapshot` — one shipment or a small batch in process;
- :mod:`.synthetic`, :mod:`.feedback`, :mod:`.baselines` — synthetic data, exam measures, baselines.
"""

from .compiler import LANES, SCORE_COLUMNS, CompiledRuleset, Reason, ShipmentScore, compile_ruleset
from .ruleset import DEFAULT_RULESET, Rule, Ruleset, RulesetError, ThreatLevel, load_ruleset, parse_ruleset
from .schema import COLUMNS, DERIVED, Column
from .scoring import (
    EngineSettings,
    InputError,
    ReconciliationError,
    ScoreSummary,
    arrow_schema,
    score_file,
    score_table,
)
from .snapshot import SNAPSHOT_SCHEMA, Snapshot

__all__ = [
    "COLUMNS",
    "DEFAULT_RULESET",
    "DERIVED",
    "LANES",
    "SCORE_COLUMNS",
    "SNAPSHOT_SCHEMA",
    "Column",
    "CompiledRuleset",
    "EngineSettings",
    "InputError",
    "Reason",
    "ReconciliationError",
    "Rule",
    "Ruleset",
    "RulesetError",
    "ScoreSummary",
    "ShipmentScore",
    "Snapshot",
    "ThreatLevel",
    "arrow_schema",
    "compile_ruleset",
    "load_ruleset",
    "parse_ruleset",
    "score_file",
    "score_table",
]
