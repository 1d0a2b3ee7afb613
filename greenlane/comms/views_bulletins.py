"""Bulletin and alert pages: members read theirs; staff write, preview the audience, schedule, withdraw."""

from __future__ import annotations

from django.contrib import messages as flash
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlane.core.errors import DomainError, Forbidden
from greenlane.core.web import attempt, querystring_without, staff_only, trade_only

from . import audience as aud
from . import forms, permissions, services
from .choices import BULLETIN_EDITABLE, BulletinKind, BulletinStatus
from .selectors import bulletins as selectors


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Members ------------------------------------------------------------------------------------------------


def _member_list(request, kind: str):
    q = request.GET.get("q", "")[:200]
    page = selectors.member_bulletins(
        request.user,
        kind=kind,
        q=q,
        limit=_int(request.GET.get("limit")),
        offset=_int(request.GET.get("offset")),
    )
    return render(
        request,
        "comms/my_bulletins.html",
        {
            "page": page,
            "kind": kind,
            "q": q,
            "is_alerts": kind == BulletinKind.ALERT,
            "querystring_base": querystring_without(request, "offset"),
        },
    )


@trade_only
def my_bulletins(request):
    return _member_list(request, BulletinKind.BULLETIN)


@trade_only
def my_alerts(request):
    return _member_list(request, BulletinKind.ALERT)


@trade_only
def my_bulletin(request, bid):
    bulletin = selectors.bulletin_for_member(request.user, bid)
    services.bulletin_read(actor=request.user, bulletin=bulletin)
    return render(request, "comms/my_bulletin.html", {"bulletin": bulletin})


# Staff --------------------------------------------------------------------------------------------------


@staff_only
def staff_list(request):
    status = request.GET.get("status", "")
    status = status if status in BulletinStatus.values else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in BulletinKind.values else ""
    page = selectors.staff_bulletins(
        request.user,
        status=status,
        kind=kind,
        q=request.GET.get("q", "")[:200],
        limit=_int(request.GET.get("limit")),
        offset=_int(request.GET.get("offset")),
    )
    return render(
        request,
        "comms/staff_bulletins.html",
        {
            "page": page,
            "status": status,
            "kind": kind,
            "q": request.GET.get("q", "")[:200],
            "statuses": BulletinStatus.choices,
            "kinds": BulletinKind.choices,
            "can_edit": permissions.can_edit_bulletins(request.user),
            "querystring_base": querystring_without(request, "offset"),
        },
    )


def _input(form: forms.BulletinForm) -> services.BulletinInput:
    data = form.cleaned_data
    return services.BulletinInput(
        kind=data["kind"],
        title=data["title"],
        body=data["body"],
        severity=data.get("severity") or "",
        audience=form.audience(),
        publish_at=data.get("publish_at"),
        expires_at=data.get("expires_at"),
    )


def _preview(form: forms.BulletinForm) -> int | None:
    """The number of companies the form's audience reaches (None when the audience is invalid)."""
    try:
        return aud.audience_count(aud.clean_audience(form.audience()))
    except DomainError as exc:
        form.add_error(None, exc.message)
        return None


def _compose(request, *, bulletin=None):
    initial = None
    if bulletin is not None:
        a = bulletin.audience
        initial = {
            "kind": bulletin.kind,
            "title": bulletin.title,
            "body": bulletin.body,
            "severity": bulletin.severity,
            "publish_at": bulletin.publish_at,
            "expires_at": bulletin.expires_at,
            **a,
        }
    form = forms.BulletinForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        preview = _preview(form)
        if request.POST.get("action") != "preview" and preview is not None:
            if bulletin is None:
                ok, saved = attempt(
                    request, form, lambda: services.bulletin_create(actor=request.user, data=_input(form))
                )
            else:
                ok, saved = attempt(
                    request,
                    form,
                    lambda: services.bulletin_update(
                        actor=request.user, bulletin_id=bulletin.pk, data=_input(form)
                    ),
                )
            if ok:
                flash.success(request, _("Saved. Check the audience, then publish or schedule it."))
                return redirect("comms:staff_bulletin", bid=saved.pk)
    elif bulletin is not None and request.method != "POST":
        preview = bulletin.audience_size
    return render(
        request, "comms/bulletin_form.html", {"form": form, "bulletin": bulletin, "preview": preview}
    )


def _refusal(request):
    return render(
        request,
        "comms/refused.html",
        {
            "message": _(
                "Only program managers, supervisory specialists and intelligence analysts write bulletins."
            )
        },
        status=403,
    )


@staff_only
def bulletin_new(request):
    if not permissions.can_edit_bulletins(request.user):
        return _refusal(request)
    return _compose(request)


@staff_only
def bulletin_edit(request, bid):
    bulletin = selectors.staff_bulletin(request.user, bid)
    if bulletin.status not in BULLETIN_EDITABLE:
        flash.error(request, _("A published or withdrawn bulletin can no longer be changed."))
        return redirect("comms:staff_bulletin", bid=bid)
    if not permissions.can_edit_bulletins(request.user):
        return _refusal(request)
    return _compose(request, bulletin=bulletin)


@staff_only
def staff_detail(request, bid):
    bulletin = selectors.staff_bulletin(request.user, bid)
    receipts = selectors.read_receipts(
        bulletin, limit=_int(request.GET.get("limit")), offset=_int(request.GET.get("offset"))
    )
    return render(
        request,
        "comms/staff_bulletin.html",
        {
            "bulletin": bulletin,
            "receipts": receipts,
            "page": receipts,
            "by_company": selectors.reads_by_company(bulletin),
            "companies_read": selectors.companies_reached_with_reads(bulletin)
            if bulletin.published_at
            else 0,
            "can_edit": permissions.can_edit_bulletins(request.user),
            "editable": bulletin.status in BULLETIN_EDITABLE,
            "publish_form": forms.PublishForm(),
            "reason_form": forms.ReasonForm(),
            "office_names": _office_names(bulletin),
            "querystring_base": querystring_without(request, "offset"),
        },
    )


def _office_names(bulletin) -> list[str]:
    from greenlane.accounts.models import FieldOffice

    ids = [int(i) for i in bulletin.audience["field_offices"]]
    return list(FieldOffice.objects.filter(pk__in=ids).values_list("name", flat=True)) if ids else []


def _act(request, bid, fn, done: str):
    try:
        fn()
    except Forbidden as exc:
        return render(request, "comms/refused.html", {"message": exc.message}, status=403)
    except DomainError as exc:
        if exc.status == 404:
            raise
        flash.error(request, exc.message)
    else:
        flash.success(request, done)
    return redirect(reverse("comms:staff_bulletin", args=[bid]))


@staff_only
@require_POST
def bulletin_publish(request, bid):
    form = forms.PublishForm(request.POST)
    if not form.is_valid():
        flash.error(request, _("Publish at: give a date and time such as 2026-12-01 14:00."))
        return redirect("comms:staff_bulletin", bid=bid)
    when = form.cleaned_data.get("publish_at")
    return _act(
        request,
        bid,
        lambda: services.bulletin_publish(actor=request.user, bulletin_id=bid, publish_at=when),
        _("Scheduled.") if when else _("Published."),
    )


@staff_only
@require_POST
def bulletin_unschedule(request, bid):
    return _act(
        request,
        bid,
        lambda: services.bulletin_unschedule(actor=request.user, bulletin_id=bid),
        _("Back to draft."),
    )


@staff_only
@require_POST
def bulletin_withdraw(request, bid):
    reason = request.POST.get("reason", "")
    return _act(
        request,
        bid,
        lambda: services.bulletin_withdraw(actor=request.user, bulletin_id=bid, reason=reason),
        _("Withdrawn: members no longer see it."),
    )
