"""The workforce plan (PRODUCT item 13). ``plan_for_report()`` is what the annual program plan PDF reads."""

from __future__ import annotations


def plan_for_report(years: int = 5) -> dict:
    """Staffing as one table (title, columns, rows, notes) for the metrics app's annual program plan."""
    from .selectors import workforce_plan

    data = workforce_plan(years)
    rows = [
        [r["office"], r["year"], r["validations"], r["hours_needed"], r["needed"], r["on_board"], r["gap"]]
        for r in data["offices"]
    ]
    return {
        "title": "Specialists needed and on board, by field office and year",
        "columns": ["Field office", "Year", "Validations due", "Hours needed", "Needed", "On board", "Gap"],
        "rows": rows,
        "notes": data["notes"],
    }
