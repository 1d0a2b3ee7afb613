"""Validation selection and planning: pure Python (no Django), dataclasses in, plans with figures out."""

from .adjusted import Placed, countries_of, move_cost, refigure, retrip
from .book import Book, forced_samples
from .greedy import greedy_book, greedy_plan
from .optimise import optimise_plan
from .report import deadline_bound, summarise
from .score import DEFAULT_WEIGHTS, FACTORS, Features, score, validate_weights
from .types import (
    DEFAULT_HOURS,
    MONTHS,
    STANDARD_MONTHLY_HOURS,
    Candidate,
    Entry,
    Parameters,
    Plan,
    Specialist,
    hours_needed,
)

__all__ = [
    "DEFAULT_HOURS",
    "DEFAULT_WEIGHTS",
    "FACTORS",
    "MONTHS",
    "STANDARD_MONTHLY_HOURS",
    "Book",
    "Candidate",
    "Entry",
    "Features",
    "Parameters",
    "Placed",
    "Plan",
    "Specialist",
    "countries_of",
    "deadline_bound",
    "forced_samples",
    "greedy_book",
    "greedy_plan",
    "hours_needed",
    "move_cost",
    "optimise_plan",
    "refigure",
    "retrip",
    "score",
    "summarise",
    "validate_weights",
]
