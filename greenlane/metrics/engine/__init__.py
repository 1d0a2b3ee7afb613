"""Performance measures engine: measures as code computed by DuckDB over Parquet (pure; no Django).

- :mod:`.registry` — the declarative measures (:data:`MEASURES`);
- :mod:`.sources` — the tables a run reads and the measure sources over them;
- :mod:`.compute` — periods, :func:`compute` (every measure for a period) and :func:`drilldown`;
- :mod:`.benefits` — a member's benefits statement against matched non-members;
- :mod:`.fast` — the FAST lane discrete-event simulation.
"""

from .compute import Drill, Period, PeriodError, Result, compute, connect, drilldown, parse_period, subperiods
from .registry import BY_ID, MEASURES, Measure, Part, check_registry, dimensions_of
from .sources import SOURCES, Inputs, shipments_relation

__all__ = [
    "BY_ID",
    "MEASURES",
    "SOURCES",
    "Drill",
    "Inputs",
    "Measure",
    "Part",
    "Period",
    "PeriodError",
    "Result",
    "check_registry",
    "compute",
    "connect",
    "dimensions_of",
    "drilldown",
    "parse_period",
    "shipments_relation",
    "subperiods",
]
