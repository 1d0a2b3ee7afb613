"""Pure tests for the MSC catalog files and their loader (no Django needed).

Run: .venv/bin/pytest -p no:django greenlane/criteria/tests/test_catalog_io.py -q
"""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

import pytest

from ..catalog_io import (
    ENTITY_TYPES,
    Catalog,
    CatalogError,
    bundled_catalog_paths,
    coverage,
    criteria_for,
    diff_catalogs,
    load_catalog,
    parse_catalog,
)

REPO_ROOT = Path(__file__).resolve().parents[3]
OUTLINE_CSV = REPO_ROOT.parent / "shared" / "reference" / "msc_outline.csv"


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Catalog]:
    return {c.version: c for c in (load_catalog(p) for p in bundled_catalog_paths())}


@pytest.fixture(scope="module")
def v1(catalogs: dict[str, Catalog]) -> Catalog:
    return catalogs["2026.1"]


@pytest.fixture(scope="module")
def v2(catalogs: dict[str, Catalog]) -> Catalog:
    return catalogs["2026.2"]


# --------------------------------------------------------------------------- bundled files


def test_bundled_catalogs_parse_in_version_order():
    paths = bundled_catalog_paths()
    assert [p.name for p in paths] == ["msc-2026.1.yaml", "msc-2026.2.yaml"]
    loaded = [load_catalog(p) for p in paths]
    assert [c.version for c in loaded] == ["2026.1", "2026.2"]
    assert [c.effective for c in loaded] == [date(2026, 1, 1), date(2027, 1, 1)]
    for path, catalog in zip(paths, loaded, strict=True):
        assert catalog.catalog == "msc"
        assert catalog.checksum == hashlib.sha256(path.read_bytes()).hexdigest()
        assert len(catalog.focus_areas) == 3
        assert [c.number for c in catalog.categories] == list(range(1, 13))


@pytest.mark.parametrize("version", ["2026.1", "2026.2"])
def test_every_entity_type_has_every_category(catalogs, version):
    cov = coverage(catalogs[version])
    assert set(cov) == set(ENTITY_TYPES)
    gaps = [(t, n) for t, per_cat in cov.items() for n, count in per_cat.items() if count < 1]
    assert gaps == []


@pytest.mark.parametrize("version", ["2026.1", "2026.2"])
def test_importer_set_is_complete_enough(catalogs, version):
    assert len(criteria_for(catalogs[version], "importer")) >= 90


def test_all_entity_criteria(v1):
    for criterion_id in ("7.37", "11.5"):
        assert v1.get(criterion_id).applies_to == ENTITY_TYPES
    agricultural = [c for c in v1.criteria if c.category == 8]
    assert agricultural
    assert all(c.applies_to == ENTITY_TYPES for c in agricultural)


def test_level_of_6_4_is_must_and_explained(v1):
    criterion = v1.get("6.4")
    assert criterion.level == "must"
    assert "level" in criterion.guidance.lower()


@pytest.mark.skipif(
    not OUTLINE_CSV.exists(), reason="reference/msc_outline.csv not available beside the repo"
)
def test_outline_ids_present_with_their_level(v1):
    with OUTLINE_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    problems = []
    for row in rows:
        criterion = v1.get(row["id"])
        if criterion is None:
            problems.append(f"{row['id']}: missing")
            continue
        expected_level = row["level"].strip().lower()
        if expected_level == "unknown":
            expected_level = "must"
        if criterion.level != expected_level:
            problems.append(f"{row['id']}: level {criterion.level}, outline says {expected_level}")
        missing = set(filter(None, row["applies_to"].split(";"))) - set(criterion.applies_to)
        if missing:
            problems.append(f"{row['id']}: applies_to lacks {sorted(missing)}")
    assert problems == []
    importer_rows = [r for r in rows if "importer" in r["applies_to"].split(";")]
    assert len(criteria_for(v1, "importer")) >= len(importer_rows)


def test_criteria_for_is_sorted_numerically(v1):
    ids = [c.id for c in criteria_for(v1, "importer")]
    assert ids.index("7.4") < ids.index("7.10") < ids.index("7.37")
    assert ids.index("9.16") < ids.index("10.1") < ids.index("12.10")
    keys = [c.sort_key for c in criteria_for(v1, "sea_carrier")]
    assert keys == sorted(keys)
    with pytest.raises(ValueError, match="unknown entity type"):
        criteria_for(v1, "pirate")


def test_coverage_counts_match_criteria_for(v1):
    cov = coverage(v1)
    for entity_type in ENTITY_TYPES:
        assert sum(cov[entity_type].values()) == len(criteria_for(v1, entity_type))


def test_diff_2026_1_to_2026_2(v1, v2):
    diff = diff_catalogs(v1, v2)
    assert diff.changed == ("3.9", "4.8", "7.23", "12.1")
    assert diff.added == ("4.16", "9.22")
    assert diff.removed == ("5.15",)
    assert len(diff.unchanged) == len(v1.criteria) - 5
    assert diff.needs_reanswer == ("3.9", "4.8", "4.16", "7.23", "9.22", "12.1")
    assert (v1.get("3.9").level, v2.get("3.9").level) == ("should", "must")
    for criterion_id in ("4.8", "7.23", "12.1"):
        assert v1.get(criterion_id).requirement != v2.get(criterion_id).requirement


def test_diff_ignores_guidance_and_applies_to_order():
    old = parse_catalog(_catalog(_CRITERION))
    new = parse_catalog(
        _catalog(
            _CRITERION.replace(
                "guidance: Use bolt seals.", "guidance: Use bolt seals, and log them."
            ).replace("[importer, highway_carrier]", "[highway_carrier, importer]")
        )
    )
    assert old.checksum != new.checksum
    diff = diff_catalogs(old, new)
    assert diff.unchanged == ("6.2",)
    assert diff.changed == diff.added == diff.removed == ()

    widened = parse_catalog(_catalog(_CRITERION.replace("[importer, highway_carrier]", "[importer]")))
    assert diff_catalogs(old, widened).changed == ("6.2",)


# --------------------------------------------------------------------------- malformed input

_HEADER = """\
catalog: msc
version: "2026.9"
title: Test catalog
effective: 2026-01-01
focus_areas:
  - {code: transportation_security, name: Transportation Security}
categories:
  - {number: 6, name: Seal Security, focus_area: transportation_security}
criteria:
"""

_CRITERION = """\
  - id: "6.2"
    category: 6
    level: must
    title: High-security seals
    requirement: Seal every sealable shipment with an ISO 17712 seal.
    guidance: Use bolt seals.
    applies_to: [importer, highway_carrier]
"""


def _catalog(*criteria: str, header: str = _HEADER) -> str:
    return header + "".join(criteria)


def _error(text: str) -> str:
    with pytest.raises(CatalogError) as excinfo:
        parse_catalog(text)
    return str(excinfo.value)


def test_minimal_catalog_parses():
    catalog = parse_catalog(_catalog(_CRITERION))
    criterion = catalog.get("6.2")
    assert criterion.applies_to == ("importer", "highway_carrier")
    assert criterion.crosswalk == {}
    assert criterion.number == 2
    assert hash(criterion)  # frozen and hashable despite the crosswalk dict


def test_duplicate_id():
    message = _error(_catalog(_CRITERION, _CRITERION))
    assert "criterion 6.2" in message
    assert "'id'" in message and "duplicate" in message
    assert "line 17" in message and "line 10" in message


def test_bad_level():
    message = _error(_catalog(_CRITERION.replace("level: must", "level: shall")))
    assert "criterion 6.2" in message and "'level'" in message and "'shall'" in message


def test_unknown_entity_type():
    message = _error(_catalog(_CRITERION.replace("highway_carrier]", "truck_carrier]")))
    assert "criterion 6.2" in message and "'applies_to'" in message and "'truck_carrier'" in message


def test_id_category_mismatch():
    message = _error(_catalog(_CRITERION.replace("category: 6", "category: 7")))
    assert "criterion 6.2" in message and "'category'" in message
    assert "7" in message and "line 10" in message


def test_yaml_syntax_error_reports_line():
    broken = _catalog(_CRITERION.replace("applies_to: [importer, highway_carrier]", "applies_to: [importer"))
    message = _error(broken)
    assert message.startswith("YAML syntax error")
    assert "line " in message


def test_duplicate_yaml_key_reports_line():
    message = _error(
        _catalog(_CRITERION.replace("    level: must\n", "    level: must\n    level: should\n"))
    )
    assert "duplicate key 'level'" in message and "line 13" in message and "first on line 12" in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('id: "6.2"', "id: 6.2", "quoted string"),
        ('id: "6.2"', 'id: "6-2"', "field 'id'"),
        ("    guidance: Use bolt seals.\n", "", "missing required field 'guidance'"),
        ("guidance: Use bolt seals.", 'guidance: "  "', "field 'guidance' must not be empty"),
        ("title: High-security seals", "title: " + "x" * 121, "field 'title' is 121 characters"),
        ("applies_to: [importer, highway_carrier]", "applies_to: []", "field 'applies_to'"),
        ("applies_to: [importer, highway_carrier]", "applies_to: [importer, importer]", "twice"),
        ("    guidance: Use bolt seals.\n", "    guidance: x\n    note: y\n", "unknown field(s) 'note'"),
        (
            "    guidance: Use bolt seals.\n",
            "    guidance: x\n    crosswalk: {eu_aeo_saq: 3.7}\n",
            "crosswalk",
        ),
    ],
)
def test_field_errors_name_the_criterion_and_field(old, new, expected):
    text = _catalog(_CRITERION.replace(old, new))
    assert text != _catalog(_CRITERION)
    message = _error(text)
    assert expected in message
    assert "6.2" in message


def test_unknown_category():
    text = _catalog(_CRITERION.replace('id: "6.2"', 'id: "5.1"').replace("category: 6", "category: 5"))
    message = _error(text)
    assert "criterion 5.1" in message and "unknown category 5" in message


def test_top_level_errors():
    assert "missing required field 'criteria'" in _error(_HEADER.replace("criteria:\n", ""))
    assert "quoted string" in _error(_catalog(_CRITERION, header=_HEADER.replace('"2026.9"', "2026.9")))
    assert "'effective'" in _error(_catalog(_CRITERION, header=_HEADER.replace("2026-01-01", "soon")))
    assert "unknown focus area" in _error(
        _catalog(_CRITERION, header=_HEADER.replace("focus_area: transportation_security}", "focus_area: x}"))
    )
    assert "must be a mapping" in _error("- just\n- a list\n")
    assert "must be a mapping" in _error("")


def test_load_catalog_prefixes_file_name(tmp_path):
    path = tmp_path / "msc-9.9.yaml"
    path.write_text(_catalog(_CRITERION.replace("level: must", "level: maybe")), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"^msc-9\.9\.yaml: criterion 6\.2"):
        load_catalog(path)
    with pytest.raises(CatalogError, match="cannot read"):
        load_catalog(tmp_path / "absent.yaml")
