"""The inputs a screening rule may refer to: name, type and meaning. Anything else is refused."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputSpec:
    name: str
    type: str  # "bool", "number" or "string"
    description: str


_SPECS = [
    InputSpec("entity_type", "string", "The partner's entity type code."),
    InputSpec("eligibility.all_met", "bool", "Every eligibility question has the qualifying answer."),
    InputSpec("eligibility.failed_count", "number", "How many eligibility answers do not qualify."),
    InputSpec(
        "identifiers.complete", "bool", "Every identifier the entity type requires is present and valid."
    ),
    InputSpec("business.years", "number", "Years since the business started."),
    InputSpec("business.employees", "number", "Number of employees."),
    InputSpec("profile.submitted", "bool", "A submitted security profile snapshot exists."),
    InputSpec("profile.must_total", "number", "Must criteria in the profile."),
    InputSpec(
        "profile.must_not_implemented_share",
        "number",
        "Share (0-1) of Must criteria answered not implemented.",
    ),
    InputSpec(
        "profile.must_gap_share", "number", "Share (0-1) of Must criteria not or only partially implemented."
    ),
    InputSpec(
        "profile.not_applicable_share", "number", "Share (0-1) of all criteria answered not applicable."
    ),
    InputSpec("compliance.penalties_5y", "number", "Confirmed penalties in the last 5 years."),
    InputSpec("compliance.seizures_5y", "number", "Confirmed seizures in the last 5 years."),
    InputSpec(
        "compliance.liquidated_damages_5y",
        "number",
        "Confirmed liquidated damages claims in the last 5 years.",
    ),
    InputSpec("compliance.unpaid_debt", "bool", "A confirmed unpaid final debt to customs."),
    InputSpec("compliance.unpaid_debt_amount", "number", "Sum of confirmed unpaid debts (USD)."),
    InputSpec("compliance.prior_suspension", "bool", "A confirmed prior suspension from the program."),
    InputSpec("compliance.prior_removal", "bool", "A confirmed prior removal from the program."),
    InputSpec("compliance.watch_list_hit", "bool", "A confirmed watch-list entry."),
    InputSpec(
        "compliance.pending_matches",
        "number",
        "Possible (fuzzy) compliance matches a vetting officer has not reviewed.",
    ),
    InputSpec(
        "supply_chain.max_threat",
        "number",
        "Highest threat level (1-5) of the countries of the partner's sites.",
    ),
    InputSpec("supply_chain.high_threat_sites", "number", "Sites in countries of threat level 4 or 5."),
    InputSpec("supply_chain.countries", "number", "Number of distinct countries among the partner's sites."),
]
INPUTS: dict[str, InputSpec] = {s.name: s for s in _SPECS}
