"""The compliance CSV: reading, validating every row, and turning rows into clean values. No database.

Format (UTF-8, a header row, columns in any order; see docs/vetting.md):

    source_ref        required  the row's id in the source, unique within the source
    kind              required  penalty, seizure, liquidated_damages, unpaid_debt, prior_suspension,
                                prior_removal, watch_list
    date              required  YYYY-MM-DD, not in the future
    name              required  the subject's name
    address           optional  one line
    country           required  ISO 3166 alpha-2 (US, MX, CN ...)
    identifier_type   optional  a partner identifier type (ior, ein, duns, mid, scac, ...); with a value
    identifier_value  optional  normalised like a partner's identifier
    amount            optional  USD, e.g. 12500.00 (a "$" and thousands commas are accepted)
    details           optional  free text

The service reads a file twice: first `validate()` over every row (nothing is written unless every row
is good), then `clean_rows()` to import. Both stream, so a file of a million rows never sits in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from django.utils.translation import gettext as _

from greenlane.partners import identifiers as ids
from greenlane.partners.models import COUNTRY_CODES

from . import matching
from .choices import RecordKind

COLUMNS = (
    "source_ref",
    "kind",
    "date",
    "name",
    "address",
    "country",
    "identifier_type",
    "identifier_value",
    "amount",
    "details",
)
REQUIRED_COLUMNS = ("source_ref", "kind", "date", "name", "country")
MAX_LENGTH = {"source_ref": 100, "name": 300, "address": 500, "details": 5000}
MAX_AMOUNT = Decimal("999999999999.99")
# Errors kept for display; beyond this only the count grows (a file of all-bad rows stays cheap).
MAX_ERRORS_KEPT = 10_000
HEADER_LINE = 1
# Django's Choices.values builds a list on every access; rows are checked a million times.
KINDS = frozenset(RecordKind.values)
IDENTIFIER_TYPES = frozenset(ids.IdentifierType.values)


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str
    value: str = ""

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message, "value": self.value}


@dataclass(frozen=True)
class CleanRow:
    line: int
    source_ref: str
    kind: str
    date: dt.date
    name: str
    address: str
    country: str
    identifiers: tuple[tuple[str, str, bool], ...]  # (type, value, derived)
    amount: Decimal | None
    details: str
    name_key: str
    address_key: str


@dataclass
class Report:
    keep: int | None = MAX_ERRORS_KEPT  # how many errors to keep (None: all)
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    bad_lines: set[int] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def bad_row_count(self) -> int:
        return len(self.bad_lines)

    def add(self, error: RowError) -> None:
        self.error_count += 1
        self.bad_lines.add(error.line)
        if self.keep is None or len(self.errors) < self.keep:
            self.errors.append(error)


class FileError(Exception):
    """The file as a whole cannot be read (not UTF-8, no header, unknown or missing columns)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors[0].message)
        self.errors = errors


def sha256_of(stream: BinaryIO) -> str:
    stream.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def _snippet(value: str) -> str:
    return value if len(value) <= 80 else value[:77] + "..."


def _rows(stream: BinaryIO) -> Iterator[tuple[int, dict[str, str]]]:
    """(first line of the row, column -> raw text) for every non-blank row; FileError for file problems."""
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    line = HEADER_LINE
    try:
        reader = csv.reader(text)
        try:
            header = next(reader)
        except StopIteration:
            raise FileError(
                [RowError(HEADER_LINE, "", _("The file is empty: it needs a header row."))]
            ) from None
        columns = _check_header(header)
        width = len(columns)
        line = reader.line_num + 1
        for raw in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in raw):
                continue
            if len(raw) != width:
                yield start, {"__width__": str(len(raw))}
                continue
            yield start, dict(zip(columns, raw, strict=True))
    except UnicodeDecodeError:
        raise FileError(
            [RowError(line, "", _("The file is not UTF-8 text (save it as 'CSV UTF-8' and try again)."))]
        ) from None
    except csv.Error as exc:
        raise FileError([RowError(line, "", _("The file is not valid CSV: %(e)s.") % {"e": exc})]) from None
    finally:
        text.detach()


def _check_header(header: list[str]) -> list[str]:
    columns = [c.strip().lower() for c in header]
    errors: list[RowError] = []
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        errors.append(
            RowError(
                HEADER_LINE,
                unknown[0],
                _("Unknown column(s): %(cols)s. The columns are: %(all)s.")
                % {"cols": ", ".join(unknown), "all": ", ".join(COLUMNS)},
            )
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        errors.append(
            RowError(
                HEADER_LINE, missing[0], _("Missing column(s): %(cols)s.") % {"cols": ", ".join(missing)}
            )
        )
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        errors.append(
            RowError(
                HEADER_LINE,
                repeated[0],
                _("Column(s) named twice: %(cols)s.") % {"cols": ", ".join(repeated)},
            )
        )
    if errors:
        raise FileError(errors)
    return columns


def _kind(value: str) -> str:
    return value.strip().lower().replace("-", "_").replace(" ", "_")


def _amount(text: str) -> Decimal:
    cleaned = text.strip().removeprefix("$").replace(",", "").strip()
    amount = Decimal(cleaned)
    if not amount.is_finite():
        raise InvalidOperation
    return amount


def clean_row(
    line: int, raw: dict[str, str], *, today: dt.date, keys: bool = True
) -> CleanRow | list[RowError]:
    """The row's clean values, or every problem it has. `keys` False skips the matching keys (the checking
    pass needs only to know the name has a letter or a digit)."""
    if "__width__" in raw:
        return [
            RowError(
                line,
                "",
                _("This row has %(n)s fields; the header has a different number (check quotes and commas).")
                % {"n": raw["__width__"]},
            )
        ]
    v = {c: (raw.get(c) or "").strip() for c in COLUMNS}
    errors: list[RowError] = []

    def bad(column: str, message: str) -> None:
        errors.append(RowError(line, column, message, _snippet(v.get(column, ""))))

    for column in REQUIRED_COLUMNS:
        if not v[column]:
            bad(column, _("Required: this column cannot be empty."))
    for column, limit in MAX_LENGTH.items():
        if len(v[column]) > limit:
            bad(column, _("At most %(n)s characters.") % {"n": limit})

    kind = _kind(v["kind"])
    if v["kind"] and kind not in KINDS:
        bad("kind", _("Unknown kind. Use one of: %(kinds)s.") % {"kinds": ", ".join(RecordKind.values)})

    date = None
    if v["date"]:
        try:
            date = dt.date.fromisoformat(v["date"]) if len(v["date"]) == 10 else None
        except ValueError:
            date = None
        if date is None:
            bad("date", _("Not a date: write it as YYYY-MM-DD (for example 2024-03-31)."))
        elif date > today:
            bad("date", _("The date is in the future."))
        elif date.year < 1900:
            bad("date", _("The date is before 1900."))

    country = v["country"].upper()
    if v["country"] and country not in COUNTRY_CODES:
        bad("country", _("Not an ISO 3166 country code (two letters, e.g. US, MX, CN)."))

    if keys:
        name_key = matching.name_key(v["name"]) if v["name"] else ""
    else:
        name_key = "-" if any(ch.isalnum() for ch in v["name"]) else ""
    if v["name"] and not name_key:
        bad("name", _("The name has no letters or digits."))

    identifiers: tuple[tuple[str, str, bool], ...] = ()
    id_type, id_value = v["identifier_type"].lower(), v["identifier_value"]
    if id_type and not id_value:
        bad("identifier_value", _("An identifier type needs a value."))
    elif id_value and not id_type:
        bad(
            "identifier_type",
            _("An identifier value needs its type (%(types)s).")
            % {"types": ", ".join(ids.IdentifierType.values)},
        )
    elif id_type:
        column = "identifier_value" if id_type in IDENTIFIER_TYPES else "identifier_type"
        try:
            normal = ids.normalize(id_type, id_value)
        except ids.IdentifierError as exc:
            bad(column, exc.message)
        else:
            identifiers = tuple(matching.expand_identifier(id_type, normal))

    amount = None
    if v["amount"]:
        try:
            amount = _amount(v["amount"])
        except (InvalidOperation, ValueError):
            bad("amount", _("Not an amount: write digits with an optional decimal point (e.g. 12500.00)."))
        else:
            if amount < 0:
                bad("amount", _("The amount cannot be negative."))
            elif amount > MAX_AMOUNT:
                bad("amount", _("The amount is too large."))
            elif amount != amount.quantize(Decimal("0.01")):
                bad("amount", _("At most two decimal places (cents)."))

    if errors:
        return errors
    assert date is not None
    return CleanRow(
        line=line,
        source_ref=v["source_ref"],
        kind=kind,
        date=date,
        name=v["name"],
        address=v["address"],
        country=country,
        identifiers=identifiers,
        amount=amount.quantize(Decimal("0.01")) if amount is not None else None,
        details=v["details"],
        name_key=name_key,
        address_key=matching.address_key(v["address"]) if keys else "",
    )


def validate(stream: BinaryIO, *, today: dt.date, keep: int | None = MAX_ERRORS_KEPT) -> Report:
    """Check every row (and source_ref uniqueness within the file); FileError if the file is unreadable.
    Every problem is counted; the first `keep` are listed (None: all)."""
    report = Report(keep=keep)
    first_line: dict[str, int] = {}
    for line, raw in _rows(stream):
        report.rows += 1
        result = clean_row(line, raw, today=today, keys=False)
        if isinstance(result, list):
            for error in result:
                report.add(error)
            ref = (raw.get("source_ref") or "").strip()
        else:
            ref = result.source_ref
        if ref:
            if ref in first_line:
                report.add(
                    RowError(
                        line,
                        "source_ref",
                        _("Duplicate source_ref: line %(first)s has the same one.")
                        % {"first": first_line[ref]},
                        _snippet(ref),
                    )
                )
            else:
                first_line[ref] = line
    if report.rows == 0:
        raise FileError([RowError(HEADER_LINE + 1, "", _("The file has a header but no rows."))])
    return report


def clean_rows(stream: BinaryIO, *, today: dt.date) -> Iterator[CleanRow]:
    """Every row, clean. Only call after validate() found no error."""
    for line, raw in _rows(stream):
        result = clean_row(line, raw, today=today)
        if isinstance(result, list):  # the file changed between the two reads
            raise FileError(result)
        yield result
