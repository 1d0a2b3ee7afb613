"""A user's notifications: the list, open one (marks it read and follows its link), mark all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from greenlane.core.errors import NotFound
from greenlane.core.paging import paginate

from . import selectors, services


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def inbox(request):
    unread_only = request.GET.get("show") == "unread"
    page = paginate(
        selectors.notifications_for(request.user, unread_only=unread_only),
        limit=_int(request.GET.get("limit")),
        offset=_int(request.GET.get("offset")),
    )
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "querystring_base": "show=unread&" if unread_only else "",
        },
    )


@login_required
@require_POST
def open_one(request, notification_id: int):
    try:
        note = services.notification_read(actor=request.user, notification_id=notification_id)
    except NotFound:
        raise Http404() from None
    target = note.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request):
    changed = services.notifications_read_all(actor=request.user)
    messages.success(
        request,
        ngettext("%(n)d notification marked read.", "%(n)d notifications marked read.", changed)
        % {"n": changed}
        if changed
        else _("Nothing was unread."),
    )
    return redirect("notifications:inbox")
