"""Library pages: the public library (every signed-in user reads, librarians publish) and each company's
document exchange with its specialist."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlane.core.errors import DomainError
from greenlane.core.web import attach_error, querystring_without, staff_only

from . import forms, permissions
from . import library_selectors as selectors
from . import library_services as services
from .web import download, paging, signed_in, upload_bytes


def _filter(request) -> tuple[forms.DocumentFilterForm, selectors.DocumentFilter]:
    form = forms.DocumentFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.DocumentFilter(q=data.get("q", ""), category=data.get("category", ""))


def _run(request, form, fn):
    """Call an upload service; a refused upload goes on the form (nothing was stored)."""
    try:
        return True, fn()
    except DomainError as exc:
        if exc.status == 404:
            raise
        attach_error(request, form, exc)
        return False, None


@signed_in
def library(request):
    form, criteria = _filter(request)
    limit, offset = paging(request)
    return render(
        request,
        "community/library.html",
        {
            "section": "library",
            "form": form,
            "page": selectors.library(request.user, criteria, limit=limit, offset=offset),
            "querystring_base": querystring_without(request, "offset"),
            "can_publish": permissions.can_publish_library(request.user),
        },
    )


@signed_in
def library_document(request, document_id):
    document = selectors.library_document(request.user, document_id)
    return render(
        request,
        "community/library_document.html",
        {
            "section": "library",
            "document": document,
            "can_publish": permissions.can_publish_library(request.user),
            "version_form": forms.VersionForm(),
        },
    )


@signed_in
def library_download(request, document_id, number):
    document = selectors.library_document(request.user, document_id)
    return download(selectors.version_of(document, number))


@staff_only
@require_POST
def library_version(request, document_id):
    if not permissions.can_publish_library(request.user):
        raise PermissionDenied
    document = selectors.library_document(request.user, document_id)
    form = forms.VersionForm(request.POST, request.FILES)
    if form.is_valid():
        ok, version = _run(
            request,
            form,
            lambda: services.version_upload(
                actor=request.user,
                document_id=document.pk,
                note=form.cleaned_data["note"],
                **_named(upload_bytes(form.cleaned_data["file"])),
            ),
        )
        if ok:
            messages.success(request, _("Version %(n)d published.") % {"n": version.version})
            return redirect("community:library_document", document.pk)
    return render(
        request,
        "community/library_document.html",
        {"section": "library", "document": document, "can_publish": True, "version_form": form},
    )


def _named(pair: tuple[str, bytes]) -> dict:
    return {"filename": pair[0], "data": pair[1]}


@staff_only
def library_manage(request):
    if request.method == "POST" and not permissions.can_publish_library(request.user):
        raise PermissionDenied
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, document = _run(
            request,
            form,
            lambda: services.library_publish(
                actor=request.user,
                title=data["title"],
                description=data["description"],
                category=data["category"],
                tags=data["tags"],
                **_named(upload_bytes(data["file"])),
            ),
        )
        if ok:
            messages.success(request, _("Published to the library."))
            return redirect("community:library_document", document.pk)
    filter_form, criteria = _filter(request)
    limit, offset = paging(request)
    return render(
        request,
        "community/library_manage.html",
        {
            "form": form,
            "filter_form": filter_form,
            "page": selectors.library(request.user, criteria, limit=limit, offset=offset),
            "querystring_base": querystring_without(request, "offset"),
            "can_publish": permissions.can_publish_library(request.user),
        },
    )


# A company's document exchange ----------------------------------------------------------------------------


def _writes(request, access) -> bool:
    return not access.is_staff or permissions.staff_writes_exchange(request.user, access.partner)


@signed_in
def exchange(request, pid):
    access = selectors.exchange_access(request.user, pid)
    writes = _writes(request, access)
    if request.method == "POST" and not writes:
        raise PermissionDenied
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, document = _run(
            request,
            form,
            lambda: services.exchange_upload(
                actor=request.user,
                partner_id=access.partner.pk,
                title=data["title"],
                description=data["description"],
                category=data["category"],
                tags=data["tags"],
                **_named(upload_bytes(data["file"])),
            ),
        )
        if ok:
            messages.success(request, _("Document shared."))
            return redirect("community:exchange_document", access.partner.pk, document.pk)
    filter_form, criteria = _filter(request)
    limit, offset = paging(request)
    return render(
        request,
        "community/exchange.html",
        {
            "access": access,
            "partner": access.partner,
            "form": form,
            "filter_form": filter_form,
            "writes": writes,
            "page": selectors.exchange(access, criteria, limit=limit, offset=offset),
            "querystring_base": querystring_without(request, "offset"),
        },
    )


@signed_in
def exchange_document(request, pid, document_id):
    access = selectors.exchange_access(request.user, pid)
    document = selectors.exchange_document(access, document_id)
    writes = _writes(request, access)
    if request.method == "POST" and not writes:
        raise PermissionDenied
    form = forms.VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        ok, version = _run(
            request,
            form,
            lambda: services.version_upload(
                actor=request.user,
                partner_id=access.partner.pk,
                document_id=document.pk,
                note=form.cleaned_data["note"],
                **_named(upload_bytes(form.cleaned_data["file"])),
            ),
        )
        if ok:
            messages.success(request, _("Version %(n)d uploaded.") % {"n": version.version})
            return redirect("community:exchange_document", access.partner.pk, document.pk)
    return render(
        request,
        "community/exchange_document.html",
        {"access": access, "partner": access.partner, "document": document, "form": form, "writes": writes},
    )


@signed_in
def exchange_download(request, pid, document_id, number):
    access = selectors.exchange_access(request.user, pid)
    document = selectors.exchange_document(access, document_id)
    return download(selectors.version_of(document, number))
