"""Staff training rules: the course catalog (courses.yaml) and what each person owes. Pure Python, no Django.

``owed(person, records, catalog, today)`` is the one function the due list, the staff pages and the workforce
plan read: it turns the catalog's rules and a person's completion records into what is still owed, by when.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

RULES = ("once", "hours_total", "recurring", "hours_per_year")
CATALOG_FILE = Path(__file__).with_name("courses.yaml")


class CatalogError(ValueError):
    """The catalog file is not valid: the message names the course and the field."""


@dataclass(frozen=True)
class Course:
    code: str
    title: str
    rule: str
    hours: Decimal
    roles: frozenset[str]
    due_within_days: int = 0
    valid_months: int = 0


@dataclass(frozen=True)
class Catalog:
    version: str
    courses: tuple[Course, ...]

    def get(self, code: str) -> Course | None:
        return next((c for c in self.courses if c.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.courses)


@dataclass(frozen=True)
class Person:
    key: int
    role: str
    started_on: dt.date  # when the person took up the role: the clocks of "once" courses start here


@dataclass(frozen=True)
class Record:
    course: str
    completed_on: dt.date
    hours: Decimal


@dataclass(frozen=True)
class Owed:
    course: str
    title: str
    due: dt.date
    hours_owed: Decimal
    reason: str
    overdue: bool = field(default=False)

    def days_left(self, today: dt.date) -> int:
        return (self.due - today).days


def parse_catalog(data: dict) -> Catalog:
    if not isinstance(data, dict) or not isinstance(data.get("courses"), list):
        raise CatalogError("The catalog needs a 'courses' list.")
    out: list[Course] = []
    seen: set[str] = set()
    for n, raw in enumerate(data["courses"], start=1):
        code = str(raw.get("code", "")).strip()
        where = f"course {n} ({code or 'no code'})"
        if not code or code in seen:
            raise CatalogError(f"{where}: 'code' is missing or repeated.")
        seen.add(code)
        rule = raw.get("rule")
        if rule not in RULES:
            raise CatalogError(f"{where}: 'rule' must be one of {', '.join(RULES)}.")
        try:
            hours = Decimal(str(raw.get("hours", 0)))
        except ArithmeticError:
            raise CatalogError(f"{where}: 'hours' is not a number.") from None
        if hours <= 0:
            raise CatalogError(f"{where}: 'hours' must be more than 0.")
        due_days = int(raw.get("due_within_days", 0))
        valid_months = int(raw.get("valid_months", 0))
        if rule in ("once", "hours_total", "recurring") and due_days <= 0:
            raise CatalogError(f"{where}: 'due_within_days' must be more than 0 for rule {rule}.")
        if rule == "recurring" and valid_months <= 0:
            raise CatalogError(f"{where}: 'valid_months' must be more than 0 for a recurring course.")
        out.append(
            Course(
                code=code,
                title=str(raw.get("title", code)),
                rule=rule,
                hours=hours,
                roles=frozenset(raw.get("roles") or ()),
                due_within_days=due_days,
                valid_months=valid_months,
            )
        )
    return Catalog(version=str(data.get("version", "")), courses=tuple(out))


@cache
def load_catalog(path: Path = CATALOG_FILE) -> Catalog:
    return parse_catalog(yaml.safe_load(path.read_text(encoding="utf-8")))


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def owed(person: Person, records: Iterable[Record], catalog: Catalog, today: dt.date) -> list[Owed]:
    """What the person still owes under each course of their role, earliest due first."""
    mine: dict[str, list[Record]] = {}
    for r in records:
        mine.setdefault(r.course, []).append(r)
    out: list[Owed] = []
    for course in catalog.courses:
        if person.role not in course.roles:
            continue
        done = sorted(mine.get(course.code, []), key=lambda r: r.completed_on)
        item = _owed_for(course, person, done, today)
        if item is not None:
            out.append(item)
    out.sort(key=lambda o: (o.due, o.course))
    return out


def _owed_for(course: Course, person: Person, done: list[Record], today: dt.date) -> Owed | None:
    start_due = person.started_on + dt.timedelta(days=course.due_within_days)

    def make(due: dt.date, hours: Decimal, reason: str) -> Owed:
        return Owed(course.code, course.title, due, hours, reason, overdue=due < today)

    if course.rule == "once":
        if done:
            return None
        return make(start_due, course.hours, "not completed")
    if course.rule == "hours_total":
        total = sum((r.hours for r in done), Decimal(0))
        if total >= course.hours:
            return None
        return make(start_due, course.hours - total, f"{total} of {course.hours} hours recorded")
    if course.rule == "recurring":
        if not done:
            return make(start_due, course.hours, "not completed")
        expires = add_months(done[-1].completed_on, course.valid_months)
        return make(expires, course.hours, f"last completed {done[-1].completed_on.isoformat()}")
    # hours_per_year: the year just ended (if short, overdue), else the current year.
    first_year = person.started_on.year + 1
    for year in (today.year - 1, today.year):
        if year < first_year:
            continue
        total = sum((r.hours for r in done if r.completed_on.year == year), Decimal(0))
        if total < course.hours:
            return make(
                dt.date(year, 12, 31), course.hours - total, f"{total} of {course.hours} hours in {year}"
            )
    return None
