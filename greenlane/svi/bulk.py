"""Bulk verification: many (identifier type, value) rows in, each one's status out, in a few queries.

Rows are normalised per type (partners.identifiers / mra.identifiers); a bad row gets its own error and the
good rows are still answered. Matches among our companies show only what each consented to (selectors.
status_view_for); identifiers we do not know are looked up in the foreign programs' status lists under
mutual recognition (mra.selectors.foreign_status_lookup).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.accounts.models import User
from greenlane.audit.services import record_event
from greenlane.core.errors import InvalidInput
from greenlane.partners import identifiers as ids
from greenlane.partners.models import Identifier

from . import permissions, selectors
from .choices import SHOWN_CERTIFIED, SHOWN_NOT_FOUND, SHOWN_NOT_PARTICIPATING
from .models import BulkVerification

MAX_ROWS = 20_000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
CHUNK = 900  # SQLite's variable limit per statement, with room to spare
PROGRAM_CTPAT = "C-TPAT"
RESULT_FOUND, RESULT_FOREIGN, RESULT_NOT_FOUND, RESULT_ERROR = "found", "foreign", "not_found", "error"
COLUMNS = [
    "row",
    "type",
    "value",
    "result",
    "company",
    "status",
    "tier",
    "since",
    "program",
    "validation_date",
    "matches",
    "error",
]


@dataclass(frozen=True)
class RowIn:
    line: int
    type: str
    value: str
    error: str = ""


def _mra_identifiers():
    """The MRA app's identifier rules (our types plus foreign ones), or None while it is absent."""
    try:
        from greenlane.mra import identifiers as mra_ids
    except ImportError:  # pragma: no cover - the MRA app ships with the product
        return None
    return mra_ids if hasattr(mra_ids, "normalize") and hasattr(mra_ids, "ALL_TYPES") else None


def _foreign_lookup():
    try:
        from greenlane.mra.selectors import foreign_status_lookup
    except ImportError:  # pragma: no cover
        return None
    return foreign_status_lookup


def _foreign_types() -> set[str]:
    try:
        from greenlane.mra.models import ForeignProgram
    except ImportError:  # pragma: no cover
        return set()
    return set(ForeignProgram.objects.values_list("id_type", flat=True).distinct())


def known_types() -> list[str]:
    mra = _mra_identifiers()
    return sorted(mra.ALL_TYPES) if mra is not None else list(ids.IdentifierType.values)


# --- reading uploads -----------------------------------------------------------------------------------------


def _rows_from_table(table) -> list[RowIn]:
    rows: list[RowIn] = []
    for line, raw in enumerate(table, start=1):
        cells = ["" if c is None else str(c).strip() for c in raw]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if line == 1 and [c.lower() for c in cells[:2]] == ["type", "value"]:
            continue
        if len(rows) >= MAX_ROWS:
            raise InvalidInput(
                _("The file has more than %(n)s rows; split it into smaller files.") % {"n": f"{MAX_ROWS:,}"},
                field="file",
            )
        if len(cells) != 2:
            rows.append(
                RowIn(
                    line,
                    cells[0] if cells else "",
                    cells[1] if len(cells) > 1 else "",
                    _("Each row needs exactly two columns: type, value."),
                )
            )
            continue
        rows.append(RowIn(line, cells[0], cells[1]))
    return rows


def parse_upload(name: str, data: bytes) -> list[RowIn]:
    """Rows of a CSV or XLSX upload; a file that cannot be read at all is an InvalidInput on `file`."""
    if not data:
        raise InvalidInput(_("The file is empty."), field="file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(_("The file is larger than 5 MB; split it."), field="file")
    lower = (name or "").lower()
    if data[:4] == b"PK\x03\x04" or lower.endswith(".xlsx"):
        return _parse_xlsx(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            _("The file is neither UTF-8 CSV nor XLSX. Save it as CSV (UTF-8) or Excel workbook."),
            field="file",
        ) from None
    if "\x00" in text:
        raise InvalidInput(_("This does not look like a CSV file."), field="file")
    rows = _rows_from_table(csv.reader(io.StringIO(text)))
    if not rows:
        raise InvalidInput(_("The file has no rows. Each row is: type, value."), field="file")
    return rows


def _parse_xlsx(data: bytes) -> list[RowIn]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise InvalidInput(
            _("The workbook could not be read. Save it again as .xlsx."), field="file"
        ) from None
    try:
        sheet = book.worksheets[0]
        rows = _rows_from_table(sheet.iter_rows(max_col=3, values_only=True))
    finally:
        book.close()
    if not rows:
        raise InvalidInput(_("The first sheet has no rows. Each row is: type, value."), field="file")
    return rows


def rows_from_json(items) -> list[RowIn]:
    if not isinstance(items, list):
        raise InvalidInput(_("Send a JSON list of {type, value} objects."), field="items")
    if len(items) > MAX_ROWS:
        raise InvalidInput(
            _("At most %(n)s identifiers per request.") % {"n": f"{MAX_ROWS:,}"}, field="items"
        )
    rows = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            rows.append(RowIn(n, "", "", _("Each item is an object with 'type' and 'value'.")))
            continue
        t, v = item.get("type"), item.get("value")
        if not isinstance(t, str) or not isinstance(v, str | int):
            rows.append(
                RowIn(n, str(t or ""), str(v or ""), _("Each item needs a 'type' and a 'value' (text)."))
            )
            continue
        rows.append(RowIn(n, t, str(v)))
    return rows


# --- answering -----------------------------------------------------------------------------------------------


def _rank(view: selectors.StatusView) -> tuple[int, int]:
    return (0 if view.svi_member else 1, 0 if view.status == SHOWN_CERTIFIED else 1)


def answer(viewer_id: int, rows: list[RowIn]) -> list[dict]:
    """One result dict per row, in input order. Reads only; a constant number of queries per 900 values."""
    mra = _mra_identifiers()
    ours = set(ids.IdentifierType.values)
    types = set(mra.ALL_TYPES) if mra is not None else ours
    results: list[dict] = []
    wanted: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        base = {"row": row.line, "type": row.type, "value": row.value}
        if row.error:
            results.append({**base, "result": RESULT_ERROR, "error": row.error})
            continue
        t = row.type.strip().lower()
        if t not in types:
            results.append(
                {
                    **base,
                    "result": RESULT_ERROR,
                    "error": _("Unknown identifier type '%(t)s'. Use one of: %(c)s.")
                    % {"t": row.type, "c": ", ".join(sorted(types))},
                }
            )
            continue
        try:
            norm = mra.normalize(t, row.value) if mra is not None else ids.normalize(t, row.value)
        except ids.IdentifierError as exc:
            results.append({**base, "result": RESULT_ERROR, "error": exc.message})
            continue
        results.append({**base, "key": (t, norm)})
        if t in ours:
            wanted[t].add(norm)
    # Our companies, by (type, value): one plain indexed query per 900 values of a type (the ORM's IN
    # handling costs more than the query itself at this size: bench/svi_bulk.py).
    partners_of: dict[tuple[str, str], list[int]] = defaultdict(list)
    table = Identifier._meta.db_table
    with connection.cursor() as cur:
        for t, values in wanted.items():
            ordered = sorted(values)
            for start in range(0, len(ordered), CHUNK):
                chunk = ordered[start : start + CHUNK]
                marks = ", ".join(["%s"] * len(chunk))
                cur.execute(
                    f"SELECT value, partner_id FROM {table} WHERE type = %s AND value IN ({marks})",
                    [t, *chunk],
                )
                for value, pid in cur.fetchall():
                    partners_of[(t, value)].append(pid)
    views = selectors.status_view_for(viewer_id, {pid for pids in partners_of.values() for pid in pids})
    # Identifiers none of our companies has: the foreign programs' lists, for the types those lists use.
    foreign_types = _foreign_types()
    missing = sorted(
        {
            r["key"]
            for r in results
            if "key" in r and r["key"] not in partners_of and r["key"][0] in foreign_types
        }
    )
    lookup = _foreign_lookup()
    foreign = lookup(missing) if (lookup is not None and missing) else {}
    for r in results:
        key = r.pop("key", None)
        if key is None:
            continue
        pids = partners_of.get(key)
        if pids:
            best = min((views[p] for p in pids if p in views), key=_rank)
            r.update(
                result=RESULT_FOUND,
                company=best.name,
                status=best.status,
                tier=best.tier,
                since=best.since.isoformat() if best.since else None,
                program=PROGRAM_CTPAT if best.svi_member else "",
                matches=len(pids),
            )
            continue
        found = foreign.get(key)
        if found is not None:
            r.update(
                result=RESULT_FOREIGN,
                company=found.company_name,
                status=found.status,
                program=found.program_name,
                program_code=found.program_code,
                validation_date=found.validation_date.isoformat() if found.validation_date else None,
                matches=1,
            )
            continue
        r.update(result=RESULT_NOT_FOUND, status=SHOWN_NOT_FOUND, matches=0)
    return results


@transaction.atomic
def verify(*, actor: User, partner_id: int, rows: list[RowIn], source: str = "") -> BulkVerification:
    """Answer every row and keep the answers (as consent allowed them now) for the results page."""
    partner = permissions.company_for(actor, partner_id)
    permissions.require_svi_user(partner, _("verify business partners"))
    if not rows:
        raise InvalidInput(_("There is nothing to verify: add at least one identifier."), field="items")
    results = answer(partner.pk, rows)
    run = BulkVerification.objects.create(
        partner=partner,
        run_by=actor,
        source=(source or "")[:200],
        created_at=timezone.now(),
        row_count=len(results),
        matched_count=sum(1 for r in results if r["result"] == RESULT_FOUND),
        foreign_count=sum(1 for r in results if r["result"] == RESULT_FOREIGN),
        error_count=sum(1 for r in results if r["result"] == RESULT_ERROR),
        results=results,
    )
    # A verification is a read of others' status: recorded once per run (who asked, how many), not per row.
    record_event(
        actor=actor,
        action="svi.verify",
        partner=partner,
        obj=run,
        summary=_("Verified %(n)s identifiers: %(m)s ours, %(f)s foreign, %(e)s errors")
        % {"n": run.row_count, "m": run.matched_count, "f": run.foreign_count, "e": run.error_count},
        after={"rows": run.row_count, "source": run.source},
    )
    return run


def not_participating(status: str) -> bool:
    return status == SHOWN_NOT_PARTICIPATING


# --- downloads -----------------------------------------------------------------------------------------------


def _line(r: dict) -> list:
    return [r.get(c) if r.get(c) is not None else "" for c in COLUMNS]


def as_csv(run: BulkVerification) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for r in run.results:
        writer.writerow([_safe_cell(v) for v in _line(r)])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(run: BulkVerification) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Verification")
    sheet.append(COLUMNS)
    for r in run.results:
        sheet.append([_safe_cell(v) for v in _line(r)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _safe_cell(value):
    """Neutralise spreadsheet formulas in echoed input (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
