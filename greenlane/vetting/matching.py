"""Fuzzy matching of a company against compliance records. Pure Python + rapidfuzz: no Django.

Names and addresses are first reduced to keys (`name_key`, `address_key`): accents folded, case folded,
punctuation dropped, legal-form suffixes (LLC, Inc., S.A. de C.V., GmbH, Co., Ltd. ...) removed, and for
names the words sorted. Keys are computed once, at import, and stored with the record.

The score of a record against a company (0-100, shown to the vetting officer):

    N = max over the company's names of (token_set_ratio + token_sort_ratio) / 2    name similarity
    A = max over the company's site addresses of token_set_ratio                   address similarity
    C = 1 if the record's country is the company's country or one of its sites' countries, else 0

    score = 0.80 N + 0.15 A + 5 C     when both sides have an address
    score = 0.95 N + 5 C              when either side has none

and a record is a candidate at `score >= THRESHOLD` (85). token_set_ratio alone scores a name that is a
subset of another as 100 ("Atlas" against "Atlas Imports"), which would flood the queue with short names;
averaging it with token_sort_ratio keeps misspellings and reordered words high while a missing word costs.

Speed: `MatchIndex` holds every distinct (country, name key) once, in one list, and each entry's record
ids. A search is one rapidfuzz scan of that list with plain `ratio` on the sorted keys (that *is*
token_sort_ratio) and a cut-off derived from the formula, so nothing that could reach the threshold is
skipped; only the few survivors get token_set_ratio and, with their addresses, the exact score. Every
record is compared, in every country: blocking by country would miss a subject registered across a
border, and a full scan of 1,000,000 keys takes a few hundred milliseconds (bench/vetting.py).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

THRESHOLD = 85.0
NAME_WEIGHT = 0.80
ADDRESS_WEIGHT = 0.15
NAME_WEIGHT_NO_ADDRESS = 0.95
COUNTRY_BONUS = 5.0

# Legal-form words dropped from the end of a name, repeatedly ("Foo Holdings Co., Ltd." -> "foo holdings").
_LEGAL_FORMS_TEXT = """llc lllp llp lp inc incorporated corp corporation co company companies cia ltd limited
    ltda plc gmbh mbh ag kg ohg ug se sa sas sarl sau srl spa sl slu bv nv oy ab asa kk pte pty pvt bhd sdn
    jsc ooo sro doo kft zrt sac saa sab sapi cv rl sc"""
LEGAL_FORMS = frozenset(_LEGAL_FORMS_TEXT.split())
# Multi-word legal forms (after punctuation is gone), longest first.
LEGAL_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(p.split())
            for p in [
                "s de rl de cv",
                "s de rl",
                "sa de cv",
                "s a de c v",
                "sapi de cv",
                "sab de cv",
                "s a",
                "s a s",
                "s r l",
                "s p a",
                "b v",
                "n v",
                "co ltd",
                "pvt ltd",
                "pte ltd",
                "pty ltd",
                "sdn bhd",
                "private limited",
                "limited liability company",
                "l l c",
                "gmbh co kg",
            ]
        ),
        key=len,
        reverse=True,
    )
)
_PHRASES_BY_LAST: dict[str, list[tuple[str, ...]]] = {}
for _phrase in LEGAL_PHRASES:
    _PHRASES_BY_LAST.setdefault(_phrase[-1], []).append(_phrase)
_ADDRESS_WORDS = {
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "avenida": "ave",
    "road": "rd",
    "boulevard": "blvd",
    "drive": "dr",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "highway": "hwy",
    "parkway": "pkwy",
    "suite": "ste",
    "building": "bldg",
    "floor": "fl",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "number": "no",
    "numero": "no",
    "calle": "c",
    "carretera": "carr",
    "colonia": "col",
}
_APOSTROPHES = re.compile(r"['’`´.]")
_NON_WORD = re.compile(r"[\W_]+")  # letters and digits of any script stay


def fold(text: str) -> str:
    """Case-folded text without accents; '&' spelled 'and'; abbreviation dots and apostrophes dropped."""
    text = text or ""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ß", "ss")
    text = text.casefold().replace("&", " and ")
    # "S.A." -> "sa", "O'Neil" -> "oneil": a dot or an apostrophe joins; other punctuation separates.
    text = _APOSTROPHES.sub("", text)
    return _NON_WORD.sub(" ", text).strip()


def _strip_legal_forms(tokens: list[str]) -> list[str]:
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for phrase in _PHRASES_BY_LAST.get(tokens[-1], ()):
            n = len(phrase)
            if len(tokens) > n and tuple(tokens[-n:]) == phrase:
                del tokens[-n:]
                changed = True
                break
        else:
            if tokens[-1] in LEGAL_FORMS:
                tokens.pop()
                changed = True
            elif tokens[-1] in ("de", "y", "and") and len(tokens) > 2 and tokens[-2] in LEGAL_FORMS:
                tokens.pop()  # the "de" of "S.A. de C.V." once "C.V." is gone
                changed = True
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    return tokens


def name_tokens(name: str) -> list[str]:
    return _strip_legal_forms(fold(name).split())


def name_key(name: str) -> str:
    """The comparable form of a company name: folded, without legal form, words sorted."""
    return " ".join(sorted(name_tokens(name)))


def address_key(address: str) -> str:
    """The comparable form of an address: folded, common words abbreviated the same way."""
    return " ".join(_ADDRESS_WORDS.get(t, t) for t in fold(address).split())


_EIN_BASED_IOR = re.compile(r"(\d{2}-\d{7})[A-Z0-9]{2}")


def expand_identifier(identifier_type: str, value: str) -> list[tuple[str, str, bool]]:
    """The identifier itself and what it implies: an EIN-based IOR number (12-3456789AA) names the EIN
    12-3456789. Values are already normalised. Items are (type, value, derived)."""
    items = [(identifier_type, value, False)]
    if identifier_type == "ior" and (m := _EIN_BASED_IOR.fullmatch(value)):
        items.append(("ein", m.group(1), True))
    return items


def name_similarity(a_key: str, b_key: str) -> float:
    """(token_set_ratio + token_sort_ratio) / 2 on two name keys (keys are already sorted)."""
    if not a_key or not b_key:
        return 0.0
    return (fuzz.token_set_ratio(a_key, b_key) + fuzz.ratio(a_key, b_key)) / 2


def address_similarity(a_key: str, b_key: str) -> float:
    if not a_key or not b_key:
        return 0.0
    return float(fuzz.token_set_ratio(a_key, b_key))


def combine(name: float, address: float | None, same_country: bool) -> float:
    """The documented formula; `address` None when either side has no address."""
    bonus = COUNTRY_BONUS if same_country else 0.0
    if address is None:
        return round(NAME_WEIGHT_NO_ADDRESS * name + bonus, 1)
    return round(NAME_WEIGHT * name + ADDRESS_WEIGHT * address + bonus, 1)


def _upper_bound(name: float, same_country: bool, subject_has_address: bool) -> float:
    best = NAME_WEIGHT_NO_ADDRESS * name
    if subject_has_address:
        best = max(best, NAME_WEIGHT * name + ADDRESS_WEIGHT * 100)
    return best + (COUNTRY_BONUS if same_country else 0.0)


def name_needed(threshold: float, same_country: bool, subject_has_address: bool) -> float:
    """The least name similarity N with which a record can still reach the threshold."""
    bonus = COUNTRY_BONUS if same_country else 0.0
    needed = (threshold - bonus) / NAME_WEIGHT_NO_ADDRESS
    if subject_has_address:
        needed = min(needed, (threshold - bonus - ADDRESS_WEIGHT * 100) / NAME_WEIGHT)
    return max(0.0, needed)


def sort_ratio_cutoff(threshold: float, same_country: bool, subject_has_address: bool) -> float:
    # N = (set + sort) / 2 and set <= 100, so N >= needed requires sort >= 2 * needed - 100.
    return max(0.0, 2 * name_needed(threshold, same_country, subject_has_address) - 100)


@dataclass(frozen=True)
class Subject:
    """The company side of a comparison, as keys."""

    names: tuple[str, ...]
    addresses: tuple[str, ...]
    countries: frozenset[str]

    @classmethod
    def of(cls, names: Iterable[str], addresses: Iterable[str], countries: Iterable[str]) -> Subject:
        name_keys = tuple(dict.fromkeys(k for k in (name_key(n) for n in names if n) if k))
        address_keys = tuple(dict.fromkeys(k for k in (address_key(a) for a in addresses if a) if k))
        return cls(name_keys, address_keys, frozenset(c.upper() for c in countries if c))


@dataclass(frozen=True)
class Score:
    score: float
    name: float
    address: float | None
    same_country: bool
    name_used: str

    def as_dict(self) -> dict:
        return {
            "score": self.score,
            "name": round(self.name, 1),
            "address": None if self.address is None else round(self.address, 1),
            "same_country": self.same_country,
            "name_used": self.name_used,
        }


def score_record(
    subject: Subject, record_name_key: str, record_address_key: str, record_country: str
) -> Score:
    name, used = 0.0, ""
    for key in subject.names:
        s = name_similarity(key, record_name_key)
        if s > name:
            name, used = s, key
    address: float | None = None
    if subject.addresses and record_address_key:
        address = max(address_similarity(a, record_address_key) for a in subject.addresses)
    same = record_country.upper() in subject.countries
    return Score(combine(name, address, same), name, address, same, used)


@dataclass(frozen=True)
class Candidate:
    """A group of records sharing one (country, name key) whose best possible score reaches the threshold."""

    record_ids: tuple[int, ...]
    name_key: str
    country: str
    name: float
    upper_bound: float


class MatchIndex:
    """Every distinct (country, name key) of the compliance records, once, with the ids of its records.

    Built once per import version (`version`), then searched many times; kept in plain lists and arrays
    (about 100 bytes per distinct name).
    """

    def __init__(self, version: str = "") -> None:
        self.version = version
        self.names: list[str] = []
        self.country_of: array = array("H")  # index into self.countries, per entry
        self.starts: array = array("q", [0])  # entry i's record ids are ids[starts[i]:starts[i + 1]]
        self.ids: array = array("q")
        self.countries: list[str] = []

    @classmethod
    def build(cls, rows: Iterable[tuple[int, str, str]], version: str = "") -> MatchIndex:
        """From (record id, country, name key) rows sorted by (country, name key)."""
        index = cls(version)
        codes: dict[str, int] = {}
        last: tuple[str, str] | None = None
        names, country_of, starts, ids = index.names, index.country_of, index.starts, index.ids
        for record_id, country, key in rows:
            if not key:
                continue
            if (country, key) != last:
                if last is not None:
                    starts.append(len(ids))
                code = codes.get(country)
                if code is None:
                    code = codes[country] = len(index.countries)
                    index.countries.append(country)
                names.append(key)
                country_of.append(code)
                last = (country, key)
            ids.append(record_id)
        if last is not None:
            starts.append(len(ids))
        # Copy the keys into fresh strings laid out one after the other in memory, in index order: the scan
        # reads them in that order, and keys scattered over the heap (as rows arrive) make it 4-5x slower.
        index.names = "\n".join(names).split("\n") if names else []
        return index

    @property
    def record_count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.names)

    def candidates(self, subject: Subject, threshold: float = THRESHOLD) -> list[Candidate]:
        """Every name group that can still reach `threshold` once addresses are known, best first."""
        has_address = bool(subject.addresses)
        cut_same = sort_ratio_cutoff(threshold, True, has_address)
        cut_other = sort_ratio_cutoff(threshold, False, has_address)
        same_codes = {i for i, c in enumerate(self.countries) if c in subject.countries}
        best: dict[int, tuple[float, float]] = {}
        for query in subject.names:
            for choice, sort_ratio, i in process.extract_iter(
                query, self.names, scorer=fuzz.ratio, score_cutoff=min(cut_same, cut_other)
            ):
                same = self.country_of[i] in same_codes
                if not same and sort_ratio < cut_other:
                    continue
                name = (fuzz.token_set_ratio(query, choice) + sort_ratio) / 2
                bound = _upper_bound(name, same, has_address)
                if bound >= threshold and (i not in best or name > best[i][0]):
                    best[i] = (name, bound)
        found = [
            Candidate(
                record_ids=tuple(self.ids[self.starts[i] : self.starts[i + 1]]),
                name_key=self.names[i],
                country=self.countries[self.country_of[i]],
                name=name,
                upper_bound=bound,
            )
            for i, (name, bound) in best.items()
        ]
        found.sort(key=lambda c: (-c.upper_bound, c.name_key))
        return found


def rank(subject: Subject, records: Sequence[tuple[int, str, str, str]], threshold: float = THRESHOLD):
    """Exact scores of (id, name key, address key, country) records at or above the threshold, best first."""
    scored = [(rid, score_record(subject, nk, ak, country)) for rid, nk, ak, country in records]
    kept = [(rid, s) for rid, s in scored if s.score >= threshold]
    kept.sort(key=lambda pair: (-pair[1].score, pair[0]))
    return kept
