"""Portal notices (and their e-mail) the community sends: a document shared in a company's exchange reaches
the other side; a reviewed best practice reaches the person who submitted it."""

from __future__ import annotations

from django.urls import reverse

from greenlane.notifications.services import notify, partner_recipients


def exchange_shared(*, actor, document, version_number: int) -> None:
    """Staff shared: the company's people hear of it. The company shared: its assigned specialist does."""
    partner = document.partner
    url = reverse("community:exchange_document", args=[partner.pk, document.pk])
    if getattr(actor, "staff_role", ""):
        recipients = partner_recipients(partner)
        title = f"Program staff shared '{document.title}' (version {version_number})"
    else:
        recipients = [partner.assigned_scs] if partner.assigned_scs_id else []
        title = f"{partner.legal_name} shared '{document.title}' (version {version_number})"
    notify(recipients=recipients, kind="community.exchange", title=title, url=url, partner=partner)


def practice_decided(*, practice) -> None:
    submitter = practice.submitted_by
    if getattr(submitter, "staff_role", "") or practice.partner_id is None:
        return
    url = reverse("community:company_practices", args=[practice.partner_id])
    notify(
        recipients=[submitter],
        kind="community.practice",
        title=f"Best practice '{practice.title}': {practice.get_status_display().lower()}",
        body=practice.decision_note,
        url=url,
        partner=practice.partner,
    )
