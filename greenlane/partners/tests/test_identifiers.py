"""Property tests of identifiers.normalize: every type, valid values, random text, known-bad values. No DB."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from greenlane.partners import identifiers as ids
from greenlane.partners.identifiers import IdentifierError, IdentifierType, luhn_valid, normalize

T = IdentifierType
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
ALNUM = UPPER + DIGITS
INVALID_EIN_PREFIXES = sorted(ids._INVALID_EIN_PREFIXES)
VALID_EIN_PREFIXES = [f"{n:02d}" for n in range(100) if f"{n:02d}" not in ids._INVALID_EIN_PREFIXES]

# The canonical (stored) form of each type.
CANONICAL = {
    T.IOR: re.compile(r"[0-9]{2}-[0-9]{7}[A-Z0-9]{2}|[0-9]{6}-[0-9]{5}"),
    T.EIN: re.compile(r"[0-9]{2}-[0-9]{7}"),
    T.DUNS: re.compile(r"[0-9]{9}"),
    T.MID: re.compile(r"[A-Z]{5,8}[0-9]{0,4}[A-Z]{3}"),
    T.SCAC: re.compile(r"[A-Z]{2,4}"),
    T.DOT: re.compile(r"[0-9]{6}"),
    T.FMC_ORG: re.compile(r"[0-9]{6}[NF]?"),
    T.IATA: re.compile(r"[A-Z0-9]{2}"),
    T.RFC: re.compile(r"[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}"),
    T.SCT: re.compile(r"[A-Z0-9]{6,20}"),
    T.EORI: re.compile(r"[A-Z]{2}[A-Z0-9]{1,15}"),
    T.CBSA_BN: re.compile(r"[0-9]{9}(RM[0-9]{4})?"),
}


def text_of(alphabet: str, min_size: int, max_size: int | None = None) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=min_size, max_size=min_size if max_size is None else max_size)


@st.composite
def messy(draw, canonical: str) -> str:
    """The same value as a person might type it: lower case, padded, with stray spaces."""
    value = draw(st.sampled_from([canonical, canonical.lower(), f"  {canonical} ", f"\t{canonical}\n"]))
    if len(value) > 2 and draw(st.booleans()):
        cut = draw(st.integers(1, len(value) - 1))
        value = value[:cut] + " " + value[cut:]
    return value


@st.composite
def ein_digits(draw) -> str:
    return draw(st.sampled_from(VALID_EIN_PREFIXES)) + draw(text_of(DIGITS, 7))


@st.composite
def luhn_number(draw) -> str:
    body = draw(text_of(DIGITS, 8))
    for check in DIGITS:
        if luhn_valid(body + check):
            return body + check
    raise AssertionError("some check digit always completes a Luhn number")


@st.composite
def rfc_value(draw) -> str:
    letters = draw(text_of(UPPER + "Ñ&", 3, 4))
    day = draw(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2029, 12, 31)))
    return f"{letters}{day:%y%m%d}{draw(text_of(ALNUM, 3))}"


@st.composite
def mid_value(draw) -> str:
    value = (
        draw(text_of(UPPER, 2))
        + draw(text_of(UPPER, 3, 6))
        + draw(text_of(DIGITS, 0, 4))
        + draw(text_of(UPPER, 3))
    )
    assume(len(value) <= 15)
    return value


# For each type: (strategy of valid raw values, function giving the expected canonical form).
VALID: dict[str, tuple[st.SearchStrategy[str], object]] = {
    T.EIN: (
        ein_digits().flatmap(lambda d: st.sampled_from([d, f"{d[:2]}-{d[2:]}"])),
        lambda raw: f"{raw.replace('-', '')[:2]}-{raw.replace('-', '')[2:]}",
    ),
    T.IOR: (
        st.one_of(
            st.tuples(ein_digits(), text_of(ALNUM, 2)).map(lambda p: f"{p[0][:2]}-{p[0][2:]}{p[1]}"),
            st.tuples(text_of(DIGITS, 6), text_of(DIGITS, 5)).map(lambda p: f"{p[0]}-{p[1]}"),
        ),
        lambda raw: raw,
    ),
    T.DUNS: (
        text_of(DIGITS, 9).flatmap(lambda d: st.sampled_from([d, f"{d[:2]}-{d[2:5]}-{d[5:]}"])),
        lambda raw: raw.replace("-", ""),
    ),
    T.MID: (mid_value(), lambda raw: raw),
    T.SCAC: (text_of(UPPER, 2, 4), lambda raw: raw),
    T.DOT: (
        text_of(DIGITS, 6).flatmap(lambda d: st.sampled_from([d, f"USDOT{d}"])),
        lambda raw: raw.removeprefix("USDOT"),
    ),
    T.FMC_ORG: (st.tuples(text_of(DIGITS, 6), st.sampled_from(["", "N", "F"])).map("".join), lambda raw: raw),
    T.IATA: (text_of(ALNUM, 2).filter(lambda v: not v.isdigit()), lambda raw: raw),
    T.RFC: (rfc_value(), lambda raw: raw),
    T.SCT: (text_of(ALNUM, 6, 20), lambda raw: raw),
    T.EORI: (
        st.tuples(st.sampled_from(sorted(ids.EORI_COUNTRIES)), text_of(ALNUM, 1, 15)).map("".join),
        lambda raw: raw,
    ),
    T.CBSA_BN: (
        st.tuples(luhn_number(), st.sampled_from(["", "RM0001"]), text_of(DIGITS, 4)).map(
            lambda p: p[0] + (f"RM{p[2]}" if p[1] else "")
        ),
        lambda raw: raw,
    ),
}


def test_every_type_has_a_strategy_and_a_canonical_format():
    assert set(VALID) == set(T.values) == set(CANONICAL)


@pytest.mark.parametrize("identifier_type", T.values)
@PROPERTY
@given(data=st.data())
def test_valid_values_normalise_to_the_canonical_form_idempotently(identifier_type, data):
    strategy, expected = VALID[identifier_type]
    canonical_input = data.draw(strategy, label="value")
    raw = data.draw(messy(canonical_input), label="typed")
    value = normalize(identifier_type, raw)
    assert value == expected(canonical_input.upper())
    assert CANONICAL[identifier_type].fullmatch(value), value
    assert normalize(identifier_type, value) == value


@pytest.mark.parametrize("identifier_type", T.values)
@PROPERTY
@given(value=st.text(max_size=60))
@example(value="")
@example(value="   ")
@example(value="x" * 41)
@example(value="１２３４５６７８９")  # fullwidth digits
@example(value="١٢٣٤٥٦٧٨٩")  # Arabic-Indic digits
@example(value="12-٣٤٥٦٧٨٩AA")
@example(value="ABC٠١٠١٠١XX1")
def test_random_text_raises_nothing_but_identifier_error(identifier_type, value):
    try:
        result = normalize(identifier_type, value)
    except IdentifierError as exc:
        assert exc.message and str(exc) == exc.message
    else:
        # Whatever is accepted is in the canonical ASCII form (no look-alike digits stored).
        assert CANONICAL[identifier_type].fullmatch(result), result
        assert normalize(identifier_type, result) == result


@PROPERTY
@given(identifier_type=st.text(max_size=20).filter(lambda t: t not in T.values), value=st.text(max_size=20))
def test_unknown_type_is_refused_listing_the_known_types(identifier_type, value):
    with pytest.raises(IdentifierError) as caught:
        normalize(identifier_type, value)
    assert "Unknown identifier type" in caught.value.message
    assert "ior, ein, duns" in caught.value.message


# (type, bad value, words the message must contain: the format it expects).
KNOWN_BAD = [
    (T.IOR, "123", ["12-3456789AA", "041234-56789"]),
    (T.IOR, "12-3456789", ["two-character suffix"]),
    (T.IOR, "12-3456789AAA", ["12-3456789AA"]),
    (T.IOR, "AB-CDEFGHIAA", ["12-3456789AA"]),
    (T.EIN, "12-345678", ["9 digits", "NN-NNNNNNN"]),
    (T.EIN, "1234567890", ["9 digits"]),
    (T.EIN, "12-345678A", ["9 digits"]),
    (T.DUNS, "12345678", ["9 digits"]),
    (T.DUNS, "12345678X", ["9 digits"]),
    (T.MID, "CN", ["country code", "15 characters"]),
    (T.MID, "CNACMMAN12345SHA", ["up to 4 digits"]),
    (T.MID, "CNACMEMANUF1234SHA", ["at most 15 characters"]),
    (T.MID, "1NACMMAN1234SHA", ["country code"]),
    (T.SCAC, "A", ["2 to 4 letters"]),
    (T.SCAC, "ABCDE", ["2 to 4 letters"]),
    (T.SCAC, "AB1", ["2 to 4 letters"]),
    (T.DOT, "12345", ["6 digits"]),
    (T.DOT, "1234567", ["6 digits"]),
    (T.DOT, "USDOT12A456", ["6 digits"]),
    (T.FMC_ORG, "12345", ["6 digits", "N or F"]),
    (T.FMC_ORG, "012345X", ["N or F"]),
    (T.IATA, "12", ["at least one letter"]),
    (T.IATA, "AAA", ["2 characters"]),
    (T.RFC, "AB850101XX1", ["12 characters", "13"]),
    (T.RFC, "ABCDE850101XX1", ["12 characters"]),
    (T.RFC, "ABC85010XX1", ["12 characters"]),
    (T.SCT, "ABC12", ["6 to 20"]),
    (T.SCT, "A" * 21, ["6 to 20"]),
    (T.SCT, "ABC/123", ["6 to 20"]),
    (T.EORI, "DE", ["2-letter country code", "15"]),
    (T.EORI, "DE1234567890123456", ["up to 15"]),
    (T.EORI, "US123456789", ["US is not the code of an EU member state"]),
    (T.EORI, "CA1234", ["CA is not the code"]),
    (T.CBSA_BN, "12345678", ["9 digits", "RM0001"]),
    (T.CBSA_BN, "123456782RT0001", ["RM0001"]),
    (T.CBSA_BN, "123456789", ["check digit"]),
]


@pytest.mark.parametrize(
    ("identifier_type", "value", "words"), KNOWN_BAD, ids=[f"{t}-{v}" for t, v, _w in KNOWN_BAD]
)
def test_known_bad_values_get_a_message_that_states_the_format(identifier_type, value, words):
    with pytest.raises(IdentifierError) as caught:
        normalize(identifier_type, value)
    for word in words:
        assert word in caught.value.message


@pytest.mark.parametrize("identifier_type", T.values)
def test_empty_and_oversized_values_are_refused(identifier_type):
    for blank in ("", "   ", None):
        with pytest.raises(IdentifierError, match="Enter a value"):
            normalize(identifier_type, blank)
    with pytest.raises(IdentifierError, match="at most 40 characters"):
        normalize(identifier_type, "1" * 41)


@pytest.mark.parametrize("prefix", INVALID_EIN_PREFIXES)
def test_ein_prefixes_never_assigned_are_refused(prefix):
    with pytest.raises(IdentifierError) as caught:
        normalize(T.EIN, f"{prefix}-1234567")
    assert caught.value.message == f"EIN prefix {prefix} is not one the IRS assigns."
    # An IOR built on such an EIN is refused for the same reason.
    with pytest.raises(IdentifierError, match=f"EIN prefix {prefix}"):
        normalize(T.IOR, f"{prefix}-1234567AA")


@pytest.mark.parametrize("prefix", VALID_EIN_PREFIXES)
def test_every_other_ein_prefix_is_accepted(prefix):
    assert normalize(T.EIN, f"{prefix}1234567") == f"{prefix}-1234567"


@PROPERTY
@given(body=text_of(DIGITS, 8), check=st.sampled_from(DIGITS))
def test_cbsa_bn_accepts_exactly_the_luhn_valid_numbers(body, check):
    number = body + check
    if luhn_valid(number):
        assert normalize(T.CBSA_BN, number) == number
        assert normalize(T.CBSA_BN, f"{number[:3]} {number[3:6]} {number[6:]} rm0001") == f"{number}RM0001"
    else:
        with pytest.raises(IdentifierError, match="check digit"):
            normalize(T.CBSA_BN, number)


@PROPERTY
@given(number=luhn_number(), position=st.integers(0, 8), delta=st.integers(1, 9))
def test_cbsa_bn_single_digit_typo_is_caught(number, position, delta):
    typo = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    with pytest.raises(IdentifierError, match="check digit"):
        normalize(T.CBSA_BN, typo)


def test_luhn_known_values():
    assert luhn_valid("046454286")  # the CRA's published sample business number
    assert not luhn_valid("046454287")
    assert luhn_valid("79927398713")


@PROPERTY
@given(day=st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2029, 12, 31)), person=st.booleans())
def test_rfc_accepts_every_real_date(day, person):
    letters = "ABCD" if person else "ABC"
    assert normalize(T.RFC, f"{letters}{day:%y%m%d}XY1") == f"{letters}{day:%y%m%d}XY1"


@pytest.mark.parametrize(
    "yymmdd", ["851301", "850001", "850132", "850431", "850230", "010229", "990229", "850100", "000230"]
)
def test_rfc_refuses_dates_that_do_not_exist(yymmdd):
    with pytest.raises(IdentifierError) as caught:
        normalize(T.RFC, f"ABC{yymmdd}XX1")
    assert caught.value.message == "The RFC's date part (YYMMDD) is not a real date."


@pytest.mark.parametrize("yy", ["00", "04", "84", "96"])
def test_rfc_accepts_february_29_of_leap_years(yy):
    assert normalize(T.RFC, f"abc{yy}0229xx1") == f"ABC{yy}0229XX1"


def test_rfc_accepts_enye_and_ampersand_and_hyphens():
    assert normalize(T.RFC, "ñab-850101-xx1") == "ÑAB850101XX1"
    assert normalize(T.RFC, "A&B850101XX1") == "A&B850101XX1"


@pytest.mark.parametrize(
    ("identifier_type", "typed", "stored"),
    [
        (T.IOR, "12 3456789aa", "12-3456789AA"),
        (T.IOR, "041234 56789", "041234-56789"),
        (T.EIN, "123456789", "12-3456789"),
        (T.DUNS, "15-048-3782", "150483782"),
        (T.MID, "cnacmman1234sha", "CNACMMAN1234SHA"),
        (T.DOT, "usdot 123456", "123456"),
        (T.FMC_ORG, "012345n", "012345N"),
        (T.IATA, "2k", "2K"),
        (T.SCT, "0923-abc-12", "0923ABC12"),
        (T.EORI, "de 123 456 7", "DE1234567"),
        (T.CBSA_BN, "046454286rm0001", "046454286RM0001"),
    ],
)
def test_examples_of_typed_and_stored_forms(identifier_type, typed, stored):
    assert normalize(identifier_type, typed) == stored


@pytest.mark.parametrize(
    ("entity_type", "present", "missing"),
    [
        ("importer", set(), [("ior",)]),
        ("importer", {"ior"}, []),
        ("exporter", {"duns"}, []),
        ("highway_carrier", {"scac"}, [("dot",)]),
        ("mexican_long_haul_carrier", {"sct"}, [("rfc",)]),
        ("consolidator", {"iata"}, []),
    ],
)
def test_missing_identifier_groups(entity_type, present, missing):
    assert ids.missing_identifier_groups(entity_type, present) == missing


def test_every_entity_type_requires_known_identifier_types():
    from greenlane.partners.choices import EntityType

    assert set(ids.REQUIRED_IDENTIFIERS) == set(EntityType.values)
    for groups in ids.REQUIRED_IDENTIFIERS.values():
        assert groups and all(set(group) <= set(T.values) for group in groups)
