"""MRA pages: staff (programs, imports with the upload form, foreign members, our export) and the company
officer's consent page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from greenlane.core.errors import DomainError
from greenlane.core.web import attach_error, attempt, querystring_without, staff_only, trade_only
from greenlane.partners.selectors import partner_for

from . import exports, forms, permissions, selectors, services


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@staff_only
def programs(request):
    return render(
        request,
        "mra/programs.html",
        {
            "rows": selectors.program_overview(request.user),
            "can_manage": permissions.can_manage(request.user),
        },
    )


@staff_only
@require_http_methods(["GET", "POST"])
def imports(request):
    form = forms.UploadForm(initial={"program": request.GET.get("program", "")})
    status = 200
    if request.method == "POST":
        form = forms.UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.status_import(
                    actor=request.user,
                    program_code=form.cleaned_data["program"],
                    stream=upload.file,
                    file_name=upload.name,
                    as_of=form.cleaned_data["as_of"],
                )
            except DomainError as exc:
                attach_error(request, form, exc)
                status = 403 if exc.status == 403 else 200
                if exc.errors and any("line" in e for e in exc.errors):
                    messages.error(request, exc.message)
            else:
                log = result.log
                if result.duplicate:
                    messages.info(
                        request,
                        _("This file was already imported (import #%(id)s); nothing changed.")
                        % {"id": log.pk},
                    )
                elif log.error_count:
                    messages.warning(
                        request,
                        _("Imported %(ok)s rows; %(bad)s rows have problems and were skipped (listed below).")
                        % {"ok": log.row_count - log.error_count, "bad": log.error_count},
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "Imported %(rows)s rows: %(new)s new, %(upd)s updated, %(same)s unchanged, "
                            "%(gone)s no longer listed."
                        )
                        % {
                            "rows": log.row_count,
                            "new": log.created_count,
                            "upd": log.updated_count,
                            "same": log.unchanged_count,
                            "gone": log.deactivated_count,
                        },
                    )
                return redirect("mra:import_detail", pk=log.pk)
    page = selectors.imports(
        request.user,
        program_code=request.GET.get("program", ""),
        limit=_int(request.GET.get("limit")),
        offset=_int(request.GET.get("offset")),
    )
    return render(
        request,
        "mra/imports.html",
        {
            "form": form,
            "page": page,
            "can_manage": permissions.can_manage(request.user),
            "querystring_base": querystring_without(request, "offset"),
        },
        status=status,
    )


@staff_only
def import_detail(request, pk):
    log = selectors.import_detail(request.user, pk)
    return render(request, "mra/import_detail.html", {"log": log})


@staff_only
def members(request):
    form = forms.MemberSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = selectors.search_members(
        request.user,
        q=data.get("q", ""),
        program_code=data.get("program", ""),
        status=data.get("status", ""),
        limit=_int(request.GET.get("limit")),
        offset=_int(request.GET.get("offset")),
    )
    return render(
        request,
        "mra/members.html",
        {"form": form, "page": page, "querystring_base": querystring_without(request, "offset")},
    )


@staff_only
def export(request, code):
    form = forms.ExportForm(request.GET)
    file_format = form.cleaned_data.get("format") or "csv" if form.is_valid() else "csv"
    ok, result = attempt(
        request,
        None,
        lambda: exports.status_export(actor=request.user, program_code=code, file_format=file_format),
    )
    if not ok:
        return redirect("mra:programs")
    name, content, _n = result
    content_type = "application/json" if file_format == "json" else "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@trade_only
@require_http_methods(["GET", "POST"])
def consent(request, pk):
    access = partner_for(request.user, pk)
    if request.method == "POST":
        form = forms.ConsentForm(request.POST)
        if form.is_valid():
            code, action = form.cleaned_data["program"], form.cleaned_data["action"]
            service = services.consent_grant if action == "grant" else services.consent_withdraw
            ok, _c = attempt(
                request, None, lambda: service(actor=request.user, partner_id=pk, program_code=code)
            )
            if ok:
                messages.success(
                    request,
                    _("Consent given: your status will be sent to this program's administration.")
                    if action == "grant"
                    else _("Consent withdrawn: your status will no longer be sent."),
                )
        else:
            messages.error(request, _("Choose a program and an action."))
        return redirect("mra:consent", pk=pk)
    consents = selectors.consents_for(access.partner.pk)
    rows = [(p, consents.get(p.pk)) for p in selectors.programs()]
    return render(
        request,
        "mra/consent.html",
        {
            "partner": access.partner,
            "rows": rows,
            "can_consent": permissions.can_consent(access.role),
            "editable": True,
        },
    )
