"""Business identifiers: types, format rules, normalisation, and which types each entity type needs.

`normalize(type, value)` returns the canonical form or raises IdentifierError with a message that
says what the format is, so a person can correct the value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _


class IdentifierType(models.TextChoices):
    IOR = "ior", _("Importer of record (IOR) number")
    EIN = "ein", _("Employer identification number (EIN)")
    DUNS = "duns", _("D-U-N-S number")
    MID = "mid", _("Manufacturer identification code (MID)")
    SCAC = "scac", _("Standard carrier alpha code (SCAC)")
    DOT = "dot", _("U.S. DOT number")
    FMC_ORG = "fmc_org", _("FMC organization / OTI / MTO number")
    IATA = "iata", _("IATA airline designator")
    RFC = "rfc", _("Mexican RFC")
    SCT = "sct", _("Mexican SCT permit number")
    EORI = "eori", _("EU EORI number")
    CBSA_BN = "cbsa_bn", _("Canadian business number (CBSA)")


class IdentifierError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Identifier types that may belong to several enrollments of the same entity type (e.g. many
# factories can share one MID). All others are unique per (type, value, entity type).
NON_UNIQUE_TYPES = frozenset({IdentifierType.MID})

# EIN prefixes the IRS has never assigned.
_INVALID_EIN_PREFIXES = frozenset(
    {"00", "07", "08", "09", "17", "18", "19", "28", "29", "49", "69", "70", "78", "79", "89", "96", "97"}
)
EORI_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "GB",
        "XI",
    ]
)


# Patterns compiled once (bulk verification normalises thousands of values per request: bench/svi_bulk.py).
_PATTERNS: dict[str, re.Pattern[str]] = {}


def _full(pattern: str, value: str) -> re.Match[str] | None:
    # ASCII only: other scripts' digits would let one number be stored in several look-alike forms.
    compiled = _PATTERNS.get(pattern)
    if compiled is None:
        compiled = _PATTERNS[pattern] = re.compile(pattern, re.ASCII)
    return compiled.fullmatch(value)


_WHITESPACE = re.compile(r"\s")


def _compact(value: str) -> str:
    return _WHITESPACE.sub("", value or "").upper()


def _ein(value: str) -> str:
    digits = _compact(value).replace("-", "")
    if not _full(r"\d{9}", digits):
        raise IdentifierError(_g("An EIN has 9 digits, written NN-NNNNNNN (for example 12-3456789)."))
    _ein_prefix(digits[:2])
    return f"{digits[:2]}-{digits[2:]}"


def _ein_prefix(prefix: str) -> None:
    if prefix in _INVALID_EIN_PREFIXES:
        raise IdentifierError(_g("EIN prefix %(prefix)s is not one the IRS assigns.") % {"prefix": prefix})


def _ior(value: str) -> str:
    v = _compact(value)
    parts = value.split()
    if "-" not in v and len(parts) == 2:
        # A space stands for the hyphen, whose place tells an EIN-based number from a CBP-assigned one.
        v = "-".join(parts).upper()
    if m := _full(r"(\d{2})-?(\d{7})([A-Z0-9]{2})", v):
        _ein_prefix(m.group(1))  # the rest is 9 ASCII digits already: only the EIN prefix rule is left
        return f"{m.group(1)}-{m.group(2)}{m.group(3)}"
    if m := _full(r"(\d{6})-?(\d{5})", v):
        return f"{m.group(1)}-{m.group(2)}"
    raise IdentifierError(
        _g(
            "An IOR number is an EIN with a two-character suffix (12-3456789AA) "
            "or a CBP-assigned number (YYDDPP-NNNNN, for example 041234-56789)."
        )
    )


def _duns(value: str) -> str:
    digits = _compact(value).replace("-", "")
    if not _full(r"\d{9}", digits):
        raise IdentifierError(_g("A D-U-N-S number has 9 digits (for example 123456789)."))
    return digits


def _mid(value: str) -> str:
    v = _compact(value)
    if not _full(r"[A-Z]{2}[A-Z]{3,6}\d{0,4}[A-Z]{3}", v) or len(v) > 15:
        raise IdentifierError(
            _g(
                "A MID is the country code, up to 6 letters of the maker's name, up to 4 digits of "
                "its street number and 3 letters of its city, at most 15 characters (e.g. CNACMMAN1234SHA)."
            )
        )
    return v


def _scac(value: str) -> str:
    v = _compact(value)
    if not _full(r"[A-Z]{2,4}", v):
        raise IdentifierError(_g("A SCAC is 2 to 4 letters (for example ABCD)."))
    return v


def _dot(value: str) -> str:
    v = _compact(value).removeprefix("USDOT")
    if not _full(r"\d{6}", v):
        raise IdentifierError(_g("A U.S. DOT number has 6 digits (for example 123456)."))
    return v


def _fmc(value: str) -> str:
    v = _compact(value)
    if not _full(r"\d{6}[NF]?", v):
        raise IdentifierError(
            _g(
                "An FMC organization or MTO number has 6 digits; an OTI licence adds N or F (for example 012345N)."
            )
        )
    return v


def _iata(value: str) -> str:
    v = _compact(value)
    if not _full(r"[A-Z0-9]{2}", v) or v.isdigit():
        raise IdentifierError(
            _g("An IATA airline designator is 2 characters with at least one letter (e.g. AA, 2K).")
        )
    return v


def _rfc(value: str) -> str:
    v = _compact(value).replace("-", "")
    m = _full(r"([A-ZÑ&]{3,4})(\d{2})(\d{2})(\d{2})([A-Z0-9]{3})", v)
    if not m:
        raise IdentifierError(
            _g(
                "A Mexican RFC has 12 characters for a company (ABC850101XX1) or 13 for a person (ABCD850101XX1)."
            )
        )
    yy, mm, dd = int(m.group(2)), int(m.group(3)), int(m.group(4))
    if not any(_is_date(century + yy, mm, dd) for century in (1900, 2000)):
        raise IdentifierError(_g("The RFC's date part (YYMMDD) is not a real date."))
    return v


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _sct(value: str) -> str:
    v = _compact(value).replace("-", "")
    if not _full(r"[A-Z0-9]{6,20}", v):
        raise IdentifierError(_g("An SCT permit number has 6 to 20 letters or digits."))
    return v


def _eori(value: str) -> str:
    v = _compact(value)
    if not _full(r"[A-Z]{2}[A-Z0-9]{1,15}", v):
        raise IdentifierError(
            _g("An EORI is a 2-letter country code and up to 15 letters or digits (e.g. DE1234567).")
        )
    if v[:2] not in EORI_COUNTRIES:
        raise IdentifierError(
            _g("%(prefix)s is not the code of an EU member state (or GB/XI) that issues EORI numbers.")
            % {"prefix": v[:2]}
        )
    return v


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def _cbsa_bn(value: str) -> str:
    v = _compact(value).replace("-", "")
    if not _full(r"\d{9}(RM\d{4})?", v):
        raise IdentifierError(
            _g("A Canadian business number has 9 digits, optionally with the import account RM0001.")
        )
    if not luhn_valid(v[:9]):
        raise IdentifierError(
            _g("The business number's check digit does not match; please re-check the 9 digits.")
        )
    return v


_NORMALIZERS: dict[str, Callable[[str], str]] = {
    IdentifierType.IOR: _ior,
    IdentifierType.EIN: _ein,
    IdentifierType.DUNS: _duns,
    IdentifierType.MID: _mid,
    IdentifierType.SCAC: _scac,
    IdentifierType.DOT: _dot,
    IdentifierType.FMC_ORG: _fmc,
    IdentifierType.IATA: _iata,
    IdentifierType.RFC: _rfc,
    IdentifierType.SCT: _sct,
    IdentifierType.EORI: _eori,
    IdentifierType.CBSA_BN: _cbsa_bn,
}


def normalize(identifier_type: str, value: str) -> str:
    if identifier_type not in _NORMALIZERS:
        known = ", ".join(_NORMALIZERS)
        raise IdentifierError(
            _g("Unknown identifier type '%(type)s'. Known types: %(known)s.")
            % {"type": identifier_type, "known": known}
        )
    if not (value or "").strip():
        raise IdentifierError(_g("Enter a value for the identifier."))
    if len(value) > 40:
        raise IdentifierError(_g("An identifier is at most 40 characters."))
    return _NORMALIZERS[identifier_type](value)


T = IdentifierType
# For each entity type: groups of identifier types; at least one of each group is required.
REQUIRED_IDENTIFIERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "importer": ((T.IOR,),),
    "exporter": ((T.EIN, T.DUNS),),
    "customs_broker": ((T.EIN,),),
    "consolidator": ((T.FMC_ORG, T.IATA, T.EIN),),
    "third_party_logistics": ((T.EIN, T.DUNS),),
    "air_carrier": ((T.IATA,),),
    "sea_carrier": ((T.SCAC,),),
    "rail_carrier": ((T.SCAC,),),
    "highway_carrier": ((T.SCAC,), (T.DOT,)),
    "mexican_long_haul_carrier": ((T.RFC,), (T.SCT,)),
    "foreign_manufacturer": ((T.MID,),),
    "marine_port_terminal_operator": ((T.FMC_ORG,),),
}


def missing_identifier_groups(entity_type: str, present: set[str]) -> list[tuple[str, ...]]:
    return [group for group in REQUIRED_IDENTIFIERS.get(entity_type, ()) if not present.intersection(group)]


def describe_group(group: tuple[str, ...]) -> str:
    labels = [str(IdentifierType(t).label) for t in group]
    return _g(" or ").join(labels)
