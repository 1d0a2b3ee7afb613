"""Downloads of a partner's security profile (JSON, PDF), current or one frozen snapshot, and the page that
lists them. Members of the company and program staff (read-only) may download; anyone else gets 404."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from greenlane.accounts.choices import TradeRole
from greenlane.core.errors import NotFound
from greenlane.core.web import trade_only
from greenlane.partners.selectors import partner_for

from . import exports, selectors


def _signed_in(view):
    """Company members and staff alike; someone else's company, a missing one or a missing snapshot: 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None

    return wrapper


def _subject(request, pk):
    """The snapshot asked for with ?snapshot=<id>, else the current profile."""
    access = partner_for(request.user, pk)
    snapshot_id = request.GET.get("snapshot")
    if snapshot_id is not None:
        return access, None, selectors.snapshot_for(access, _int(snapshot_id))
    return access, exports.current_profile_for(access), None


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def _attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@_signed_in
def export_json(request, pk):
    access, profile, snapshot = _subject(request, pk)
    if snapshot is not None:
        data = exports.snapshot_data(access, snapshot)
        stem = exports.file_stem(
            access, version=snapshot.catalog_version.version, revision=snapshot.revision, snapshot=True
        )
    else:
        data = exports.profile_data(access, profile)
        stem = exports.file_stem(
            access, version=profile.catalog_version.version, revision=profile.revision, snapshot=False
        )
    return _attachment(exports.to_json(data), "application/json; charset=utf-8", f"{stem}.json")


@_signed_in
def export_pdf(request, pk):
    access, profile, snapshot = _subject(request, pk)
    if snapshot is not None:
        body = exports.snapshot_pdf(access, snapshot)
        stem = exports.file_stem(
            access, version=snapshot.catalog_version.version, revision=snapshot.revision, snapshot=True
        )
    else:
        body = exports.profile_pdf(access, profile)
        stem = exports.file_stem(
            access, version=profile.catalog_version.version, revision=profile.revision, snapshot=False
        )
    return _attachment(body, "application/pdf", f"{stem}.pdf")


@trade_only
def export_page(request, pk):
    access = partner_for(request.user, pk)
    profile = selectors.current_profile(access.partner)
    return render(
        request,
        "profiles/export/page.html",
        {
            "partner": access.partner,
            "role": access.role,
            "role_label": TradeRole(access.role).label if access.role in TradeRole.values else "",
            # The layout's "company data is locked" notice is about editing; nothing is edited here.
            "editable": True,
            "profile": profile,
            "snapshots": selectors.snapshots(profile) if profile else [],
        },
    )
