"""Load and validate versioned Minimum Security Criteria (MSC) catalogs.

The catalogs live as YAML files in ``catalog/`` beside this module (``msc-<version>.yaml``).
This module is pure Python (PyYAML, hashlib, dataclasses): no Django, so it can be used by
management commands, data migrations, rule engines and plain pytest alike.

Every validation problem raises :class:`CatalogError` with a message naming the criterion id
(or list position), the field at fault and, where known, the line in the YAML text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "ENTITY_TYPES",
    "LEVELS",
    "Catalog",
    "CatalogDiff",
    "CatalogError",
    "Category",
    "Criterion",
    "FocusArea",
    "bundled_catalog_paths",
    "coverage",
    "criteria_for",
    "criterion_sort_key",
    "diff_catalogs",
    "load_catalog",
    "parse_catalog",
    "version_key",
]

ENTITY_TYPES: tuple[str, ...] = (
    "importer",
    "exporter",
    "customs_broker",
    "consolidator",
    "third_party_logistics",
    "air_carrier",
    "sea_carrier",
    "rail_carrier",
    "highway_carrier",
    "mexican_long_haul_carrier",
    "foreign_manufacturer",
    "marine_port_terminal_operator",
)

LEVELS: tuple[str, ...] = ("must", "should")

MAX_TITLE_LENGTH = 120

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"

_ID_RE = re.compile(r"^\d{1,2}\.\d{1,3}$")
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_VERSION_RE = re.compile(r"^\d+(\.\d+)*$")

_TOP_REQUIRED = ("catalog", "version", "title", "effective", "focus_areas", "categories", "criteria")
_CRITERION_REQUIRED = ("id", "category", "level", "title", "requirement", "guidance", "applies_to")
_CRITERION_OPTIONAL = ("crosswalk",)


class CatalogError(ValueError):
    """A catalog file is malformed; the message says where and why."""


@dataclass(frozen=True)
class FocusArea:
    code: str
    name: str


@dataclass(frozen=True)
class Category:
    number: int
    name: str
    focus_area: str


@dataclass(frozen=True)
class Criterion:
    id: str
    category: int
    level: str
    title: str
    requirement: str
    guidance: str
    applies_to: tuple[str, ...]
    # Compared for equality, left out of the hash (a dict is not hashable).
    crosswalk: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def number(self) -> int:
        """The part of the id after the dot, as an int (``"7.37"`` -> 37)."""
        return int(self.id.split(".", 1)[1])

    @property
    def sort_key(self) -> tuple[int, int]:
        return criterion_sort_key(self.id)

    def applies(self, entity_type: str) -> bool:
        return entity_type in self.applies_to


@dataclass(frozen=True)
class Catalog:
    catalog: str
    version: str
    title: str
    effective: date
    focus_areas: tuple[FocusArea, ...]
    categories: tuple[Category, ...]
    criteria: tuple[Criterion, ...]
    checksum: str

    def get(self, criterion_id: str) -> Criterion | None:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        return None

    def category(self, number: int) -> Category | None:
        for category in self.categories:
            if category.number == number:
                return category
        return None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)


@dataclass(frozen=True)
class CatalogDiff:
    """Criterion ids by what happened to them between two catalog versions.

    ``changed`` means the level, title, requirement or applies_to differ; edits to guidance
    or crosswalk alone leave a criterion ``unchanged`` (members need not re-answer it).
    """

    unchanged: tuple[str, ...]
    changed: tuple[str, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def needs_reanswer(self) -> tuple[str, ...]:
        """Ids a member must (re)answer when moving to the new version: changed plus added."""
        return tuple(sorted((*self.changed, *self.added), key=criterion_sort_key))


def criterion_sort_key(criterion_id: str) -> tuple[int, int]:
    """``"7.37"`` -> ``(7, 37)`` so that 7.4 sorts before 7.37."""
    category, number = criterion_id.split(".", 1)
    return int(category), int(number)


def version_key(version: str) -> tuple[int, ...]:
    """``"2026.10"`` -> ``(2026, 10)`` so versions sort numerically."""
    return tuple(int(part) for part in version.split("."))


# --------------------------------------------------------------------------- YAML loading


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader that rejects duplicate mapping keys (PyYAML silently keeps the last one)."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], int] = {}
            for key_node, _value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                    continue
                key = (key_node.tag, key_node.value)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        f"found duplicate key {key_node.value!r} (first on line {seen[key]})",
                        key_node.start_mark,
                    )
                seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _load_yaml(text: str) -> tuple[Any, list[int]]:
    """Parse YAML; return the data and the 1-based line of each item of the ``criteria`` list."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise CatalogError(f"YAML syntax error{where}: {problem}") from exc
    except yaml.YAMLError as exc:
        raise CatalogError(f"YAML syntax error: {exc}") from exc
    finally:
        loader.dispose()

    lines: list[int] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == "criteria" and isinstance(value_node, yaml.SequenceNode):
                lines = [item.start_mark.line + 1 for item in value_node.value]
    return data, lines


# --------------------------------------------------------------------------- validation helpers


def _text(value: Any, where: str, name: str, *, max_length: int | None = None) -> str:
    if not isinstance(value, str):
        raise CatalogError(f"{where}: field '{name}' must be text, got {type(value).__name__}")
    value = value.strip()
    if not value:
        raise CatalogError(f"{where}: field '{name}' must not be empty")
    if max_length is not None and len(value) > max_length:
        raise CatalogError(f"{where}: field '{name}' is {len(value)} characters long (maximum {max_length})")
    return value


def _int(value: Any, where: str, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CatalogError(f"{where}: field '{name}' must be an integer, got {value!r}")
    return value


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CatalogError(f"{where}: expected a mapping, got {type(value).__name__}")
    return value


def _list(value: Any, where: str, name: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise CatalogError(f"{where}: field '{name}' must be a non-empty list")
    return value


def _check_keys(
    data: dict[str, Any], where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> None:
    for key in required:
        if key not in data:
            raise CatalogError(f"{where}: missing required field '{key}'")
    unknown = sorted(str(k) for k in data if k not in required and k not in optional)
    if unknown:
        raise CatalogError(f"{where}: unknown field(s) {', '.join(repr(k) for k in unknown)}")


def _effective(value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CatalogError(f"catalog: field 'effective' must be a date (YYYY-MM-DD), got {value!r}")


def _parse_focus_areas(raw: Any) -> tuple[FocusArea, ...]:
    items = _list(raw, "catalog", "focus_areas")
    result: list[FocusArea] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"focus_areas[{index}]"
        item = _mapping(item, where)
        _check_keys(item, where, ("code", "name"))
        code = _text(item["code"], where, "code")
        if not _CODE_RE.match(code):
            raise CatalogError(f"{where}: field 'code' must be lower_snake_case, got {code!r}")
        if code in seen:
            raise CatalogError(f"{where}: duplicate focus area code {code!r}")
        seen.add(code)
        result.append(FocusArea(code=code, name=_text(item["name"], where, "name")))
    return tuple(result)


def _parse_categories(raw: Any, focus_codes: set[str]) -> tuple[Category, ...]:
    items = _list(raw, "catalog", "categories")
    result: list[Category] = []
    seen: set[int] = set()
    for index, item in enumerate(items):
        where = f"categories[{index}]"
        item = _mapping(item, where)
        _check_keys(item, where, ("number", "name", "focus_area"))
        number = _int(item["number"], where, "number")
        where = f"category {number}"
        if not 1 <= number <= 99:
            raise CatalogError(f"{where}: field 'number' must be between 1 and 99")
        if number in seen:
            raise CatalogError(f"{where}: duplicate category number")
        seen.add(number)
        focus_area = _text(item["focus_area"], where, "focus_area")
        if focus_area not in focus_codes:
            raise CatalogError(f"{where}: field 'focus_area' names unknown focus area {focus_area!r}")
        result.append(Category(number=number, name=_text(item["name"], where, "name"), focus_area=focus_area))
    return tuple(result)


def _parse_crosswalk(raw: Any, where: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CatalogError(f"{where}: field 'crosswalk' must be a mapping of scheme to reference")
    result: dict[str, str] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not _CODE_RE.match(key):
            raise CatalogError(f"{where}: field 'crosswalk' has an invalid scheme name {key!r}")
        if not isinstance(value, str) or not value.strip():
            raise CatalogError(
                f"{where}: field 'crosswalk.{key}' must be non-empty text (quote numbers like \"3.7\")"
            )
        result[key] = value.strip()
    return result


def _parse_applies_to(raw: Any, where: str) -> tuple[str, ...]:
    items = _list(raw, where, "applies_to")
    seen: set[str] = set()
    for value in items:
        if not isinstance(value, str) or value not in ENTITY_TYPES:
            raise CatalogError(
                f"{where}: field 'applies_to' has unknown entity type {value!r} "
                f"(known: {', '.join(ENTITY_TYPES)})"
            )
        if value in seen:
            raise CatalogError(f"{where}: field 'applies_to' lists {value!r} twice")
        seen.add(value)
    # Canonical order, so equal sets compare equal whatever order the file used.
    return tuple(t for t in ENTITY_TYPES if t in seen)


def _parse_criterion(item: Any, index: int, line: int | None, categories: set[int]) -> Criterion:
    at_line = f" (line {line})" if line else ""
    where = f"criteria[{index}]{at_line}"
    item = _mapping(item, where)
    raw_id = item.get("id")
    if isinstance(raw_id, float):
        raise CatalogError(
            f"{where}: field 'id' must be a quoted string such as \"{raw_id}\" "
            "(unquoted, 4.10 would read as 4.1)"
        )
    if isinstance(raw_id, str) and raw_id.strip():
        where = f"criterion {raw_id.strip()}{at_line}"
    _check_keys(item, where, _CRITERION_REQUIRED, _CRITERION_OPTIONAL)

    criterion_id = _text(raw_id, where, "id")
    if not _ID_RE.match(criterion_id):
        raise CatalogError(f"{where}: field 'id' must look like '<category>.<number>', e.g. '6.2'")
    category = _int(item["category"], where, "category")
    if int(criterion_id.split(".", 1)[0]) != category:
        raise CatalogError(
            f"{where}: field 'category' is {category} but the id belongs to category "
            f"{criterion_id.split('.', 1)[0]}"
        )
    if category not in categories:
        raise CatalogError(f"{where}: field 'category' names unknown category {category}")
    level = item["level"]
    if level not in LEVELS:
        raise CatalogError(f"{where}: field 'level' must be 'must' or 'should', got {level!r}")

    return Criterion(
        id=criterion_id,
        category=category,
        level=level,
        title=_text(item["title"], where, "title", max_length=MAX_TITLE_LENGTH),
        requirement=_text(item["requirement"], where, "requirement"),
        guidance=_text(item["guidance"], where, "guidance"),
        applies_to=_parse_applies_to(item["applies_to"], where),
        crosswalk=_parse_crosswalk(item.get("crosswalk"), where),
    )


# --------------------------------------------------------------------------- public API


def parse_catalog(text: str) -> Catalog:
    """Parse and validate catalog YAML text. Raises :class:`CatalogError` on any problem."""
    if not isinstance(text, str):
        raise CatalogError("catalog text must be str (decode the file as UTF-8 first)")
    data, lines = _load_yaml(text)
    if not isinstance(data, dict):
        raise CatalogError("catalog: the document must be a mapping with keys " + ", ".join(_TOP_REQUIRED))
    _check_keys(data, "catalog", _TOP_REQUIRED)

    name = _text(data["catalog"], "catalog", "catalog")
    if not _CODE_RE.match(name):
        raise CatalogError(f"catalog: field 'catalog' must be lower_snake_case, got {name!r}")
    version = data["version"]
    if not isinstance(version, str):
        raise CatalogError(
            f"catalog: field 'version' must be a quoted string such as \"2026.1\", got {version!r}"
        )
    version = version.strip()
    if not _VERSION_RE.match(version):
        raise CatalogError(f"catalog: field 'version' must be dotted numbers like '2026.1', got {version!r}")

    focus_areas = _parse_focus_areas(data["focus_areas"])
    categories = _parse_categories(data["categories"], {f.code for f in focus_areas})
    category_numbers = {c.number for c in categories}

    raw_criteria = _list(data["criteria"], "catalog", "criteria")
    criteria: list[Criterion] = []
    first_seen: dict[str, int | None] = {}
    for index, item in enumerate(raw_criteria):
        line = lines[index] if index < len(lines) else None
        criterion = _parse_criterion(item, index, line, category_numbers)
        if criterion.id in first_seen:
            at_line = f" (line {line})" if line else ""
            first = first_seen[criterion.id]
            raise CatalogError(
                f"criterion {criterion.id}{at_line}: field 'id' is a duplicate"
                + (f" (first defined on line {first})" if first else "")
            )
        first_seen[criterion.id] = line
        criteria.append(criterion)

    return Catalog(
        catalog=name,
        version=version,
        title=_text(data["title"], "catalog", "title", max_length=MAX_TITLE_LENGTH),
        effective=_effective(data["effective"]),
        focus_areas=focus_areas,
        categories=categories,
        criteria=tuple(criteria),
        checksum=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def load_catalog(path: str | Path) -> Catalog:
    """Read a catalog file (UTF-8) and parse it; errors are prefixed with the file name."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: cannot read catalog: {exc}") from exc
    try:
        return parse_catalog(text)
    except CatalogError as exc:
        raise CatalogError(f"{path.name}: {exc}") from exc


def _path_version_key(path: Path) -> tuple[tuple[int, ...], str]:
    version = path.stem.rsplit("-", 1)[-1]
    try:
        return version_key(version), path.name
    except ValueError:
        return (), path.name


def bundled_catalog_paths() -> list[Path]:
    """The YAML catalogs shipped beside this module, oldest version first."""
    return sorted((p for p in CATALOG_DIR.glob("*.yaml") if p.is_file()), key=_path_version_key)


def criteria_for(catalog: Catalog, entity_type: str) -> list[Criterion]:
    """Criteria that apply to one entity type, in (category, number) order."""
    if entity_type not in ENTITY_TYPES:
        raise ValueError(f"unknown entity type {entity_type!r}")
    return sorted((c for c in catalog.criteria if entity_type in c.applies_to), key=lambda c: c.sort_key)


def _substance(criterion: Criterion) -> tuple[str, str, str, frozenset[str]]:
    return criterion.level, criterion.title, criterion.requirement, frozenset(criterion.applies_to)


def diff_catalogs(old: Catalog, new: Catalog) -> CatalogDiff:
    """Compare two versions by criterion id (see :class:`CatalogDiff` for what "changed" means)."""
    old_by_id = {c.id: c for c in old.criteria}
    new_by_id = {c.id: c for c in new.criteria}
    unchanged: list[str] = []
    changed: list[str] = []
    for criterion_id in old_by_id.keys() & new_by_id.keys():
        if _substance(old_by_id[criterion_id]) == _substance(new_by_id[criterion_id]):
            unchanged.append(criterion_id)
        else:
            changed.append(criterion_id)

    def ordered(ids: Any) -> tuple[str, ...]:
        return tuple(sorted(ids, key=criterion_sort_key))

    return CatalogDiff(
        unchanged=ordered(unchanged),
        changed=ordered(changed),
        added=ordered(new_by_id.keys() - old_by_id.keys()),
        removed=ordered(old_by_id.keys() - new_by_id.keys()),
    )


def coverage(catalog: Catalog) -> dict[str, dict[int, int]]:
    """Number of criteria per entity type and category (zeros included)."""
    numbers = sorted(c.number for c in catalog.categories)
    result = {entity_type: dict.fromkeys(numbers, 0) for entity_type in ENTITY_TYPES}
    for criterion in catalog.criteria:
        for entity_type in criterion.applies_to:
            result[entity_type][criterion.category] += 1
    return result
