"""Staff vetting pages: the review queue, a partner's matches side by side, imports and the upload form."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from greenlane.core.errors import DomainError
from greenlane.core.web import attach_error, attempt, querystring_without, staff_only

from . import forms, permissions, selectors, services
from .choices import MatchStatus


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@staff_only
def queue(request):
    form = forms.QueueForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    criteria = selectors.QueueFilter(
        q=data.get("q", ""),
        partner_status=data.get("partner_status", ""),
        method=data.get("method", ""),
        kind=data.get("kind", ""),
        min_score=data.get("min_score"),
    )
    page = selectors.review_queue(
        request.user, criteria, limit=_int(request.GET.get("limit")), offset=_int(request.GET.get("offset"))
    )
    latest = selectors.imports(request.user, limit=1, offset=0)
    return render(
        request,
        "vetting/queue.html",
        {
            "form": form,
            "page": page,
            "querystring_base": querystring_without(request, "offset"),
            "latest_import": latest.items[0] if latest.items else None,
            "record_count": selectors.record_count(),
            "can_manage": permissions.can_manage(request.user),
        },
    )


@staff_only
def partner(request, pk):
    form = forms.PartnerMatchesForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    vetting = selectors.partner_vetting(request.user, pk, status=status)
    return render(
        request,
        "vetting/partner.html",
        {
            "form": form,
            "vetting": vetting,
            "partner": vetting.partner,
            "identifiers": list(vetting.partner.identifiers.all()),
            "sites": list(vetting.partner.sites.all()),
            "summary": selectors.compliance_summary(vetting.partner),
            "can_manage": permissions.can_manage(request.user),
            "PENDING": MatchStatus.PENDING,
        },
    )


@staff_only
@require_POST
def decide(request, pk, decision):
    match = selectors.match_for(request.user, pk)
    note = request.POST.get("note", "")
    service = services.match_confirm if decision == "confirm" else services.match_dismiss
    ok, decided = attempt(request, None, lambda: service(actor=request.user, match_id=match.pk, note=note))
    if ok:
        if decided.status == MatchStatus.CONFIRMED:
            messages.success(
                request, _("Match confirmed: it now counts in the partner's compliance history.")
            )
        else:
            messages.success(request, _("Match dismissed. Matching will not raise it again."))
    return redirect(f"{_partner_url(match.partner_id)}#match-{match.pk}")


def _partner_url(partner_id: int) -> str:
    return reverse("vetting:partner", args=[partner_id])


@staff_only
@require_POST
def run(request, pk):
    ok, result = attempt(request, None, lambda: services.matching_run(actor=request.user, partner_id=pk))
    if ok:
        if result.changed:
            messages.success(
                request,
                _(
                    "Matching done: %(new)s new, %(auto)s confirmed automatically, %(upd)s updated, "
                    "%(gone)s withdrawn."
                )
                % {
                    "new": len(result.created),
                    "auto": len(result.auto_confirmed),
                    "upd": len(result.updated),
                    "gone": len(result.removed),
                },
            )
        else:
            messages.info(request, _("Matching done: nothing changed."))
    return redirect(_partner_url(pk))


@staff_only
def imports(request):
    can_manage = permissions.can_manage(request.user)
    form = forms.UploadForm()
    rejected = None
    status = 200
    if request.method == "POST":
        form = forms.UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = services.compliance_import(
                    actor=request.user,
                    stream=upload.file,
                    file_name=upload.name,
                    source=form.cleaned_data["source"],
                )
            except services.ImportRejected as exc:
                rejected = exc  # shown as a table of every bad row, on the page as usual (200)
            except DomainError as exc:
                attach_error(request, form, exc)
                status = 403 if exc.status == 403 else 200
            else:
                messages.success(
                    request,
                    ngettext(
                        "Imported %(file)s: %(rows)s row; %(new)s new, %(upd)s updated, %(same)s unchanged.",
                        "Imported %(file)s: %(rows)s rows; %(new)s new, %(upd)s updated, %(same)s unchanged.",
                        batch.row_count,
                    )
                    % {
                        "file": batch.file_name,
                        "rows": batch.row_count,
                        "new": batch.created_count,
                        "upd": batch.updated_count,
                        "same": batch.unchanged_count,
                    },
                )
                return redirect("vetting:imports")
    page = selectors.imports(
        request.user, limit=_int(request.GET.get("limit")), offset=_int(request.GET.get("offset"))
    )
    return render(
        request,
        "vetting/imports.html",
        {
            "form": form,
            "page": page,
            "rejected": rejected,
            "can_manage": can_manage,
            "querystring_base": querystring_without(request, "offset"),
            "record_count": selectors.record_count(),
        },
        status=status,
    )
