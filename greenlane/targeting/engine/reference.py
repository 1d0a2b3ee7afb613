"""Reference data the engine validates against: ISO 3166 countries, a bundled list of ports, ISO 6346."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry

MODES: tuple[str, ...] = ("sea", "air", "truck", "rail")

# ISO 6346 letter values: A=10 and up, skipping multiples of 11. The position of a character in this string,
# minus one, is its value ("_" fills the skipped values), so SQL and Python can share it with strpos/find.
ISO6346_ALPHABET = "0123456789A_BCDEFGHIJK_LMNOPQRSTU_VWXYZ"
CONTAINER_RE = r"[A-Z]{3}[UJZ][0-9]{7}"
LOCODE_RE = r"[A-Z]{2}[A-Z2-9]{3}"
HTS_RE = r"[0-9]{4}(\.?[0-9]{2}){1,3}"
SCAC_RE = r"[A-Z]{2,4}"

_CONTAINER = re.compile(CONTAINER_RE)
_LOCODE = re.compile(LOCODE_RE)
_HTS = re.compile(HTS_RE)
_SCAC = re.compile(SCAC_RE)


@dataclass(frozen=True)
class Port:
    locode: str
    name: str
    modes: frozenset[str]
    csi: bool

    @property
    def country(self) -> str:
        return self.locode[:2]


@cache
def countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes known to pycountry."""
    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def ports() -> dict[str, Port]:
    """The bundled list of common ports (UN/LOCODE), with the modes served and CSI status."""
    path = Path(__file__).with_name("ports.csv")
    with path.open(newline="", encoding="utf-8") as fh:
        return {
            row["locode"]: Port(
                row["locode"], row["name"], frozenset(row["modes"].split()), row["csi"] == "1"
            )
            for row in csv.DictReader(fh)
        }


def csi_ports() -> frozenset[str]:
    return frozenset(code for code, p in ports().items() if p.csi)


def us_ports() -> frozenset[str]:
    return frozenset(code for code in ports() if code.startswith("US"))


def iso6346_check_digit(owner_serial: str) -> int:
    """Check digit of the first ten characters of a container number."""
    total = sum((ISO6346_ALPHABET.index(ch)) * (1 << i) for i, ch in enumerate(owner_serial[:10]))
    return total % 11 % 10


def container_problem(value: str) -> str | None:
    """None if every ';'-separated container number is valid, else 'malformed' or 'check_digit'."""
    parts = value.split(";")
    if not all(_CONTAINER.fullmatch(p) for p in parts):
        return "malformed"
    if not all(iso6346_check_digit(p) == int(p[10]) for p in parts):
        return "check_digit"
    return None


def with_check_digit(owner_serial: str) -> str:
    """Complete a 10-character owner code + serial with its ISO 6346 check digit."""
    return owner_serial + str(iso6346_check_digit(owner_serial))


def locode_wellformed(value: str) -> bool:
    return _LOCODE.fullmatch(value) is not None


def hts_wellformed(value: str) -> bool:
    return _HTS.fullmatch(value) is not None


def scac_wellformed(value: str) -> bool:
    return _SCAC.fullmatch(value) is not None
