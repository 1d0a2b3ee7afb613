"""The selection score: a weighted sum of normalised risk factors, each with its reason.

Every factor is scaled to 0..1, multiplied by its weight, and the total is scaled to 0..100 by the sum of
the weights (so a factor whose data is absent scores nothing and says so, rather than changing the scale).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

FACTORS = (
    "regional_threat",
    "anomalies",
    "import_value",
    "import_volume",
    "fast",
    "time_since_validation",
    "legal_due",
    "sector",
)

DEFAULT_WEIGHTS: dict[str, Any] = {
    "regional_threat": 20,
    "anomalies": 20,
    "import_value": 10,
    "import_volume": 5,
    "fast": 5,
    "time_since_validation": 15,
    "legal_due": 25,
    "sector": 0,
    # Per-sector emphasis (0..1) for the sector factor: e.g. {"highway_carrier": 1.0}.
    "sector_emphasis": {},
}

MAX_THREAT = 5
ANOMALY_CAP = 5
VALUE_CAP = 1_000_000_000.0  # USD a year: log scale up to here
VOLUME_CAP = 100_000.0  # entries a year
REVALIDATION_YEARS = 4.0


@dataclass(frozen=True)
class Features:
    """What the score judges about one partner. None means the input is absent."""

    threat_level: int | None = None  # the highest threat level (1-5) of its supply-chain countries
    threat_country: str = ""
    anomalies: int | None = None  # confirmed seizures, incidents, suspensions, failed reviews
    anomaly_detail: tuple[str, ...] = ()
    import_value: float | None = None
    import_volume: float | None = None
    fast: bool | None = None
    years_since_validation: float | None = None  # None: never validated
    days_to_due: int | None = None  # negative: overdue; None: no legal date
    sector: str = ""
    absent: tuple[str, ...] = field(default_factory=tuple)  # inputs the caller could not find


def validate_weights(weights: dict[str, Any]) -> list[dict[str, str]]:
    """Errors as [{field, message}]; empty when the weights are usable."""
    errors = []
    for key, value in weights.items():
        if key == "sector_emphasis":
            if not isinstance(value, dict):
                errors.append({"field": key, "message": "Sector emphasis must map a sector to a number 0-1."})
                continue
            for sector, emphasis in value.items():
                if not _number(emphasis) or not 0 <= emphasis <= 1:
                    errors.append(
                        {"field": f"{key}.{sector}", "message": "Emphasis must be between 0 and 1."}
                    )
        elif key not in FACTORS:
            errors.append({"field": key, "message": f"Unknown factor {key!r}."})
        elif not _number(value) or not 0 <= value <= 100:
            errors.append({"field": key, "message": "A weight must be a number from 0 to 100."})
    if not errors and sum(float(weights.get(f, 0)) for f in FACTORS) <= 0:
        errors.append({"field": "weights", "message": "At least one weight must be above 0."})
    return errors


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _log_share(value: float, cap: float) -> float:
    return min(1.0, math.log10(1.0 + max(0.0, value)) / math.log10(1.0 + cap))


def factor_values(f: Features, weights: dict[str, Any]) -> dict[str, tuple[float | None, str]]:
    """Each factor's 0..1 value (None when its input is absent) and a short explanation."""
    out: dict[str, tuple[float | None, str]] = {}
    if f.threat_level is None:
        out["regional_threat"] = (None, "no threat level known for its countries")
    else:
        share = max(0.0, min(1.0, (f.threat_level - 1) / (MAX_THREAT - 1)))
        where = f" ({f.threat_country})" if f.threat_country else ""
        out["regional_threat"] = (share, f"highest threat level {f.threat_level} of {MAX_THREAT}{where}")
    if f.anomalies is None:
        out["anomalies"] = (None, "compliance history not available")
    else:
        detail = "; ".join(f.anomaly_detail) if f.anomaly_detail else "none"
        out["anomalies"] = (
            min(f.anomalies, ANOMALY_CAP) / ANOMALY_CAP,
            f"{f.anomalies} security anomaly(ies): {detail}",
        )
    if f.import_value is None:
        out["import_value"] = (None, "import value absent (no trade data for this partner)")
    else:
        out["import_value"] = (
            _log_share(f.import_value, VALUE_CAP),
            f"imports worth US${f.import_value:,.0f} a year",
        )
    if f.import_volume is None:
        out["import_volume"] = (None, "import volume absent (no trade data for this partner)")
    else:
        out["import_volume"] = (
            _log_share(f.import_volume, VOLUME_CAP),
            f"{f.import_volume:,.0f} entries a year",
        )
    if f.fast is None:
        out["fast"] = (None, "FAST participation unknown")
    else:
        out["fast"] = (1.0 if f.fast else 0.0, "takes part in FAST" if f.fast else "not in FAST")
    if f.years_since_validation is None:
        out["time_since_validation"] = (1.0, "never validated")
    else:
        years = max(0.0, f.years_since_validation)
        out["time_since_validation"] = (
            min(1.0, years / REVALIDATION_YEARS),
            f"last validated {years:.1f} years ago",
        )
    if f.days_to_due is None:
        out["legal_due"] = (0.0, "no legal due date")
    elif f.days_to_due < 0:
        out["legal_due"] = (1.0, f"legally overdue by {-f.days_to_due} days")
    else:
        out["legal_due"] = (max(0.0, 1.0 - f.days_to_due / 730.0), f"legally due in {f.days_to_due} days")
    emphasis = (weights.get("sector_emphasis") or {}).get(f.sector)
    if emphasis is None:
        out["sector"] = (0.0, f"sector {f.sector or 'unknown'}: no emphasis")
    else:
        out["sector"] = (float(emphasis), f"sector {f.sector}: emphasis {emphasis}")
    return out


def score(features: Features, weights: dict[str, Any]) -> tuple[float, list[dict[str, Any]]]:
    """(value 0..100, reasons): one reason per factor with its weight and the points it contributed."""
    total_weight = sum(float(weights.get(name, 0)) for name in FACTORS) or 1.0
    reasons: list[dict[str, Any]] = []
    value = 0.0
    for name, (share, note) in factor_values(features, weights).items():
        weight = float(weights.get(name, 0))
        points = 0.0 if share is None else 100.0 * weight * share / total_weight
        value += points
        reasons.append(
            {
                "factor": name,
                "weight": weight,
                "value": None if share is None else round(share, 4),
                "points": round(points, 2),
                "note": note,
                "absent": share is None or name in features.absent,
            }
        )
    reasons.sort(key=lambda r: -float(r["points"]))
    return round(value, 2), reasons
