"""Program clocks: every legal and program deadline is computed here from the events that start, pause
and stop it, never typed in by hand. Pure functions over dates.

Law and practice behind the numbers: certification within 90 days of the application; first validation
within one year of certification; revalidation at least every four years; the annual profile review opens
90 days before the certification anniversary; appeals within 90 days of a denial of benefits or 30 days of
a suspension for false information, decided within 180 days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

CERTIFICATION_DAYS = 90
FIRST_VALIDATION_YEARS = 1
REVALIDATION_YEARS = 4
ANNUAL_REVIEW_WINDOW_DAYS = 90
APPEAL_DENIAL_DAYS = 90
APPEAL_FALSE_INFORMATION_DAYS = 30
APPEAL_DECISION_DAYS = 180
REAPPLY_AFTER_REMOVAL_YEARS = 1
REMINDER_DAYS_BEFORE_DUE = (30, 7)


@dataclass(frozen=True)
class Pause:
    """A period the clock stands still (e.g. waiting on the company). `end` None means still paused."""

    start: dt.date
    end: dt.date | None = None


def add_years(day: dt.date, years: int) -> dt.date:
    """Same month and day `years` later; 29 February becomes 28 February in a non-leap year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def deadline(
    start: dt.date, days: int, pauses: Iterable[Pause] = (), *, today: dt.date | None = None
) -> dt.date:
    """`days` after `start`, pushed back by every paused day that falls before the (moving) deadline.

    An open pause counts up to `today` (the clock is stopped now, so the deadline keeps moving).
    """
    due = start + dt.timedelta(days=days)
    spans = sorted(
        (p.start, p.end or (today or p.start)) for p in pauses if (p.end or today or p.start) >= p.start
    )
    counted_until = start
    for p_start, p_end in spans:
        lo = max(p_start, counted_until)
        if lo >= due or p_end <= lo:
            continue
        paused = (p_end - lo).days
        due += dt.timedelta(days=paused)
        counted_until = p_end
    return due


def certification_due(
    submitted: dt.date, pauses: Iterable[Pause] = (), *, today: dt.date | None = None
) -> dt.date:
    return deadline(submitted, CERTIFICATION_DAYS, pauses, today=today)


def first_validation_due(certified: dt.date) -> dt.date:
    return add_years(certified, FIRST_VALIDATION_YEARS)


def revalidation_due(last_validated: dt.date) -> dt.date:
    return add_years(last_validated, REVALIDATION_YEARS)


def reapply_allowed_from(removed: dt.date) -> dt.date:
    return add_years(removed, REAPPLY_AFTER_REMOVAL_YEARS)


@dataclass(frozen=True)
class ReviewWindow:
    cycle: int  # 1 for the first anniversary
    opens: dt.date
    due: dt.date

    def is_open(self, today: dt.date) -> bool:
        return self.opens <= today

    def is_overdue(self, today: dt.date) -> bool:
        return today > self.due

    def days_left(self, today: dt.date) -> int:
        return (self.due - today).days


def annual_review_window(certified: dt.date, completed_cycles: int = 0) -> ReviewWindow:
    """The next annual review: due on anniversary number completed_cycles + 1, opening 90 days before."""
    cycle = completed_cycles + 1
    due = add_years(certified, cycle)
    return ReviewWindow(cycle=cycle, opens=due - dt.timedelta(days=ANNUAL_REVIEW_WINDOW_DAYS), due=due)


def reminder_dates(window: ReviewWindow) -> dict[str, dt.date]:
    """When review reminders go out: at opening, and 30 and 7 days before the deadline."""
    out = {"opened": window.opens}
    for days in REMINDER_DAYS_BEFORE_DUE:
        out[f"due_in_{days}"] = window.due - dt.timedelta(days=days)
    return out


def appeal_due(decided: dt.date, *, false_information: bool) -> dt.date:
    days = APPEAL_FALSE_INFORMATION_DAYS if false_information else APPEAL_DENIAL_DAYS
    return decided + dt.timedelta(days=days)


def appeal_decision_due(
    filed: dt.date, pauses: Iterable[Pause] = (), *, today: dt.date | None = None
) -> dt.date:
    return deadline(filed, APPEAL_DECISION_DAYS, pauses, today=today)
