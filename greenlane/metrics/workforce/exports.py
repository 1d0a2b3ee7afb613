"""The workforce plan's tables as CSV (one file, sections) or XLSX (one sheet per table)."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

TABLES = {
    "offices": (
        "Staffing by field office and year",
        ["office", "year", "first_validations", "revalidations", "risk_plan", "validations", "new_members",
         "hours_needed", "capacity_hours", "needed", "on_board", "gap"],
    ),
    "totals": ("Totals by year", ["year", "validations", "hours_needed", "needed", "on_board", "gap"]),
    "membership": ("Membership projection", ["year", "members", "new_members"]),
    "roster": (
        "Specialist roster",
        ["id", "name", "office", "role", "availability_source", "training_owed", "training_overdue",
         "training_hours_owed"],
    ),
}  # fmt: skip


def _rows(plan: dict, key: str) -> list[list]:
    _title, columns = TABLES[key]
    return [[row.get(c) for c in columns] for row in plan[key]]


def plan_csv(plan: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for key, (title, columns) in TABLES.items():
        writer.writerow([f"# {title}"])
        writer.writerow(columns)
        writer.writerows(_rows(plan, key))
        writer.writerow([])
    writer.writerow(["# Notes"])
    for note in plan["notes"]:
        writer.writerow([note])
    return out.getvalue().encode("utf-8")


def plan_xlsx(plan: dict) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for key, (_title, columns) in TABLES.items():
        sheet = book.create_sheet(key)
        sheet.append(columns)
        for row in _rows(plan, key):
            sheet.append(row)
    notes = book.create_sheet("notes")
    notes.append(["parameter", "value"])
    for k, v in plan["parameters"].items():
        notes.append([k, v])
    notes.append([])
    for note in plan["notes"]:
        notes.append([note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
