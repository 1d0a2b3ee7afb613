"""Identifier types that foreign programs use in their status files, with a normaliser per type.

Types we already know (EORI, Canadian BN, Mexican RFC...) reuse `greenlane.partners.identifiers`; the others
are added here. Where the number carries a check digit it is verified, so a typing error is caught at import.
`normalize(type, value)` returns the canonical form or raises IdentifierError naming the expected format.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from greenlane.partners import identifiers as ours
from greenlane.partners.identifiers import IdentifierError

FOREIGN_TYPES: dict[str, object] = {
    "nzbn": _("New Zealand business number (NZBN)"),
    "jo_tax": _("Jordan national establishment / tax number"),
    "jp_cn": _("Japan corporate number"),
    "kr_brn": _("Korea business registration number"),
    "tw_ubn": _("Taiwan unified business number"),
    "il_cn": _("Israel company number"),
    "sg_uen": _("Singapore unique entity number (UEN)"),
    "do_rnc": _("Dominican Republic RNC"),
    "pe_ruc": _("Peru RUC"),
    "in_iec": _("India importer-exporter code (IEC)"),
    "uy_rut": _("Uruguay RUT"),
    "br_cnpj": _("Brazil CNPJ"),
    "gt_nit": _("Guatemala NIT"),
    "co_nit": _("Colombia NIT"),
}


def label(id_type: str) -> str:
    if id_type in FOREIGN_TYPES:
        return str(FOREIGN_TYPES[id_type])
    try:
        return str(ours.IdentifierType(id_type).label)
    except ValueError:
        return id_type


def _digits(value: str, *, keep: str = "") -> str:
    return re.sub(rf"[\s\-./{re.escape(keep)}]", "", value or "").upper()


def _fixed_digits(value: str, n: int, message: str) -> str:
    v = _digits(value)
    if not re.fullmatch(rf"\d{{{n}}}", v, re.ASCII):
        raise IdentifierError(message)
    return v


def gs1_check_ok(digits: str) -> bool:
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def _nzbn(value: str) -> str:
    v = _fixed_digits(value, 13, _g("An NZBN has 13 digits starting with 94 (for example 9429041234567)."))
    if not v.startswith("94"):
        raise IdentifierError(_g("An NZBN starts with 94."))
    if not gs1_check_ok(v):
        raise IdentifierError(_g("The NZBN's check digit does not match; please re-check the 13 digits."))
    return v


def _jo_tax(value: str) -> str:
    v = _digits(value)
    if not re.fullmatch(r"\d{6,12}", v, re.ASCII):
        raise IdentifierError(_g("A Jordan establishment or tax number has 6 to 12 digits."))
    return v


def jp_cn_check_ok(digits: str) -> bool:
    body = digits[1:]
    total = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(reversed(body)))
    return 9 - total % 9 == int(digits[0])


def _jp_cn(value: str) -> str:
    v = _fixed_digits(value, 13, _g("A Japanese corporate number has 13 digits."))
    if not jp_cn_check_ok(v):
        raise IdentifierError(_g("The corporate number's check digit (the first) does not match."))
    return v


def kr_brn_check_ok(digits: str) -> bool:
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(int(d) * w for d, w in zip(digits[:9], weights, strict=True))
    total += int(digits[8]) * 5 // 10
    return (10 - total % 10) % 10 == int(digits[9])


def _kr_brn(value: str) -> str:
    v = _fixed_digits(value, 10, _g("A Korean business registration number has 10 digits (NNN-NN-NNNNN)."))
    if not kr_brn_check_ok(v):
        raise IdentifierError(_g("The business registration number's check digit does not match."))
    return f"{v[:3]}-{v[3:5]}-{v[5:]}"


def tw_ubn_check_ok(digits: str) -> bool:
    weights = (1, 2, 1, 2, 1, 2, 4, 1)
    sums = [sum(divmod(int(d) * w, 10)) for d, w in zip(digits, weights, strict=True)]
    total = sum(sums)
    # Since 2023 the sum need only be divisible by 5; a 7 in the seventh place may count as 0 or 1.
    return total % 5 == 0 or (digits[6] == "7" and (total + 1) % 5 == 0)


def _tw_ubn(value: str) -> str:
    v = _fixed_digits(value, 8, _g("A Taiwan unified business number has 8 digits."))
    if not tw_ubn_check_ok(v):
        raise IdentifierError(_g("The unified business number's check sum does not match."))
    return v


def _il_cn(value: str) -> str:
    v = _fixed_digits(value, 9, _g("An Israeli company number has 9 digits (for example 512345678)."))
    if not ours.luhn_valid(v):
        raise IdentifierError(_g("The company number's check digit does not match."))
    return v


def _sg_uen(value: str) -> str:
    v = _digits(value)
    if not re.fullmatch(r"\d{8}[A-Z]|\d{9}[A-Z]|[RST]\d{2}[A-Z]{2}\d{4}[A-Z]", v, re.ASCII):
        raise IdentifierError(_g("A UEN is 8 or 9 digits and a letter, or a T/S/R form such as T08LL1234A."))
    return v


def _do_rnc(value: str) -> str:
    v = _digits(value)
    if not re.fullmatch(r"\d{9}|\d{11}", v, re.ASCII):
        raise IdentifierError(_g("A Dominican RNC has 9 digits (companies) or 11 (persons)."))
    return v


def pe_ruc_check_ok(digits: str) -> bool:
    weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    r = 11 - sum(int(d) * w for d, w in zip(digits[:10], weights, strict=True)) % 11
    return {10: 0, 11: 1}.get(r, r) == int(digits[10])


def _pe_ruc(value: str) -> str:
    v = _fixed_digits(value, 11, _g("A Peruvian RUC has 11 digits (companies start with 20)."))
    if not pe_ruc_check_ok(v):
        raise IdentifierError(_g("The RUC's check digit does not match."))
    return v


def _in_iec(value: str) -> str:
    v = _digits(value)
    if not re.fullmatch(r"[A-Z]{5}\d{4}[A-Z]|\d{10}", v, re.ASCII):
        raise IdentifierError(_g("An Indian IEC has 10 characters (the PAN form, e.g. ABCDE1234F)."))
    return v


def _uy_rut(value: str) -> str:
    return _fixed_digits(value, 12, _g("A Uruguayan RUT has 12 digits."))


def cnpj_check_ok(digits: str) -> bool:
    def dv(body: str, weights: tuple[int, ...]) -> int:
        r = sum(int(d) * k for d, k in zip(body, weights, strict=True)) % 11
        return 0 if r < 2 else 11 - r

    if len(set(digits)) == 1:
        return False
    first = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
    return dv(digits[:12], first) == int(digits[12]) and dv(digits[:13], (6, *first)) == int(digits[13])


def _br_cnpj(value: str) -> str:
    v = _fixed_digits(value, 14, _g("A CNPJ has 14 digits (NN.NNN.NNN/NNNN-NN)."))
    if not cnpj_check_ok(v):
        raise IdentifierError(_g("The CNPJ's check digits do not match."))
    return v


def _gt_nit(value: str) -> str:
    v = _digits(value)
    if not re.fullmatch(r"\d{5,12}[0-9K]", v, re.ASCII):
        raise IdentifierError(_g("A Guatemalan NIT is 6 to 13 digits, the last may be K."))
    return v


def _co_nit(value: str) -> str:
    v = _digits(value)
    if not re.fullmatch(r"\d{9,10}", v, re.ASCII):
        raise IdentifierError(_g("A Colombian NIT has 9 digits and its check digit (10 in all)."))
    return v


_FOREIGN: dict[str, Callable[[str], str]] = {
    "nzbn": _nzbn,
    "jo_tax": _jo_tax,
    "jp_cn": _jp_cn,
    "kr_brn": _kr_brn,
    "tw_ubn": _tw_ubn,
    "il_cn": _il_cn,
    "sg_uen": _sg_uen,
    "do_rnc": _do_rnc,
    "pe_ruc": _pe_ruc,
    "in_iec": _in_iec,
    "uy_rut": _uy_rut,
    "br_cnpj": _br_cnpj,
    "gt_nit": _gt_nit,
    "co_nit": _co_nit,
}

ALL_TYPES = frozenset({*ours.IdentifierType.values, *_FOREIGN})


def normalize(id_type: str, value: str) -> str:
    """Canonical form of a foreign-program (or our own) identifier; IdentifierError if malformed. Our own
    types normalise exactly as enrollment does (so values match our companies' identifiers)."""
    if id_type in _FOREIGN:
        if not (value or "").strip():
            raise IdentifierError(_g("Enter a value for the identifier."))
        if len(value) > 40:
            raise IdentifierError(_g("An identifier is at most 40 characters."))
        return _FOREIGN[id_type](value)
    return ours.normalize(id_type, value)


def member_key(id_type: str, value: str) -> str:
    """The form under which foreign programs' members are stored and matched: the canonical form, except a
    Canadian business number, kept to its 9-digit root (the RM0001 suffix names an account of the business;
    PIP lists the business)."""
    norm = normalize(id_type, value)
    return norm[:9] if id_type == ours.IdentifierType.CBSA_BN else norm


def try_member_key(id_type: str, value: str) -> str | None:
    try:
        return member_key(id_type, value)
    except IdentifierError:
        return None
