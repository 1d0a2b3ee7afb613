"""The pure matching core: keys, the score formula, and the index's prefilter against brute force."""

from __future__ import annotations

import random

import pytest

from greenlane.vetting import matching as m


@pytest.mark.parametrize(
    "variants",
    [
        [
            "Atlas Imports, LLC",
            "ATLAS IMPORTS L.L.C.",
            "Atlas Imports Inc.",
            "atlas imports",
            "The Atlas Imports Co.",
        ],
        [
            "Transportes del Norte S.A. de C.V.",
            "TRANSPORTES DEL NORTE, S. A. DE C. V.",
            "Transportes Del Norte SA de CV",
        ],
        ["Müller Logistik GmbH", "Muller Logistik GMBH", "MÜLLER LOGISTIK"],
        [
            "Shenzhen Bright Electronics Co., Ltd.",
            "Shenzhen Bright Electronics Co Ltd",
            "Bright Electronics, Shenzhen",
        ],
        ["Grupo Industrial S. de R.L. de C.V.", "Grupo Industrial, S de RL de CV"],
        ["O'Neil & Sons Inc.", "ONeil and Sons"],
    ],
)
def test_suffix_punctuation_case_and_accent_variants_share_one_key(variants):
    assert len({m.name_key(v) for v in variants}) == 1, [m.name_key(v) for v in variants]


def test_names_in_other_scripts_keep_their_letters():
    assert m.name_key("北京贸易有限公司") == "北京贸易有限公司"
    assert m.name_key("Ōsaka Shōji K.K.") == "osaka shoji"


def test_a_name_that_is_only_a_legal_form_keeps_it():
    assert m.name_key("LLC") == "llc"
    assert m.name_key("...") == ""


def test_address_key_abbreviates_common_words():
    assert m.address_key("1 Harbor Way, Suite 200, Newark") == m.address_key("1 harbor way ste. 200 NEWARK")
    assert m.address_key("Avenida Constitución 100") == "ave constitucion 100"


def test_expand_identifier_reads_the_ein_out_of_an_ein_based_ior():
    assert m.expand_identifier("ior", "12-3456789AA") == [
        ("ior", "12-3456789AA", False),
        ("ein", "12-3456789", True),
    ]
    assert m.expand_identifier("ior", "041234-56789") == [("ior", "041234-56789", False)]
    assert m.expand_identifier("ein", "12-3456789") == [("ein", "12-3456789", False)]


def subject(name="Atlas Imports LLC", address="1 Harbor Way, Newark NJ 07114", country="US"):
    return m.Subject.of([name], [address] if address else [], [country])


def score(s, name, address="", country="US"):
    return m.score_record(s, m.name_key(name), m.address_key(address), country)


def test_formula_with_and_without_addresses():
    s = subject()
    same = score(s, "ATLAS IMPORTS, L.L.C.", "1 Harbor Way Newark NJ 07114")
    assert (same.score, same.name, same.address, same.same_country) == (100.0, 100.0, 100.0, True)
    no_address = score(s, "Atlas Imports Inc")
    assert no_address.address is None and no_address.score == 100.0
    abroad = score(s, "Atlas Imports Inc", country="MX")
    assert abroad.score == 95.0 and not abroad.same_country
    other_address = score(s, "Atlas Imports", "77 Ocean Drive, Miami FL")
    assert other_address.score == round(0.80 * 100 + 0.15 * other_address.address + 5, 1)
    assert m.combine(90.0, None, True) == 90.5
    assert m.combine(90.0, 60.0, False) == 81.0


def test_misspellings_and_word_order_match_and_other_companies_do_not():
    s = subject(address="")
    assert score(s, "Atlas Imprts Inc.").score >= m.THRESHOLD
    assert score(s, "Imports Atlas, Ltd").score >= m.THRESHOLD
    assert score(s, "Atlax Imports").score >= m.THRESHOLD
    assert score(s, "Granite Freightways").score < m.THRESHOLD
    assert score(s, "Atlas").score < m.THRESHOLD  # a subset of the words is not enough
    assert score(s, "Pacific Atlas Trading Group").score < m.THRESHOLD


def test_the_best_of_the_company_names_and_addresses_counts():
    s = m.Subject.of(
        ["Zenith Apparel Holdings", "Blue Heron Imports"],
        ["5 Pier Rd, Oakland", "1 Harbor Way, Newark"],
        ["US", "CA"],
    )
    result = score(s, "Blue Heron Imports", "1 Harbor Way Newark", "CA")
    assert (result.name, result.address, result.same_country, result.name_used) == (
        100.0,
        100.0,
        True,
        "blue heron imports",
    )


WORDS = [
    "atlas",
    "atlaz",
    "harbor",
    "harbour",
    "imports",
    "import",
    "trading",
    "pacific",
    "pacifica",
    "granite",
    "freight",
    "freightways",
    "blue",
    "heron",
    "herron",
    "zenith",
    "apparel",
    "global",
    "logistics",
    "north",
    "star",
    "northstar",
    "cedar",
    "ceder",
    "group",
    "textiles",
    "textile",
    "sun",
    "sunrise",
    "rise",
]
COUNTRIES = ["US", "US", "MX", "CN", "CA"]


def random_name(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))


def test_index_candidates_find_exactly_what_brute_force_finds():
    """The index's cut-offs are derived from the formula: nothing that reaches the threshold is skipped."""
    rng = random.Random(2026)
    records = []
    for rid in range(1, 3001):
        address = rng.choice(["", "1 harbor way newark", "5 pier road oakland", "100 main street"])
        records.append((rid, m.name_key(random_name(rng)), m.address_key(address), rng.choice(COUNTRIES)))
    by_id = {r[0]: r for r in records}
    index = m.MatchIndex.build(
        sorted(((rid, c, nk) for rid, nk, _a, c in records), key=lambda r: (r[1], r[2]))
    )
    assert index.record_count == 3000
    total = 0
    for _ in range(60):
        address = rng.choice(["", "1 Harbor Way, Newark"])
        s = m.Subject.of([random_name(rng)], [address] if address else [], [rng.choice(COUNTRIES)])
        brute = m.rank(s, records)
        found = m.rank(s, [by_id[rid] for c in index.candidates(s) for rid in c.record_ids])
        assert found == brute
        total += len(brute)
    assert total > 100  # the comparison is not vacuous


def test_empty_index_and_empty_subject():
    index = m.MatchIndex.build([])
    assert len(index) == 0 and index.candidates(subject()) == []
    full = m.MatchIndex.build([(1, "US", "atlas imports")])
    assert full.candidates(m.Subject.of([""], [], ["US"])) == []
