"""The one transition check every status machine in Greenlane uses."""

from __future__ import annotations

from collections.abc import Mapping

from .errors import TransitionRefused


def allowed_targets(table: Mapping[str, frozenset[str]], current: str) -> frozenset[str]:
    return table.get(current, frozenset())


def check_transition(table: Mapping[str, frozenset[str]], current: str, target: str, *, label=str) -> None:
    """Refuse any (current -> target) pair that is not in the table."""
    if target not in allowed_targets(table, current):
        options = ", ".join(sorted(label(t) for t in allowed_targets(table, current))) or "none"
        raise TransitionRefused(
            f"Cannot move from '{label(current)}' to '{label(target)}'. Allowed from here: {options}.",
            field="status",
        )
