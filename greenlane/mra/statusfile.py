"""Reading a partner administration's status file (CSV or JSON) into clean rows and per-row problems.

Format (docs/mra.md): one row per company with `program_id` (the program's identifier, e.g. an EORI), `name`,
`address`, `country`, `status` (active | suspended | revoked), `validation_date`, `status_date` (the date of
a suspension or revocation). JSON is {"program": code, "as_of": date, "members": [rows]}.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.translation import gettext as _

from greenlane.partners.identifiers import IdentifierError

from . import identifiers

MAX_BYTES = 50 * 1024 * 1024
MAX_ERRORS_KEPT = 200
COLUMNS = ("program_id", "name", "address", "country", "status", "validation_date", "status_date")
REQUIRED = ("program_id", "name", "status")
STATUSES = ("active", "suspended", "revoked")


@dataclass(frozen=True)
class CleanRow:
    line: int
    id_value: str
    name: str
    address: str
    country: str
    status: str
    validation_date: dt.date | None
    status_date: dt.date | None


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass
class Parsed:
    rows: list[CleanRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    row_count: int = 0
    # Identifiers read on bad rows: still listed by the administration, so not delisted.
    seen_on_bad_rows: set[str] = field(default_factory=set)
    as_of: dt.date | None = None
    program: str = ""


class FileError(Exception):
    """The whole file cannot be read (not a row problem)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_all(stream: BinaryIO) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise FileError(_("The file is larger than %(n)s MB.") % {"n": MAX_BYTES // 1024 // 1024})
    if not data.strip():
        raise FileError(_("The file is empty."))
    return data


def detect_format(file_name: str, data: bytes) -> str:
    name = (file_name or "").lower()
    if name.endswith(".json"):
        return "json"
    if name.endswith(".csv"):
        return "csv"
    return "json" if data.lstrip()[:1] in (b"{", b"[") else "csv"


def _date(value: str, line: int, name: str, errors: list[RowError]) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.append(
            RowError(line, name, _("'%(v)s' is not a date written YYYY-MM-DD.") % {"v": value[:40]})
        )
        return None


def clean_row(raw: dict, line: int, *, id_type: str, today: dt.date, parsed: Parsed) -> None:
    errors: list[RowError] = []
    values = {k: str(raw.get(k) if raw.get(k) is not None else "").strip() for k in COLUMNS}
    for name in REQUIRED:
        if not values[name]:
            errors.append(RowError(line, name, _("%(col)s is required.") % {"col": name}))
    id_value = ""
    if values["program_id"]:
        try:
            id_value = identifiers.member_key(id_type, values["program_id"])
        except IdentifierError as exc:
            errors.append(RowError(line, "program_id", exc.message))
    status = values["status"].lower()
    if status and status not in STATUSES:
        errors.append(
            RowError(
                line,
                "status",
                _("'%(v)s' is not a status; use active, suspended or revoked.")
                % {"v": values["status"][:40]},
            )
        )
    if len(values["name"]) > 200:
        errors.append(RowError(line, "name", _("A name is at most 200 characters.")))
    if len(values["address"]) > 300:
        errors.append(RowError(line, "address", _("An address is at most 300 characters.")))
    country = values["country"].upper()
    if country and (len(country) != 2 or not country.isalpha() or not country.isascii()):
        errors.append(RowError(line, "country", _("A country is a two-letter ISO code (e.g. DE).")))
    validation_date = _date(values["validation_date"], line, "validation_date", errors)
    status_date = _date(values["status_date"], line, "status_date", errors)
    if (
        status == "active"
        and validation_date is None
        and not any(e.field == "validation_date" for e in errors)
    ):
        errors.append(RowError(line, "validation_date", _("An active member needs its validation date.")))
    if (
        status in ("suspended", "revoked")
        and status_date is None
        and not any(e.field == "status_date" for e in errors)
    ):
        errors.append(
            RowError(line, "status_date", _("A suspended or revoked member needs the date (status_date)."))
        )
    for name, d in (("validation_date", validation_date), ("status_date", status_date)):
        if d is not None and d > today:
            errors.append(RowError(line, name, _("The date %(d)s is in the future.") % {"d": d.isoformat()}))
    if errors:
        parsed.errors.extend(errors)
        if id_value:
            parsed.seen_on_bad_rows.add(id_value)
        return
    parsed.rows.append(
        CleanRow(
            line=line,
            id_value=id_value,
            name=values["name"],
            address=values["address"],
            country=country,
            status=status,
            validation_date=validation_date,
            status_date=status_date,
        )
    )


def parse(data: bytes, *, file_format: str, id_type: str, today: dt.date) -> Parsed:
    """Every row checked; good rows and problems both returned. Duplicated identifiers are problems."""
    parsed = Parsed()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError(_("The file is not UTF-8 text.")) from None
    raws = _json_rows(text, parsed) if file_format == "json" else _csv_rows(text)
    seen: dict[str, int] = {}
    for line, raw in raws:
        parsed.row_count += 1
        if not isinstance(raw, dict):
            parsed.errors.append(RowError(line, "", _("Each member must be an object.")))
            continue
        before = len(parsed.rows)
        clean_row(raw, line, id_type=id_type, today=today, parsed=parsed)
        if len(parsed.rows) > before:
            row = parsed.rows[-1]
            if row.id_value in seen:
                parsed.rows.pop()
                parsed.seen_on_bad_rows.add(row.id_value)
                parsed.errors.append(
                    RowError(
                        line,
                        "program_id",
                        _("%(id)s is listed twice (first on line %(first)s).")
                        % {"id": row.id_value, "first": seen[row.id_value]},
                    )
                )
            else:
                seen[row.id_value] = line
    return parsed


def _csv_rows(text: str) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FileError(
            _("The header must name the columns %(cols)s; missing: %(missing)s.")
            % {"cols": ", ".join(COLUMNS), "missing": ", ".join(missing)}
        )
    reader.fieldnames = header
    rows = []
    for raw in reader:
        rows.append((reader.line_num, {k: v for k, v in raw.items() if k is not None}))
    return rows


def _json_rows(text: str, parsed: Parsed) -> list[tuple[int, dict]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileError(_("The file is not valid JSON (line %(line)s).") % {"line": exc.lineno}) from None
    if isinstance(doc, list):
        members = doc
    elif isinstance(doc, dict) and isinstance(doc.get("members"), list):
        members = doc["members"]
        parsed.program = str(doc.get("program") or "")
        if doc.get("as_of"):
            try:
                parsed.as_of = dt.date.fromisoformat(str(doc["as_of"]))
            except ValueError:
                raise FileError(_("as_of must be a date written YYYY-MM-DD.")) from None
    else:
        raise FileError(_('The JSON must be {"program": ..., "as_of": ..., "members": [...]} or a list.'))
    # "line" in JSON is the member's position, from 1.
    return list(enumerate(members, start=1))
