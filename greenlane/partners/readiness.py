"""What an application still lacks before it can be submitted. Read-only; used by pages and by submit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import eligibility
from . import identifiers as ids
from .choices import SiteKind


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    done: bool
    detail: str = ""


# Apps built on partners add steps of their own (the security profile adds "profile submitted").
# Registered once at start-up in their AppConfig.ready(); called in order, inside the same request.
_extra_steps: list[Callable[[object], Step]] = []


def register_step(step: Callable[[object], Step]) -> None:
    if step not in _extra_steps:
        _extra_steps.append(step)


def checklist(partner, *, current_agreement) -> list[Step]:
    """Every step of the application with done/not done. Uses prefetched relations where present."""
    present_types = {i.type for i in partner.identifiers.all()}
    missing_groups = ids.missing_identifier_groups(partner.entity_type, present_types)
    unanswered = eligibility.unanswered(partner.entity_type, partner.eligibility or {})
    sites = list(partner.sites.all())
    has_hq = any(s.kind == SiteKind.HEADQUARTERS for s in sites)
    contacts = list(partner.contacts.all())
    signed = current_agreement is not None and any(
        s.version_id == current_agreement.pk for s in partner.signatures.all()
    )
    details_done = bool(
        partner.legal_name and partner.country and partner.business_start_date and partner.employee_count
    )
    steps = [
        Step(
            "details",
            _("Business details"),
            details_done,
            "" if details_done else _("Add the date the business started and the number of employees."),
        ),
        Step(
            "identifiers",
            _("Identifiers"),
            not missing_groups,
            "; ".join(_("add %(what)s") % {"what": ids.describe_group(g)} for g in missing_groups),
        ),
        Step(
            "eligibility",
            _("Eligibility questions"),
            not unanswered,
            _("%(n)d question(s) unanswered") % {"n": len(unanswered)} if unanswered else "",
        ),
        Step("sites", _("Addresses and sites"), has_hq, "" if has_hq else _("Add the headquarters address.")),
        Step(
            "contacts",
            _("Contacts"),
            bool(contacts),
            "" if contacts else _("Add at least one point of contact."),
        ),
        Step(
            "agreement",
            _("Partnership agreement signed by a company officer"),
            signed,
            "" if signed else _("A company officer must sign the current agreement."),
        ),
    ]
    # Extra steps go before the signature: the officer signs last, then submits.
    return steps[:-1] + [extra(partner) for extra in _extra_steps] + steps[-1:]


def problems(partner, *, current_agreement) -> list[Step]:
    return [step for step in checklist(partner, current_agreement=current_agreement) if not step.done]
