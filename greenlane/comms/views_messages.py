"""Secure message pages: a company's threads and the staff inbox, a thread with replies, attachments."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from greenlane.core.errors import DomainError, Forbidden
from greenlane.core.web import attach_error, querystring_without, staff_only, trade_only
from greenlane.partners.selectors import partner_for

from . import forms, permissions, services
from .selectors import threads as selectors


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _uploads(files) -> list[services.Upload]:
    return [services.Upload(filename=f.name or "", data=f.read()) for f in files or []]


def _thread_page(
    request, thread, *, form, back_url: str, download_name: str, reply_url: str, status: int = 200
):
    mark = selectors.last_read_id(request.user, thread)
    items = selectors.messages(thread)
    can_write = (not request.user.staff_role) or permissions.can_reach(request.user, thread.partner)
    if thread.last_message_id > mark:
        services.thread_mark_read(actor=request.user, thread_id=thread.pk)
    return render(
        request,
        "comms/thread.html",
        {
            "thread": thread,
            "partner": thread.partner,
            "items": items,
            "last_read": mark,
            "handover": selectors.handover(thread),
            "form": form,
            "can_write": can_write,
            "back_url": back_url,
            "download_name": download_name,
            "reply_url": reply_url,
            "is_staff_view": bool(request.user.staff_role),
        },
        status=status,
    )


def _reply(request, thread):
    """Handle a reply POST; returns (form, ok)."""
    form = forms.ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, False
    try:
        services.message_post(
            actor=request.user,
            thread_id=thread.pk,
            body=form.cleaned_data["body"],
            files=_uploads(form.cleaned_data.get("attachments")),
        )
    except Forbidden as exc:
        form.add_error(None, exc.message)
        return form, False
    except DomainError as exc:
        if exc.status == 404:
            raise
        attach_error(request, form, exc)
        return form, False
    flash.success(request, _("Message sent."))
    return form, True


# Company side -------------------------------------------------------------------------------------------


@trade_only
def company_threads(request, pid):
    access = partner_for(request.user, pid)
    page = selectors.company_threads(
        request.user, pid, limit=_int(request.GET.get("limit")), offset=_int(request.GET.get("offset"))
    )
    return render(
        request,
        "comms/threads.html",
        {
            "partner": access.partner,
            "page": page,
            "querystring_base": querystring_without(request, "offset"),
            "specialist": access.partner.assigned_scs,
        },
    )


@trade_only
def company_thread_new(request, pid):
    access = partner_for(request.user, pid)
    return _new_thread(
        request,
        access.partner,
        cancel_url=reverse("comms:threads", args=[pid]),
        done=lambda t: reverse("comms:thread", args=[pid, t.pk]),
    )


def _new_thread(request, partner, *, cancel_url: str, done):
    form = forms.ThreadForm(request.POST or None, request.FILES or None, initial=request.GET.dict() or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread = services.thread_start(
                actor=request.user,
                partner_id=partner.pk,
                subject=data["subject"],
                body=data["body"],
                criterion_code=data["criterion_code"],
                validation_id=data["validation_id"] or None,
                files=_uploads(data.get("attachments")),
            )
        except Forbidden as exc:
            form.add_error(None, exc.message)
            status = 403
        except DomainError as exc:
            if exc.status == 404:
                raise
            attach_error(request, form, exc)
        else:
            flash.success(request, _("Message sent."))
            return redirect(done(thread))
    can_write = (not request.user.staff_role) or permissions.can_reach(request.user, partner)
    return render(
        request,
        "comms/thread_new.html",
        {"partner": partner, "form": form, "cancel_url": cancel_url, "can_write": can_write},
        status=status,
    )


@trade_only
def company_thread(request, pid, tid):
    thread = selectors.company_thread(request.user, pid, tid)
    back = reverse("comms:threads", args=[pid])
    here = reverse("comms:thread", args=[pid, tid])
    form = forms.ReplyForm()
    if request.method == "POST":
        form, ok = _reply(request, thread)
        if ok:
            return redirect(here + "#latest")
        thread = selectors.company_thread(request.user, pid, tid)
    return _thread_page(
        request, thread, form=form, back_url=back, download_name="comms:attachment", reply_url=here
    )


@trade_only
def company_attachment(request, pid, tid, aid):
    selectors.company_thread(request.user, pid, tid)
    return _download(selectors.attachment_for(request.user, tid, aid))


def _download(record):
    response = FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=record.original_name,
        content_type=record.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Staff side ---------------------------------------------------------------------------------------------


@staff_only
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    q = request.GET.get("q", "")[:200]
    page = selectors.staff_inbox(
        request.user,
        unread_only=unread_only,
        q=q,
        limit=_int(request.GET.get("limit")),
        offset=_int(request.GET.get("offset")),
    )
    return render(
        request,
        "comms/inbox.html",
        {
            "page": page,
            "q": q,
            "unread_only": unread_only,
            "querystring_base": querystring_without(request, "offset"),
        },
    )


@staff_only
def staff_thread(request, tid):
    thread = selectors.thread_for(request.user, tid)
    here = reverse("comms:staff_thread", args=[tid])
    form = forms.ReplyForm()
    status = 200
    if request.method == "POST":
        form, ok = _reply(request, thread)
        if ok:
            return redirect(here + "#latest")
        status = 403 if not permissions.can_reach(request.user, thread.partner) else 200
        thread = selectors.thread_for(request.user, tid)
    return _thread_page(
        request,
        thread,
        form=form,
        back_url=reverse("comms:inbox"),
        download_name="comms:staff_attachment",
        reply_url=here,
        status=status,
    )


@staff_only
def staff_attachment(request, tid, aid):
    return _download(selectors.attachment_for(request.user, tid, aid))


@staff_only
def staff_thread_new(request, pid):
    access = partner_for(request.user, pid)
    return _new_thread(
        request,
        access.partner,
        cancel_url=reverse("comms:inbox"),
        done=lambda t: reverse("comms:staff_thread", args=[t.pk]),
    )
