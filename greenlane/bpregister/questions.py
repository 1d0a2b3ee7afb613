"""The security questionnaire as data (data/questions.yaml): the questions each business-partner type gets."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "questions.yaml"
ANSWERS = ("yes", "no", "n/a")


@cache
def _catalog() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def version() -> str:
    return str(_catalog()["version"])


def question_set(partner_type: str) -> tuple[str, list[dict]]:
    """(set name, questions) for a business-partner type: the common questions plus its type's extras."""
    cat = _catalog()
    extra = cat["type_sets"].get(partner_type, "")
    items = [*cat["common"], *(cat["by_type"].get(extra, []) if extra else [])]
    seen: set[str] = set()
    questions = []
    for q in items:
        if q["id"] not in seen:
            seen.add(q["id"])
            questions.append({"id": q["id"], "text": q["text"]})
    return (f"{version()}/{extra or 'common'}", questions)
