"""Plan statuses and their transition table, plan methods, entry sources."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    COMPUTING = "computing", _("Computing")
    DRAFT = "draft", _("Draft")
    FAILED = "failed", _("Failed")
    ACCEPTED = "accepted", _("Accepted")
    SUPERSEDED = "superseded", _("Superseded")


S = PlanStatus

# A draft is accepted (the accepted plan of that year, if any, becomes superseded); nothing goes back.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.COMPUTING: frozenset({S.DRAFT, S.FAILED}),
    S.DRAFT: frozenset({S.ACCEPTED, S.SUPERSEDED}),
    S.FAILED: frozenset(),
    S.ACCEPTED: frozenset({S.SUPERSEDED}),
    S.SUPERSEDED: frozenset(),
}


class PlanMethod(models.TextChoices):
    OPTIMISED = "optimised", _("Optimised (CP-SAT)")
    GREEDY = "greedy", _("Greedy (highest score first)")


class EntrySource(models.TextChoices):
    OPTIMISED = "optimised", _("Computed")
    MANUAL = "manual", _("Adjusted by hand")


class EntryWhy(models.TextChoices):
    DEADLINE = "deadline", _("Due by law this year")
    SAMPLE = "sample", _("Sector sample")
    OVERSIGHT = "oversight", _("Random oversight")
    RISK = "risk", _("Selected by risk")
