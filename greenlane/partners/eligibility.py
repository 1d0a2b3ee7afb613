"""Eligibility questions by entity type. Answers are yes/no; `expected` is the answer that qualifies.

The automated decision (screening) judges the answers; enrollment only requires every question answered.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Question:
    code: str
    text: str | Promise
    expected: bool = True


NO_UNPAID_DEBT = Question("no_unpaid_cbp_debt", _("The company has no unpaid final debt owed to CBP."))
ACTIVE_12_MONTHS = Question(
    "imported_last_12_months", _("The company has imported goods into the U.S. in the last 12 months.")
)
CONTINUOUS_BOND = Question("continuous_bond", _("The company holds a continuous import bond filed with CBP."))
US_CA_OFFICE = Question(
    "us_or_canada_office", _("The company has a staffed business office in the U.S. or Canada.")
)
US_OFFICE = Question("us_office", _("The company has a staffed business office in the U.S."))
EXPORT_12_MONTHS = Question(
    "exported_last_12_months",
    _("The company has controlled U.S. exports in the last 12 months with acceptable compliance."),
)
BROKER_LICENSE = Question("broker_license", _("The company holds an active CBP customs broker licence."))
CARRIER_BOND = Question(
    "international_carrier_bond", _("The company holds a continuous international carrier bond.")
)
CROSSES_BORDER = Question(
    "crosses_us_border", _("The company's trucks cross the U.S. border with Canada or Mexico.")
)
LONG_HAUL_MX = Question(
    "long_haul_in_mexico", _("The company hauls cargo bound for the U.S. within Mexico to the border.")
)
MANUFACTURES = Question(
    "manufactures_for_us", _("The company manufactures goods that are exported to the U.S.")
)
FMC_LICENSED = Question(
    "fmc_or_tsa_registered",
    _("The company is licensed by the FMC or registered with the TSA for its operations."),
)
OPERATES_PORT = Question(
    "operates_port_facility",
    _("The company operates a marine port or terminal handling international cargo."),
)
HANDLES_US_CARGO = Question(
    "handles_us_bound_cargo", _("The company handles, stores or arranges transport of U.S.-bound cargo.")
)
SECURITY_OFFICER = Question(
    "security_officer_designated", _("A company officer is designated as the primary cargo security officer.")
)

QUESTIONS: dict[str, tuple[Question, ...]] = {
    "importer": (ACTIVE_12_MONTHS, CONTINUOUS_BOND, US_CA_OFFICE),
    "exporter": (EXPORT_12_MONTHS, US_OFFICE),
    "customs_broker": (BROKER_LICENSE, US_OFFICE),
    "consolidator": (FMC_LICENSED, HANDLES_US_CARGO),
    "third_party_logistics": (HANDLES_US_CARGO, US_OFFICE),
    "air_carrier": (CARRIER_BOND,),
    "sea_carrier": (CARRIER_BOND,),
    "rail_carrier": (CARRIER_BOND,),
    "highway_carrier": (CROSSES_BORDER, CARRIER_BOND),
    "mexican_long_haul_carrier": (LONG_HAUL_MX,),
    "foreign_manufacturer": (MANUFACTURES,),
    "marine_port_terminal_operator": (OPERATES_PORT,),
}
COMMON = (NO_UNPAID_DEBT, SECURITY_OFFICER)


def questions_for(entity_type: str) -> tuple[Question, ...]:
    return QUESTIONS.get(entity_type, ()) + COMMON


def unanswered(entity_type: str, answers: dict) -> list[Question]:
    return [q for q in questions_for(entity_type) if not isinstance(answers.get(q.code), bool)]


def clean_answers(entity_type: str, answers: dict) -> dict[str, bool]:
    """Keep only this entity type's questions; refuse unknown codes and non-boolean answers."""
    known = {q.code for q in questions_for(entity_type)}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ValueError(
            f"Unknown eligibility question(s) for this entity type: {', '.join(unknown)}. "
            f"Known: {', '.join(sorted(known))}."
        )
    for code, value in answers.items():
        if not isinstance(value, bool):
            raise ValueError(f"Answer '{code}' with true or false.")
    return dict(answers)
