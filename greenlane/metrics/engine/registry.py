"""The performance measures as code: a declarative registry (pure Python, no Django).

Each measure reads one *source* (a DuckDB relation described in :mod:`.sources`) and is built from up to
four additive parts, each ``sum(expr) FILTER (WHERE cond)`` over the source's rows:

* ``ratio``: a / b                      (e.g. member containers / all containers)
* ``rate_ratio``: (a / b) / (c / d)     (member exam rate over non-member exam rate)
* ``reduction``: 1 - (a / b) / (c / d)  (exam reduction of members against non-members)
* ``difference``: c / d - a / b         (mean general-lane time minus mean FAST time)

Additive parts let a run scan each source once into a small cube (period x dimensions) and derive every
measure, period and dimension from it. The numerator's and the denominator's records are the rows whose
condition holds (``a`` for the numerator; ``b`` for a ratio, ``c`` otherwise): that is the drill-down.
"""

from __future__ import annotations

from dataclasses import dataclass, field

UNITS = ("percent", "ratio", "hours", "count", "minutes")
KINDS = ("ratio", "rate_ratio", "reduction", "difference")


@dataclass(frozen=True)
class Part:
    """``sum(expr) FILTER (WHERE cond)`` over the source rows; ``expr='1'`` counts."""

    cond: str
    expr: str = "1"
    label: str = ""


@dataclass(frozen=True)
class Measure:
    id: str
    name: str
    definition: str  # plain words
    seed_measure: str  # the seed plan's wording it implements (paraphrased)
    source: str  # a source name from sources.SOURCES
    unit: str
    kind: str
    a: Part
    b: Part
    c: Part | None = None
    d: Part | None = None
    numerator_label: str = ""
    denominator_label: str = ""
    higher_is_better: bool = True
    notes: str = ""
    dimensions: tuple[str, ...] = field(default=())  # defaults to every dimension of the source

    def parts(self) -> list[Part]:
        return [p for p in (self.a, self.b, self.c, self.d) if p is not None]

    def numerator_cond(self) -> str:
        return self.a.cond

    def denominator_cond(self) -> str:
        return self.b.cond if self.kind == "ratio" else self.c.cond  # type: ignore[union-attr]


MEMBER_IMP = "importer_tier >= 1"
NON_MEMBER_IMP = "importer_tier = 0"
PHYSICAL = "(targeted OR compliance)"

MEASURES: tuple[Measure, ...] = (
    Measure(
        id="sea_cargo_member_carriers",
        name="Sea container cargo moved by member carriers",
        definition="Containers arriving by sea on a carrier that is a certified member, as a share of all "
        "containers arriving by sea.",
        seed_measure="Percent of sea container cargo transported by program carriers",
        source="shipments",
        unit="percent",
        kind="ratio",
        a=Part("mode = 'sea' AND carrier_member", "container_count", "member-carrier containers"),
        b=Part("mode = 'sea'", "container_count", "sea containers"),
        numerator_label="Containers on member carriers",
        denominator_label="Sea containers",
        dimensions=("mode", "field_office"),
    ),
    Measure(
        id="import_value_member_importers",
        name="Import value by member importers",
        definition="Declared value of shipments whose importer of record is a certified member, as a share "
        "of the declared value of all shipments.",
        seed_measure="Percent of value imported by program importers",
        source="shipments",
        unit="percent",
        kind="ratio",
        a=Part(MEMBER_IMP, "declared_value_usd", "member importers' value (USD)"),
        b=Part("TRUE", "declared_value_usd", "all value (USD)"),
        numerator_label="Value imported by members (USD)",
        denominator_label="Value imported (USD)",
    ),
    Measure(
        id="entry_volume_member_importers",
        name="Entry volume by member importers",
        definition="Entries (shipments) whose importer of record is a certified member, as a share of all "
        "entries.",
        seed_measure="Percent of program importer entry volume",
        source="shipments",
        unit="percent",
        kind="ratio",
        a=Part(MEMBER_IMP, "1", "member entries"),
        b=Part("TRUE", "1", "all entries"),
        numerator_label="Member entries",
        denominator_label="Entries",
    ),
    Measure(
        id="targeted_exam_ratio",
        name="Targeted inspections, members vs non-members",
        definition="The share of member importers' shipments sent to a targeted (risk) exam divided by the "
        "same share for non-members. Below 1 means members are inspected less.",
        seed_measure="Ratio of targeted inspections of program shipments versus non-program shipments",
        source="shipments",
        unit="ratio",
        kind="rate_ratio",
        a=Part(f"{MEMBER_IMP} AND targeted", "1", "member targeted exams"),
        b=Part(MEMBER_IMP, "1", "member shipments"),
        c=Part(f"{NON_MEMBER_IMP} AND targeted", "1", "non-member targeted exams"),
        d=Part(NON_MEMBER_IMP, "1", "non-member shipments"),
        numerator_label="Member targeted-exam rate",
        denominator_label="Non-member targeted-exam rate",
        higher_is_better=False,
        notes="Split by tier, the tier dimension compares each tier with all non-members.",
    ),
    Measure(
        id="compliance_exam_ratio",
        name="Compliance exams, members vs non-members",
        definition="The share of member importers' shipments drawn for a random compliance exam divided by "
        "the same share for non-members.",
        seed_measure="Ratio of program entry compliance inspections versus non-program entries",
        source="shipments",
        unit="ratio",
        kind="rate_ratio",
        a=Part(f"{MEMBER_IMP} AND compliance", "1", "member compliance exams"),
        b=Part(MEMBER_IMP, "1", "member shipments"),
        c=Part(f"{NON_MEMBER_IMP} AND compliance", "1", "non-member compliance exams"),
        d=Part(NON_MEMBER_IMP, "1", "non-member shipments"),
        numerator_label="Member compliance-exam rate",
        denominator_label="Non-member compliance-exam rate",
        higher_is_better=False,
    ),
    Measure(
        id="exam_reduction_member_importers",
        name="Exam reduction for member importers",
        definition="One minus the ratio of the physical exam rate (targeted and compliance exams) of member "
        "importers to that of non-member importers: the share of exams members avoid.",
        seed_measure="Average exam reduction ratio for program importers compared to non-program importers",
        source="shipments",
        unit="percent",
        kind="reduction",
        a=Part(f"{MEMBER_IMP} AND {PHYSICAL}", "1", "member physical exams"),
        b=Part(MEMBER_IMP, "1", "member shipments"),
        c=Part(f"{NON_MEMBER_IMP} AND {PHYSICAL}", "1", "non-member physical exams"),
        d=Part(NON_MEMBER_IMP, "1", "non-member shipments"),
        numerator_label="Member physical-exam rate",
        denominator_label="Non-member physical-exam rate",
    ),
    Measure(
        id="recommendations_per_report",
        name="Recommendations per validation report",
        definition="Recommendations written in published validation reports divided by the number of "
        "published reports.",
        seed_measure="Ratio of recommendations included in validation reports",
        source="validations",
        unit="ratio",
        kind="ratio",
        a=Part("published AND recommendations > 0", "recommendations", "recommendations"),
        b=Part("published", "1", "published reports"),
        numerator_label="Recommendations",
        denominator_label="Published reports",
        higher_is_better=False,
    ),
    Measure(
        id="validations_passed",
        name="Validations passed vs failed",
        definition="Closed validations whose outcome meets or exceeds the criteria, as a share of closed "
        "validations with an outcome (the rest failed).",
        seed_measure="Passed versus failed validation reviews",
        source="validations",
        unit="percent",
        kind="ratio",
        a=Part("closed AND outcome IN ('meets', 'exceeds')", "1", "passed"),
        b=Part("closed AND outcome IN ('meets', 'exceeds', 'fails')", "1", "closed with an outcome"),
        numerator_label="Passed",
        denominator_label="Closed with an outcome",
    ),
    Measure(
        id="criteria_compliance_rate",
        name="Member compliance with the criteria",
        definition="Criteria found met in validations, as a share of the criteria assessed (findings not "
        "applicable are left out).",
        seed_measure="Compliance rate of program members with the security criteria",
        source="findings",
        unit="percent",
        kind="ratio",
        a=Part("met", "1", "criteria met"),
        b=Part("assessed", "1", "criteria assessed"),
        numerator_label="Criteria met",
        denominator_label="Criteria assessed",
    ),
    Measure(
        id="validation_hours",
        name="Validation labour efficiency",
        definition="Hours recorded on closed validations divided by the number of those validations: hours "
        "per validation, by entity type and visit kind.",
        seed_measure="Validation labour efficiency rate",
        source="validations",
        unit="hours",
        kind="ratio",
        a=Part("closed AND hours > 0", "hours", "hours recorded"),
        b=Part("closed", "1", "closed validations"),
        numerator_label="Hours recorded",
        denominator_label="Closed validations",
        higher_is_better=False,
    ),
    Measure(
        id="fast_time_savings",
        name="FAST lane time savings",
        definition="Average wait plus processing minutes of a general-lane crossing minus that of a FAST "
        "crossing, from recorded crossing times (see the simulation for an estimate without records).",
        seed_measure="Time savings to process U.S./Mexico border FAST lane transactions",
        source="crossings",
        unit="minutes",
        kind="difference",
        a=Part("lane = 'fast'", "total_minutes", "FAST minutes"),
        b=Part("lane = 'fast'", "1", "FAST crossings"),
        c=Part("lane = 'general'", "total_minutes", "general-lane minutes"),
        d=Part("lane = 'general'", "1", "general-lane crossings"),
        numerator_label="Mean FAST minutes",
        denominator_label="Mean general-lane minutes",
    ),
)

BY_ID: dict[str, Measure] = {m.id: m for m in MEASURES}


def check_registry(measures: tuple[Measure, ...] = MEASURES) -> list[str]:
    """Problems with the registry (empty when sound); the tests assert it is empty."""
    from .sources import SOURCES

    problems: list[str] = []
    seen: set[str] = set()
    for m in measures:
        if m.id in seen:
            problems.append(f"{m.id}: duplicate id")
        seen.add(m.id)
        if m.unit not in UNITS:
            problems.append(f"{m.id}: unknown unit {m.unit}")
        if m.kind not in KINDS:
            problems.append(f"{m.id}: unknown kind {m.kind}")
        if m.kind != "ratio" and (m.c is None or m.d is None):
            problems.append(f"{m.id}: {m.kind} needs four parts")
        if m.source not in SOURCES:
            problems.append(f"{m.id}: unknown source {m.source}")
        else:
            unknown = set(m.dimensions) - set(SOURCES[m.source].dimensions)
            if unknown:
                problems.append(f"{m.id}: dimensions not in its source: {sorted(unknown)}")
    return problems


def dimensions_of(m: Measure) -> tuple[str, ...]:
    from .sources import SOURCES

    return m.dimensions or SOURCES[m.source].dimensions
