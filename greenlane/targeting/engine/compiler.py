"""Compile a rule set at a threat level into one DuckDB query, and into an in-process Python scorer.

Both are generated from the same compiled conditions and constants, and give identical results (tested).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .ruleset import Rule, Ruleset, RulesetError, ThreatLevel, effective_credits
from .schema import (
    SQL_DERIVED_LATE,
    TIER_FIELDS,
    py_derived,
    py_normalize,
    py_reject_reason,
    q,
    sql_derived,
    sql_rejects_query,
    sql_valid,
)
from .snapshot import Snapshot, snapshot_sql

LANES = ("red", "compliance", "yellow", "green")
SAMPLE_BITS = 52  # the compliance sample draws a 52-bit number from md5(salt:shipment_id)

# Why a shipment got its lane.
LANE_FORCED, LANE_RED, LANE_RANDOM, LANE_YELLOW, LANE_THREAT, LANE_GREEN = (
    "force_red", "score_red", "random_compliance", "score_yellow", "threat_level", "score_green",
)  # fmt: skip

SCORE_COLUMNS = (
    "shipment_id", "arrival_date", "mode", "importer_ior", "importer_tier", "points", "credit", "score",
    "lane", "lane_reason", "reason_1", "reason_2", "reason_3", "indicator_mask", "fast_eligible",
)  # fmt: skip


@dataclass(frozen=True)
class Reason:
    code: str
    weight: int | None  # None for a force-red condition
    text: str


@dataclass(frozen=True)
class ShipmentScore:
    """The result for one shipment. A rejected row has ``rejected`` set and no lane."""

    row: int
    shipment_id: str | None
    rejected: str | None = None
    lane: str | None = None
    lane_reason: str | None = None
    score: int | None = None
    points: int | None = None
    credit: int | None = None
    importer_tier: int | None = None
    fast_eligible: bool | None = None
    indicator_mask: int | None = None
    reasons: tuple[Reason, ...] = ()  # the top three, highest weight first (force-red conditions first)
    fired: tuple[str, ...] = ()  # every indicator that fired, in the same order

    def as_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "reasons"}
        d["reasons"] = [r.__dict__ for r in self.reasons]
        d["fired"] = list(self.fired)
        return d


@dataclass(frozen=True)
class Source:
    """A SELECT giving ``_row`` and every schema column typed, plus SQL conditions for failed conversions."""

    sql: str
    cast_failed: Mapping[str, str] = field(default_factory=dict)


def sample_threshold(rate: float) -> int:
    return math.floor(rate * (1 << SAMPLE_BITS))


def sample_draw(salt: str, shipment_id: str) -> int:
    return int(hashlib.md5(f"{salt}:{shipment_id}".encode()).hexdigest()[:13], 16)


def _float_sql(x: float) -> str:
    return f"CAST('{float(x)!r}' AS DOUBLE)"


@dataclass(frozen=True)
class CompiledRuleset:
    ruleset: Ruleset
    threat: ThreatLevel
    yellow: float
    red: float
    credits: Mapping[int, int]
    order: tuple[Rule, ...]  # bit i of indicator_mask is order[i]
    n_force: int
    member_threshold: int
    non_member_threshold: int

    # ------------------------------------------------------------------------------------------ metadata
    @property
    def forced(self) -> tuple[Rule, ...]:
        return self.order[: self.n_force]

    def metadata(self) -> dict[str, Any]:
        return {
            "ruleset": self.ruleset.id,
            "version": self.ruleset.version,
            "checksum": self.ruleset.checksum,
            "threat_level": self.threat.name,
            "thresholds": {"yellow": self.yellow, "red": self.red},
            "credits": {str(k): v for k, v in self.credits.items()},
            "green_min_tier": self.threat.green_min_tier,
            "mask_bits": [r.id for r in self.order],
            "weights": {r.id: r.weight for r in self.order},
        }

    def decode_mask(self, mask: int) -> list[str]:
        return [r.id for i, r in enumerate(self.order) if mask >> i & 1]

    # ------------------------------------------------------------------------------------------- SQL
    def _credit_sql(self, tier: str) -> str:
        whens = " ".join(f"WHEN {t} THEN {c}" for t, c in sorted(self.credits.items()) if t and c)
        return f"(CASE {tier} {whens} ELSE 0 END)" if whens else "0"

    def _sample_sql(self) -> str:
        draw = f"CAST('0x' || left(md5({q(self.ruleset.sample_salt + ':')} || shipment_id), 13) AS BIGINT)"
        thr = (
            f"CASE WHEN importer_tier >= 1 THEN {self.member_threshold} ELSE {self.non_member_threshold} END"
        )
        return f"({draw} < {thr})"

    def query(
        self,
        source: Source,
        snapshot_relation: str | None,
        *,
        reasons: bool = True,
        rejected_rows: str | None = None,
    ) -> str:
        """One SELECT scoring the valid rows of ``source``; the columns are :data:`SCORE_COLUMNS`.

        Rows are validated in the query unless ``rejected_rows`` is given: a relation with a ``row`` column
        listing the rows already found invalid (from :meth:`rejects_query`), or ``""`` when there are none.
        """
        used: set[str] = set()
        for r in self.order:
            used |= r.compiled.fields
        derived = sql_derived(snapshot_relation is not None)
        ctes = [
            f"src AS ({source.sql})",
            "ok AS (SELECT * FROM src"
            + (
                f" WHERE {sql_valid(source.cast_failed)})"
                if rejected_rows is None
                else (f" WHERE _row NOT IN (SELECT row FROM {rejected_rows}))" if rejected_rows else ")")
            ),
        ]
        joins = ""
        if snapshot_relation is not None:
            ctes.append(f"snap AS ({snapshot_sql(snapshot_relation, self.ruleset.credit_statuses)})")
            need = {"importer_tier"} | (used & set(TIER_FIELDS))
            if "fast_eligible" in used:
                need |= set(TIER_FIELDS)
            for f, col in TIER_FIELDS.items():
                if f in need:
                    alias = f"s_{f}"
                    t = {"importer_tier": "IOR", "manufacturer_tier": "MID", "carrier_tier": "SCAC"}[f]
                    sub = f"(SELECT v, tier FROM snap WHERE t = '{t}')"
                    joins += f" LEFT JOIN {sub} {alias} ON ok.{col} = {alias}.v"
                    derived[f] = f"coalesce({alias}.tier, 0)"
                else:
                    derived[f] = "0"
        d1 = ", ".join(f"{expr} AS {name}" for name, expr in derived.items())
        d2 = ", ".join(f"{expr} AS {name}" for name, expr in SQL_DERIVED_LATE.items())
        ctes.append(f"d1 AS (SELECT ok.*, {d1} FROM ok{joins})")
        ctes.append(f"d2 AS (SELECT *, {d2} FROM d1)")
        flags = ", ".join(f"coalesce({r.compiled.sql}, FALSE) AS _f{i}" for i, r in enumerate(self.order))
        keep = "shipment_id, arrival_date, mode, importer_ior, importer_tier, fast_eligible"
        ctes.append(f"fl AS (SELECT {keep}, {flags} FROM d2)")
        points = " + ".join(
            f"CASE WHEN _f{i} THEN {r.weight} ELSE 0 END" for i, r in enumerate(self.order) if r.weight
        )
        forced = " OR ".join(f"_f{i}" for i in range(self.n_force)) or "FALSE"
        mask = " | ".join(f"CASE WHEN _f{i} THEN {1 << i} ELSE 0 END" for i in range(len(self.order)))
        ctes.append(
            f"p AS (SELECT {keep}, ({points}) AS points, ({forced}) AS _forced, "
            f"CAST(({mask}) AS BIGINT) AS indicator_mask, "
            f"{self._credit_sql('importer_tier')} AS credit FROM fl)"
        )
        ctes.append("s AS (SELECT *, CAST(greatest(points - credit, 0) AS INTEGER) AS score FROM p)")
        lane_case = (
            "CASE WHEN _forced THEN '{a}' WHEN score >= {red} THEN '{b}' WHEN {sample} THEN '{c}' "
            "WHEN score >= {yellow} THEN '{d}' WHEN importer_tier < {g} THEN '{e}' ELSE '{f}' END"
        )
        fmt = {
            "red": _float_sql(self.red),
            "yellow": _float_sql(self.yellow),
            "sample": self._sample_sql(),
            "g": self.threat.green_min_tier,
        }
        lane = lane_case.format(a="red", b="red", c="compliance", d="yellow", e="yellow", f="green", **fmt)
        why = lane_case.format(
            a=LANE_FORCED, b=LANE_RED, c=LANE_RANDOM, d=LANE_YELLOW, e=LANE_THREAT, f=LANE_GREEN, **fmt
        )
        ctes.append(f"l AS (SELECT *, {lane} AS lane, {why} AS lane_reason FROM s)")
        if reasons:
            names = "[" + ", ".join(q(r.id) for r in self.order) + "]"

            def pick(m: str) -> str:
                return f"CASE WHEN {m} = 0 THEN NULL ELSE {names}[CAST(log2({m} & -{m}) AS INTEGER) + 1] END"

            ctes.append(
                "m AS (SELECT *, indicator_mask AS _m1, indicator_mask & (indicator_mask - 1) AS _m2 FROM l)"
            )
            ctes.append("m2 AS (SELECT *, _m2 & (_m2 - 1) AS _m3 FROM m)")
            reason_cols = f"{pick('_m1')} AS reason_1, {pick('_m2')} AS reason_2, {pick('_m3')} AS reason_3"
            last = "m2"
        else:
            reason_cols = "NULL::VARCHAR AS reason_1, NULL::VARCHAR AS reason_2, NULL::VARCHAR AS reason_3"
            last = "l"
        cols = (
            "shipment_id, arrival_date, mode, importer_ior, importer_tier, points, credit, score, lane, "
            f"lane_reason, {reason_cols}, indicator_mask, fast_eligible"
        )
        return "WITH " + ",\n".join(ctes) + f"\nSELECT {cols} FROM {last}"

    def rejects_query(self, source: Source) -> str:
        """Rows that fail validation: (row, shipment_id, reasons)."""
        return sql_rejects_query(source.sql, source.cast_failed)

    # ----------------------------------------------------------------------------------------- Python
    def score_rows(
        self, rows: Sequence[Mapping[str, Any]], snapshot: Snapshot | None = None, *, first_row: int = 0
    ) -> list[ShipmentScore]:
        """Score shipments in process (the API path): same rules, same results as the SQL query."""
        snap = snapshot or Snapshot()
        return [self.score_row(r, snap, row=first_row + i) for i, r in enumerate(rows)]

    def score_row(self, shipment: Mapping[str, Any], snapshot: Snapshot, *, row: int = 0) -> ShipmentScore:
        norm, failed = py_normalize(shipment)
        sid = norm["shipment_id"]
        rejected = py_reject_reason(norm, failed)
        if rejected is not None:
            return ShipmentScore(row=row, shipment_id=sid, rejected=rejected)
        r = {**norm, **py_derived(norm, snapshot.tier_of)}
        mask = 0
        points = 0
        for i, rule in enumerate(self.order):
            if rule.compiled.py(r) is True:
                mask |= 1 << i
                points += rule.weight
        tier = r["importer_tier"]
        credit = self.credits.get(tier, 0)
        score = max(points - credit, 0)
        forced = mask & ((1 << self.n_force) - 1) != 0
        if forced:
            lane, why = "red", LANE_FORCED
        elif score >= self.red:
            lane, why = "red", LANE_RED
        elif sample_draw(self.ruleset.sample_salt, sid) < (
            self.member_threshold if tier >= 1 else self.non_member_threshold
        ):
            lane, why = "compliance", LANE_RANDOM
        elif score >= self.yellow:
            lane, why = "yellow", LANE_YELLOW
        elif tier < self.threat.green_min_tier:
            lane, why = "yellow", LANE_THREAT
        else:
            lane, why = "green", LANE_GREEN
        fired = [(i, rule) for i, rule in enumerate(self.order) if mask >> i & 1]
        top = tuple(Reason(x.id, None if i < self.n_force else x.weight, x.reason) for i, x in fired[:3])
        return ShipmentScore(
            row=row,
            shipment_id=sid,
            lane=lane,
            lane_reason=why,
            score=score,
            points=points,
            credit=credit,
            importer_tier=tier,
            fast_eligible=r["fast_eligible"],
            indicator_mask=mask,
            reasons=top,
            fired=tuple(x.id for _, x in fired),
        )


def compile_ruleset(ruleset: Ruleset, threat_level: str = "normal") -> CompiledRuleset:
    """Fix the thresholds, credits and bit order of a rule set at a threat level."""
    level = ruleset.threat_levels.get(threat_level)
    if level is None:
        known = ", ".join(ruleset.threat_levels)
        raise RulesetError([f"unknown threat level {threat_level!r} (known: {known})"], ruleset.source)
    f = level.threshold_factor
    # Reasons read highest weight first; ties keep the rule set's order. Force-red conditions lead.
    ranked = sorted(enumerate(ruleset.indicators), key=lambda p: (-p[1].weight, p[0]))
    order = ruleset.force_red + tuple(r for _, r in ranked)
    return CompiledRuleset(
        ruleset=ruleset,
        threat=level,
        yellow=ruleset.yellow * f,
        red=ruleset.red * f,
        credits=effective_credits(ruleset.tier_credit, f),
        order=order,
        n_force=len(ruleset.force_red),
        member_threshold=sample_threshold(ruleset.member_sample_rate),
        non_member_threshold=sample_threshold(ruleset.non_member_sample_rate),
    )


def metadata_json(compiled: CompiledRuleset, extra: Mapping[str, Any] | None = None) -> str:
    return json.dumps({**compiled.metadata(), **(extra or {})}, sort_keys=True)
