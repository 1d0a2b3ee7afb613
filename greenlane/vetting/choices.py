"""Kinds of compliance record, match methods and statuses, and the review transition table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    PENALTY = "penalty", _("Penalty")
    SEIZURE = "seizure", _("Seizure")
    LIQUIDATED_DAMAGES = "liquidated_damages", _("Liquidated damages")
    UNPAID_DEBT = "unpaid_debt", _("Unpaid debt")
    PRIOR_SUSPENSION = "prior_suspension", _("Prior suspension")
    PRIOR_REMOVAL = "prior_removal", _("Prior removal")
    WATCH_LIST = "watch_list", _("Watch-list entry")


class MatchMethod(models.TextChoices):
    IDENTIFIER = "identifier", _("Identifier")
    NAME_ADDRESS = "name_address", _("Name and address")


class MatchStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


S = MatchStatus

# A decision can be reversed by an officer (with a note); nothing goes back to pending.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.CONFIRMED, S.DISMISSED}),
    S.CONFIRMED: frozenset({S.DISMISSED}),
    S.DISMISSED: frozenset({S.CONFIRMED}),
}
